//! Sessions on the HTTP side: the session cookie, finding who is signed in before any handler
//! or page runs, and the guard that every signed-in or staff endpoint goes through.

use crate::api::ApiError;
use crate::web::AppState;
use app::accounts::service::{self, SessionToken};
use app::accounts::{CurrentUser, Role, SignedIn};
use app::error::AppError;
use axum::body::Body;
use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, Request};
use axum::middleware::Next;
use axum::response::Response;

pub const SESSION_COOKIE: &str = "peixun_session";

/// The session token in a request's cookies, if any.
pub fn token_of(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == SESSION_COOKIE)
        .map(|(_, value)| value.to_string())
        .filter(|v| !v.is_empty() && v.len() <= 64)
}

/// The `Set-Cookie` value that starts a session: HttpOnly, SameSite=Lax, and Secure when the
/// portal is served over HTTPS.
pub fn session_cookie(token: &SessionToken, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{SESSION_COOKIE}={}; Path=/; HttpOnly; SameSite=Lax{secure}",
        token.0
    ))
    .unwrap_or_else(|_| HeaderValue::from_static("peixun_session=; Path=/; Max-Age=0"))
}

pub fn clear_cookie(secure: bool) -> HeaderValue {
    if secure {
        HeaderValue::from_static(
            "peixun_session=; Path=/; HttpOnly; SameSite=Lax; Secure; Max-Age=0",
        )
    } else {
        HeaderValue::from_static("peixun_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0")
    }
}

/// Finds the signed-in person once per request and puts them in the request's extensions,
/// where pages (`app::accounts::current_user`) and the API extractors below read them.
pub async fn find_user(
    State(state): State<AppState>,
    mut request: Request<Body>,
    next: Next,
) -> Response {
    // Static files need nobody's session.
    if request.uri().path().starts_with("/pkg/") {
        return next.run(request).await;
    }
    let user = match token_of(request.headers()) {
        Some(token) => match service::session_user(&state.portal, &token).await {
            Ok(user) => user,
            Err(err) => {
                tracing::error!(%err, "session lookup failed");
                None
            }
        },
        None => None,
    };
    request.extensions_mut().insert(CurrentUser(user));
    next.run(request).await
}

/// A signed-in person (401 otherwise).
pub struct Signed(pub SignedIn);

impl<S: Send + Sync> FromRequestParts<S> for Signed {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<CurrentUser>()
            .and_then(|c| c.0.clone())
            .map(Signed)
            .ok_or(ApiError(AppError::Unauthorized))
    }
}

/// Signed-in staff of one of the given roles: the one place roles are checked. Scope (which
/// institution, organisation or city) is checked by the service against the record asked for.
pub fn require(user: &SignedIn, roles: &[Role]) -> Result<(), ApiError> {
    if roles.contains(&user.role) {
        Ok(())
    } else {
        Err(ApiError(AppError::Forbidden))
    }
}
