//! "用统一身份认证登录": the redirect to the province's identity service and the way back; the
//! choice a person makes when an account holds their number (link it with its password, or
//! reclaim the number); the report of a number taken; the HR officer's 冒用身份 decisions.

use super::{locale_of, refused, refused_on, render_again};
use crate::session::{see_other, session_cookie, token_of, SignedForm};
use crate::state::{client_address, AppState};
use app::access::CurrentUser;
use app::accounts::real_name_service::{self, Outcome};
use app::error::AppError;
use app::shell::FormState;
use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Form;
use std::collections::BTreeMap;
use std::net::SocketAddr;

/// A redirect that sets the session cookie (or the choice's).
fn to_with_cookie(
    path: &str,
    token: &app::accounts::sessions::SessionToken,
    https: bool,
) -> Response {
    let mut response = see_other(path);
    response
        .headers_mut()
        .insert(header::SET_COOKIE, session_cookie(token, https));
    response
}

/// The sign-in page again, saying the sign-in with the service did not come to anything.
async fn login_refused(app: &AppState, headers: HeaderMap, err: AppError) -> Response {
    let locale = locale_of(&headers);
    let message = match err {
        AppError::Frozen => err.message(locale),
        _ => leptos_i18n::td_string!(locale, account.real_name_failed).to_string(),
    };
    let state = FormState {
        message: Some(message),
        status: match err {
            AppError::Frozen => 403,
            AppError::Internal(_) => 502,
            _ => 400,
        },
        ..Default::default()
    };
    render_again(app, "/login", headers, CurrentUser(None), state).await
}

/// `GET /auth/oidc/start`: to the service's sign-in page.
pub async fn oidc_start(State(app): State<AppState>, headers: HeaderMap) -> Response {
    let Some(oidc) = app.oidc.clone() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    match oidc.start(&app.portal).await {
        Ok(url) => see_other(&url),
        Err(err) => login_refused(&app, headers, err).await,
    }
}

#[derive(Debug, serde::Deserialize)]
pub struct CallbackQuery {
    #[serde(default)]
    code: Option<String>,
    #[serde(default)]
    state: Option<String>,
}

/// `GET /auth/oidc/callback`: the service sent the person back.
pub async fn oidc_callback(
    State(app): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<CallbackQuery>,
) -> Response {
    let Some(oidc) = app.oidc.clone() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let (Some(code), Some(state)) = (q.code, q.state) else {
        // The person turned the service down (`error=access_denied`), or a stray visit.
        return login_refused(&app, headers, AppError::Unauthorized).await;
    };
    let asserted = match oidc.finish(&app.portal, &code, &state).await {
        Ok(a) => a,
        Err(err) => return login_refused(&app, headers, err).await,
    };
    let old = token_of(&headers, app.https);
    match real_name_service::sign_in(&app.portal, &asserted, old.as_deref()).await {
        Ok(Outcome::SignedIn(token)) => to_with_cookie("/me", &token, app.https),
        Ok(Outcome::Choose(token)) => to_with_cookie("/auth/oidc/link", &token, app.https),
        Err(err) => login_refused(&app, headers, err).await,
    }
}

#[derive(Debug, serde::Deserialize)]
pub struct LinkForm {
    #[serde(default)]
    password: String,
}

/// "这是我的账号": the account's password links it.
pub async fn oidc_link(
    State(app): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<LinkForm>,
) -> Response {
    let Some(token) = token_of(&headers, app.https) else {
        return see_other("/login");
    };
    match real_name_service::link_with_password(&app.portal, &token, &form.password).await {
        Ok(session) => to_with_cookie("/me", &session, app.https),
        Err(AppError::Unauthorized) => see_other("/login"),
        Err(err) => {
            let state = refused(&err, locale_of(&headers), BTreeMap::new());
            choice_again(&app, &token, headers, state).await
        }
    }
}

/// "这个账号不是我注册的": the number is reclaimed.
pub async fn oidc_reclaim(State(app): State<AppState>, headers: HeaderMap) -> Response {
    let Some(token) = token_of(&headers, app.https) else {
        return see_other("/login");
    };
    match real_name_service::reclaim(&app.portal, &token).await {
        Ok(session) => to_with_cookie("/me?saved=reclaimed", &session, app.https),
        Err(AppError::Unauthorized) => see_other("/login"),
        Err(err) => {
            let state = refused(&err, locale_of(&headers), BTreeMap::new());
            choice_again(&app, &token, headers, state).await
        }
    }
}

async fn choice_again(
    app: &AppState,
    token: &str,
    headers: HeaderMap,
    state: FormState,
) -> Response {
    let Ok(view) = real_name_service::choice_view(&app.portal, token).await else {
        return see_other("/login");
    };
    super::render_again_with(
        app,
        "/auth/oidc/link",
        headers,
        CurrentUser(None),
        state,
        move || leptos::prelude::provide_context(view.clone()),
    )
    .await
}

/// The report of a number someone else registered (the page's form).
pub async fn identity_report(
    State(app): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Form(form): Form<app::identity_cases::Report>,
) -> Response {
    let locale = locale_of(&headers);
    let client = client_address(&app, peer, &headers);
    let values = BTreeMap::from([
        ("name".to_string(), form.name.clone()),
        ("phone".to_string(), form.phone.clone()),
        ("city".to_string(), form.city.clone().unwrap_or_default()),
    ]);
    let state = match app::identity_cases::service::report(&app.portal, &form, &client).await {
        Ok(()) => FormState {
            status: 202,
            notice: Some(leptos_i18n::td_string!(locale, identity.report_done).to_string()),
            ..Default::default()
        },
        Err(err) => refused(&err, locale, values),
    };
    render_again(&app, "/identity-report", headers, CurrentUser(None), state).await
}

#[derive(Debug, serde::Deserialize)]
pub struct CaseForm {
    #[serde(default)]
    action: String,
    #[serde(default)]
    note: Option<String>,
}

/// The HR officer freezes, unfreezes or closes a case.
pub async fn decide_identity_case(
    State(app): State<AppState>,
    headers: HeaderMap,
    SignedForm(me): SignedForm,
    Path(id): Path<i64>,
    Form(form): Form<CaseForm>,
) -> Response {
    let done = app::identity_cases::service::decide(
        &app.portal,
        &me.actor,
        id,
        &form.action,
        form.note.as_deref(),
    )
    .await;
    match done {
        Ok(_) => see_other("/staff/identity-cases?saved=1"),
        Err(err) => {
            refused_on(
                &app,
                "/staff/identity-cases",
                headers,
                CurrentUser(Some(me)),
                err,
            )
            .await
        }
    }
}
