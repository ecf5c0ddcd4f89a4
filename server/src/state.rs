//! What every handler shares: the portal (the service layer's handle), the page shell's
//! settings, and how the server is exposed.

use app::portal::Portal;
use app::site::Assets;
use axum::extract::FromRef;
use axum::http::HeaderMap;
use leptos::prelude::LeptosOptions;
use std::net::SocketAddr;

#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub portal: Portal,
    pub assets: Assets,
    /// Served over HTTPS (behind a TLS proxy): Secure cookies and HSTS.
    #[from_ref(skip)]
    pub https: bool,
    /// Behind a proxy: the client address is the first of `X-Forwarded-For`.
    #[from_ref(skip)]
    pub trust_proxy: bool,
}

/// How the server is exposed.
#[derive(Debug, Clone, Copy, Default)]
pub struct Exposure {
    pub https: bool,
    pub trust_proxy: bool,
}

/// The caller's address, for per-address limits.
pub fn client_address(state: &AppState, peer: SocketAddr, headers: &HeaderMap) -> String {
    let forwarded = state
        .trust_proxy
        .then(|| headers.get("x-forwarded-for").and_then(|v| v.to_str().ok()))
        .flatten()
        .and_then(|v| v.split(',').next())
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty());
    forwarded.unwrap_or_else(|| peer.ip().to_string())
}
