//! `/api/v1/staff`: endpoints for staff, each behind `session::require` (role) and the
//! service's scope check (their institution, organisation or city).

use super::ApiError;
use crate::session::{require, Signed};
use crate::web::AppState;
use app::accounts::Role;
use app::catalog::import::{self, FileKind, Finding};
use app::catalog::service::{self, ImportError, ImportOptions, ImportReport};
use app::i18n::Locale;
use app::reference::{City, Enumeration};
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

fn findings(list: &[Finding]) -> Vec<serde_json::Value> {
    list.iter()
        .map(|f| {
            json!({
                "line": f.line,
                "column": f.column,
                "problem": f.problem,
                "message": f.describe(Locale::zh_CN),
                "message_en": f.describe(Locale::en),
            })
        })
        .collect()
}

/// Import the officer's city's demand catalogue (multipart field `file`: CSV or XLSX), with
/// the same rules and report as `peixun import-catalog`; items of other cities are refused.
#[utoipa::path(
    post,
    path = "/staff/catalog/import",
    tag = "staff",
    request_body(content_type = "multipart/form-data", description = "`file`: the catalogue; `dry_run`: `true` to only check"),
    responses(
        (status = 200, description = "Imported (or checked): created, updated, unchanged", body = serde_json::Value),
        (status = 401, description = "Not signed in", body = super::ErrorBody),
        (status = 403, description = "Not an HR officer", body = super::ErrorBody),
        (status = 413, description = "The file is over 20 MB", body = super::ErrorBody),
        (status = 422, description = "The file has problems; nothing was imported", body = serde_json::Value),
    )
)]
pub async fn import_catalog(
    State(state): State<AppState>,
    Signed(user): Signed,
    mut form: Multipart,
) -> Result<Response, ApiError> {
    let city = upload_city(&user)?;
    let upload = match read_upload(&mut form).await {
        Ok(upload) => upload,
        Err(UploadError::TooLarge) => return Ok(too_large()),
        Err(UploadError::NoFile) => {
            return Err(ApiError(app::error::AppError::field(
                "file",
                app::error::FieldProblem::Required,
            )))
        }
    };
    match import_upload(&state, city, upload).await {
        Ok(ImportReport {
            created,
            updated,
            unchanged,
            dry_run,
            warnings,
        }) => Ok(Json(json!({
            "city": city.code(),
            "created": created,
            "updated": updated,
            "unchanged": unchanged,
            "dry_run": dry_run,
            "warnings": findings(&warnings),
        }))
        .into_response()),
        Err(ImportError::Refused(errors, warnings)) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            Json(json!({
                "error": {
                    "code": "import_refused",
                    "message": app::catalog::import::refused_message(Locale::zh_CN, errors.len()),
                    "message_en": app::catalog::import::refused_message(Locale::en, errors.len()),
                    "problems": findings(&errors),
                    "warnings": findings(&warnings),
                }
            })),
        )
            .into_response()),
        Err(ImportError::Storage(e)) => Err(ApiError(e)),
    }
}

/// The city an HR officer imports for (403 for anyone else).
pub fn upload_city(user: &app::accounts::SignedIn) -> Result<City, ApiError> {
    require(user, &[Role::HrOfficer])?;
    user.scope
        .as_deref()
        .and_then(City::from_code)
        .ok_or(ApiError(app::error::AppError::Forbidden))
}

/// An uploaded catalogue file (multipart `file`, and `dry_run`).
pub struct Upload {
    bytes: axum::body::Bytes,
    name: String,
    dry_run: bool,
}

pub enum UploadError {
    TooLarge,
    NoFile,
}

pub async fn read_upload(form: &mut Multipart) -> Result<Upload, UploadError> {
    let (mut file, mut name, mut dry_run) = (None, String::new(), false);
    while let Ok(Some(field)) = form.next_field().await {
        match field.name() {
            Some("file") => {
                name = field.file_name().unwrap_or_default().to_string();
                match field.bytes().await {
                    Ok(bytes) => file = Some(bytes),
                    Err(_) => return Err(UploadError::TooLarge),
                }
            }
            Some("dry_run") => dry_run = field.text().await.is_ok_and(|t| t == "true" || t == "1"),
            _ => {}
        }
    }
    let bytes = file.filter(|b| !b.is_empty()).ok_or(UploadError::NoFile)?;
    if bytes.len() > import::MAX_FILE_BYTES {
        return Err(UploadError::TooLarge);
    }
    Ok(Upload {
        bytes,
        name,
        dry_run,
    })
}

/// Imports an upload for `city` through the one import path (items of other cities refused).
pub async fn import_upload(
    state: &AppState,
    city: City,
    upload: Upload,
) -> Result<ImportReport, ImportError> {
    let parsed = import::parse(&upload.bytes, FileKind::detect(&upload.name, &upload.bytes));
    let options = ImportOptions {
        dry_run: upload.dry_run,
        only_city: Some(city),
        ..Default::default()
    };
    service::import(&state.portal, parsed, options).await
}

fn too_large() -> Response {
    let problem = import::Problem::FileTooLarge;
    (
        StatusCode::PAYLOAD_TOO_LARGE,
        Json(json!({"error": {
            "code": "file_too_large",
            "message": problem.message(Locale::zh_CN),
            "message_en": problem.message(Locale::en),
        }})),
    )
        .into_response()
}
