//! The public JSON API under `/api/v1` (../shared/docs/api.md), documented by the OpenAPI
//! document at `/api/openapi.json` that is generated from these handlers. Handlers only
//! translate HTTP to calls of the service layer and back.

mod accounts;
mod certificate;
mod dispute;
mod enrollment;
mod error;
mod json;
mod meta;
mod staff;
mod subsidy;

use crate::web::AppState;
use app::catalog::service::{self, Institution, InstitutionList};
use app::catalog::{Course, CourseList, CourseQuery, InstitutionQuery, Strictness};
use app::list::Paging;
use axum::extract::{Path, RawQuery, State};
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Json, Router};
pub use dispute::kind_of as dispute_kind;
pub use error::{ApiError, ErrorBody};
pub use json::ApiJson;
pub use staff::{import_upload, read_upload, upload_city};
use std::collections::BTreeMap;
pub use subsidy::review_step;
use tower_http::cors::{Any, CorsLayer};
use utoipa::openapi::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

#[derive(utoipa::OpenApi)]
#[openapi(
    info(
        title = "Peixun 我要培训一件事 API",
        description = "The open API of Sichuan's skills-training portal: the demand catalogue \
            (职业技能培训需求指导目录), its institutions and enumerations. JSON in UTF-8; errors are \
            `{\"error\": {\"code\", \"message\", \"fields\"}}` with zh-CN messages (English in \
            `message_en`, `fields_en`). Money is a decimal string in yuan, dates are YYYY-MM-DD."
    ),
    tags(
        (name = "catalogue", description = "Training courses of the demand catalogue"),
        (name = "reference", description = "Enumerations and service health"),
        (name = "accounts", description = "Sign-up, sign-in (HttpOnly session cookie) and the signed-in person's data. \
            Writes with the cookie need a JSON body, or must come from this site's own pages."),
        (name = "enrolment", description = "Eligibility (anonymous), enrolment, the waiting list and the inbox"),
        (name = "staff", description = "Role-scoped endpoints for institutions, evaluators and HR officers")
    )
)]
struct ApiDoc;

/// The public API and its OpenAPI document, built from the same route list.
pub fn router() -> (Router<AppState>, OpenApi) {
    let (public, mut doc) = OpenApiRouter::with_openapi(<ApiDoc as utoipa::OpenApi>::openapi())
        .routes(routes!(list_courses))
        .routes(routes!(get_course))
        .routes(routes!(list_institutions))
        .routes(routes!(get_institution))
        .routes(routes!(meta::meta))
        .routes(routes!(certificate::verify))
        .split_for_parts();
    // The anonymous check is a POST but reads nothing private: open to every origin too.
    let (check, check_doc) = OpenApiRouter::new()
        .routes(routes!(enrollment::check))
        .split_for_parts();
    doc.merge(check_doc);
    let (private, private_doc) = OpenApiRouter::new()
        .routes(routes!(accounts::register))
        .routes(routes!(accounts::login))
        .routes(routes!(accounts::logout))
        .routes(routes!(accounts::me, accounts::delete))
        .routes(routes!(accounts::set_groups))
        .routes(routes!(accounts::change_password))
        .routes(routes!(accounts::export))
        .routes(routes!(staff::import_catalog))
        .routes(routes!(enrollment::enroll))
        .routes(routes!(enrollment::mine))
        .routes(routes!(enrollment::cancel))
        .routes(routes!(enrollment::notifications))
        .routes(routes!(enrollment::mark_read))
        .routes(routes!(enrollment::classes))
        .routes(routes!(enrollment::roster))
        .routes(routes!(enrollment::set_status))
        .routes(routes!(enrollment::attendance))
        .routes(routes!(enrollment::employment))
        .routes(routes!(certificate::assess, certificate::to_assess))
        .routes(routes!(certificate::wallet))
        .routes(routes!(subsidy::mine, subsidy::claim))
        .routes(routes!(subsidy::queue))
        .routes(routes!(subsidy::decide))
        .routes(routes!(subsidy::paid))
        .routes(routes!(dispute::file, dispute::mine))
        .routes(routes!(dispute::for_city))
        .routes(routes!(dispute::resolve))
        .split_for_parts();
    let mut private_doc = private_doc;
    document_common_answers(&mut private_doc, true);
    doc.merge(private_doc);
    document_common_answers(&mut doc, false);
    // Uploads of a city's catalogue may be up to 20 MB; every other body up to 1 MB.
    let private = private.layer(axum::extract::DefaultBodyLimit::max(
        app::catalog::import::MAX_FILE_BYTES + 64 * 1024,
    ));
    // The paths above are relative to /api/v1.
    doc.paths.paths = std::mem::take(&mut doc.paths.paths)
        .into_iter()
        .map(|(path, item)| (format!("/api/v1{path}"), item))
        .collect();
    let (health, health_doc) = OpenApiRouter::new()
        .routes(routes!(healthz))
        .routes(routes!(readyz))
        .split_for_parts();
    doc.merge(health_doc);
    // Other government sites embed the catalogue: reads are open to every origin.
    let cors = CorsLayer::new().allow_origin(Any).allow_methods([
        Method::GET,
        Method::HEAD,
        Method::OPTIONS,
    ]);
    let cors_check = CorsLayer::new()
        .allow_origin(Any)
        .allow_methods([Method::POST, Method::OPTIONS])
        .allow_headers([axum::http::header::CONTENT_TYPE]);
    let router = Router::new()
        .nest(
            "/api/v1",
            public
                .layer(cors.clone())
                .merge(check.layer(cors_check))
                .merge(private)
                .fallback(not_found),
        )
        .merge(health)
        .route_layer(axum::middleware::from_fn(error::json_rejections));
    let openapi = doc.clone();
    let router = router.route(
        "/api/openapi.json",
        axum::routing::get(move || {
            let doc = openapi.clone();
            async move { Json(doc) }
        })
        .layer(cors),
    );
    (router, doc)
}

/// Adds the answers every operation of a kind may give, whatever its handler says: 401 where a
/// session is needed (`signed_in`), 400 for a malformed path or query parameter, and for a JSON
/// body 400 (not JSON, or of the wrong shape) and 415 (not sent as JSON), each with the error
/// body.
fn document_common_answers(doc: &mut OpenApi, signed_in: bool) {
    use utoipa::openapi::path::Operation;
    use utoipa::openapi::{Content, Ref, RefOr, ResponseBuilder};
    fn add(op: &mut Operation, code: &str, text: &str) {
        op.responses
            .responses
            .entry(code.into())
            .or_insert_with(|| {
                RefOr::T(
                    ResponseBuilder::new()
                        .description(text)
                        .content(
                            "application/json",
                            Content::new(Some(Ref::from_schema_name("ErrorBody"))),
                        )
                        .build(),
                )
            });
    }
    for item in doc.paths.paths.values_mut() {
        for op in [
            &mut item.get,
            &mut item.post,
            &mut item.put,
            &mut item.delete,
            &mut item.patch,
        ]
        .into_iter()
        .flatten()
        {
            if signed_in {
                add(op, "401", "Not signed in (or the session ended)");
            }
            if op.parameters.as_ref().is_some_and(|p| !p.is_empty()) {
                add(op, "400", "A parameter is not valid");
            }
            if op.request_body.is_some() {
                add(
                    op,
                    "400",
                    "The body is not JSON, or a field is missing or of the wrong type; `fields` names each",
                );
                add(op, "415", "The body was not sent as application/json");
            }
        }
    }
}

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

fn query_pairs(raw: &Option<String>) -> Vec<(String, String)> {
    raw.as_deref()
        .map(|q| form_urlencoded::parse(q.as_bytes()).into_owned().collect())
        .unwrap_or_default()
}

/// The page of a list asked for, and the filters it names (each once); any other parameter is
/// refused (400).
pub fn list_query(
    raw: &Option<String>,
    filters: &[&str],
) -> Result<(Paging, BTreeMap<String, String>), ApiError> {
    let pairs = query_pairs(raw);
    Ok(Paging::parse(
        pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())),
        filters,
    )?)
}

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
async fn list_courses(
    State(state): State<AppState>,
    user: Option<axum::Extension<app::accounts::CurrentUser>>,
    RawQuery(raw): RawQuery,
) -> Result<Json<CourseList>, ApiError> {
    let pairs = query_pairs(&raw);
    let query = CourseQuery::parse(
        pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())),
        Strictness::Strict,
    )?;
    let user = user.and_then(|u| u.0 .0.clone());
    Ok(Json(
        app::enrollment::service::search(&state.portal, user.as_ref(), &query).await?,
    ))
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
async fn get_course(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> Result<Json<Course>, ApiError> {
    Ok(Json(
        service::get_with_outcomes(&state.portal, &code).await?,
    ))
}

/// Training institutions with courses in the catalogue.
#[utoipa::path(
    get,
    path = "/institutions",
    tag = "catalogue",
    params(InstitutionQuery),
    responses(
        (status = 200, description = "One page of institutions", body = InstitutionList),
        (status = 400, description = "A parameter is not valid", body = ErrorBody),
    )
)]
async fn list_institutions(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Json<InstitutionList>, ApiError> {
    let pairs = query_pairs(&raw);
    let query = InstitutionQuery::parse(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))?;
    Ok(Json(
        service::institutions(&state.portal, &query.city, query.page, query.per_page).await?,
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
async fn get_institution(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> Result<Json<Institution>, ApiError> {
    Ok(Json(service::institution(&state.portal, &code).await?))
}

async fn not_found() -> ApiError {
    ApiError(app::error::AppError::NotFound)
}
