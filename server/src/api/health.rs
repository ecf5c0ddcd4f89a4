//! `/healthz` (liveness) and `/readyz` (readiness: the database answers).

use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;

/// How the service is.
#[derive(Debug, Clone, Copy, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Health {
    /// Alive (`/healthz`).
    Ok,
    /// The database answers (`/readyz`).
    Ready,
    /// The database does not answer (`/readyz`).
    Unavailable,
}

#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct HealthBody {
    pub status: Health,
}

/// Liveness: 200 while the process serves requests (it touches nothing else, so a database
/// outage does not get healthy instances restarted).
#[utoipa::path(
    get,
    path = "/healthz",
    tag = "reference",
    responses(
        (status = 200, description = "The process is alive", body = HealthBody, example = json!({"status": "ok"})),
    )
)]
pub async fn healthz() -> Json<HealthBody> {
    Json(HealthBody { status: Health::Ok })
}

/// Readiness: 200 while the database answers, 503 otherwise (take the instance out of the
/// load balancer until it answers again).
#[utoipa::path(
    get,
    path = "/readyz",
    tag = "reference",
    responses(
        (status = 200, description = "The database answers", body = HealthBody, example = json!({"status": "ready"})),
        (status = 503, description = "The database does not answer", body = HealthBody, example = json!({"status": "unavailable"})),
    )
)]
pub async fn readyz(State(state): State<AppState>) -> Response {
    if state.portal.db.is_healthy().await {
        Json(HealthBody {
            status: Health::Ready,
        })
        .into_response()
    } else {
        let body = HealthBody {
            status: Health::Unavailable,
        };
        (StatusCode::SERVICE_UNAVAILABLE, Json(body)).into_response()
    }
}
