//! Sign-up, sign-in, sign-out and deleting the account.

use super::{locale_of, refused, render_again};
use crate::session::{clear_cookie, see_other, session_cookie, token_of, SignedForm};
use crate::state::{client_address, AppState};
use app::access::CurrentUser;
use app::accounts::phone_codes;
use app::accounts::sessions::{self, SessionToken};
use app::accounts::{service, Registration};
use app::error::AppError;
use app::shell::FormState;
use axum::extract::{ConnectInfo, State};
use axum::http::{header, HeaderMap};
use axum::response::Response;
use axum::Form;
use std::collections::BTreeMap;
use std::net::SocketAddr;

/// Signed in (or up): to 我的, with the session's cookie.
fn to_my_page(token: &SessionToken, https: bool) -> Response {
    let mut response = see_other("/me");
    response
        .headers_mut()
        .insert(header::SET_COOKIE, session_cookie(token, https));
    response
}

pub async fn register(
    State(app): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<Registration>,
) -> Response {
    let locale = locale_of(&headers);
    // The identity number is never written back into a page: on a refused sign-up it is
    // typed again.
    let values: BTreeMap<String, String> = [
        ("phone", form.phone.clone()),
        ("name", form.name.clone()),
        ("code", form.code.clone()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    let result = match service::register(&app.portal, form).await {
        // Signed up: signed in straight away.
        Ok(id) => {
            let old = token_of(&headers, app.https);
            sessions::start_replacing(&app.portal, id, old.as_deref()).await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(token) => to_my_page(&token, app.https),
        Err(err) => {
            render_again(
                &app,
                "/register",
                headers,
                CurrentUser(None),
                refused(&err, locale, values),
            )
            .await
        }
    }
}

/// The sign-up form's phone (its other fields are typed again after the code comes).
#[derive(Debug, serde::Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    phone: String,
    #[serde(default)]
    name: String,
}

/// "获取验证码": texts the phone a sign-up code and shows the sign-up form again, the phone and
/// name kept, with where the code went.
pub async fn register_code(
    State(app): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Form(form): Form<CodeForm>,
) -> Response {
    let locale = locale_of(&headers);
    let client = client_address(&app, peer, &headers);
    let mut values = BTreeMap::from([
        ("phone".to_string(), form.phone.clone()),
        ("name".to_string(), form.name),
    ]);
    let asked = phone_codes::request(&app.portal, &form.phone, "register", &client, None).await;
    let state = match asked {
        Ok(()) => {
            let phone = app::identity::parse_mobile(&form.phone).unwrap_or_default();
            values.insert("phone".into(), phone.clone());
            FormState {
                values,
                status: 200,
                notice: Some(code_sent(locale, &phone)),
                ..Default::default()
            }
        }
        Err(err) => {
            values.insert("step".into(), "phone".into());
            let mut state = refused(&err, locale, values);
            if let AppError::TooManyRequests { .. } = err {
                state.message = Some(err.message(locale));
            }
            state
        }
    };
    render_again(&app, "/register", headers, CurrentUser(None), state).await
}

/// Where a code went, the phone masked.
pub(super) fn code_sent(locale: app::i18n::Locale, phone: &str) -> String {
    let masked = app::identity::mask_phone(phone);
    leptos_i18n::td_string!(locale, account.code_sent, phone = masked).to_string()
}

#[derive(Debug, serde::Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    phone: String,
    #[serde(default)]
    password: String,
}

pub async fn login(
    State(app): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Response {
    let locale = locale_of(&headers);
    let client = client_address(&app, peer, &headers);
    let old = token_of(&headers, app.https);
    let (phone, password) = (&form.phone, &form.password);
    match sessions::login(&app.portal, phone, password, &client, old.as_deref()).await {
        Ok(token) => to_my_page(&token, app.https),
        Err(err) => {
            let values = BTreeMap::from([("phone".to_string(), form.phone.clone())]);
            let mut state = refused(&err, locale, values);
            if let AppError::TooManyRequests { .. } | AppError::Unauthorized = err {
                state.message = Some(err.message(locale));
            }
            let mut response =
                render_again(&app, "/login", headers, CurrentUser(None), state).await;
            if let AppError::TooManyRequests { retry_after_secs } = err {
                response
                    .headers_mut()
                    .insert(header::RETRY_AFTER, retry_after_secs.into());
            }
            response
        }
    }
}

pub async fn logout(State(app): State<AppState>, headers: HeaderMap) -> Response {
    if let Some(token) = token_of(&headers, app.https) {
        if let Err(err) = sessions::logout(&app.portal, &token).await {
            tracing::error!(%err, "logout failed");
        }
    }
    let mut response = see_other("/");
    response
        .headers_mut()
        .insert(header::SET_COOKIE, clear_cookie(app.https));
    response
}

#[derive(Debug, serde::Deserialize)]
pub struct DeleteForm {
    #[serde(default)]
    password: String,
}

pub async fn delete_account(
    State(app): State<AppState>,
    headers: HeaderMap,
    SignedForm(me): SignedForm,
    Form(form): Form<DeleteForm>,
) -> Response {
    let locale = locale_of(&headers);
    let result = match service::check_own_password(&app.portal, &me.actor, &form.password).await {
        Ok(()) => app::privacy::service::delete_account(&app.portal, &me.actor).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => {
            let mut response = see_other("/");
            response
                .headers_mut()
                .insert(header::SET_COOKIE, clear_cookie(app.https));
            response
        }
        Err(err) => {
            render_again(
                &app,
                "/me/data",
                headers,
                CurrentUser(Some(me)),
                refused(&err, locale, BTreeMap::new()),
            )
            .await
        }
    }
}
