//! Ratings: a trainee rates a completed class (`/api/v1/me/enrollments/{id}/rating`); its
//! institution and its city's HR officers read them (`/api/v1/staff/classes/{code}/ratings`).

use super::{ApiError, ApiJson};
use crate::session::Signed;
use crate::state::AppState;
use app::ratings::{service, Rating, RatingInput, RatingNote};
use axum::extract::{Path, State};
use axum::Json;

/// Rate one of my completed classes (1–5 stars, a comment for the institution and HR only),
/// or change the rating within 30 days of the first.
#[utoipa::path(
    post,
    path = "/me/enrollments/{id}/rating",
    tag = "enrolment",
    params(("id" = i64, Path, description = "Enrolment id")),
    request_body = RatingInput,
    responses(
        (status = 200, description = "The rating as kept", body = Rating),
        (status = 400, description = "Stars outside 1–5, or the comment too long", body = super::ErrorBody),
        (status = 403, description = "Not a trainee", body = super::ErrorBody),
        (status = 404, description = "No such enrolment of mine", body = super::ErrorBody),
        (status = 409, description = "Not completed, or past the 30 days to change it", body = super::ErrorBody),
    )
)]
pub async fn rate(
    State(state): State<AppState>,
    Signed(user): Signed,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<RatingInput>,
) -> Result<Json<Rating>, ApiError> {
    Ok(Json(
        service::rate(&state.portal, &user.actor, id, &body).await?,
    ))
}

/// A class's ratings, newest first, the raters by family name only.
#[utoipa::path(
    get,
    path = "/staff/classes/{code}/ratings",
    tag = "staff",
    params(("code" = String, Path, description = "Course code")),
    responses(
        (status = 200, description = "The ratings", body = Vec<RatingNote>),
        (status = 403, description = "Not staff of this class's institution nor an HR officer of its city", body = super::ErrorBody),
        (status = 404, description = "No such class", body = super::ErrorBody),
    )
)]
pub async fn of_class(
    State(state): State<AppState>,
    Signed(user): Signed,
    Path(code): Path<String>,
) -> Result<Json<Vec<RatingNote>>, ApiError> {
    Ok(Json(
        service::of_class(&state.portal, &user.actor, &code).await?,
    ))
}
