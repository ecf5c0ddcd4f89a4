//! The reset page's posts (a code, then a new password), and 我的's password and phone pages.

use super::{locale_of, refused, render_again};
use crate::session::{see_other, session_cookie, SignedForm};
use crate::state::{client_address, AppState};
use app::access::CurrentUser;
use app::accounts::{phone_codes, recovery, service};
use app::shell::FormState;
use axum::extract::{ConnectInfo, State};
use axum::http::{header, HeaderMap};
use axum::response::Response;
use axum::Form;
use std::collections::BTreeMap;
use std::net::SocketAddr;

#[derive(Debug, serde::Deserialize)]
pub struct PhoneForm {
    #[serde(default)]
    phone: String,
}

/// Texts a code for `purpose` and renders `path` again at its second step (the phone kept and
/// where the code went), or at its first with what was wrong.
async fn send_code(
    app: &AppState,
    path: &str,
    purpose: &str,
    peer: SocketAddr,
    headers: HeaderMap,
    user: CurrentUser,
    phone: String,
) -> Response {
    let locale = locale_of(&headers);
    let client = client_address(app, peer, &headers);
    let actor = user.0.as_ref().map(|u| u.actor.clone());
    let asked = phone_codes::request(&app.portal, &phone, purpose, &client, actor.as_ref()).await;
    let state = match asked {
        Ok(()) => {
            let phone = app::identity::parse_mobile(&phone).unwrap_or_default();
            FormState {
                notice: Some(super::accounts::code_sent(locale, &phone)),
                values: BTreeMap::from([("phone".to_string(), phone)]),
                status: 200,
                ..Default::default()
            }
        }
        Err(err) => {
            let values = BTreeMap::from([
                ("phone".to_string(), phone),
                ("step".to_string(), "phone".to_string()),
            ]);
            refused(&err, locale, values)
        }
    };
    render_again(app, path, headers, user, state).await
}

pub async fn reset_code(
    State(app): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Form(form): Form<PhoneForm>,
) -> Response {
    let (path, user) = ("/reset", CurrentUser(None));
    send_code(&app, path, "reset", peer, headers, user, form.phone).await
}

#[derive(Debug, serde::Deserialize)]
pub struct ResetForm {
    #[serde(default)]
    phone: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    password: String,
}

/// A new password: to the sign-in page, which says so.
pub async fn reset(
    State(app): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<ResetForm>,
) -> Response {
    let done = recovery::reset_password(&app.portal, &form.phone, &form.code, &form.password).await;
    match done {
        Ok(()) => see_other("/login?reset=1"),
        Err(err) => {
            let locale = locale_of(&headers);
            let values = BTreeMap::from([
                ("phone".to_string(), form.phone),
                ("code".to_string(), form.code),
            ]);
            let state = refused(&err, locale, values);
            render_again(&app, "/reset", headers, CurrentUser(None), state).await
        }
    }
}

#[derive(Debug, serde::Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    new_password: String,
}

/// A new password from 我的: every other session ends, this browser gets a new one.
pub async fn change_password(
    State(app): State<AppState>,
    headers: HeaderMap,
    SignedForm(me): SignedForm,
    Form(form): Form<PasswordForm>,
) -> Response {
    let (current, new) = (&form.current_password, &form.new_password);
    match service::change_password(&app.portal, &me.actor, current, new).await {
        Ok(token) => {
            let mut response = see_other("/me?saved=password");
            response
                .headers_mut()
                .insert(header::SET_COOKIE, session_cookie(&token, app.https));
            response
        }
        Err(err) => {
            let state = refused(&err, locale_of(&headers), BTreeMap::new());
            render_again(&app, "/me/password", headers, CurrentUser(Some(me)), state).await
        }
    }
}

pub async fn phone_code(
    State(app): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    SignedForm(me): SignedForm,
    Form(form): Form<PhoneForm>,
) -> Response {
    let user = CurrentUser(Some(me));
    send_code(
        &app,
        "/me/phone",
        "change_phone",
        peer,
        headers,
        user,
        form.phone,
    )
    .await
}

#[derive(Debug, serde::Deserialize)]
pub struct NewPhoneForm {
    #[serde(default)]
    phone: String,
    #[serde(default)]
    code: String,
}

pub async fn change_phone(
    State(app): State<AppState>,
    headers: HeaderMap,
    SignedForm(me): SignedForm,
    Form(form): Form<NewPhoneForm>,
) -> Response {
    match recovery::change_phone(&app.portal, &me.actor, &form.phone, &form.code).await {
        Ok(()) => see_other("/me?saved=phone"),
        Err(err) => {
            let values = BTreeMap::from([("phone".to_string(), form.phone)]);
            let state = refused(&err, locale_of(&headers), values);
            render_again(&app, "/me/phone", headers, CurrentUser(Some(me)), state).await
        }
    }
}

#[derive(Debug, serde::Deserialize)]
pub struct NoticesForm {
    /// `on` when the box is ticked (nothing is sent for an unticked box).
    #[serde(default)]
    texts: Option<String>,
}

/// 我的: notices by text on or off.
pub async fn set_notices(
    State(app): State<AppState>,
    headers: HeaderMap,
    SignedForm(me): SignedForm,
    Form(form): Form<NoticesForm>,
) -> Response {
    let on = form.texts.as_deref() == Some("on");
    match service::set_text_notices(&app.portal, &me.actor, on).await {
        Ok(_) => see_other("/me?saved=notices"),
        Err(err) => super::refused_on(&app, "/me", headers, CurrentUser(Some(me)), err).await,
    }
}

/// "获取验证码" on 我的数据 for an account without a password: the `delete_account` code,
/// texted to its own phone.
pub async fn delete_code(
    State(app): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    SignedForm(me): SignedForm,
) -> Response {
    let locale = locale_of(&headers);
    let client = client_address(&app, peer, &headers);
    let actor = me.actor.clone();
    let asked =
        phone_codes::request(&app.portal, "", "delete_account", &client, Some(&actor)).await;
    let state = match asked {
        Ok(()) => FormState {
            status: 200,
            notice: Some(leptos_i18n::td_string!(locale, account.delete_code_sent).to_string()),
            ..Default::default()
        },
        Err(err) => {
            let mut state = refused(&err, locale, BTreeMap::new());
            state.message = Some(err.message(locale));
            state
        }
    };
    render_again(&app, "/me/data", headers, CurrentUser(Some(me)), state).await
}
