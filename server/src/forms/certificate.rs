//! The public verification form and the evaluator's assessment form.

use super::{date_field, locale_of, refused, refused_on, render_again, render_again_with};
use crate::session::{see_other, SignedForm};
use crate::state::{client_address, AppState};
use app::access::CurrentUser;
use app::certificate::service;
use app::error::AppError;
use app::shell::FormState;
use axum::extract::{ConnectInfo, State};
use axum::http::{header, HeaderMap};
use axum::response::Response;
use axum::Form;
use std::collections::BTreeMap;
use std::net::SocketAddr;

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
    let user = user.0;
    let locale = locale_of(&headers);
    let client = client_address(&app, peer, &headers);
    let values = BTreeMap::from([("number".to_string(), form.number.clone())]);
    match service::verify(&app.portal, &form.number, &form.name, &client).await {
        Ok(answer) => {
            let state = FormState {
                values,
                status: 200,
                ..Default::default()
            };
            let outcome = app::certificate::pages::VerifyOutcome(Some(answer));
            render_again_with(&app, "/verify", headers, user, state, move || {
                leptos::prelude::provide_context(outcome.clone())
            })
            .await
        }
        Err(err) => {
            let mut state = refused(&err, locale, values);
            state.message = Some(err.message(locale));
            let mut response = render_again(&app, "/verify", headers, user, state).await;
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
    SignedForm(me): SignedForm,
    Form(form): Form<AssessForm>,
) -> Response {
    let passed = form.passed == "true";
    let checked = (|| {
        let id = form
            .enrollment_id
            .trim()
            .parse::<i64>()
            .map_err(|_| AppError::NotFound)?;
        let score = score_field(form.score.as_deref())?;
        let issued_on = date_field("issued_on", form.issued_on.as_deref())?;
        Ok::<_, AppError>((id, score, issued_on))
    })();
    let result = match checked {
        Ok((id, score, issued_on)) => {
            service::assess(&app.portal, &me.actor, id, passed, score, issued_on)
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
        Err(err) => {
            let me = CurrentUser(Some(me));
            refused_on(&app, "/staff/assessments", headers, me, err).await
        }
    }
}

#[derive(Debug, serde::Deserialize)]
pub struct ChangeForm {
    #[serde(default)]
    number: String,
    reason: Option<String>,
    score: Option<String>,
    issued_on: Option<String>,
}

/// /staff/certificates: revoke a certificate by number, with a reason.
pub async fn revoke(
    State(app): State<AppState>,
    headers: HeaderMap,
    SignedForm(me): SignedForm,
    Form(form): Form<ChangeForm>,
) -> Response {
    let reason = form.reason.as_deref();
    match service::revoke(&app.portal, &me.actor, &form.number, reason).await {
        Ok(_) => see_other("/staff/certificates?done=revoked"),
        Err(err) => changed_refused(&app, headers, me, &form, err).await,
    }
}

/// /staff/certificates: correct a certificate's day of issue or score, with a reason.
pub async fn correct(
    State(app): State<AppState>,
    headers: HeaderMap,
    SignedForm(me): SignedForm,
    Form(form): Form<ChangeForm>,
) -> Response {
    let checked = (|| {
        let score = score_field(form.score.as_deref())?;
        Ok::<_, AppError>((score, date_field("issued_on", form.issued_on.as_deref())?))
    })();
    let result = match checked {
        Ok((score, issued_on)) => {
            let reason = form.reason.as_deref();
            service::correct(
                &app.portal,
                &me.actor,
                &form.number,
                score,
                issued_on,
                reason,
            )
            .await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => see_other("/staff/certificates?done=corrected"),
        Err(err) => changed_refused(&app, headers, me, &form, err).await,
    }
}

async fn changed_refused(
    app: &AppState,
    headers: HeaderMap,
    me: app::access::SignedIn,
    form: &ChangeForm,
    err: AppError,
) -> Response {
    let locale = locale_of(&headers);
    let values = BTreeMap::from([("number".to_string(), form.number.trim().to_string())]);
    let mut state = refused(&err, locale, values);
    state.message.get_or_insert_with(|| err.message(locale));
    let user = CurrentUser(Some(me));
    render_again(app, "/staff/certificates", headers, user, state).await
}

/// A score typed into a form: empty is none; anything but a whole number is out of range
/// (the service checks 0–100).
fn score_field(text: Option<&str>) -> Result<Option<u32>, AppError> {
    use app::error::FieldProblem;
    match text.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => s
            .parse::<u32>()
            .map(Some)
            .map_err(|_| AppError::field("score", FieldProblem::OutOfRange { min: 0, max: 100 })),
    }
}
