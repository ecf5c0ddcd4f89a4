//! The web security baseline every response passes through: security headers, and the
//! cross-site request check for cookie-authenticated state changes.

use crate::session::token_of;
use app::error::AppError;
use axum::body::Body;
use axum::http::{header, HeaderName, HeaderValue, Method, Request};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Pages set their own policy with the nonce of their inline script (see the document shell);
/// everything else gets this one.
const DEFAULT_CSP: &str =
    "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/// Adds the security headers a response does not set itself. `https` adds HSTS.
pub async fn headers(https: bool, request: Request<Body>, next: Next) -> Response {
    let mut response = next.run(request).await;
    let h = response.headers_mut();
    let defaults: [(HeaderName, &'static str); 5] = [
        (header::CONTENT_SECURITY_POLICY, DEFAULT_CSP),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "strict-origin-when-cross-origin"),
        (
            HeaderName::from_static("permissions-policy"),
            "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
        ),
        (header::X_FRAME_OPTIONS, "DENY"),
    ];
    for (name, value) in defaults {
        if !h.contains_key(&name) {
            h.insert(name, HeaderValue::from_static(value));
        }
    }
    if https {
        h.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
    response
}

/// Refuses a state-changing request that carries the session cookie unless it is plainly from
/// this site: a JSON body (which another site cannot send without a CORS preflight, which this
/// server never grants for writes), or the browser's own word (`Sec-Fetch-Site`, `Origin`).
/// A non-browser client with the cookie and a JSON body works.
pub async fn same_site_writes(request: Request<Body>, next: Next) -> Response {
    if is_write(request.method())
        && token_of(request.headers()).is_some()
        && !looks_same_site(&request)
    {
        let err = AppError::CrossSite;
        return crate::api::ApiError(err).into_response();
    }
    next.run(request).await
}

fn is_write(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

fn looks_same_site(request: &Request<Body>) -> bool {
    let headers = request.headers();
    let json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.trim_start()
                .to_ascii_lowercase()
                .starts_with("application/json")
        });
    if json {
        return true;
    }
    match headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        Some("same-origin") | Some("none") => return true,
        Some(_) => return false,
        None => {}
    }
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    let origin = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok());
    match (origin, host) {
        (Some(origin), Some(host)) => {
            let origin_host = origin.split("://").nth(1).unwrap_or_default();
            origin_host.eq_ignore_ascii_case(host)
        }
        // No Origin and no Sec-Fetch-Site: not a current browser's form post; a script on
        // another site cannot suppress both.
        (None, _) => !headers.contains_key(header::REFERER) || referer_is_same(request),
        _ => false,
    }
}

fn referer_is_same(request: &Request<Body>) -> bool {
    let headers = request.headers();
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    headers
        .get(header::REFERER)
        .and_then(|v| v.to_str().ok())
        .and_then(|r| r.split("://").nth(1))
        .and_then(|rest| rest.split('/').next())
        .is_some_and(|h| h.eq_ignore_ascii_case(host))
}
