//! The HTML document around the app, rendered on the server only.

use super::App;
use crate::prefs::{locale_code, Prefs};
use crate::shell::ReturnTo;
use leptos::prelude::*;
use leptos_i18n::td_string;
use leptos_meta::MetaTags;

/// The names of the hashed files the browser loads (see the Makefile), read once at start-up.
#[derive(Debug, Clone)]
pub struct Assets {
    pub stylesheet: String,
}

pub fn shell(options: LeptosOptions, assets: Assets) -> impl IntoView {
    let parts = use_context::<http::request::Parts>();
    let prefs = parts
        .as_ref()
        .and_then(|p| p.headers.get(http::header::COOKIE))
        .and_then(|v| v.to_str().ok())
        .map(Prefs::from_cookie_header)
        .unwrap_or_default();
    let back = parts
        .as_ref()
        .and_then(|p| p.uri.path_and_query())
        .map(|pq| pq.as_str().to_string())
        .unwrap_or_else(|| "/".to_string());
    provide_context(prefs);
    provide_context(ReturnTo(back));
    page_security_policy();
    let stylesheet = format!("/{}/{}", options.site_pkg_dir, assets.stylesheet);
    view! {
        <!DOCTYPE html>
        <html lang=locale_code(prefs.locale) class:elder=prefs.elder>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="theme-color" content="#0b4f8a" />
                <meta name="description" content=td_string!(prefs.locale, site_description) />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <link rel="manifest" href="/manifest.webmanifest" />
                <link rel="stylesheet" href=stylesheet />
                <AutoReload options=options.clone() />
                <HydrationScripts options islands=true />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// A page's Content-Security-Policy: scripts only from this site, plus the one inline
/// hydration script by its per-request nonce; WebAssembly allowed to compile; nothing framed.
pub fn page_policy(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval' 'nonce-{nonce}'; \
         style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; \
         base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
    )
}

fn page_security_policy() {
    let (Some(nonce), Some(response)) = (
        leptos::nonce::use_nonce(),
        use_context::<leptos_axum::ResponseOptions>(),
    ) else {
        return;
    };
    if let Ok(value) = http::HeaderValue::from_str(&page_policy(&nonce.to_string())) {
        response.insert_header(http::header::CONTENT_SECURITY_POLICY, value);
    }
}
