//! The second step of a staff sign-in (`/api/v1/auth/second-factor`) and the authenticator
//! app (`/api/v1/me/totp`).

use super::ApiError;
use crate::session::{session_cookie, token_of, Signed};
use crate::state::{client_address, AppState};
use app::accounts::second_factor::{self, AppSetup, Factor, Owed};
use app::accounts::{service, Profile};
use app::error::AppError;
use axum::extract::{ConnectInfo, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use std::net::SocketAddr;

/// What a sign-in that owes its second step answers.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SecondStep {
    /// `sms` (a code texted to the phone) or `totp` (the authenticator app).
    second_factor: Factor,
    /// The texted code's reference: the text carries it too (`sms`).
    #[serde(rename = "ref", skip_serializing_if = "Option::is_none")]
    reference: Option<String>,
}

/// 202 with the half-made session in the cookie.
pub fn owed(owed: &Owed, https: bool) -> Response {
    let body = SecondStep {
        second_factor: owed.factor,
        reference: owed.reference.clone(),
    };
    let mut response = (StatusCode::ACCEPTED, Json(body)).into_response();
    response
        .headers_mut()
        .insert(header::SET_COOKIE, session_cookie(&owed.token, https));
    response
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct SecondStepCode {
    /// Six digits: texted, or shown by the authenticator app.
    code: String,
}

/// The second step of a staff sign-in: the code, with the cookie the first step set. Right,
/// the session cookie is set; wrong, 400 (five tries); late or tried out, 401.
#[utoipa::path(
    post,
    path = "/auth/second-factor",
    tag = "accounts",
    operation_id = "second_factor",
    request_body = SecondStepCode,
    responses(
        (status = 200, description = "Signed in; the session cookie is set", body = Profile),
        (status = 400, description = "Not the code", body = super::ErrorBody),
        (status = 401, description = "No second step is owed (none begun, five minutes passed, or five wrong codes)", body = super::ErrorBody),
    )
)]
pub async fn finish(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    super::ApiJson(body): super::ApiJson<SecondStepCode>,
) -> Result<Response, ApiError> {
    let token = token_of(&headers, state.https).ok_or(ApiError(AppError::Unauthorized))?;
    let client = client_address(&state, peer, &headers);
    let session = second_factor::finish(&state.portal, &token, &body.code, &client).await?;
    let user = app::accounts::sessions::signed_in(&state.portal, &session.0)
        .await?
        .ok_or(ApiError(AppError::Unauthorized))?;
    let profile = service::profile(&state.portal, &user.actor).await?;
    let mut response = Json(profile).into_response();
    response
        .headers_mut()
        .insert(header::SET_COOKIE, session_cookie(&session, state.https));
    Ok(response)
}

/// Start setting up an authenticator app (staff): its secret, and the address to show as a
/// QR code. In force once a code from the app confirms it.
#[utoipa::path(
    post,
    path = "/me/totp",
    tag = "accounts",
    operation_id = "set_up_authenticator_app",
    responses(
        (status = 200, description = "The secret to give the app", body = AppSetup),
        (status = 401, description = "Not signed in", body = super::ErrorBody),
        (status = 403, description = "Only staff sign in with a second step", body = super::ErrorBody),
    )
)]
pub async fn set_up_app(
    State(state): State<AppState>,
    Signed(user): Signed,
) -> Result<Json<AppSetup>, ApiError> {
    Ok(Json(
        second_factor::set_up_app(&state.portal, &user.actor).await?,
    ))
}

/// Confirm the authenticator app with a code from it: from then on sign-in asks the app, not
/// a text.
#[utoipa::path(
    post,
    path = "/me/totp/confirm",
    tag = "accounts",
    operation_id = "confirm_authenticator_app",
    request_body = SecondStepCode,
    responses(
        (status = 204, description = "The app is in force"),
        (status = 400, description = "Not the app's code (or no app is being set up)", body = super::ErrorBody),
        (status = 401, description = "Not signed in", body = super::ErrorBody),
        (status = 403, description = "Only staff sign in with a second step", body = super::ErrorBody),
    )
)]
pub async fn confirm_app(
    State(state): State<AppState>,
    Signed(user): Signed,
    super::ApiJson(body): super::ApiJson<SecondStepCode>,
) -> Result<StatusCode, ApiError> {
    second_factor::confirm_app(&state.portal, &user.actor, &body.code).await?;
    Ok(StatusCode::NO_CONTENT)
}
