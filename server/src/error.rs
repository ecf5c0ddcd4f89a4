//! The API's error body: `{"error": {"code", "message", "fields"}}` with the status that
//! `AppError::status` decides. Messages are zh-CN, with English beside them.

use app::error::AppError;
use app::i18n::Locale;
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug)]
pub struct ApiError(pub AppError);

impl From<AppError> for ApiError {
    fn from(err: AppError) -> Self {
        ApiError(err)
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    error: ErrorDetail,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorDetail {
    /// Machine-readable, snake_case.
    #[schema(example = "invalid_request")]
    code: &'static str,
    /// For people, in Chinese.
    message: String,
    /// The same in English.
    message_en: String,
    /// Field name → what is wrong with it (Chinese).
    #[serde(skip_serializing_if = "Option::is_none")]
    fields: Option<BTreeMap<String, String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    fields_en: Option<BTreeMap<String, String>>,
    /// Every rule checked, when a rule refused the request (422).
    #[serde(skip_serializing_if = "Option::is_none")]
    reasons: Option<Vec<app::error::RuleVerdict>>,
    /// Every problem of a refused file (422, `import_refused`).
    #[serde(skip_serializing_if = "Option::is_none")]
    problems: Option<Vec<app::error::FileProblem>>,
    /// What else a refused file deserves a mention for.
    #[serde(skip_serializing_if = "Option::is_none")]
    warnings: Option<Vec<app::error::FileProblem>>,
    /// A fault of ours (500): the request's id (also `X-Request-Id`), to quote to the helpdesk;
    /// the log keeps the cause under it.
    #[serde(skip_serializing_if = "Option::is_none")]
    request_id: Option<String>,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let err = self.0;
        let request_id = match &err {
            AppError::Internal(detail) => {
                let id = crate::request::current().map(|id| id.0);
                tracing::error!(%detail, request_id = id.as_deref().unwrap_or("-"), "request failed");
                id
            }
            _ => None,
        };
        let status =
            StatusCode::from_u16(err.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let body = ErrorBody {
            error: ErrorDetail {
                code: err.code(),
                message: err.message(Locale::zh_CN),
                message_en: err.message(Locale::en),
                fields: err.fields().map(|f| f.messages(Locale::zh_CN)),
                fields_en: err.fields().map(|f| f.messages(Locale::en)),
                reasons: match &err {
                    AppError::NotEligible(reasons) => Some(reasons.clone()),
                    _ => None,
                },
                problems: match &err {
                    AppError::FileRefused { problems, .. } => Some(problems.clone()),
                    _ => None,
                },
                warnings: match &err {
                    AppError::FileRefused { warnings, .. } => Some(warnings.clone()),
                    _ => None,
                },
                request_id,
            },
        };
        let mut response = (status, Json(body)).into_response();
        if let AppError::TooManyRequests { retry_after_secs } = err {
            response
                .headers_mut()
                .insert(axum::http::header::RETRY_AFTER, retry_after_secs.into());
        }
        response
    }
}

/// axum answers bad paths, methods and bodies in plain text; the API answers them in its own
/// JSON error shape, with the same status.
pub async fn json_rejections(request: Request<Body>, next: Next) -> Response {
    let response = next.run(request).await;
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    let status = response.status();
    if is_json || !(status.is_client_error()) {
        return response;
    }
    let err = match status {
        StatusCode::NOT_FOUND => AppError::NotFound,
        _ => AppError::Invalid(Default::default()),
    };
    let mut out = ApiError(err).into_response();
    *out.status_mut() = status;
    out
}
