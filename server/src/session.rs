//! Sessions on the HTTP side: the session cookie, finding who is signed in before any handler
//! or page runs, and the extractors that need a signed-in person: `Signed` for the JSON API
//! (401), `SignedForm` for form posts (303 to the sign-in page). Who may do what is the
//! services' to decide: these only authenticate.

use crate::error::ApiError;
use crate::state::AppState;
use app::access::{CurrentUser, SignedIn};
use app::accounts::sessions::{self, SessionToken};
use app::error::AppError;
use axum::body::Body;
use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, Request, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

pub const SESSION_COOKIE: &str = "peixun_session";
/// The name under HTTPS: the browser keeps a `__Host-` cookie only when it is Secure, for this
/// host alone and the whole site, so a neighbouring subdomain cannot plant one.
pub const HOST_SESSION_COOKIE: &str = "__Host-peixun_session";

pub fn cookie_name(https: bool) -> &'static str {
    if https {
        HOST_SESSION_COOKIE
    } else {
        SESSION_COOKIE
    }
}

/// The session token in a request's cookies, if any (under HTTPS only the `__Host-` one).
pub fn token_of(headers: &HeaderMap, https: bool) -> Option<String> {
    let wanted = cookie_name(https);
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == wanted)
        .map(|(_, value)| value.to_string())
        .filter(|v| !v.is_empty() && v.len() <= 64)
}

/// The `Set-Cookie` value that starts a session: HttpOnly, SameSite=Lax, and under HTTPS
/// Secure with the `__Host-` name.
pub fn session_cookie(token: &SessionToken, https: bool) -> HeaderValue {
    let secure = if https { "; Secure" } else { "" };
    let name = cookie_name(https);
    HeaderValue::from_str(&format!(
        "{name}={}; Path=/; HttpOnly; SameSite=Lax{secure}",
        token.0
    ))
    .unwrap_or_else(|_| clear_cookie(https))
}

pub fn clear_cookie(https: bool) -> HeaderValue {
    if https {
        HeaderValue::from_static(
            "__Host-peixun_session=; Path=/; HttpOnly; SameSite=Lax; Secure; Max-Age=0",
        )
    } else {
        HeaderValue::from_static("peixun_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0")
    }
}

/// Finds the signed-in person once per request and puts them in the request's extensions,
/// where pages (`app::access::current_user`) and the extractors below read them.
pub async fn find_user(
    State(state): State<AppState>,
    mut request: Request<Body>,
    next: Next,
) -> Response {
    // Static files need nobody's session.
    if request.uri().path().starts_with("/pkg/") {
        return next.run(request).await;
    }
    let token = token_of(request.headers(), state.https);
    let user = match &token {
        Some(token) => match sessions::signed_in(&state.portal, token).await {
            Ok(user) => user,
            Err(err) => {
                tracing::error!(%err, "session lookup failed");
                None
            }
        },
        None => None,
    };
    // A half-made session (the second step owed) signs nobody in; its page reads it here.
    if let (None, Some(token)) = (&user, &token) {
        if let Ok(owed) = app::accounts::second_factor::view(&state.portal, token).await {
            request.extensions_mut().insert(owed);
        } else if let Ok(choice) =
            app::accounts::real_name_service::choice_view(&state.portal, token).await
        {
            request.extensions_mut().insert(choice);
        }
    }
    request.extensions_mut().insert(CurrentUser(user));
    // Pages say whether this is a demo (the notice, no site identifiers); the API never asks.
    if !request.uri().path().starts_with("/api/") {
        let demo = app::catalog::service::demo_mode(&state.portal).await;
        let demo = demo.unwrap_or_else(|err| {
            tracing::warn!(%err, "cannot tell whether this is a demo database");
            false
        });
        request.extensions_mut().insert(app::shell::DemoSite(demo));
    }
    next.run(request).await
}

fn signed_in(parts: &Parts) -> Option<SignedIn> {
    parts
        .extensions
        .get::<CurrentUser>()
        .and_then(|c| c.0.clone())
}

/// A signed-in person calling the API (401 otherwise).
pub struct Signed(pub SignedIn);

impl<S: Send + Sync> FromRequestParts<S> for Signed {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        signed_in(parts)
            .map(Signed)
            .ok_or(ApiError(AppError::Unauthorized))
    }
}

/// A signed-in person posting a page's form; anyone else is sent to sign in (303).
pub struct SignedForm(pub SignedIn);

impl<S: Send + Sync> FromRequestParts<S> for SignedForm {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        signed_in(parts)
            .map(SignedForm)
            .ok_or_else(|| see_other("/login"))
    }
}

/// A redirect after a form post (303 See Other: the browser follows with a GET).
pub fn see_other(to: &str) -> Response {
    let mut response = StatusCode::SEE_OTHER.into_response();
    response.headers_mut().insert(
        header::LOCATION,
        HeaderValue::from_str(to).unwrap_or(HeaderValue::from_static("/")),
    );
    response
}
