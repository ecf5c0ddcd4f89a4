//! The public JSON API under `/api/v1` (../shared/docs/api.md), documented by the OpenAPI
//! document at `/api/openapi.json` that is generated from these handlers. One file a domain;
//! each handler only reads the request, finds who is signed in (`Signed`), calls one service
//! and writes the answer. Who may do what is the services' to decide.

mod accounts;
mod audit;
mod catalog;
mod certificate;
mod console;
mod dispute;
mod eligibility;
mod enrollment;
mod groups;
mod health;
mod identity_cases;
mod inbox;
mod json;
mod meta;
mod payment;
mod privacy;
mod ratings;
mod second_factor;
mod subsidy;

pub use crate::error::{ApiError, ErrorBody};
use crate::state::AppState;
use app::list::Paging;
use axum::http::Method;
use axum::{Json, Router};
pub use catalog::{import_upload, read_upload};
pub use json::ApiJson;
use std::collections::BTreeMap;
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

/// The largest sign-up or sign-in body.
const AUTH_BODY_BYTES: usize = 16 * 1024;
/// The largest body of any other write (a catalogue upload aside).
const BODY_BYTES: usize = 1024 * 1024;

/// The public API and its OpenAPI document, built from the same route list.
pub fn router() -> (Router<AppState>, OpenApi) {
    let (public, mut doc) = OpenApiRouter::with_openapi(<ApiDoc as utoipa::OpenApi>::openapi())
        .routes(routes!(catalog::list_courses))
        .routes(routes!(catalog::get_course))
        .routes(routes!(catalog::list_institutions))
        .routes(routes!(catalog::list_evaluation_orgs))
        .routes(routes!(catalog::get_institution))
        .routes(routes!(meta::meta))
        .split_for_parts();
    // Certificate verification answers people, not other sites' scripts: no CORS headers.
    let (verify, verify_doc) = OpenApiRouter::new()
        .routes(routes!(certificate::verify))
        .split_for_parts();
    doc.merge(verify_doc);
    // The anonymous check is a POST but reads nothing private: open to every origin too.
    let (check, check_doc) = OpenApiRouter::new()
        .routes(routes!(eligibility::check))
        .split_for_parts();
    doc.merge(check_doc);
    // Sign-up and sign-in take a phone, a password and a name: 16 KB is plenty.
    let (door, door_doc) = OpenApiRouter::new()
        .routes(routes!(accounts::register))
        .routes(routes!(accounts::login))
        .routes(routes!(accounts::phone_code))
        .routes(routes!(accounts::reset))
        .routes(routes!(second_factor::finish))
        .routes(routes!(identity_cases::report))
        .split_for_parts();
    let door = door.layer(axum::extract::DefaultBodyLimit::max(AUTH_BODY_BYTES));
    // Only a city's catalogue upload may be up to 20 MB.
    let (upload, upload_doc) = OpenApiRouter::new()
        .routes(routes!(catalog::import_catalog))
        .split_for_parts();
    let upload = upload.layer(axum::extract::DefaultBodyLimit::max(
        app::catalog::import::MAX_FILE_BYTES + 64 * 1024,
    ));
    let (private, private_doc) = OpenApiRouter::new()
        .routes(routes!(accounts::logout))
        .routes(routes!(accounts::me, privacy::delete))
        .routes(routes!(groups::mine, groups::declare))
        .routes(routes!(groups::queue))
        .routes(routes!(groups::decide))
        .routes(routes!(accounts::change_password))
        .routes(routes!(accounts::change_phone))
        .routes(routes!(accounts::notices, accounts::set_notices))
        .routes(routes!(second_factor::set_up_app))
        .routes(routes!(second_factor::confirm_app))
        .routes(routes!(identity_cases::list))
        .routes(routes!(identity_cases::decide))
        .routes(routes!(privacy::export))
        .routes(routes!(enrollment::enroll))
        .routes(routes!(enrollment::mine))
        .routes(routes!(enrollment::cancel))
        .routes(routes!(ratings::rate))
        .routes(routes!(ratings::of_class))
        .routes(routes!(inbox::notifications))
        .routes(routes!(inbox::mark_read))
        .routes(routes!(console::classes))
        .routes(routes!(console::roster))
        .routes(routes!(console::set_status))
        .routes(routes!(console::attendance))
        .routes(routes!(console::employment))
        .routes(routes!(certificate::assess, certificate::to_assess))
        .routes(routes!(certificate::wallet))
        .routes(routes!(certificate::revoke))
        .routes(routes!(certificate::correct))
        .routes(routes!(subsidy::recoveries))
        .routes(routes!(subsidy::decide_recovery))
        .routes(routes!(subsidy::mine, subsidy::claim))
        .routes(routes!(subsidy::queue))
        .routes(routes!(subsidy::decide))
        .routes(routes!(payment::paid_one))
        .routes(routes!(payment::kept, payment::keep))
        .routes(routes!(payment::change_claim_payee))
        .routes(routes!(payment::gather, payment::list))
        .routes(routes!(payment::one))
        .routes(routes!(payment::paid))
        .routes(routes!(payment::returned))
        .routes(routes!(payment::budget))
        .routes(routes!(dispute::file, dispute::mine))
        .routes(routes!(dispute::for_city))
        .routes(routes!(dispute::resolve))
        .routes(routes!(audit::trail))
        .split_for_parts();
    let mut private_doc = private_doc;
    private_doc.merge(door_doc);
    private_doc.merge(upload_doc);
    document_common_answers(&mut private_doc, true);
    doc.merge(private_doc);
    document_common_answers(&mut doc, false);
    // Every other body up to 1 MB.
    let private = private
        .layer(axum::extract::DefaultBodyLimit::max(BODY_BYTES))
        .merge(door)
        .merge(upload);
    // The paths above are relative to /api/v1.
    doc.paths.paths = std::mem::take(&mut doc.paths.paths)
        .into_iter()
        .map(|(path, item)| (format!("/api/v1{path}"), item))
        .collect();
    let (health, health_doc) = OpenApiRouter::new()
        .routes(routes!(health::healthz))
        .routes(routes!(health::readyz))
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
                .merge(verify)
                .merge(private)
                .fallback(not_found),
        )
        .merge(health)
        .route_layer(axum::middleware::from_fn(crate::error::json_rejections));
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

pub fn query_pairs(raw: &Option<String>) -> Vec<(String, String)> {
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

async fn not_found() -> ApiError {
    ApiError(app::error::AppError::NotFound)
}

/// Bodies in the API's words (a path parameter's type, a date).
pub fn parse_date(field: &str, text: &str) -> Result<chrono::NaiveDate, ApiError> {
    chrono::NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| {
        ApiError(app::error::AppError::field(
            field,
            app::error::FieldProblem::NotADate,
        ))
    })
}
