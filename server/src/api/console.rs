//! The institution console: `/api/v1/staff/classes` (the classes and each roster) and
//! `/api/v1/staff/enrollments/{id}/…` (status, attendance, employment).

use super::{ApiError, ApiJson};
use crate::session::Signed;
use crate::state::AppState;
use app::enrollment::console;
use app::enrollment::{ClassSummary, Employment, JobEvidence, Roster, Status};
use app::error::{AppError, FieldProblem};
use app::list::{Page, PageParams};
use axum::extract::{Path, RawQuery, State};
use axum::Json;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

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
    let (paging, _) = super::list_query(&raw, &[])?;
    Ok(Json(
        console::classes(&state.portal, &user.actor, paging).await?,
    ))
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
    Ok(Json(
        console::roster(&state.portal, &user.actor, &code).await?,
    ))
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
    ApiJson(body): ApiJson<StatusBody>,
) -> Result<Json<StatusChanged>, ApiError> {
    let to = Status::from_code(body.status.trim())
        .ok_or(AppError::field("status", FieldProblem::UnknownCode))?;
    console::change_status(&state.portal, &user.actor, id, to, body.reason.as_deref()).await?;
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
    ApiJson(body): ApiJson<AttendanceBody>,
) -> Result<Json<AttendanceRecorded>, ApiError> {
    let day = super::parse_date("date", &body.date)?;
    let hours = u32::try_from(body.hours)
        .map_err(|_| AppError::field("hours", FieldProblem::OutOfRange { min: 1, max: 12 }))?;
    console::record_attendance(&state.portal, &user.actor, id, day, hours).await?;
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
    /// What shows the job: `contract` or `social_insurance`. A job pays the full share only
    /// with evidence and a start date within 6 months after the class ended.
    evidence_type: Option<String>,
    /// The contract's number or the social-insurance record's reference (with `evidence_type`).
    evidence_ref: Option<String>,
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
        (status = 404, description = "No such enrolment", body = super::ErrorBody),
        (status = 409, description = "Training has not begun", body = super::ErrorBody),
    )
)]
pub async fn employment(
    State(state): State<AppState>,
    Signed(user): Signed,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<EmploymentBody>,
) -> Result<Json<EmploymentRecorded>, ApiError> {
    let since = match body.since.as_deref().filter(|s| !s.trim().is_empty()) {
        Some(text) => Some(super::parse_date("since", text)?),
        None => None,
    };
    let evidence = match body
        .evidence_type
        .as_deref()
        .filter(|s| !s.trim().is_empty())
    {
        Some(code) => Some(
            JobEvidence::from_code(code.trim())
                .ok_or(AppError::field("evidence_type", FieldProblem::UnknownCode))?,
        ),
        None => None,
    };
    let job = Employment {
        employed: body.employed,
        employer: body.employer,
        since,
        evidence,
        evidence_ref: body.evidence_ref,
    };
    console::record_employment(&state.portal, &user.actor, id, &job).await?;
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
