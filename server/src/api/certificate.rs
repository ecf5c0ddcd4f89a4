//! Certificates: the evaluator's assessments, the trainee's wallet, public verification.

use super::{ApiError, ApiJson};
use crate::session::Signed;
use crate::state::{client_address, AppState};
use app::certificate::service;
use app::certificate::{Certificate, Verification};
use app::list::{Page, PageParams};
use axum::extract::{ConnectInfo, Path, Query, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use std::net::SocketAddr;

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct AssessmentBody {
    enrollment_id: i64,
    passed: bool,
    /// 0–100.
    score: Option<u32>,
    /// YYYY-MM-DD, for results entered late; default today.
    issued_on: Option<String>,
}

/// Record an assessment of a completed enrolment; a pass issues its certificate.
#[utoipa::path(
    post,
    path = "/staff/assessments",
    tag = "staff",
    request_body = AssessmentBody,
    responses(
        (status = 201, description = "Recorded; `certificate` is the one issued (null for a fail)", body = AssessmentRecorded),
        (status = 400, description = "Bad score or date", body = super::ErrorBody),
        (status = 403, description = "Not an evaluator of this class's organisation", body = super::ErrorBody),
        (status = 404, description = "No such enrolment", body = super::ErrorBody),
        (status = 409, description = "Not completed, or already certified", body = super::ErrorBody),
    )
)]
pub async fn assess(
    State(state): State<AppState>,
    Signed(user): Signed,
    ApiJson(body): ApiJson<AssessmentBody>,
) -> Result<Response, ApiError> {
    let issued_on = match body.issued_on.as_deref().filter(|s| !s.trim().is_empty()) {
        Some(text) => Some(super::parse_date("issued_on", text)?),
        None => None,
    };
    let certificate = service::assess(
        &state.portal,
        &user.actor,
        body.enrollment_id,
        body.passed,
        body.score,
        issued_on,
    )
    .await?;
    let recorded = AssessmentRecorded {
        passed: body.passed,
        certificate,
    };
    Ok((StatusCode::CREATED, Json(recorded)).into_response())
}

/// An assessment kept: a pass with the certificate it issued, or a fail.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AssessmentRecorded {
    pub passed: bool,
    pub certificate: Option<Certificate>,
}

/// My certificates.
#[utoipa::path(
    get,
    path = "/me/certificates",
    tag = "accounts",
    params(PageParams),
    responses(
        (status = 200, description = "One page of the wallet", body = Page<Certificate>),
        (status = 401, description = "Not signed in", body = super::ErrorBody),
    )
)]
pub async fn wallet(
    State(state): State<AppState>,
    Signed(user): Signed,
    RawQuery(raw): RawQuery,
) -> Result<Json<Page<Certificate>>, ApiError> {
    let (paging, _) = super::list_query(&raw, &[])?;
    Ok(Json(
        paging.cut(service::wallet(&state.portal, &user.actor).await?),
    ))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct VerifyQuery {
    /// Certificate number.
    #[serde(default)]
    number: String,
    /// The holder's full name.
    #[serde(default)]
    name: String,
}

/// Is this certificate real? By number and the holder's name; the same `{"valid": false}` for
/// an unknown number and a wrong name. Limited per client address.
#[utoipa::path(
    get,
    path = "/certificates/verify",
    tag = "catalogue",
    params(VerifyQuery),
    responses(
        (status = 200, description = "The answer", body = Verification),
        (status = 429, description = "Too many checks; see Retry-After", body = super::ErrorBody),
    )
)]
pub async fn verify(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Query(q): Query<VerifyQuery>,
) -> Result<Json<Verification>, ApiError> {
    let client = client_address(&state, peer, &headers);
    Ok(Json(
        service::verify(&state.portal, &q.number, &q.name, &client).await?,
    ))
}

/// The evaluator's work list: completed enrolments of their organisation's classes without a
/// certificate yet (names masked; the read is audited).
#[utoipa::path(
    get,
    path = "/staff/assessments",
    tag = "staff",
    params(PageParams),
    responses(
        (status = 200, description = "One page of the enrolments to assess", body = Page<app::certificate::Candidate>),
        (status = 403, description = "Not an evaluator", body = super::ErrorBody),
    )
)]
pub async fn to_assess(
    State(state): State<AppState>,
    Signed(user): Signed,
    RawQuery(raw): RawQuery,
) -> Result<Json<Page<app::certificate::Candidate>>, ApiError> {
    let (paging, _) = super::list_query(&raw, &[])?;
    Ok(Json(
        service::to_assess(&state.portal, &user.actor, paging).await?,
    ))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct RevokeBody {
    /// Why (required); the holder is told.
    reason: Option<String>,
}

/// Revoke a certificate: verification then answers `{"valid": false, "status": "revoked"}` for
/// its number and holder's name; claims on it not yet paid stop, and each paid one opens a
/// recovery. An evaluator of the issuing organisation, or the HR officer of the class's city.
#[utoipa::path(
    post,
    path = "/staff/certificates/{number}/revoke",
    tag = "staff",
    params(("number" = String, Path, description = "The certificate number")),
    request_body = RevokeBody,
    responses(
        (status = 200, description = "Revoked", body = Certificate),
        (status = 400, description = "No reason", body = super::ErrorBody),
        (status = 403, description = "Not the issuing organisation's evaluator or an HR officer", body = super::ErrorBody),
        (status = 404, description = "No such certificate (in the officer's city)", body = super::ErrorBody),
        (status = 409, description = "Revoked already", body = super::ErrorBody),
    )
)]
pub async fn revoke(
    State(state): State<AppState>,
    Signed(user): Signed,
    Path(number): Path<String>,
    ApiJson(body): ApiJson<RevokeBody>,
) -> Result<Json<Certificate>, ApiError> {
    Ok(Json(
        service::revoke(&state.portal, &user.actor, &number, body.reason.as_deref()).await?,
    ))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct CorrectBody {
    /// 0–100.
    score: Option<u32>,
    /// YYYY-MM-DD, from the class's end date to today.
    issued_on: Option<String>,
    /// Why (required); the holder is told.
    reason: Option<String>,
}

/// Correct a certificate's day of issue or score, with a reason; the trail keeps the old values.
#[utoipa::path(
    post,
    path = "/staff/certificates/{number}/correct",
    tag = "staff",
    params(("number" = String, Path, description = "The certificate number")),
    request_body = CorrectBody,
    responses(
        (status = 200, description = "Corrected", body = Certificate),
        (status = 400, description = "No reason, a bad score or a day outside the allowed ones", body = super::ErrorBody),
        (status = 403, description = "Not the issuing organisation's evaluator or an HR officer", body = super::ErrorBody),
        (status = 404, description = "No such certificate (in the officer's city)", body = super::ErrorBody),
        (status = 409, description = "Revoked", body = super::ErrorBody),
    )
)]
pub async fn correct(
    State(state): State<AppState>,
    Signed(user): Signed,
    Path(number): Path<String>,
    ApiJson(body): ApiJson<CorrectBody>,
) -> Result<Json<Certificate>, ApiError> {
    let issued_on = match body.issued_on.as_deref().filter(|s| !s.trim().is_empty()) {
        Some(text) => Some(super::parse_date("issued_on", text)?),
        None => None,
    };
    let corrected = service::correct(
        &state.portal,
        &user.actor,
        &number,
        body.score,
        issued_on,
        body.reason.as_deref(),
    )
    .await?;
    Ok(Json(corrected))
}
