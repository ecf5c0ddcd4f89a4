//! `/api/v1/me/subsidies`: the signed-in person's subsidy claims.

use super::ApiError;
use crate::session::{require, Signed};
use crate::web::AppState;
use app::accounts::Role;
use app::subsidy::service;
use app::subsidy::Claim;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;

/// My subsidy claims, newest first, with amounts and timelines.
#[utoipa::path(
    get,
    path = "/me/subsidies",
    tag = "accounts",
    responses(
        (status = 200, description = "The claims", body = Vec<Claim>),
        (status = 401, description = "Not signed in", body = super::ErrorBody),
    )
)]
pub async fn mine(
    State(state): State<AppState>,
    Signed(user): Signed,
) -> Result<Json<Vec<Claim>>, ApiError> {
    Ok(Json(service::mine(&state.portal, user.id).await?))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct ClaimBody {
    certificate_id: i64,
}

/// Claim the training subsidy for one of my certificates.
#[utoipa::path(
    post,
    path = "/me/subsidies",
    tag = "accounts",
    request_body = ClaimBody,
    responses(
        (status = 201, description = "Claimed (submitted)", body = Claim),
        (status = 404, description = "No such certificate of mine", body = super::ErrorBody),
        (status = 409, description = "This certificate is claimed already", body = super::ErrorBody),
        (status = 422, description = "A rule refuses it; `reasons` lists every rule", body = super::ErrorBody),
    )
)]
pub async fn claim(
    State(state): State<AppState>,
    Signed(user): Signed,
    Json(body): Json<ClaimBody>,
) -> Result<Response, ApiError> {
    require(&user, &[Role::Trainee])?;
    let claim = service::claim(&state.portal, user.id, body.certificate_id).await?;
    Ok((StatusCode::CREATED, Json(claim)).into_response())
}
