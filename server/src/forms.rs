//! The pages' form posts (sign-up, sign-in, sign-out, groups, account deletion, enrolment,
//! the inbox and the institution console). They call the
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
    path: &str,
    headers: HeaderMap,
    user: CurrentUser,
    state: FormState,
) -> Response {
    render_again_with(app, path, headers, user, state, || {}).await
}

/// `render_again` with more in the page's context.
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
    app.render_page_with(request, state, extra).await
}

fn refused(err: &AppError, locale: Locale, values: BTreeMap<String, String>) -> FormState {
    let errors = err.fields().map(|f| f.messages(locale)).unwrap_or_default();
    let message = errors.is_empty().then(|| err.message(locale));
    FormState {
        values,
        errors,
        message,
        status: err.status(),
        details: Vec::new(),
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

pub async fn enroll(
    State(app): State<AppState>,
    headers: HeaderMap,
    user: axum::Extension<CurrentUser>,
    axum::extract::Path(code): axum::extract::Path<String>,
) -> Response {
    let Some(me) = user.0 .0.clone() else {
        return see_other("/login");
    };
    let result = if me.role == app::accounts::Role::Trainee {
        app::enrollment::service::enroll(&app.portal, me.id, &code).await
    } else {
        Err(AppError::Forbidden)
    };
    match result {
        Ok(done) => {
            let position = done
                .waitlist_position
                .map(|p| format!("&position={p}"))
                .unwrap_or_default();
            see_other(&format!(
                "/me/enrollments?enrolled={}{position}",
                done.status.code()
            ))
        }
        Err(err) => {
            let path = format!(
                "/courses/{}",
                form_urlencoded::byte_serialize(code.as_bytes()).collect::<String>()
            );
            refused_on(&app, &path, headers, user.0.clone(), err).await
        }
    }
}

pub async fn cancel(
    State(app): State<AppState>,
    headers: HeaderMap,
    user: axum::Extension<CurrentUser>,
    axum::extract::Path(id): axum::extract::Path<i64>,
) -> Response {
    let Some(me) = user.0 .0.clone() else {
        return see_other("/login");
    };
    match app::enrollment::service::cancel(&app.portal, me.id, id).await {
        Ok(_) => see_other("/me/enrollments?cancelled=1"),
        Err(err) => refused_on(&app, "/me/enrollments", headers, user.0.clone(), err).await,
    }
}

pub async fn mark_read(
    State(app): State<AppState>,
    headers: HeaderMap,
    user: axum::Extension<CurrentUser>,
) -> Response {
    let Some(me) = user.0 .0.clone() else {
        return see_other("/login");
    };
    match app::enrollment::service::mark_read(&app.portal, me.id, None).await {
        Ok(()) => see_other("/me/inbox"),
        Err(err) => refused_on(&app, "/me/inbox", headers, user.0.clone(), err).await,
    }
}

/// The fields of the console's row forms; `class` is the roster to return to.
#[derive(Debug, Default, serde::Deserialize)]
pub struct StaffForm {
    #[serde(default)]
    class: String,
    status: Option<String>,
    reason: Option<String>,
    date: Option<String>,
    hours: Option<String>,
    employed: Option<String>,
    employer: Option<String>,
    since: Option<String>,
}

fn date_field(field: &str, text: Option<&str>) -> Result<Option<chrono::NaiveDate>, AppError> {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok(None),
        Some(t) => chrono::NaiveDate::parse_from_str(t, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| AppError::field(field, app::error::FieldProblem::NotADate)),
    }
}

async fn staff_action(
    app: &AppState,
    me: &app::accounts::SignedIn,
    action: &str,
    id: i64,
    form: &StaffForm,
) -> Result<(), AppError> {
    use app::accounts::Role;
    use app::enrollment::service as svc;
    use app::error::FieldProblem;
    if !matches!(me.role, Role::InstitutionStaff) {
        return Err(AppError::Forbidden);
    }
    match action {
        "status" => {
            let to = form
                .status
                .as_deref()
                .and_then(app::enrollment::Status::from_code)
                .ok_or(AppError::field("status", FieldProblem::UnknownCode))?;
            svc::change_status(&app.portal, me, id, to, form.reason.as_deref()).await
        }
        "attendance" => {
            let day = date_field("date", form.date.as_deref())?
                .ok_or(AppError::field("date", FieldProblem::Required))?;
            let hours = form
                .hours
                .as_deref()
                .and_then(|h| h.trim().parse::<u32>().ok())
                .ok_or(AppError::field(
                    "hours",
                    FieldProblem::OutOfRange { min: 1, max: 12 },
                ))?;
            svc::record_attendance(&app.portal, me, id, day, hours).await
        }
        _ => {
            let employed = form.employed.as_deref() != Some("false");
            let since = date_field("since", form.since.as_deref())?;
            svc::record_employment(
                &app.portal,
                me,
                id,
                employed,
                form.employer.as_deref(),
                since,
            )
            .await
        }
    }
}

pub async fn staff(
    State(app): State<AppState>,
    headers: HeaderMap,
    user: axum::Extension<CurrentUser>,
    axum::extract::Path((id, action)): axum::extract::Path<(i64, String)>,
    Form(form): Form<StaffForm>,
) -> Response {
    let Some(me) = user.0 .0.clone() else {
        return see_other("/login");
    };
    if !matches!(action.as_str(), "status" | "attendance" | "employment") {
        return StatusCode::NOT_FOUND.into_response();
    }
    let class = form_urlencoded::byte_serialize(form.class.as_bytes()).collect::<String>();
    let back = format!("/staff/classes/{class}");
    match staff_action(&app, &me, &action, id, &form).await {
        Ok(()) => see_other(&format!("{back}?saved=1#roster-heading")),
        Err(err) => refused_on(&app, &back, headers, user.0.clone(), err).await,
    }
}

/// The HR officer's catalogue upload page: the same checks and import as the API and the CLI;
/// the report (or every problem) is shown on the page again.
pub async fn upload_catalog(
    State(app): State<AppState>,
    headers: HeaderMap,
    user: axum::Extension<CurrentUser>,
    mut form: axum::extract::Multipart,
) -> Response {
    let Some(me) = user.0 .0.clone() else {
        return see_other("/login");
    };
    let locale = locale_of(&headers);
    let imported = match crate::api::upload_city(&me) {
        Err(e) => Err(e),
        Ok(city) => match crate::api::read_upload(&mut form).await {
            Err(e) => Err(e),
            Ok(upload) => crate::api::import_upload(&app, city, upload).await,
        },
    };
    let state = match imported {
        Ok(report) => FormState {
            message: Some(app::catalog::pages::import_summary(locale, &report)),
            details: report.warnings.iter().map(|w| w.describe(locale)).collect(),
            status: 200,
            ..Default::default()
        },
        Err(err @ (AppError::FileRefused { .. } | AppError::TooLarge { .. })) => FormState {
            message: Some(err.message(locale)),
            details: match &err {
                AppError::FileRefused { problems, .. } => problems
                    .iter()
                    .map(|p| p.text(locale).to_string())
                    .collect(),
                _ => Vec::new(),
            },
            status: err.status(),
            ..Default::default()
        },
        Err(AppError::Invalid(fields)) => FormState {
            message: fields.0.values().next().map(|p| p.message(locale)),
            status: 400,
            ..Default::default()
        },
        Err(err) => refused(&err, locale, BTreeMap::new()),
    };
    render_again(&app, "/staff/catalog", headers, user.0.clone(), state).await
}

#[derive(Debug, serde::Deserialize)]
pub struct VerifyForm {
    #[serde(default)]
    number: String,
    #[serde(default)]
    name: String,
}

/// The public verification form: number and name are posted (a name stays out of addresses
/// and logs); the answer is shown on the page.
pub async fn verify(
    State(app): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    user: axum::Extension<CurrentUser>,
    Form(form): Form<VerifyForm>,
) -> Response {
    let locale = locale_of(&headers);
    let client = client_address(&app, peer, &headers);
    let values = BTreeMap::from([("number".to_string(), form.number.clone())]);
    match app::certificate::service::verify(&app.portal, &form.number, &form.name, &client).await {
        Ok(answer) => {
            let state = FormState {
                values,
                status: 200,
                ..Default::default()
            };
            let outcome = app::certificate::pages::VerifyOutcome(Some(answer));
            render_again_with(&app, "/verify", headers, user.0.clone(), state, move || {
                leptos::prelude::provide_context(outcome.clone())
            })
            .await
        }
        Err(err) => {
            let mut state = refused(&err, locale, values);
            state.message = Some(err.message(locale));
            let mut response = render_again(&app, "/verify", headers, user.0.clone(), state).await;
            if let AppError::TooManyRequests { retry_after_secs } = err {
                response
                    .headers_mut()
                    .insert(header::RETRY_AFTER, retry_after_secs.into());
            }
            response
        }
    }
}

#[derive(Debug, serde::Deserialize)]
pub struct ClaimForm {
    #[serde(default)]
    certificate_id: String,
}

/// 我的补贴: claim the subsidy for a certificate.
pub async fn claim(
    State(app): State<AppState>,
    headers: HeaderMap,
    user: axum::Extension<CurrentUser>,
    Form(form): Form<ClaimForm>,
) -> Response {
    let Some(me) = user.0 .0.clone() else {
        return see_other("/login");
    };
    let result = match (me.role, form.certificate_id.trim().parse::<i64>()) {
        (app::accounts::Role::Trainee, Ok(id)) => {
            app::subsidy::service::claim(&app.portal, me.id, id).await
        }
        (app::accounts::Role::Trainee, Err(_)) => Err(AppError::NotFound),
        _ => Err(AppError::Forbidden),
    };
    match result {
        Ok(_) => see_other("/me/subsidies?claimed=1"),
        Err(err) => refused_on(&app, "/me/subsidies", headers, user.0.clone(), err).await,
    }
}

#[derive(Debug, serde::Deserialize)]
pub struct DisputeForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    id: String,
    note: Option<String>,
}

/// "这不是我" under an enrolment or a claim; the person's disputes are listed on 我的补贴.
pub async fn dispute(
    State(app): State<AppState>,
    headers: HeaderMap,
    user: axum::Extension<CurrentUser>,
    Form(form): Form<DisputeForm>,
) -> Response {
    let Some(me) = user.0 .0.clone() else {
        return see_other("/login");
    };
    let back = if form.kind == "subsidy" {
        "/me/subsidies"
    } else {
        "/me/enrollments"
    };
    let result = match (
        crate::api::dispute_kind(&form.kind),
        form.id.trim().parse::<i64>(),
    ) {
        (Ok(kind), Ok(id)) => {
            app::dispute::service::file(&app.portal, me.id, kind, id, form.note.as_deref()).await
        }
        (Err(e), _) => Err(e),
        (_, Err(_)) => Err(AppError::NotFound),
    };
    match result {
        Ok(_) => see_other("/me/subsidies?disputed=1#disputes-heading"),
        Err(err) => refused_on(&app, back, headers, user.0.clone(), err).await,
    }
}

#[derive(Debug, serde::Deserialize)]
pub struct DecisionForm {
    #[serde(default)]
    decision: String,
    reason: Option<String>,
}

/// The HR officer's review console: one step on a claim.
pub async fn decide_claim(
    State(app): State<AppState>,
    headers: HeaderMap,
    user: axum::Extension<CurrentUser>,
    axum::extract::Path(id): axum::extract::Path<i64>,
    Form(form): Form<DecisionForm>,
) -> Response {
    let Some(me) = user.0 .0.clone() else {
        return see_other("/login");
    };
    let result = match crate::api::review_step(&form.decision) {
        Ok(step) => {
            app::subsidy::service::review(&app.portal, &me, id, step, form.reason.as_deref()).await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => see_other("/staff/subsidies?saved=1"),
        Err(err) => refused_on(&app, "/staff/subsidies", headers, user.0.clone(), err).await,
    }
}

#[derive(Debug, serde::Deserialize)]
pub struct ResolveForm {
    resolution: Option<String>,
}

/// The HR officer's review console: resolve a dispute.
pub async fn resolve_dispute(
    State(app): State<AppState>,
    headers: HeaderMap,
    user: axum::Extension<CurrentUser>,
    axum::extract::Path(id): axum::extract::Path<i64>,
    Form(form): Form<ResolveForm>,
) -> Response {
    let Some(me) = user.0 .0.clone() else {
        return see_other("/login");
    };
    match app::dispute::service::resolve(&app.portal, &me, id, form.resolution.as_deref()).await {
        Ok(_) => see_other("/staff/subsidies?saved=1#city-disputes-heading"),
        Err(err) => refused_on(&app, "/staff/subsidies", headers, user.0.clone(), err).await,
    }
}

#[derive(Debug, serde::Deserialize)]
pub struct AssessForm {
    #[serde(default)]
    enrollment_id: String,
    #[serde(default)]
    passed: String,
    score: Option<String>,
    issued_on: Option<String>,
}

/// The evaluator's console: record a pass (issuing the certificate) or a fail.
pub async fn assess(
    State(app): State<AppState>,
    headers: HeaderMap,
    user: axum::Extension<CurrentUser>,
    Form(form): Form<AssessForm>,
) -> Response {
    use app::error::FieldProblem;
    let Some(me) = user.0 .0.clone() else {
        return see_other("/login");
    };
    let passed = form.passed == "true";
    let checked = (|| {
        let id = form
            .enrollment_id
            .trim()
            .parse::<i64>()
            .map_err(|_| AppError::NotFound)?;
        let score = match form
            .score
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            None => None,
            Some(s) => Some(s.parse::<u32>().map_err(|_| {
                AppError::field("score", FieldProblem::OutOfRange { min: 0, max: 100 })
            })?),
        };
        let issued_on = date_field("issued_on", form.issued_on.as_deref())?;
        Ok::<_, AppError>((id, score, issued_on))
    })();
    let result = match checked {
        Ok((id, score, issued_on)) => {
            app::certificate::service::assess(&app.portal, &me, id, passed, score, issued_on)
                .await
                .map(|_| ())
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => see_other(if passed {
            "/staff/assessments?saved=passed"
        } else {
            "/staff/assessments?saved=failed"
        }),
        Err(err) => refused_on(&app, "/staff/assessments", headers, user.0.clone(), err).await,
    }
}
