//! Enrolling from a course page, cancelling and rating from 我的报名, the inbox's "mark all
//! read", and the institution console's row forms (status, attendance, employment).

use super::{date_field, refused_on, render_again_with};
use crate::session::{see_other, SignedForm};
use crate::state::AppState;
use app::access::{Actor, CurrentUser};
use app::enrollment::service;
use app::error::AppError;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Form;

pub async fn enroll(
    State(app): State<AppState>,
    headers: HeaderMap,
    SignedForm(me): SignedForm,
    Path(code): Path<String>,
) -> Response {
    match service::enroll(&app.portal, &me.actor, &code).await {
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
            refused_on(&app, &path, headers, CurrentUser(Some(me)), err).await
        }
    }
}

pub async fn cancel(
    State(app): State<AppState>,
    headers: HeaderMap,
    SignedForm(me): SignedForm,
    Path(id): Path<i64>,
) -> Response {
    match service::cancel(&app.portal, &me.actor, id).await {
        Ok(_) => see_other("/me/enrollments?cancelled=1"),
        Err(err) => refused_on(&app, "/me/enrollments", headers, CurrentUser(Some(me)), err).await,
    }
}

/// The rating form of a completed class in 我的报名.
#[derive(Debug, Default, serde::Deserialize)]
pub struct RateFields {
    stars: Option<String>,
    comment: Option<String>,
}

pub async fn rate(
    State(app): State<AppState>,
    headers: HeaderMap,
    SignedForm(me): SignedForm,
    Path(id): Path<i64>,
    Form(fields): Form<RateFields>,
) -> Response {
    let input = app::ratings::RatingInput {
        // Nothing chosen, or not a number: 0, which the rule refuses as out of 1–5.
        stars: fields
            .stars
            .as_deref()
            .and_then(|s| s.trim().parse().ok())
            .unwrap_or(0),
        comment: fields.comment,
    };
    match app::ratings::service::rate(&app.portal, &me.actor, id, &input).await {
        Ok(_) => see_other("/me/enrollments?rated=1"),
        Err(err) => refused_on(&app, "/me/enrollments", headers, CurrentUser(Some(me)), err).await,
    }
}

/// 我的消息: mark every message read.
pub async fn mark_read(
    State(app): State<AppState>,
    headers: HeaderMap,
    SignedForm(me): SignedForm,
) -> Response {
    match app::inbox::service::mark_read(&app.portal, &me.actor, None).await {
        Ok(()) => see_other("/me/inbox"),
        Err(err) => refused_on(&app, "/me/inbox", headers, CurrentUser(Some(me)), err).await,
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
    evidence_type: Option<String>,
    evidence_ref: Option<String>,
}

async fn staff_action(
    app: &AppState,
    me: &Actor,
    action: &str,
    id: i64,
    form: &StaffForm,
) -> Result<(), AppError> {
    use app::enrollment::console as svc;
    use app::error::FieldProblem;
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
            let evidence = match form.evidence_type.as_deref().filter(|s| !s.is_empty()) {
                Some(code) => Some(
                    app::enrollment::JobEvidence::from_code(code)
                        .ok_or(AppError::field("evidence_type", FieldProblem::UnknownCode))?,
                ),
                None => None,
            };
            let job = app::enrollment::Employment {
                employed,
                employer: form.employer.clone(),
                since,
                evidence,
                evidence_ref: form.evidence_ref.clone(),
            };
            svc::record_employment(&app.portal, me, id, &job).await
        }
    }
}

pub async fn staff(
    State(app): State<AppState>,
    headers: HeaderMap,
    SignedForm(me): SignedForm,
    Path((id, action)): Path<(i64, String)>,
    Form(form): Form<StaffForm>,
) -> Response {
    if !matches!(action.as_str(), "status" | "attendance" | "employment") {
        return StatusCode::NOT_FOUND.into_response();
    }
    let class = form_urlencoded::byte_serialize(form.class.as_bytes()).collect::<String>();
    let back = format!("/staff/classes/{class}");
    match staff_action(&app, &me.actor, &action, id, &form).await {
        Ok(()) => see_other(&format!("{back}?saved=1#roster-heading")),
        Err(err) => refused_on(&app, &back, headers, CurrentUser(Some(me)), err).await,
    }
}

/// The anonymous question, posted from /eligibility: answered on the page the post renders,
/// so the birth date goes into no address; nothing is kept, and the answer is not cached.
pub async fn check(
    State(app): State<AppState>,
    headers: HeaderMap,
    axum::Extension(user): axum::Extension<CurrentUser>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let posted = app::eligibility::pages::PostedQuestion(pairs);
    let mut response = render_again_with(
        &app,
        "/eligibility",
        headers,
        user,
        Default::default(),
        move || leptos::prelude::provide_context(posted.clone()),
    )
    .await;
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}
