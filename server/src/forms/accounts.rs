//! Sign-up, sign-in, sign-out and deleting the account.

use super::{locale_of, refused, render_again};
use crate::session::{clear_cookie, see_other, session_cookie, token_of, SignedForm};
use crate::state::{client_address, AppState};
use app::access::CurrentUser;
use app::accounts::sessions::{self, SessionToken, SignIn};
use app::accounts::{phone_codes, second_factor};
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
            refused(&err, locale, values)
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
    /// A texted `sign_in` code, when the phone asks for one.
    #[serde(default)]
    code: Option<String>,
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
    let code = form.code.as_deref().filter(|c| !c.trim().is_empty());
    match sessions::login(&app.portal, phone, password, code, &client, old.as_deref()).await {
        Ok(SignIn::Done(token)) => to_my_page(&token, app.https),
        Ok(SignIn::SecondStep(owed)) => {
            let mut response = see_other("/login/verify");
            response
                .headers_mut()
                .insert(header::SET_COOKIE, session_cookie(&owed.token, app.https));
            response
        }
        Err(err) => {
            let mut values = BTreeMap::from([("phone".to_string(), form.phone.clone())]);
            // The phone signs in with a texted code too: the page offers it from now on.
            if matches!(err, AppError::CodeRequired) || code.is_some() {
                values.insert("need_code".into(), "1".into());
            }
            let state = refused(&err, locale, values);
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

/// "获取验证码" on the sign-in page of a phone that asks for one: texts the `sign_in` code
/// (nothing to a phone without an account; the page says the same).
pub async fn login_code(
    State(app): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Form(form): Form<CodeForm>,
) -> Response {
    let locale = locale_of(&headers);
    let client = client_address(&app, peer, &headers);
    let mut values = BTreeMap::from([
        ("phone".to_string(), form.phone.clone()),
        ("need_code".to_string(), "1".to_string()),
    ]);
    let state = match phone_codes::request(&app.portal, &form.phone, "sign_in", &client, None).await
    {
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
        Err(err) => refused(&err, locale, values),
    };
    render_again(&app, "/login", headers, CurrentUser(None), state).await
}

#[derive(Debug, serde::Deserialize)]
pub struct SecondStepForm {
    #[serde(default)]
    code: String,
}

/// The second step of a staff sign-in: the code, then to 我的 with the session's cookie.
pub async fn verify(
    State(app): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Form(form): Form<SecondStepForm>,
) -> Response {
    let Some(token) = token_of(&headers, app.https) else {
        return see_other("/login");
    };
    let client = client_address(&app, peer, &headers);
    match second_factor::finish(&app.portal, &token, &form.code, &client).await {
        Ok(session) => to_my_page(&session, app.https),
        Err(AppError::Unauthorized) => see_other("/login"),
        Err(err) => {
            let state = refused(&err, locale_of(&headers), BTreeMap::new());
            second_step_again(&app, &token, headers, state).await
        }
    }
}

/// "重新发送验证码" on the second step's page: a new code and reference.
pub async fn verify_resend(State(app): State<AppState>, headers: HeaderMap) -> Response {
    let Some(token) = token_of(&headers, app.https) else {
        return see_other("/login");
    };
    let locale = locale_of(&headers);
    let state = match second_factor::resend(&app.portal, &token).await {
        Ok(()) => FormState {
            status: 200,
            notice: Some(leptos_i18n::td_string!(locale, account.code_resent).to_string()),
            ..Default::default()
        },
        Err(AppError::Unauthorized) => return see_other("/login"),
        Err(err) => {
            let mut state = refused(&err, locale, BTreeMap::new());
            state.message = Some(err.message(locale));
            state
        }
    };
    second_step_again(&app, &token, headers, state).await
}

/// The second step's page again, with what it owes now (a resent text's new reference).
async fn second_step_again(
    app: &AppState,
    token: &str,
    headers: HeaderMap,
    state: FormState,
) -> Response {
    let Ok(owed) = second_factor::view(&app.portal, token).await else {
        return see_other("/login");
    };
    let user = CurrentUser(None);
    super::render_again_with(app, "/login/verify", headers, user, state, move || {
        leptos::prelude::provide_context(owed.clone())
    })
    .await
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
    #[serde(default)]
    code: String,
}

pub async fn delete_account(
    State(app): State<AppState>,
    headers: HeaderMap,
    SignedForm(me): SignedForm,
    Form(form): Form<DeleteForm>,
) -> Response {
    let locale = locale_of(&headers);
    let confirmed =
        service::confirm_deletion(&app.portal, &me.actor, &form.password, &form.code).await;
    let result = match confirmed {
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
