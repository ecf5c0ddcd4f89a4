//! "这不是我": `/me/disputes` for the person, `/staff/disputes` for the city's HR officers.

use super::ApiError;
use crate::session::{require, Signed};
use crate::web::AppState;
use app::accounts::Role;
use app::dispute::{service, Dispute, DisputeKind};
use app::error::{AppError, FieldProblem};
use axum::extract::{Path, Query, State};
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

/// The kind a form or a body names.
pub fn kind_of(code: &str) -> Result<DisputeKind, AppError> {
    DisputeKind::from_code(code).ok_or(AppError::field("kind", FieldProblem::UnknownCode))
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
    Json(body): Json<DisputeBody>,
) -> Result<Response, ApiError> {
    let kind = kind_of(&body.kind)?;
    let dispute =
        service::file(&state.portal, user.id, kind, body.id, body.note.as_deref()).await?;
    Ok((StatusCode::CREATED, Json(dispute)).into_response())
}

/// My disputes, newest first.
#[utoipa::path(
    get,
    path = "/me/disputes",
    tag = "accounts",
    responses((status = 200, description = "My disputes", body = Vec<Dispute>))
)]
pub async fn mine(
    State(state): State<AppState>,
    Signed(user): Signed,
) -> Result<Json<Vec<Dispute>>, ApiError> {
    Ok(Json(service::mine(&state.portal, user.id).await?))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct CityQuery {
    /// `open` lists only the open ones.
    status: Option<String>,
}

/// The disputes of the HR officer's city, open ones first.
#[utoipa::path(
    get,
    path = "/staff/disputes",
    tag = "staff",
    params(CityQuery),
    responses(
        (status = 200, description = "The disputes (claimants masked)", body = Vec<Dispute>),
        (status = 403, description = "Not an HR officer", body = super::ErrorBody),
    )
)]
pub async fn for_city(
    State(state): State<AppState>,
    Signed(user): Signed,
    Query(query): Query<CityQuery>,
) -> Result<Json<Vec<Dispute>>, ApiError> {
    require(&user, &[Role::HrOfficer])?;
    let open_only = query.status.as_deref() == Some("open");
    Ok(Json(
        service::for_city(&state.portal, &user, open_only).await?,
    ))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct ResolveBody {
    /// What was found and done (required; the person reads it).
    resolution: Option<String>,
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
        (status = 400, description = "No resolution given", body = super::ErrorBody),
        (status = 403, description = "Not an HR officer", body = super::ErrorBody),
        (status = 404, description = "No such dispute in the officer's city", body = super::ErrorBody),
        (status = 409, description = "Already resolved", body = super::ErrorBody),
    )
)]
pub async fn resolve(
    State(state): State<AppState>,
    Signed(user): Signed,
    Path(id): Path<i64>,
    Json(body): Json<ResolveBody>,
) -> Result<Json<Dispute>, ApiError> {
    require(&user, &[Role::HrOfficer])?;
    Ok(Json(
        service::resolve(&state.portal, &user, id, body.resolution.as_deref()).await?,
    ))
}
