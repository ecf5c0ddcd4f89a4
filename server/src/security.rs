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

/// Makes sure an HTML page carries its CSP with the nonce its inline scripts were given. The
/// document shell sets it while rendering; should a page come out without it (seen rarely
/// under load in the browser tests), the nonce is read from the page itself, so a page is never
/// served with a policy that blocks its own scripts. Runs inside the compression layer.
pub async fn page_policy(request: Request<Body>, next: Next) -> Response {
    let path = request.uri().path().to_string();
    let response = next.run(request).await;
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"text/html"));
    let has_policy = response
        .headers()
        .get(header::CONTENT_SECURITY_POLICY)
        .is_some_and(|v| v.as_bytes().windows(6).any(|w| w == b"nonce-"));
    if !is_html || has_policy {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 16 * 1024 * 1024).await else {
        return (axum::http::StatusCode::INTERNAL_SERVER_ERROR, "").into_response();
    };
    if let Some(nonce) = nonce_in(&bytes) {
        tracing::warn!(%path, "page rendered without its CSP; set from the page's nonce");
        if let Ok(value) = HeaderValue::from_str(&app::site::page_policy(nonce)) {
            parts.headers.insert(header::CONTENT_SECURITY_POLICY, value);
        }
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// The first `nonce="…"` attribute of a page (base64 characters only).
fn nonce_in(html: &[u8]) -> Option<&str> {
    const MARK: &[u8] = b"nonce=\"";
    let start = html.windows(MARK.len()).position(|w| w == MARK)? + MARK.len();
    let len = html[start..].iter().position(|b| *b == b'"')?;
    let nonce = std::str::from_utf8(&html[start..start + len]).ok()?;
    let base64 = |c: char| c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '=' | '-' | '_');
    (!nonce.is_empty() && nonce.len() <= 64 && nonce.chars().all(base64)).then_some(nonce)
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
        return crate::error::ApiError(err).into_response();
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

#[cfg(test)]
mod tests {
    use super::nonce_in;

    #[test]
    fn the_nonce_is_read_from_the_page() {
        assert_eq!(
            nonce_in(br#"<script nonce="Ab9+/_-=">x</script>"#),
            Some("Ab9+/_-=")
        );
        assert_eq!(nonce_in(br#"<script nonce="a b">"#), None, "not base64");
        assert_eq!(nonce_in(br#"<script nonce="">"#), None);
        assert_eq!(nonce_in(b"<p>no script</p>"), None);
    }
}
