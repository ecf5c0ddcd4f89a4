//! The pages' form posts, one file a domain. They call the same services as the API: on
//! success they redirect (303, so a reload does not post again); when refused they render the
//! page again, with the values typed (never a password) and each error by its field. A post
//! that needs a signed-in person takes `SignedForm` (303 to sign in otherwise); who may do
//! what is the services' to decide.

mod accounts;
mod catalog;
mod certificate;
mod dispute;
mod enrollment;
mod groups;
mod payment;
mod real_name;
mod recovery;
mod subsidy;

pub use accounts::{
    delete_account, login, login_code, logout, register, register_code, verify as verify_sign_in,
    verify_resend,
};
pub use catalog::upload_catalog;
pub use certificate::{
    assess, correct as correct_certificate, revoke as revoke_certificate, verify,
};
pub use dispute::{dispute, resolve_dispute};
pub use enrollment::{cancel, check, enroll, mark_read, rate, staff};
pub use groups::{decide_group, declare_groups};
pub use payment::{batch_paid, change_claim_payee, gather_batch, returned};
pub use real_name::{
    decide_identity_case, identity_report, oidc_callback, oidc_link, oidc_reclaim, oidc_start,
};
pub use recovery::{
    change_password, change_phone, delete_code, phone_code, reset, reset_code, set_notices,
};
pub use subsidy::{claim, decide_claim, decide_recovery};

use crate::state::AppState;
use app::access::CurrentUser;
use app::error::AppError;
use app::i18n::Locale;
use app::prefs::Prefs;
use app::shell::FormState;
use app::site::shell;
use axum::body::Body;
use axum::http::{header, HeaderMap, Request, Uri};
use axum::response::Response;
use leptos::prelude::provide_context;
use std::collections::BTreeMap;

pub(crate) fn locale_of(headers: &HeaderMap) -> Locale {
    headers
        .get(header::COOKIE)
        .and_then(|v| v.to_str().ok())
        .map(Prefs::from_cookie_header)
        .unwrap_or_default()
        .locale
}

/// Renders the page at `path` again (GET semantics) for `user`, with `state` (what the post
/// left) and whatever `extra` provides in its context.
async fn render_again_with(
    app: &AppState,
    path: &str,
    headers: HeaderMap,
    user: CurrentUser,
    state: FormState,
    extra: impl Fn() + Clone + Send + Sync + 'static,
) -> Response {
    let mut request = Request::builder()
        .uri(Uri::try_from(path).unwrap_or(Uri::from_static("/")))
        .body(Body::empty())
        .unwrap_or_default();
    *request.headers_mut() = headers;
    request.headers_mut().remove(header::CONTENT_TYPE);
    request.headers_mut().remove(header::CONTENT_LENGTH);
    request.extensions_mut().insert(user);
    let demo = app::catalog::service::demo_mode(&app.portal).await;
    request
        .extensions_mut()
        .insert(app::shell::DemoSite(demo.unwrap_or(false)));
    let portal = app.portal.clone();
    let (options, assets) = (app.leptos_options.clone(), app.assets.clone());
    let handler = leptos_axum::render_app_async_with_context(
        move || {
            provide_context(portal.clone());
            provide_context(state.clone());
            extra();
        },
        move || shell(options.clone(), assets.clone()),
    );
    handler(request).await
}

async fn render_again(
    app: &AppState,
    path: &str,
    headers: HeaderMap,
    user: CurrentUser,
    state: FormState,
) -> Response {
    render_again_with(app, path, headers, user, state, || {}).await
}

/// A refusal as a form shows it: each field's message beside it, or one for the whole form.
fn refused(err: &AppError, locale: Locale, values: BTreeMap<String, String>) -> FormState {
    let errors = err.fields().map(|f| f.messages(locale)).unwrap_or_default();
    let message = errors.is_empty().then(|| err.message(locale));
    FormState {
        values,
        errors,
        message,
        status: err.status(),
        details: Vec::new(),
        notice: None,
    }
}

/// A refusal shown on the page the form came from, as a message at its top.
async fn refused_on(
    app: &AppState,
    path: &str,
    headers: HeaderMap,
    user: CurrentUser,
    err: AppError,
) -> Response {
    let locale = locale_of(&headers);
    let mut state = refused(&err, locale, BTreeMap::new());
    let mut text = err.message(locale);
    if !state.errors.is_empty() {
        let details: Vec<String> = state.errors.values().cloned().collect();
        text = format!("{text}：{}", details.join("；"));
        state.errors.clear();
    }
    state.message = Some(text);
    render_again(app, path, headers, user, state).await
}

/// A date typed into a form (empty: none).
fn date_field(field: &str, text: Option<&str>) -> Result<Option<chrono::NaiveDate>, AppError> {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok(None),
        Some(t) => chrono::NaiveDate::parse_from_str(t, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| AppError::field(field, app::error::FieldProblem::NotADate)),
    }
}
