//! `GET /api/v1/staff/audit`: the write trail (admin: all; HR officer: their city's), as JSON
//! pages or a CSV download.

use super::ApiError;
use crate::session::Signed;
use crate::state::AppState;
use app::audit::{service, TrailEntry, TrailFilter};
use app::error::{AppError, FieldProblem};
use app::list::{Page, PageParams};
use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct TrailQuery {
    /// Only the writes of this actor (their reference, `P-…`, or `cli`).
    actor: Option<String>,
    /// Only the writes on this record (`claim:3`, `enrollment:12`, `certificate:5`, …).
    record: Option<String>,
    /// From this day (YYYY-MM-DD, Beijing time).
    from: Option<String>,
    /// To this day, included.
    to: Option<String>,
    /// `csv` downloads the selection (UTF-8 with BOM, at most 50 000 rows) instead of a page.
    format: Option<String>,
}

/// The write trail, newest first.
#[utoipa::path(
    get,
    path = "/staff/audit",
    tag = "staff",
    params(TrailQuery, PageParams),
    responses(
        (status = 200, description = "One page of the trail (or, with format=csv, all of the selection as CSV)",
         body = Page<TrailEntry>, content_type = "application/json"),
        (status = 400, description = "A filter's value is not valid", body = super::ErrorBody),
        (status = 401, description = "Not signed in", body = super::ErrorBody),
        (status = 403, description = "Neither an admin nor an HR officer", body = super::ErrorBody),
    )
)]
pub async fn trail(
    State(state): State<AppState>,
    Signed(user): Signed,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let mut keys = TrailFilter::KEYS.to_vec();
    keys.push("format");
    let (paging, values) = super::list_query(&raw, &keys)?;
    let filter = TrailFilter::parse(&values)?;
    let mut response = match values.get("format").map(String::as_str) {
        None | Some("json") => {
            Json(service::trail(&state.portal, &user.actor, &filter, paging).await?).into_response()
        }
        Some("csv") => {
            let body = service::trail_csv(&state.portal, &user.actor, &filter).await?;
            let mut response = body.into_response();
            let h = response.headers_mut();
            h.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/csv; charset=utf-8"),
            );
            h.insert(
                header::CONTENT_DISPOSITION,
                HeaderValue::from_static("attachment; filename=\"peixun-audit.csv\""),
            );
            response
        }
        Some(_) => return Err(AppError::field("format", FieldProblem::UnknownCode).into()),
    };
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}
