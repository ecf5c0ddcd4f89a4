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

#[cfg(not(feature = "ssr"))]
pub fn set_status(_code: u16) {}
