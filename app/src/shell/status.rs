//! Setting the HTTP status of a server-rendered page (a no-op in the browser).

#[cfg(feature = "ssr")]
pub fn set_status(code: u16) {
    use leptos::prelude::use_context;
    if let (Some(response), Ok(status)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        http::StatusCode::from_u16(code),
    ) {
        response.set_status(status);
    }
}

/// Sends the visitor to `path` (303 See Other) instead of rendering this page.
#[cfg(feature = "ssr")]
pub fn redirect(path: &str) {
    use leptos::prelude::use_context;
    if let (Some(response), Ok(location)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        http::HeaderValue::from_str(path),
    ) {
        response.set_status(http::StatusCode::SEE_OTHER);
        response.insert_header(http::header::LOCATION, location);
    }
}

#[cfg(not(feature = "ssr"))]
pub fn set_status(_code: u16) {}

#[cfg(not(feature = "ssr"))]
pub fn redirect(_path: &str) {}
