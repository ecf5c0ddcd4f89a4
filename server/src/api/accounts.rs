//! `/api/v1/auth` and `/api/v1/me`: sign-up, sign-in and out, the profile and password.

use super::ApiError;
use crate::session::{clear_cookie, session_cookie, token_of, Signed};
use crate::state::{client_address, AppState};
use app::accounts::service;
use app::accounts::sessions;
use app::accounts::{Profile, Registration};
use axum::extract::{ConnectInfo, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use std::net::SocketAddr;

/// Sign up as a trainee: mobile number, password, real name and identity number.
#[utoipa::path(
    post,
    path = "/auth/register",
    tag = "accounts",
    request_body = Registration,
    responses(
        (status = 201, description = "Signed up (not yet signed in)", body = Profile),
        (status = 400, description = "A field is not valid; `fields` names each", body = super::ErrorBody),
        (status = 409, description = "The phone or identity number is registered already", body = super::ErrorBody),
    )
)]
pub async fn register(
    State(state): State<AppState>,
    super::ApiJson(body): super::ApiJson<Registration>,
) -> Result<Response, ApiError> {
    let id = service::register(&state.portal, body).await?;
    let profile = service::profile_of(&state.portal, id).await?;
    Ok((StatusCode::CREATED, Json(profile)).into_response())
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct Credentials {
    phone: String,
    password: String,
}

/// Sign in: sets the HttpOnly session cookie. Repeated failures for one phone number answer
/// 429 with `Retry-After`.
#[utoipa::path(
    post,
    path = "/auth/login",
    tag = "accounts",
    request_body = Credentials,
    responses(
        (status = 200, description = "Signed in; the session cookie is set", body = Profile),
        (status = 401, description = "Wrong phone or password", body = super::ErrorBody),
        (status = 429, description = "Too many attempts; see Retry-After", body = super::ErrorBody),
    )
)]
pub async fn login(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    super::ApiJson(body): super::ApiJson<Credentials>,
) -> Result<Response, ApiError> {
    let client = client_address(&state, peer, &headers);
    let old = token_of(&headers, state.https);
    let (phone, password) = (&body.phone, &body.password);
    let token = sessions::login(&state.portal, phone, password, &client, old.as_deref()).await?;
    let user = sessions::signed_in(&state.portal, &token.0)
        .await?
        .ok_or(ApiError(app::error::AppError::Unauthorized))?;
    let profile = service::profile(&state.portal, &user.actor).await?;
    let mut response = Json(profile).into_response();
    response
        .headers_mut()
        .insert(header::SET_COOKIE, session_cookie(&token, state.https));
    Ok(response)
}

/// Sign out: ends the session.
#[utoipa::path(post, path = "/auth/logout", tag = "accounts", responses((status = 204, description = "Signed out")))]
pub async fn logout(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    if let Some(token) = token_of(&headers, state.https) {
        sessions::logout(&state.portal, &token).await?;
    }
    let mut response = StatusCode::NO_CONTENT.into_response();
    response
        .headers_mut()
        .insert(header::SET_COOKIE, clear_cookie(state.https));
    Ok(response)
}

/// My profile: the identity and phone numbers masked.
#[utoipa::path(
    get,
    path = "/me",
    tag = "accounts",
    responses(
        (status = 200, description = "The signed-in person", body = Profile),
        (status = 401, description = "Not signed in", body = super::ErrorBody),
    )
)]
pub async fn me(
    State(state): State<AppState>,
    Signed(user): Signed,
) -> Result<Json<Profile>, ApiError> {
    Ok(Json(service::profile(&state.portal, &user.actor).await?))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct PasswordChange {
    current_password: String,
    new_password: String,
}

/// Change my password: every session ends; this client gets a new one.
#[utoipa::path(
    post,
    path = "/me/password",
    tag = "accounts",
    request_body = PasswordChange,
    responses(
        (status = 204, description = "Changed; a new session cookie is set"),
        (status = 400, description = "Wrong current password, or the new one is refused", body = super::ErrorBody),
        (status = 401, description = "Not signed in", body = super::ErrorBody),
    )
)]
pub async fn change_password(
    State(state): State<AppState>,
    Signed(user): Signed,
    super::ApiJson(body): super::ApiJson<PasswordChange>,
) -> Result<Response, ApiError> {
    let token = service::change_password(
        &state.portal,
        &user.actor,
        &body.current_password,
        &body.new_password,
    )
    .await?;
    let mut response = StatusCode::NO_CONTENT.into_response();
    response
        .headers_mut()
        .insert(header::SET_COOKIE, session_cookie(&token, state.https));
    Ok(response)
}
