//! "这不是我": `/me/disputes` for the person, `/staff/disputes` for the city's HR officers.

use super::{ApiError, ApiJson};
use crate::session::Signed;
use crate::state::AppState;
use app::dispute::{service, Dispute, DisputeKind};
use app::error::{AppError, FieldProblem};
use app::list::{Page, PageParams};
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct DisputeBody {
    /// `enrollment`, `attendance` (the attendance of an enrolment) or `subsidy`.
    kind: String,
    /// The enrolment or claim.
    id: i64,
    note: Option<String>,
}

/// Dispute an enrolment, attendance record or claim made in my name.
#[utoipa::path(
    post,
    path = "/me/disputes",
    tag = "accounts",
    request_body = DisputeBody,
    responses(
        (status = 201, description = "Filed", body = Dispute),
        (status = 400, description = "Unknown kind", body = super::ErrorBody),
        (status = 404, description = "No such record in my name", body = super::ErrorBody),
        (status = 409, description = "Already disputed (open)", body = super::ErrorBody),
    )
)]
pub async fn file(
    State(state): State<AppState>,
    Signed(user): Signed,
    ApiJson(body): ApiJson<DisputeBody>,
) -> Result<Response, ApiError> {
    let kind = DisputeKind::parse(&body.kind)?;
    let dispute = service::file(
        &state.portal,
        &user.actor,
        kind,
        body.id,
        body.note.as_deref(),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(dispute)).into_response())
}

/// My disputes, newest first.
#[utoipa::path(
    get,
    path = "/me/disputes",
    tag = "accounts",
    operation_id = "my_disputes",
    params(PageParams),
    responses((status = 200, description = "One page of my disputes", body = Page<Dispute>))
)]
pub async fn mine(
    State(state): State<AppState>,
    Signed(user): Signed,
    RawQuery(raw): RawQuery,
) -> Result<Json<Page<Dispute>>, ApiError> {
    let (paging, _) = super::list_query(&raw, &[])?;
    Ok(Json(
        paging.cut(service::mine(&state.portal, &user.actor).await?),
    ))
}

/// Which of the city's disputes to list.
#[derive(Debug, Clone, Copy, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DisputeFilter {
    /// Only the open ones.
    Open,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct CityQuery {
    /// `open` lists only the open ones; all when absent.
    #[param(inline)]
    status: Option<DisputeFilter>,
}

/// The disputes of the HR officer's city, open ones first.
#[utoipa::path(
    get,
    path = "/staff/disputes",
    tag = "staff",
    params(CityQuery, PageParams),
    responses(
        (status = 200, description = "One page of the disputes (claimants masked)", body = Page<Dispute>),
        (status = 400, description = "Unknown status", body = super::ErrorBody),
        (status = 403, description = "Not an HR officer", body = super::ErrorBody),
    )
)]
pub async fn for_city(
    State(state): State<AppState>,
    Signed(user): Signed,
    RawQuery(raw): RawQuery,
) -> Result<Json<Page<Dispute>>, ApiError> {
    let (paging, filters) = super::list_query(&raw, &["status"])?;
    let open_only = match filters.get("status").map(String::as_str) {
        None => false,
        Some("open") => true,
        Some(_) => return Err(AppError::field("status", FieldProblem::UnknownCode).into()),
    };
    Ok(Json(
        service::for_city(&state.portal, &user.actor, open_only, paging).await?,
    ))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct ResolveBody {
    /// What was found and done (required; the person reads it). Also accepted as `note`.
    #[serde(alias = "note")]
    resolution: Option<String>,
    /// `none` (the default), `void_enrollment`, `void_attendance` (with `dates`), `stop_claim`
    /// or `revoke_certificate`: each undoes what it names, stopping the claims on it or
    /// opening recoveries where money was paid, and tells the institution.
    action: Option<String>,
    /// The attendance days to void (`YYYY-MM-DD`), for `void_attendance`.
    #[serde(default)]
    dates: Vec<String>,
}

/// Resolve an open dispute of the officer's city.
#[utoipa::path(
    post,
    path = "/staff/disputes/{id}/resolve",
    tag = "staff",
    params(("id" = i64, Path, description = "The dispute")),
    request_body = ResolveBody,
    responses(
        (status = 200, description = "Resolved", body = Dispute),
        (status = 400, description = "No resolution given, an unknown action, or bad dates", body = super::ErrorBody),
        (status = 403, description = "Not an HR officer", body = super::ErrorBody),
        (status = 404, description = "No such dispute in the officer's city", body = super::ErrorBody),
        (status = 409, description = "Already resolved, or nothing for the action to act on", body = super::ErrorBody),
    )
)]
pub async fn resolve(
    State(state): State<AppState>,
    Signed(user): Signed,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<ResolveBody>,
) -> Result<Json<Dispute>, ApiError> {
    let action = app::dispute::Action::parse(body.action.as_deref(), &body.dates)?;
    let resolution = body.resolution.as_deref();
    Ok(Json(
        service::resolve(&state.portal, &user.actor, id, resolution, &action).await?,
    ))
}
