//! `/api/v1/auth` and `/api/v1/me`: sign-up, sign-in and out, the profile and password.

use super::ApiError;
use crate::session::{clear_cookie, session_cookie, token_of, Signed};
use crate::state::{client_address, AppState};
use app::access::CurrentUser;
use app::accounts::service;
use app::accounts::sessions::SignIn;
use app::accounts::{phone_codes, recovery, sessions};
use app::accounts::{Profile, Registration};
use axum::extract::{ConnectInfo, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use std::net::SocketAddr;

/// Sign up as a trainee: mobile number with the code texted to it (`/auth/phone-code`),
/// password, real name and identity number.
#[utoipa::path(
    post,
    path = "/auth/register",
    tag = "accounts",
    request_body = Registration,
    responses(
        (status = 201, description = "Signed up (not yet signed in)", body = Profile),
        (status = 400, description = "A field is not valid (the texted `code` too); `fields` names each", body = super::ErrorBody),
        (status = 409, description = "The identity number is registered already", body = super::ErrorBody),
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
pub struct CodeRequest {
    /// The mobile number to text.
    phone: String,
    /// `register`, `reset` or `change_phone` (signed in: the new phone).
    purpose: String,
}

/// What every accepted code request answers, whatever the phone's account.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct CodeSent {
    /// How long a code is good for.
    expires_in_secs: i64,
    /// How long before the same phone may be texted again.
    resend_after_secs: i64,
}

/// Text a six-digit code to a phone (sign-up, password reset, a new phone). The answer is the
/// same whether or not the phone has an account: a phone that has one is told so by text
/// instead of being sent a sign-up code, one that has none gets no reset code.
#[utoipa::path(
    post,
    path = "/auth/phone-code",
    tag = "accounts",
    operation_id = "phone_code",
    request_body = CodeRequest,
    responses(
        (status = 202, description = "Queued for the phone", body = CodeSent),
        (status = 400, description = "A field is not valid; `fields` names each", body = super::ErrorBody),
        (status = 401, description = "A new phone needs someone signed in", body = super::ErrorBody),
        (status = 429, description = "Too many for this phone or this address; see Retry-After", body = super::ErrorBody),
    )
)]
pub async fn phone_code(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    axum::Extension(CurrentUser(user)): axum::Extension<CurrentUser>,
    super::ApiJson(body): super::ApiJson<CodeRequest>,
) -> Result<Response, ApiError> {
    let client = client_address(&state, peer, &headers);
    let actor = user.map(|u| u.actor);
    phone_codes::request(
        &state.portal,
        &body.phone,
        &body.purpose,
        &client,
        actor.as_ref(),
    )
    .await?;
    let sent = CodeSent {
        expires_in_secs: app::accounts::phone_code::CODE_SECS,
        resend_after_secs: app::accounts::phone_code::RESEND_SECS,
    };
    Ok((StatusCode::ACCEPTED, Json(sent)).into_response())
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct Reset {
    phone: String,
    /// The code texted for `reset`.
    code: String,
    /// The new password.
    password: String,
}

/// A new password for a forgotten one, with the code texted to the account's phone
/// (`/auth/phone-code`, purpose `reset`). Every session of the account ends.
#[utoipa::path(
    post,
    path = "/auth/reset",
    tag = "accounts",
    operation_id = "reset_password",
    request_body = Reset,
    responses(
        (status = 204, description = "The password is changed; sign in with it"),
        (status = 400, description = "A field is not valid (the code too); `fields` names each", body = super::ErrorBody),
    )
)]
pub async fn reset(
    State(state): State<AppState>,
    super::ApiJson(body): super::ApiJson<Reset>,
) -> Result<StatusCode, ApiError> {
    recovery::reset_password(&state.portal, &body.phone, &body.code, &body.password).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct PhoneChange {
    /// The new phone.
    phone: String,
    /// The code texted to it (`/auth/phone-code`, purpose `change_phone`, signed in).
    code: String,
}

/// My phone, changed to one I show I hold.
#[utoipa::path(
    post,
    path = "/me/phone",
    tag = "accounts",
    operation_id = "change_phone",
    request_body = PhoneChange,
    responses(
        (status = 200, description = "Changed", body = Profile),
        (status = 400, description = "A field is not valid (the code too); `fields` names each", body = super::ErrorBody),
        (status = 401, description = "Not signed in", body = super::ErrorBody),
    )
)]
pub async fn change_phone(
    State(state): State<AppState>,
    Signed(user): Signed,
    super::ApiJson(body): super::ApiJson<PhoneChange>,
) -> Result<Json<Profile>, ApiError> {
    recovery::change_phone(&state.portal, &user.actor, &body.phone, &body.code).await?;
    Ok(Json(service::profile(&state.portal, &user.actor).await?))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct Credentials {
    phone: String,
    password: String,
    /// The code texted for `sign_in`, when the answer was `code_required`.
    #[serde(default)]
    code: Option<String>,
}

/// Sign in: sets the HttpOnly session cookie; staff then take a second step. Repeated failures
/// from one client answer 429 with `Retry-After`; a phone with many failures from anywhere
/// asks for a texted code too (`code_required`).
#[utoipa::path(
    post,
    path = "/auth/login",
    tag = "accounts",
    request_body = Credentials,
    responses(
        (status = 200, description = "Signed in; the session cookie is set", body = Profile),
        (status = 202, description = "Staff: the password is right and the second step is owed \
            (`/auth/second-factor`); the cookie holds the half-made session", body = super::second_factor::SecondStep),
        (status = 400, description = "A field is not valid (a wrong texted code)", body = super::ErrorBody),
        (status = 401, description = "Wrong phone or password; or `code_required`: this phone \
            signs in only with a texted `sign_in` code too", body = super::ErrorBody),
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
    let (phone, password, code) = (&body.phone, &body.password, body.code.as_deref());
    let token = match sessions::login(
        &state.portal,
        phone,
        password,
        code,
        &client,
        old.as_deref(),
    )
    .await?
    {
        SignIn::Done(token) => token,
        SignIn::SecondStep(owed) => return Ok(super::second_factor::owed(&owed, state.https)),
    };
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

/// Whether I am texted notices.
#[derive(Debug, serde::Serialize, Deserialize, utoipa::ToSchema)]
pub struct TextNotices {
    /// Texts (besides the inbox) when a place, a certificate or a subsidy comes through.
    texts: bool,
}

/// My notices by text: on or off.
#[utoipa::path(
    get,
    path = "/me/notices",
    tag = "accounts",
    operation_id = "my_notices",
    responses(
        (status = 200, description = "Whether I am texted notices", body = TextNotices),
        (status = 401, description = "Not signed in", body = super::ErrorBody),
    )
)]
pub async fn notices(
    State(state): State<AppState>,
    Signed(user): Signed,
) -> Result<Json<TextNotices>, ApiError> {
    let texts = service::text_notices(&state.portal, &user.actor).await?;
    Ok(Json(TextNotices { texts }))
}

/// Turn my notices by text on (from now on: a place in a class, a certificate issued, a claim
/// approved or paid) or off.
#[utoipa::path(
    put,
    path = "/me/notices",
    tag = "accounts",
    operation_id = "set_my_notices",
    request_body = TextNotices,
    responses(
        (status = 200, description = "Saved", body = TextNotices),
        (status = 401, description = "Not signed in", body = super::ErrorBody),
        (status = 403, description = "Not a trainee", body = super::ErrorBody),
    )
)]
pub async fn set_notices(
    State(state): State<AppState>,
    Signed(user): Signed,
    super::ApiJson(body): super::ApiJson<TextNotices>,
) -> Result<Json<TextNotices>, ApiError> {
    let texts = service::set_text_notices(&state.portal, &user.actor, body.texts).await?;
    Ok(Json(TextNotices { texts }))
}
