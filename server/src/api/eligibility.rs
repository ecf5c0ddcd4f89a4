//! `POST /api/v1/eligibility/check`: the anonymous "which training can I join?" (open to
//! every origin: it reads nothing private).

use super::{ApiError, ApiJson};
use crate::state::AppState;
use app::eligibility::service;
use app::eligibility::{CheckAnswer, Question};
use axum::extract::State;
use axum::Json;

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
    ApiJson(question): ApiJson<Question>,
) -> Result<Json<CheckAnswer>, ApiError> {
    Ok(Json(service::check(&state.portal, &question).await?))
}
