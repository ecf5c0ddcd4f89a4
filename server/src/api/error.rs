//! The API's error body: `{"error": {"code", "message", "fields"}}` with the status that
//! `AppError::status` decides. Messages are zh-CN, with English beside them.

use app::error::AppError;
use app::i18n::Locale;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

#[derive(Debug)]
pub struct ApiError(pub AppError);

impl From<AppError> for ApiError {
    fn from(err: AppError) -> Self {
        ApiError(err)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let err = self.0;
        if let AppError::Internal(detail) = &err {
            tracing::error!(%detail, "request failed");
        }
        let status =
            StatusCode::from_u16(err.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut body = json!({
            "code": err.code(),
            "message": err.message(Locale::zh_CN),
            "message_en": err.message(Locale::en),
        });
        if let Some(fields) = err.fields() {
            body["fields"] = json!(fields.messages(Locale::zh_CN));
            body["fields_en"] = json!(fields.messages(Locale::en));
        }
        (status, Json(json!({ "error": body }))).into_response()
    }
}
