//! `POST /prefs`: the language and elder-mode switches for browsers without JavaScript.

use app::prefs::{parse_locale, safe_return_path, ELDER_COOKIE, LANG_COOKIE};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Form;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
pub struct PrefsForm {
    lang: Option<String>,
    elder: Option<String>,
    back: Option<String>,
}

const ONE_YEAR: &str = "Max-Age=31536000; Path=/; SameSite=Lax";

pub async fn set(Form(form): Form<PrefsForm>) -> Response {
    let mut cookies = Vec::new();
    if let Some(locale) = form.lang.as_deref().and_then(parse_locale) {
        cookies.push(format!(
            "{LANG_COOKIE}={}; {ONE_YEAR}",
            app::prefs::locale_code(locale)
        ));
    }
    match form.elder.as_deref() {
        Some("1") => cookies.push(format!("{ELDER_COOKIE}=1; {ONE_YEAR}")),
        Some("0") => cookies.push(format!("{ELDER_COOKIE}=0; {ONE_YEAR}")),
        _ => {}
    }
    let back = safe_return_path(form.back.as_deref().unwrap_or("/"));
    let mut response = StatusCode::SEE_OTHER.into_response();
    let headers = response.headers_mut();
    if let Ok(location) = HeaderValue::from_str(back) {
        headers.insert(header::LOCATION, location);
    } else {
        headers.insert(header::LOCATION, HeaderValue::from_static("/"));
    }
    for cookie in cookies {
        if let Ok(value) = HeaderValue::from_str(&cookie) {
            headers.append(header::SET_COOKIE, value);
        }
    }
    response
}
