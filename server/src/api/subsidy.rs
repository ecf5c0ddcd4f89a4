//! Subsidy claims: the trainee's (`/me/subsidies`) and the HR officer's review
//! (`/staff/subsidies`), and the recoveries of claims that were undone (`/staff/recoveries`).

use super::{ApiError, ApiJson};
use crate::session::Signed;
use crate::state::AppState;
use app::error::{AppError, FieldProblem};
use app::list::{Page, PageParams};
use app::subsidy::payee::PayeeInput;
use app::subsidy::rules::ClaimStatus;
use app::subsidy::{recovery, review, review_step, service};
use app::subsidy::{Claim, Recovery, RecoveryStatus, StaffClaim};
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};

/// My subsidy claims, newest first, with amounts and timelines; then the certificates I may
/// still claim for (`status` `eligible`, no `id`, the amount a claim would pay).
#[utoipa::path(
    get,
    path = "/me/subsidies",
    tag = "accounts",
    operation_id = "my_subsidies",
    params(PageParams),
    responses(
        (status = 200, description = "One page of what may be claimed, then the claims", body = Page<Claim>),
        (status = 401, description = "Not signed in", body = super::ErrorBody),
    )
)]
pub async fn mine(
    State(state): State<AppState>,
    Signed(user): Signed,
    RawQuery(raw): RawQuery,
) -> Result<Json<Page<Claim>>, ApiError> {
    let (paging, _) = super::list_query(&raw, &[])?;
    Ok(Json(
        paging.cut(service::mine(&state.portal, &user.actor).await?),
    ))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct ClaimBody {
    certificate_id: i64,
    /// Whom to pay; the payee kept on the profile when absent (400 `payee` when there is none).
    payee: Option<PayeeInput>,
    /// Keep `payee` on the profile for later claims.
    #[serde(default)]
    keep_payee: bool,
}

/// Claim the training subsidy for one of my certificates.
#[utoipa::path(
    post,
    path = "/me/subsidies",
    tag = "accounts",
    request_body = ClaimBody,
    responses(
        (status = 201, description = "Claimed (submitted)", body = Claim),
        (status = 400, description = "No payee named or kept, or one that cannot be paid", body = super::ErrorBody),
        (status = 404, description = "No such certificate of mine", body = super::ErrorBody),
        (status = 409, description = "This certificate is claimed already", body = super::ErrorBody),
        (status = 422, description = "A rule refuses it; `reasons` lists every rule", body = super::ErrorBody),
    )
)]
pub async fn claim(
    State(state): State<AppState>,
    Signed(user): Signed,
    ApiJson(body): ApiJson<ClaimBody>,
) -> Result<Response, ApiError> {
    let asked = service::Asked {
        certificate_id: body.certificate_id,
        payee: body.payee.as_ref(),
        keep_payee: body.keep_payee,
    };
    let claim = service::claim(&state.portal, &user.actor, &asked).await?;
    Ok((StatusCode::CREATED, Json(claim)).into_response())
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct QueueQuery {
    /// `submitted`, `under_review`, `approved`, `paid` or `rejected`; all when absent.
    #[param(inline)]
    status: Option<ClaimStatus>,
}

/// The claims of the HR officer's city, those waiting for a step first and oldest first,
/// optionally of one status. Claimants' names and ID numbers are masked; the people shown are
/// written to the audit log.
#[utoipa::path(
    get,
    path = "/staff/subsidies",
    tag = "staff",
    params(QueueQuery, PageParams),
    responses(
        (status = 200, description = "One page of the claims", body = Page<StaffClaim>),
        (status = 400, description = "Unknown status", body = super::ErrorBody),
        (status = 403, description = "Not an HR officer", body = super::ErrorBody),
    )
)]
pub async fn queue(
    State(state): State<AppState>,
    Signed(user): Signed,
    RawQuery(raw): RawQuery,
) -> Result<Json<Page<StaffClaim>>, ApiError> {
    let (paging, filters) = super::list_query(&raw, &["status"])?;
    let status = match filters.get("status") {
        None => None,
        Some(code) => Some(
            ClaimStatus::from_code(code)
                .ok_or(AppError::field("status", FieldProblem::UnknownCode))?,
        ),
    };
    Ok(Json(
        review::queue(&state.portal, &user.actor, status, paging).await?,
    ))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct DecisionBody {
    /// `approve`, `reject` (needs `reason`) or `review` (take it up: under review).
    decision: String,
    reason: Option<String>,
    /// Approve even past the city's yearly budget (otherwise 409 `budget`).
    #[serde(default)]
    confirm_over_budget: bool,
}

/// Decide a claim of the officer's city: approve, reject with a reason, or take it up.
#[utoipa::path(
    post,
    path = "/staff/subsidies/{id}/decision",
    tag = "staff",
    params(("id" = i64, Path, description = "The claim")),
    request_body = DecisionBody,
    responses(
        (status = 200, description = "The claim's new status", body = ClaimStep),
        (status = 400, description = "Unknown decision, or a rejection without a reason", body = super::ErrorBody),
        (status = 403, description = "Not an HR officer", body = super::ErrorBody),
        (status = 404, description = "No such claim in the officer's city", body = super::ErrorBody),
        (status = 409, description = "Already decided, or past the city's yearly budget without `confirm_over_budget`", body = super::ErrorBody),
    )
)]
pub async fn decide(
    State(state): State<AppState>,
    Signed(user): Signed,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<DecisionBody>,
) -> Result<Json<ClaimStep>, ApiError> {
    let decision = review::Decision {
        step: review_step(&body.decision)?,
        reason: body.reason.as_deref(),
        confirm_over_budget: body.confirm_over_budget,
    };
    let status = review::review(&state.portal, &user.actor, id, &decision).await?;
    Ok(Json(ClaimStep { id, status }))
}

/// A claim's status after a step of the review.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ClaimStep {
    pub id: i64,
    pub status: ClaimStatus,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RecoveryQuery {
    /// `due`, `recovered` or `waived`; all when absent.
    #[allow(dead_code)]
    status: Option<String>,
}

/// Recoveries (追回): money paid on claims that were undone (a certificate revoked, an enrolment
/// or attendance voided). The HR officer's city's, or an institution's own classes'; due ones
/// first. Claimants masked; the read is audited.
#[utoipa::path(
    get,
    path = "/staff/recoveries",
    tag = "staff",
    params(RecoveryQuery, PageParams),
    responses(
        (status = 200, description = "One page of the recoveries", body = Page<Recovery>),
        (status = 400, description = "Unknown status", body = super::ErrorBody),
        (status = 403, description = "Not an HR officer or institution staff", body = super::ErrorBody),
    )
)]
pub async fn recoveries(
    State(state): State<AppState>,
    Signed(user): Signed,
    RawQuery(raw): RawQuery,
) -> Result<Json<Page<Recovery>>, ApiError> {
    let (paging, filters) = super::list_query(&raw, &["status"])?;
    let status = match filters.get("status") {
        None => None,
        Some(code) => Some(
            RecoveryStatus::from_code(code)
                .ok_or(AppError::field("status", FieldProblem::UnknownCode))?,
        ),
    };
    Ok(Json(
        recovery::list(&state.portal, &user.actor, status, paging).await?,
    ))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct RecoveryBody {
    /// `recovered` or `waived`.
    status: String,
    /// Why (required): the repayment's reference, or the grounds for waiving it.
    reason: Option<String>,
}

/// Mark a due recovery of the officer's city recovered or waived, with a reason.
#[utoipa::path(
    post,
    path = "/staff/recoveries/{id}",
    tag = "staff",
    params(("id" = i64, Path, description = "The recovery")),
    request_body = RecoveryBody,
    responses(
        (status = 200, description = "Decided", body = Recovery),
        (status = 400, description = "Unknown status, or no reason", body = super::ErrorBody),
        (status = 403, description = "Not an HR officer", body = super::ErrorBody),
        (status = 404, description = "No such recovery in the officer's city", body = super::ErrorBody),
        (status = 409, description = "Decided already", body = super::ErrorBody),
    )
)]
pub async fn decide_recovery(
    State(state): State<AppState>,
    Signed(user): Signed,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<RecoveryBody>,
) -> Result<Json<Recovery>, ApiError> {
    let to = body.status.trim();
    Ok(Json(
        recovery::decide(&state.portal, &user.actor, id, to, body.reason.as_deref()).await?,
    ))
}
