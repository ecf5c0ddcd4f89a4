//! The pages' form posts (sign-up, sign-in, sign-out, groups, account deletion). They call the
//! same services as the API. On success they redirect (303); when refused they render the
//! same page again, with the values typed (never a password) and each error by its field.

use crate::session::{clear_cookie, session_cookie, token_of};
use crate::web::{client_address, AppState};
use app::accounts::service::{self, Registration};
use app::accounts::{CurrentUser, FormState};
use app::error::AppError;
use app::i18n::Locale;
use app::prefs::Prefs;
use app::reference::{Enumeration, Group};
use axum::body::Body;
use axum::extract::{ConnectInfo, State};
use axum::http::{header, HeaderMap, HeaderValue, Request, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Form;
use std::collections::BTreeMap;
use std::net::SocketAddr;

fn locale_of(headers: &HeaderMap) -> Locale {
    headers
        .get(header::COOKIE)
        .and_then(|v| v.to_str().ok())
        .map(Prefs::from_cookie_header)
        .unwrap_or_default()
        .locale
}

fn see_other(to: &str) -> Response {
    let mut response = StatusCode::SEE_OTHER.into_response();
    response.headers_mut().insert(
        header::LOCATION,
        HeaderValue::from_str(to).unwrap_or(HeaderValue::from_static("/")),
    );
    response
}

/// Renders the page at `path` again (GET semantics) with `state` in its context.
async fn render_again(
    app: &AppState,
    path: &'static str,
    headers: HeaderMap,
    user: CurrentUser,
    state: FormState,
) -> Response {
    let mut request = Request::builder()
        .uri(Uri::from_static(path))
        .body(Body::empty())
        .unwrap_or_default();
    *request.headers_mut() = headers;
    request.headers_mut().remove(header::CONTENT_TYPE);
    request.headers_mut().remove(header::CONTENT_LENGTH);
    request.extensions_mut().insert(user);
    app.render_page(request, state).await
}

fn refused(err: &AppError, locale: Locale, values: BTreeMap<String, String>) -> FormState {
    let errors = err.fields().map(|f| f.messages(locale)).unwrap_or_default();
    let message = errors.is_empty().then(|| err.message(locale));
    FormState {
        values,
        errors,
        message,
        status: err.status(),
    }
}

pub async fn register(
    State(app): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<Registration>,
) -> Response {
    let locale = locale_of(&headers);
    let values: BTreeMap<String, String> = [
        ("phone", form.phone.clone()),
        ("name", form.name.clone()),
        ("id_number", form.id_number.clone()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    let result = match service::register(&app.portal, form).await {
        // Signed up: signed in straight away.
        Ok(id) => service::start_session(&app.portal, id).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(token) => {
            let mut response = see_other("/me");
            response
                .headers_mut()
                .insert(header::SET_COOKIE, session_cookie(&token, app.https));
            response
        }
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
    match service::login(&app.portal, &form.phone, &form.password, &client).await {
        Ok(token) => {
            let mut response = see_other("/me");
            response
                .headers_mut()
                .insert(header::SET_COOKIE, session_cookie(&token, app.https));
            response
        }
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
    if let Some(token) = token_of(&headers) {
        if let Err(err) = service::logout(&app.portal, &token).await {
            tracing::error!(%err, "logout failed");
        }
    }
    let mut response = see_other("/");
    response
        .headers_mut()
        .insert(header::SET_COOKIE, clear_cookie(app.https));
    response
}

pub async fn set_groups(
    State(app): State<AppState>,
    headers: HeaderMap,
    user: axum::Extension<CurrentUser>,
    body: String,
) -> Response {
    let Some(me) = user.0 .0.clone() else {
        return see_other("/login");
    };
    let groups: Vec<Group> = form_urlencoded::parse(body.as_bytes())
        .filter(|(k, _)| k == "groups")
        .filter_map(|(_, v)| Group::from_code(&v))
        .collect();
    let locale = locale_of(&headers);
    match service::set_groups(&app.portal, me.id, &groups).await {
        // Post/redirect/get: a reload does not post again.
        Ok(_) => see_other("/me?saved=groups"),
        Err(err) => {
            render_again(
                &app,
                "/me",
                headers,
                user.0.clone(),
                refused(&err, locale, BTreeMap::new()),
            )
            .await
        }
    }
}

#[derive(Debug, serde::Deserialize)]
pub struct DeleteForm {
    #[serde(default)]
    password: String,
}

pub async fn delete_account(
    State(app): State<AppState>,
    headers: HeaderMap,
    user: axum::Extension<CurrentUser>,
    Form(form): Form<DeleteForm>,
) -> Response {
    let Some(me) = user.0 .0.clone() else {
        return see_other("/login");
    };
    let locale = locale_of(&headers);
    let result = match service::check_own_password(&app.portal, me.id, &form.password).await {
        Ok(()) => service::delete_account(&app.portal, me.id).await,
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
                user.0.clone(),
                refused(&err, locale, BTreeMap::new()),
            )
            .await
        }
    }
}
