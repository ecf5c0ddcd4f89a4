//! The public JSON API under `/api/v1` (../shared/docs/api.md). Handlers only translate
//! HTTP to calls of the service layer and back.

mod error;

use crate::web::AppState;
use app::catalog::{service, CourseQuery, Strictness};
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
pub use error::ApiError;
use serde_json::json;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/courses", get(list_courses))
        .route("/courses/{code}", get(get_course))
        .fallback(not_found)
}

pub async fn healthz(State(state): State<AppState>) -> Response {
    if state.db.is_healthy().await {
        Json(json!({"status": "ok"})).into_response()
    } else {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(json!({"status": "unavailable"})),
        )
            .into_response()
    }
}

fn query_pairs(raw: &Option<String>) -> Vec<(String, String)> {
    raw.as_deref()
        .map(|q| form_urlencoded::parse(q.as_bytes()).into_owned().collect())
        .unwrap_or_default()
}

async fn list_courses(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let pairs = query_pairs(&raw);
    let query = CourseQuery::parse(
        pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())),
        Strictness::Strict,
    )?;
    let list = service::search(&state.db, &query).await?;
    Ok(Json(list).into_response())
}

async fn get_course(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> Result<Response, ApiError> {
    let course = service::get(&state.db, &code).await?;
    Ok(Json(course).into_response())
}

async fn not_found() -> ApiError {
    ApiError(app::error::AppError::NotFound)
}
