//! `/api/v1/staff/catalog/import`: an HR officer's upload of their city's demand catalogue,
//! through the one import path (the CLI and the upload page use it too).

use super::ApiError;
use crate::session::{require, Signed};
use crate::web::AppState;
use app::accounts::Role;
use app::catalog::import::{self, FileKind};
use app::catalog::service::{self, ImportOptions, ImportReport};
use app::error::{AppError, FieldProblem, FileProblem};
use app::reference::{City, Enumeration};
use axum::extract::{Multipart, State};
use axum::Json;
use serde::Serialize;

/// What an import did (or, checking only, would do).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ImportOutcome {
    /// The officer's city.
    #[schema(example = "510100")]
    pub city: String,
    pub created: u32,
    pub updated: u32,
    pub unchanged: u32,
    /// Checked only: nothing was written.
    pub dry_run: bool,
    /// What deserves a mention but did not stop the import.
    pub warnings: Vec<FileProblem>,
}

impl ImportOutcome {
    fn of(city: City, report: ImportReport) -> ImportOutcome {
        ImportOutcome {
            city: city.code().to_string(),
            created: report.created,
            updated: report.updated,
            unchanged: report.unchanged,
            dry_run: report.dry_run,
            warnings: report.warnings.iter().map(|w| w.described()).collect(),
        }
    }
}

/// The upload form's fields.
#[derive(Debug, utoipa::ToSchema)]
#[allow(dead_code)]
pub struct CatalogUpload {
    /// The catalogue: CSV (UTF-8, or GB18030 as Excel saves it) or XLSX, at most 20 MB.
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
    /// `true` to check the file and write nothing.
    dry_run: Option<bool>,
}

/// Import the officer's city's demand catalogue (multipart field `file`: CSV or XLSX), with
/// the same rules and report as `peixun import-catalog`; items of other cities are refused.
#[utoipa::path(
    post,
    path = "/staff/catalog/import",
    tag = "staff",
    request_body(content_type = "multipart/form-data", content = CatalogUpload, description = "`file`: the catalogue; `dry_run`: `true` to only check"),
    responses(
        (status = 200, description = "Imported (or checked): created, updated, unchanged", body = ImportOutcome),
        (status = 400, description = "No file was sent", body = super::ErrorBody),
        (status = 401, description = "Not signed in", body = super::ErrorBody),
        (status = 403, description = "Not an HR officer", body = super::ErrorBody),
        (status = 413, description = "The file is over 20 MB", body = super::ErrorBody),
        (status = 422, description = "The file has problems (`problems`, `warnings`); nothing was imported", body = super::ErrorBody),
    )
)]
pub async fn import_catalog(
    State(state): State<AppState>,
    Signed(user): Signed,
    mut form: Multipart,
) -> Result<Json<ImportOutcome>, ApiError> {
    let city = upload_city(&user)?;
    let upload = read_upload(&mut form).await?;
    let report = import_upload(&state, city, upload).await?;
    Ok(Json(ImportOutcome::of(city, report)))
}

/// The city an HR officer imports for (403 for anyone else).
pub fn upload_city(user: &app::accounts::SignedIn) -> Result<City, AppError> {
    require(user, &[Role::HrOfficer]).map_err(|e| e.0)?;
    user.scope
        .as_deref()
        .and_then(City::from_code)
        .ok_or(AppError::Forbidden)
}

/// An uploaded catalogue file (multipart `file`, and `dry_run`).
pub struct Upload {
    bytes: axum::body::Bytes,
    name: String,
    dry_run: bool,
}

fn too_large() -> AppError {
    AppError::TooLarge {
        max_mb: import::MAX_FILE_BYTES / 1024 / 1024,
    }
}

/// Reads the form: 413 for a file over the limit, 400 without one.
pub async fn read_upload(form: &mut Multipart) -> Result<Upload, AppError> {
    let (mut file, mut name, mut dry_run) = (None, String::new(), false);
    while let Ok(Some(field)) = form.next_field().await {
        match field.name() {
            Some("file") => {
                name = field.file_name().unwrap_or_default().to_string();
                match field.bytes().await {
                    Ok(bytes) => file = Some(bytes),
                    Err(_) => return Err(too_large()),
                }
            }
            Some("dry_run") => dry_run = field.text().await.is_ok_and(|t| t == "true" || t == "1"),
            _ => {}
        }
    }
    let bytes = file
        .filter(|b| !b.is_empty())
        .ok_or(AppError::field("file", FieldProblem::Required))?;
    if bytes.len() > import::MAX_FILE_BYTES {
        return Err(too_large());
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
) -> Result<ImportReport, AppError> {
    let parsed = import::parse(&upload.bytes, FileKind::detect(&upload.name, &upload.bytes));
    let options = ImportOptions {
        dry_run: upload.dry_run,
        only_city: Some(city),
        ..Default::default()
    };
    service::import(&state.portal, parsed, options).await
}
