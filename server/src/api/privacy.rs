//! `GET /api/v1/me/export` and `DELETE /api/v1/me`: a person's data, to download or delete.

use super::ApiError;
use crate::session::{clear_cookie, Signed};
use crate::state::AppState;
use app::privacy::service::{self, Export};
use axum::extract::State;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;

/// Everything Peixun holds about me, as a JSON download.
#[utoipa::path(
    get,
    path = "/me/export",
    tag = "accounts",
    responses(
        (status = 200, description = "My data", body = Export),
        (status = 401, description = "Not signed in", body = super::ErrorBody),
    )
)]
pub async fn export(
    State(state): State<AppState>,
    Signed(user): Signed,
) -> Result<Response, ApiError> {
    let data = service::export(&state.portal, &user.actor).await?;
    let mut response = Json(data).into_response();
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static("attachment; filename=\"peixun-my-data.json\""),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

/// What deleting an account asks for.
#[derive(Debug, Default, serde::Deserialize, utoipa::ToSchema)]
pub struct DeleteConfirmation {
    /// The account's password.
    #[serde(default)]
    password: String,
    /// For an account without a password: the `delete_account` code texted to its phone.
    #[serde(default)]
    code: String,
}

/// Delete my account, confirmed with its password (or, for an account without one, the
/// `delete_account` code texted to its phone). Records the law requires to keep are kept
/// without my identity.
#[utoipa::path(
    delete,
    path = "/me",
    tag = "accounts",
    request_body = DeleteConfirmation,
    responses(
        (status = 204, description = "Deleted; signed out"),
        (status = 400, description = "The password (or code) is missing or wrong", body = super::ErrorBody),
        (status = 401, description = "Not signed in", body = super::ErrorBody),
        (status = 409, description = "A claim, dispute or recovery is still open", body = super::ErrorBody),
    )
)]
pub async fn delete(
    State(state): State<AppState>,
    Signed(user): Signed,
    body: axum::body::Bytes,
) -> Result<Response, ApiError> {
    // A body is optional in the request's shape, the password is not.
    let confirm: DeleteConfirmation = match body.iter().all(u8::is_ascii_whitespace) {
        true => DeleteConfirmation::default(),
        false => super::json::parse(&body)?,
    };
    let portal = &state.portal;
    let (password, code) = (&confirm.password, &confirm.code);
    app::accounts::service::confirm_deletion(portal, &user.actor, password, code).await?;
    service::delete_account(portal, &user.actor).await?;
    let mut response = StatusCode::NO_CONTENT.into_response();
    response
        .headers_mut()
        .insert(header::SET_COOKIE, clear_cookie(state.https));
    Ok(response)
}
