//! The inbox: `GET /api/v1/me/notifications`, `POST /api/v1/me/notifications/read`.

use super::{ApiError, ApiJson};
use crate::session::Signed;
use crate::state::AppState;
use app::inbox::service;
use app::inbox::Inbox;
use app::list::PageParams;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;

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
    Ok(Json(
        service::inbox(&state.portal, &user.actor, paging).await?,
    ))
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
    ApiJson(body): ApiJson<ReadBody>,
) -> Result<StatusCode, ApiError> {
    service::mark_read(&state.portal, &user.actor, body.id).await?;
    Ok(StatusCode::NO_CONTENT)
}
