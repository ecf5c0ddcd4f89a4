//! 冒用身份: the report of an identity number someone else registered (anyone), and the city's
//! HR officer's cases (`/staff/identity-cases`).

use super::{ApiError, ApiJson};
use crate::session::Signed;
use crate::state::{client_address, AppState};
use app::identity_cases::{service, Case, Report};
use app::list::{Page, PageParams};
use axum::extract::{ConnectInfo, Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use serde::{Deserialize, Serialize};
use std::net::SocketAddr;

/// What a report answers, whether or not the number is registered here.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Reported {
    /// The city's HR officer calls back on the phone given when an account is found.
    received: bool,
}

/// Report that someone else registered my identity number (when no unified identity service
/// is configured to reclaim it). The answer is the same whether or not the number is
/// registered; an account found opens a case for the city's HR officer. A few an hour from
/// one address.
#[utoipa::path(
    post,
    path = "/identity-reports",
    tag = "accounts",
    operation_id = "report_identity_misuse",
    request_body = Report,
    responses(
        (status = 202, description = "Received", body = Reported),
        (status = 400, description = "A field is not valid; `fields` names each", body = super::ErrorBody),
        (status = 429, description = "Too many reports from this address; see Retry-After", body = super::ErrorBody),
    )
)]
pub async fn report(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    ApiJson(body): ApiJson<Report>,
) -> Result<(StatusCode, Json<Reported>), ApiError> {
    let client = client_address(&state, peer, &headers);
    service::report(&state.portal, &body, &client).await?;
    Ok((StatusCode::ACCEPTED, Json(Reported { received: true })))
}

/// My city's 冒用身份 cases, newest first, with what was made under each account (HR officers).
#[utoipa::path(
    get,
    path = "/staff/identity-cases",
    tag = "staff",
    operation_id = "identity_cases",
    params(PageParams),
    responses(
        (status = 200, description = "The cases", body = Page<Case>),
        (status = 401, description = "Not signed in", body = super::ErrorBody),
        (status = 403, description = "Not an HR officer", body = super::ErrorBody),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    Signed(user): Signed,
    RawQuery(raw): RawQuery,
) -> Result<Json<Page<Case>>, ApiError> {
    let (paging, _) = super::list_query(&raw, &[])?;
    Ok(Json(
        service::list(&state.portal, &user.actor, paging).await?,
    ))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct CaseDecision {
    /// `freeze` (nobody signs in to the account; its sessions end), `unfreeze` or `close`.
    action: String,
    note: Option<String>,
}

/// Freeze the account pending an in-person check, unfreeze it, or close the case.
#[utoipa::path(
    post,
    path = "/staff/identity-cases/{id}",
    tag = "staff",
    operation_id = "decide_identity_case",
    params(("id" = i64, Path, description = "The case")),
    request_body = CaseDecision,
    responses(
        (status = 200, description = "Done; the case as it stands", body = Case),
        (status = 400, description = "Not an action", body = super::ErrorBody),
        (status = 401, description = "Not signed in", body = super::ErrorBody),
        (status = 403, description = "Not an HR officer", body = super::ErrorBody),
        (status = 404, description = "No such case in my city", body = super::ErrorBody),
        (status = 409, description = "Not from where the case stands (close a frozen one after unfreezing it)", body = super::ErrorBody),
    )
)]
pub async fn decide(
    State(state): State<AppState>,
    Signed(user): Signed,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<CaseDecision>,
) -> Result<Json<Case>, ApiError> {
    let case = service::decide(
        &state.portal,
        &user.actor,
        id,
        &body.action,
        body.note.as_deref(),
    )
    .await?;
    Ok(Json(case))
}
