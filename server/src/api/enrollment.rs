//! A trainee's enrolments: enrol, my enrolments, cancel.

use super::ApiError;
use crate::session::Signed;
use crate::state::AppState;
use app::enrollment::service;
use app::enrollment::{Enrolled, Enrollment};
use app::list::{Page, PageParams};
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;

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
    let enrolled = service::enroll(&state.portal, &user.actor, &code).await?;
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
        paging.cut(service::mine(&state.portal, &user.actor).await?),
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
    Ok(Json(service::cancel(&state.portal, &user.actor, id).await?))
}
