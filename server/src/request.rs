//! Each request's id: made here (never taken from the client, whose `X-Request-Id` could
//! point a helpdesk at someone else's log lines), put on the request for pages to show, on the
//! log span of everything the request does, and on the answer as `X-Request-Id`.

use app::error::RequestId;
use axum::body::Body;
use axum::http::{HeaderValue, Request};
use axum::middleware::Next;
use axum::response::Response;
use tracing::Instrument;

tokio::task_local! {
    /// The id of the request being handled, for answers built far from the request (the API's
    /// error body).
    static CURRENT: RequestId;
}

/// 12 hex digits: short enough to read out on the phone, random enough not to repeat in the
/// logs of a day.
fn new_id() -> RequestId {
    let mut bytes = [0u8; 6];
    // Without the system's randomness the id is still a stamp of the instant.
    if getrandom::getrandom(&mut bytes).is_err() {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default();
        bytes.copy_from_slice(&nanos.to_le_bytes()[..6]);
    }
    RequestId(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// The id of the request being handled, if any.
pub fn current() -> Option<RequestId> {
    CURRENT.try_with(Clone::clone).ok()
}

pub async fn ids(mut request: Request<Body>, next: Next) -> Response {
    let id = new_id();
    request.extensions_mut().insert(id.clone());
    // Path only: a query string may carry what the visitor typed.
    let span = tracing::info_span!(
        "request",
        request_id = %id.0,
        method = %request.method(),
        path = %request.uri().path()
    );
    let header = HeaderValue::from_str(&id.0).ok();
    let mut response = CURRENT.scope(id, next.run(request).instrument(span)).await;
    if let Some(value) = header {
        response.headers_mut().insert("x-request-id", value);
    }
    response
}

#[cfg(test)]
mod tests {
    #[test]
    fn ids_are_twelve_hex_digits_and_differ() {
        let (a, b) = (super::new_id().0, super::new_id().0);
        assert_eq!(a.len(), 12);
        assert!(a.chars().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, b);
    }
}
