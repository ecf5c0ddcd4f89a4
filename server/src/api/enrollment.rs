//! Enrolment endpoints: the anonymous eligibility check, enrolling and cancelling, the inbox,
//! and the institution console (role checked here, scope by the service).

use super::ApiError;
use crate::session::{require, Signed};
use crate::web::AppState;
use app::accounts::Role;
use app::enrollment::service;
use app::enrollment::{
    CheckAnswer, ClassSummary, Enrolled, Enrollment, Inbox, Question, Roster, Status,
};
use app::error::{AppError, FieldProblem};
use app::list::{Page, PageParams};
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Which courses (or whether one course) a person may join, and the subsidy they would get,
/// with every rule's reason. No account needed.
#[utoipa::path(
    post,
    path = "/eligibility/check",
    tag = "enrolment",
    request_body = Question,
    responses(
        (status = 200, description = "Eligible courses (or the one asked about), each with reasons and subsidy", body = CheckAnswer),
        (status = 400, description = "A field is not valid", body = super::ErrorBody),
        (status = 404, description = "No such course", body = super::ErrorBody),
    )
)]
pub async fn check(
    State(state): State<AppState>,
    super::ApiJson(question): super::ApiJson<Question>,
) -> Result<Json<CheckAnswer>, ApiError> {
    Ok(Json(service::check(&state.portal, &question).await?))
}

/// Enrol in a class: approved while seats last, otherwise waitlisted with a position.
#[utoipa::path(
    post,
    path = "/courses/{code}/enroll",
    tag = "enrolment",
    params(("code" = String, Path, description = "Course code")),
    responses(
        (status = 201, description = "Enrolled, or on the waiting list", body = Enrolled),
        (status = 401, description = "Not signed in", body = super::ErrorBody),
        (status = 403, description = "Only trainees enrol", body = super::ErrorBody),
        (status = 404, description = "No such course", body = super::ErrorBody),
        (status = 409, description = "Already enrolled in this class", body = super::ErrorBody),
        (status = 422, description = "A rule refuses it; `reasons` lists every rule", body = super::ErrorBody),
    )
)]
pub async fn enroll(
    State(state): State<AppState>,
    Signed(user): Signed,
    Path(code): Path<String>,
) -> Result<Response, ApiError> {
    require(&user, &[Role::Trainee])?;
    let enrolled = service::enroll(&state.portal, user.id, &code).await?;
    Ok((StatusCode::CREATED, Json(enrolled)).into_response())
}

/// My enrolments, newest first, each with its status and timeline.
#[utoipa::path(
    get,
    path = "/me/enrollments",
    tag = "enrolment",
    operation_id = "my_enrollments",
    params(PageParams),
    responses(
        (status = 200, description = "One page of the enrolments", body = Page<Enrollment>),
        (status = 401, description = "Not signed in", body = super::ErrorBody),
    )
)]
pub async fn mine(
    State(state): State<AppState>,
    Signed(user): Signed,
    RawQuery(raw): RawQuery,
) -> Result<Json<Page<Enrollment>>, ApiError> {
    let (paging, _) = super::list_query(&raw, &[])?;
    Ok(Json(
        paging.cut(service::mine(&state.portal, user.id).await?),
    ))
}

/// Cancel one of my enrolments before the class starts; the seat goes to the waiting list.
#[utoipa::path(
    post,
    path = "/me/enrollments/{id}/cancel",
    tag = "enrolment",
    params(("id" = i64, Path, description = "Enrolment id")),
    responses(
        (status = 200, description = "Cancelled", body = Enrollment),
        (status = 404, description = "No such enrolment of mine", body = super::ErrorBody),
        (status = 409, description = "Not active, or the class has started", body = super::ErrorBody),
    )
)]
pub async fn cancel(
    State(state): State<AppState>,
    Signed(user): Signed,
    Path(id): Path<i64>,
) -> Result<Json<Enrollment>, ApiError> {
    Ok(Json(service::cancel(&state.portal, user.id, id).await?))
}

/// My inbox: every change to my enrolments, newest first, with the unread count.
#[utoipa::path(
    get,
    path = "/me/notifications",
    tag = "enrolment",
    responses(
        (status = 200, description = "One page of the inbox, and the unread count", body = Inbox),
        (status = 401, description = "Not signed in", body = super::ErrorBody),
    ),
    params(PageParams)
)]
pub async fn notifications(
    State(state): State<AppState>,
    Signed(user): Signed,
    RawQuery(raw): RawQuery,
) -> Result<Json<Inbox>, ApiError> {
    let (paging, _) = super::list_query(&raw, &[])?;
    Ok(Json(service::inbox(&state.portal, user.id, paging).await?))
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct ReadBody {
    /// One notification; without it, all of them.
    id: Option<i64>,
}

/// Mark one notification (or all) as read.
#[utoipa::path(
    post,
    path = "/me/notifications/read",
    tag = "enrolment",
    request_body = ReadBody,
    responses(
        (status = 204, description = "Marked"),
        (status = 404, description = "No such notification of mine", body = super::ErrorBody),
    )
)]
pub async fn mark_read(
    State(state): State<AppState>,
    Signed(user): Signed,
    super::ApiJson(body): super::ApiJson<ReadBody>,
) -> Result<StatusCode, ApiError> {
    service::mark_read(&state.portal, user.id, body.id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The institution's classes with roster counts.
#[utoipa::path(
    get,
    path = "/staff/classes",
    tag = "staff",
    params(PageParams),
    responses(
        (status = 200, description = "One page of the classes", body = Page<ClassSummary>),
        (status = 403, description = "Not institution staff", body = super::ErrorBody),
    )
)]
pub async fn classes(
    State(state): State<AppState>,
    Signed(user): Signed,
    RawQuery(raw): RawQuery,
) -> Result<Json<Page<ClassSummary>>, ApiError> {
    require(&user, &[Role::InstitutionStaff])?;
    let (paging, _) = super::list_query(&raw, &[])?;
    Ok(Json(service::classes(&state.portal, &user, paging).await?))
}

/// One class's roster (identity numbers and phones masked); the read is audit-logged.
#[utoipa::path(
    get,
    path = "/staff/classes/{code}/roster",
    tag = "staff",
    params(("code" = String, Path, description = "Course code")),
    responses(
        (status = 200, description = "The roster", body = Roster),
        (status = 403, description = "Not staff of this class's institution", body = super::ErrorBody),
        (status = 404, description = "No such class", body = super::ErrorBody),
    )
)]
pub async fn roster(
    State(state): State<AppState>,
    Signed(user): Signed,
    Path(code): Path<String>,
) -> Result<Json<Roster>, ApiError> {
    require(&user, &[Role::InstitutionStaff])?;
    Ok(Json(service::roster(&state.portal, &user, &code).await?))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct StatusBody {
    /// `approved`, `rejected`, `in_training`, `completed` or `dropped`.
    status: String,
    /// Required for `rejected`.
    reason: Option<String>,
}

/// Move an enrolment on (approve, reject with reason, in training, completed, dropped).
#[utoipa::path(
    post,
    path = "/staff/enrollments/{id}/status",
    tag = "staff",
    params(("id" = i64, Path, description = "Enrolment id")),
    request_body = StatusBody,
    responses(
        (status = 200, description = "Changed", body = StatusChanged),
        (status = 400, description = "Unknown status, or a rejection without a reason", body = super::ErrorBody),
        (status = 403, description = "Not staff of this class's institution", body = super::ErrorBody),
        (status = 409, description = "Not allowed from the current status, or no free seat", body = super::ErrorBody),
    )
)]
pub async fn set_status(
    State(state): State<AppState>,
    Signed(user): Signed,
    Path(id): Path<i64>,
    super::ApiJson(body): super::ApiJson<StatusBody>,
) -> Result<Json<StatusChanged>, ApiError> {
    require(&user, &[Role::InstitutionStaff])?;
    let to = Status::from_code(body.status.trim())
        .ok_or(AppError::field("status", FieldProblem::UnknownCode))?;
    service::change_status(&state.portal, &user, id, to, body.reason.as_deref()).await?;
    Ok(Json(StatusChanged { id, status: to }))
}

/// An enrolment's new status.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct StatusChanged {
    pub id: i64,
    pub status: Status,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct AttendanceBody {
    /// YYYY-MM-DD, not in the future.
    date: String,
    /// 1–12.
    hours: i64,
}

pub fn parse_date(field: &str, text: &str) -> Result<NaiveDate, ApiError> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| ApiError(AppError::field(field, FieldProblem::NotADate)))
}

/// Record hours attended on one day.
#[utoipa::path(
    post,
    path = "/staff/enrollments/{id}/attendance",
    tag = "staff",
    params(("id" = i64, Path, description = "Enrolment id")),
    request_body = AttendanceBody,
    responses(
        (status = 200, description = "Recorded", body = AttendanceRecorded),
        (status = 400, description = "Bad date or hours", body = super::ErrorBody),
        (status = 403, description = "Not staff of this class's institution", body = super::ErrorBody),
        (status = 409, description = "The enrolment is not admitted", body = super::ErrorBody),
    )
)]
pub async fn attendance(
    State(state): State<AppState>,
    Signed(user): Signed,
    Path(id): Path<i64>,
    super::ApiJson(body): super::ApiJson<AttendanceBody>,
) -> Result<Json<AttendanceRecorded>, ApiError> {
    require(&user, &[Role::InstitutionStaff])?;
    let day = parse_date("date", &body.date)?;
    let hours = u32::try_from(body.hours)
        .map_err(|_| AppError::field("hours", FieldProblem::OutOfRange { min: 1, max: 12 }))?;
    service::record_attendance(&state.portal, &user, id, day, hours).await?;
    Ok(Json(AttendanceRecorded {
        id,
        date: day,
        hours,
    }))
}

/// The hours kept for an enrolment on a day.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AttendanceRecorded {
    pub id: i64,
    pub date: NaiveDate,
    pub hours: u32,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct EmploymentBody {
    employed: bool,
    employer: Option<String>,
    /// YYYY-MM-DD; required when employed.
    since: Option<String>,
}

/// Record the employment outcome after training.
#[utoipa::path(
    post,
    path = "/staff/enrollments/{id}/employment",
    tag = "staff",
    params(("id" = i64, Path, description = "Enrolment id")),
    request_body = EmploymentBody,
    responses(
        (status = 200, description = "Recorded", body = EmploymentRecorded),
        (status = 400, description = "A field is missing or not valid", body = super::ErrorBody),
        (status = 403, description = "Not staff of this class's institution or city", body = super::ErrorBody),
        (status = 409, description = "Training has not begun", body = super::ErrorBody),
    )
)]
pub async fn employment(
    State(state): State<AppState>,
    Signed(user): Signed,
    Path(id): Path<i64>,
    super::ApiJson(body): super::ApiJson<EmploymentBody>,
) -> Result<Json<EmploymentRecorded>, ApiError> {
    require(&user, &[Role::InstitutionStaff, Role::HrOfficer])?;
    let since = match body.since.as_deref().filter(|s| !s.trim().is_empty()) {
        Some(text) => Some(parse_date("since", text)?),
        None => None,
    };
    service::record_employment(
        &state.portal,
        &user,
        id,
        body.employed,
        body.employer.as_deref(),
        since,
    )
    .await?;
    Ok(Json(EmploymentRecorded {
        id,
        employed: body.employed,
    }))
}

/// The employment outcome kept for an enrolment.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct EmploymentRecorded {
    pub id: i64,
    pub employed: bool,
}
