//! The catalogue: search, a course, the directories of institutions and evaluation
//! organisations (open to every origin), and an HR officer's import of their city's catalogue.

use super::{query_pairs, ApiError, ErrorBody};
use crate::session::Signed;
use crate::state::AppState;
use app::access::Actor;
use app::catalog::directory::EvaluationOrgSummary;
use app::catalog::directory_service;
use app::catalog::import::{self, FileKind};
use app::catalog::service::{self, ImportReport};
use app::catalog::{
    Course, CourseList, CourseQuery, DirectoryQuery, Institution, InstitutionSummary, Strictness,
};
use app::error::{AppError, FieldProblem, FileProblem};
use app::list::Page;
use app::reference::{City, Enumeration};
use axum::extract::{Multipart, Path, RawQuery, State};
use axum::Json;
use serde::Serialize;

/// Search the catalogue: Chinese keywords, pinyin or initials, facet filters (repeated keys
/// are OR-ed within a facet), sorting and pages; with facet counts.
#[utoipa::path(
    get,
    path = "/courses",
    tag = "catalogue",
    params(CourseQuery),
    responses(
        (status = 200, description = "One page of courses", body = CourseList),
        (status = 400, description = "A parameter is not valid; `fields` names each one", body = ErrorBody),
    )
)]
pub async fn list_courses(
    State(state): State<AppState>,
    user: Option<axum::Extension<app::access::CurrentUser>>,
    RawQuery(raw): RawQuery,
) -> Result<Json<CourseList>, ApiError> {
    let pairs = query_pairs(&raw);
    let query = CourseQuery::parse(
        pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())),
        Strictness::Strict,
    )?;
    // A plain read is the catalogue's; "only what I may join now" asks the eligibility rules.
    if query.eligible == Some(true) {
        let actor = user.and_then(|u| u.0 .0.clone()).map(|u| u.actor);
        let list = app::eligibility::service::search(&state.portal, actor.as_ref(), &query);
        return Ok(Json(list.await?));
    }
    Ok(Json(service::search(&state.portal, &query).await?))
}

/// One course: every catalogue field and the seats left.
#[utoipa::path(
    get,
    path = "/courses/{code}",
    tag = "catalogue",
    params(("code" = String, Path, description = "Course code (项目编号)")),
    responses(
        (status = 200, description = "The course", body = Course),
        (status = 404, description = "No such course", body = ErrorBody),
    )
)]
pub async fn get_course(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> Result<Json<Course>, ApiError> {
    Ok(Json(
        service::get_with_outcomes(&state.portal, &code).await?,
    ))
}

/// Training institutions with courses in the catalogue (承训机构目录), by name; of the cities
/// and industries asked for, each with its occupations and outcomes.
#[utoipa::path(
    get,
    path = "/institutions",
    tag = "catalogue",
    params(DirectoryQuery),
    responses(
        (status = 200, description = "One page of institutions", body = Page<InstitutionSummary>),
        (status = 400, description = "A parameter is not valid", body = ErrorBody),
    )
)]
pub async fn list_institutions(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Json<Page<InstitutionSummary>>, ApiError> {
    let pairs = query_pairs(&raw);
    let query = DirectoryQuery::parse(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))?;
    Ok(Json(
        directory_service::institutions(&state.portal, &query).await?,
    ))
}

/// Evaluation organisations named in the catalogue (评价机构目录), by name; of the cities and
/// industries asked for, each with its code, cities, occupations and outcomes.
#[utoipa::path(
    get,
    path = "/evaluation-orgs",
    tag = "catalogue",
    params(DirectoryQuery),
    responses(
        (status = 200, description = "One page of evaluation organisations", body = Page<EvaluationOrgSummary>),
        (status = 400, description = "A parameter is not valid", body = ErrorBody),
    )
)]
pub async fn list_evaluation_orgs(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Json<Page<EvaluationOrgSummary>>, ApiError> {
    let pairs = query_pairs(&raw);
    let query = DirectoryQuery::parse(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))?;
    Ok(Json(
        directory_service::evaluation_orgs(&state.portal, &query).await?,
    ))
}

/// One institution and its catalogue courses.
#[utoipa::path(
    get,
    path = "/institutions/{code}",
    tag = "catalogue",
    params(("code" = String, Path, description = "Unified social credit code or local code")),
    responses(
        (status = 200, description = "The institution", body = Institution),
        (status = 404, description = "No such institution", body = ErrorBody),
    )
)]
pub async fn get_institution(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> Result<Json<Institution>, ApiError> {
    Ok(Json(service::institution(&state.portal, &code).await?))
}

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
    // Who may import is the service's rule; asked first, so nobody else's upload is read.
    let city = service::importer_city(&user.actor)?;
    let upload = read_upload(&mut form).await?;
    let report = import_upload(&state, &user.actor, upload).await?;
    Ok(Json(ImportOutcome::of(city, report)))
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

/// Imports an upload of the actor's city through the one import path (items of other cities
/// refused; anyone but the city's HR officer refused).
pub async fn import_upload(
    state: &AppState,
    actor: &Actor,
    upload: Upload,
) -> Result<ImportReport, AppError> {
    let kind = FileKind::detect(&upload.name, &upload.bytes);
    service::import_for_city(&state.portal, actor, upload.bytes, kind, upload.dry_run).await
}
