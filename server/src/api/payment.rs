//! Paying claims: the trainee's payee (`/me/payee`, `/me/subsidies/{id}/payee`), the HR
//! officer's payment batches (`/staff/payment-batches`), bank returns and the city's yearly
//! budget (`/staff/subsidy-budget`).

use super::{ApiError, ApiJson};
use crate::session::Signed;
use crate::state::AppState;
use app::error::{AppError, FieldProblem};
use app::list::{Page, PageParams};
use app::subsidy::batches::{Budget, PaymentBatch};
use app::subsidy::payee::{PayeeInput, PayeeView};
use app::subsidy::{budget as budgets, payee_service, payment, payment_sheet};
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct KeptPayee {
    /// The payee kept for later claims (the account masked), or null.
    payee: Option<PayeeView>,
}

/// The payee I keep for my later claims.
#[utoipa::path(
    get,
    path = "/me/payee",
    tag = "accounts",
    responses(
        (status = 200, description = "The kept payee, masked (null when none)", body = KeptPayee),
        (status = 403, description = "Not a trainee", body = super::ErrorBody),
    )
)]
pub async fn kept(
    State(state): State<AppState>,
    Signed(user): Signed,
) -> Result<Json<KeptPayee>, ApiError> {
    let payee = payee_service::kept(&state.portal, &user.actor).await?;
    Ok(Json(KeptPayee { payee }))
}

/// Keep a payee for my later claims (the account number is sealed; shown masked).
#[utoipa::path(
    put,
    path = "/me/payee",
    tag = "accounts",
    request_body = PayeeInput,
    responses(
        (status = 200, description = "Kept", body = PayeeView),
        (status = 400, description = "Not a payee that can be paid", body = super::ErrorBody),
        (status = 403, description = "Not a trainee", body = super::ErrorBody),
    )
)]
pub async fn keep(
    State(state): State<AppState>,
    Signed(user): Signed,
    ApiJson(body): ApiJson<PayeeInput>,
) -> Result<Json<PayeeView>, ApiError> {
    Ok(Json(
        payee_service::keep(&state.portal, &user.actor, &body).await?,
    ))
}

/// Name another payee for one of my claims not yet paid and in no batch (after a bank
/// return, say).
#[utoipa::path(
    put,
    path = "/me/subsidies/{id}/payee",
    tag = "accounts",
    params(("id" = i64, Path, description = "The claim")),
    request_body = PayeeInput,
    responses(
        (status = 200, description = "Changed"),
        (status = 400, description = "Not a payee that can be paid", body = super::ErrorBody),
        (status = 404, description = "No such claim of mine", body = super::ErrorBody),
        (status = 409, description = "Paid, in a batch, rejected or stopped", body = super::ErrorBody),
    )
)]
pub async fn change_claim_payee(
    State(state): State<AppState>,
    Signed(user): Signed,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<PayeeInput>,
) -> Result<StatusCode, ApiError> {
    payee_service::change_claim_payee(&state.portal, &user.actor, id, &body).await?;
    Ok(StatusCode::OK)
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct GatherBody {
    /// The claims to gather (at most 1 000); every approved claim of the city that can be paid
    /// when absent.
    claims: Option<Vec<i64>>,
}

/// Gather approved claims of the officer's city into a payment batch.
#[utoipa::path(
    post,
    path = "/staff/payment-batches",
    tag = "staff",
    request_body = GatherBody,
    responses(
        (status = 201, description = "The batch, open, with its claims (payees masked)", body = PaymentBatch),
        (status = 400, description = "An empty or too long list", body = super::ErrorBody),
        (status = 403, description = "Not an HR officer", body = super::ErrorBody),
        (status = 404, description = "A claim not of the officer's city", body = super::ErrorBody),
        (status = 409, description = "A claim that cannot join (`claims` names them), or none can", body = super::ErrorBody),
    )
)]
pub async fn gather(
    State(state): State<AppState>,
    Signed(user): Signed,
    ApiJson(body): ApiJson<GatherBody>,
) -> Result<Response, ApiError> {
    let batch = payment::gather(&state.portal, &user.actor, body.claims.as_deref()).await?;
    Ok((StatusCode::CREATED, Json(batch)).into_response())
}

/// The officer's city's payment batches, newest first.
#[utoipa::path(
    get,
    path = "/staff/payment-batches",
    tag = "staff",
    params(PageParams),
    responses(
        (status = 200, description = "One page of the batches (without their claims)", body = Page<PaymentBatch>),
        (status = 403, description = "Not an HR officer", body = super::ErrorBody),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    Signed(user): Signed,
    RawQuery(raw): RawQuery,
) -> Result<Json<Page<PaymentBatch>>, ApiError> {
    let (paging, _) = super::list_query(&raw, &[])?;
    Ok(Json(
        payment::list(&state.portal, &user.actor, paging).await?,
    ))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct BatchQuery {
    /// `json` (default: payees masked), or for finance `csv` (UTF-8 with BOM) or `xlsx`, with
    /// the payees in full (the read is audited).
    format: Option<String>,
}

/// One payment batch with its claims; for finance, as CSV or XLSX.
#[utoipa::path(
    get,
    path = "/staff/payment-batches/{id}",
    tag = "staff",
    params(("id" = i64, Path, description = "The batch"), BatchQuery),
    responses(
        (status = 200, description = "The batch (JSON, CSV or XLSX)", body = PaymentBatch, content_type = "application/json"),
        (status = 400, description = "Unknown format", body = super::ErrorBody),
        (status = 403, description = "Not an HR officer", body = super::ErrorBody),
        (status = 404, description = "No such batch in the officer's city", body = super::ErrorBody),
    )
)]
pub async fn one(
    State(state): State<AppState>,
    Signed(user): Signed,
    Path(id): Path<i64>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let (_, values) = super::list_query(&raw, &["format"])?;
    let (portal, actor) = (&state.portal, &user.actor);
    let file = |body: Vec<u8>, kind: &'static str, ext: &str| {
        let mut response = body.into_response();
        let h = response.headers_mut();
        h.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
        let name = format!("attachment; filename=\"peixun-batch-{id}.{ext}\"");
        if let Ok(v) = HeaderValue::from_str(&name) {
            h.insert(header::CONTENT_DISPOSITION, v);
        }
        response
    };
    let mut response = match values.get("format").map(String::as_str) {
        None | Some("json") => Json(payment::one(portal, actor, id, false).await?).into_response(),
        Some("csv") => {
            let batch = payment::one(portal, actor, id, true).await?;
            file(
                payment_sheet::csv(&batch)?,
                "text/csv; charset=utf-8",
                "csv",
            )
        }
        Some("xlsx") => {
            let batch = payment::one(portal, actor, id, true).await?;
            let bytes = tokio::task::spawn_blocking(move || payment_sheet::xlsx(&batch))
                .await
                .map_err(|e| AppError::Internal(e.to_string()))??;
            let kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
            file(bytes, kind, "xlsx")
        }
        Some(_) => return Err(AppError::field("format", FieldProblem::UnknownCode).into()),
    };
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct PaidBody {
    /// The day finance paid it (YYYY-MM-DD; today when absent).
    paid_on: Option<String>,
    /// Finance's payment reference (required).
    reference: Option<String>,
}

/// Mark a payment batch of the officer's city paid: every claim in it becomes `paid` with the
/// day and the reference.
#[utoipa::path(
    post,
    path = "/staff/payment-batches/{id}/paid",
    tag = "staff",
    params(("id" = i64, Path, description = "The batch")),
    request_body = PaidBody,
    responses(
        (status = 200, description = "Paid", body = PaymentBatch),
        (status = 400, description = "No reference, or a day before the batch or after today", body = super::ErrorBody),
        (status = 403, description = "Not an HR officer", body = super::ErrorBody),
        (status = 404, description = "No such batch in the officer's city", body = super::ErrorBody),
        (status = 409, description = "Paid already", body = super::ErrorBody),
    )
)]
pub async fn paid(
    State(state): State<AppState>,
    Signed(user): Signed,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<PaidBody>,
) -> Result<Json<PaymentBatch>, ApiError> {
    let (day, reference) = (body.paid_on.as_deref(), body.reference.as_deref());
    Ok(Json(
        payment::pay(&state.portal, &user.actor, id, day, reference).await?,
    ))
}

/// Mark one approved claim of the officer's city paid at once (a batch of one).
#[utoipa::path(
    post,
    path = "/staff/subsidies/{id}/paid",
    tag = "staff",
    params(("id" = i64, Path, description = "The claim")),
    request_body = PaidBody,
    responses(
        (status = 200, description = "Paid", body = super::subsidy::ClaimStep),
        (status = 400, description = "No reference, or a day after today", body = super::ErrorBody),
        (status = 403, description = "Not an HR officer", body = super::ErrorBody),
        (status = 404, description = "No such claim in the officer's city", body = super::ErrorBody),
        (status = 409, description = "Not approved, in a batch already, disputed, or without a payee", body = super::ErrorBody),
    )
)]
pub async fn paid_one(
    State(state): State<AppState>,
    Signed(user): Signed,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<PaidBody>,
) -> Result<Json<super::subsidy::ClaimStep>, ApiError> {
    let (day, reference) = (body.paid_on.as_deref(), body.reference.as_deref());
    let status = payment::pay_one(&state.portal, &user.actor, id, day, reference).await?;
    Ok(Json(super::subsidy::ClaimStep { id, status }))
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct ReturnedBody {
    /// The bank's reason (required).
    reason: Option<String>,
}

/// A bank return (退票) of a paid claim: back to approved, for a later batch.
#[utoipa::path(
    post,
    path = "/staff/subsidies/{id}/returned",
    tag = "staff",
    params(("id" = i64, Path, description = "The claim")),
    request_body = ReturnedBody,
    responses(
        (status = 200, description = "Back to approved", body = super::subsidy::ClaimStep),
        (status = 400, description = "No reason", body = super::ErrorBody),
        (status = 403, description = "Not an HR officer", body = super::ErrorBody),
        (status = 404, description = "No such claim in the officer's city", body = super::ErrorBody),
        (status = 409, description = "Not paid, or money paid on it is due back", body = super::ErrorBody),
    )
)]
pub async fn returned(
    State(state): State<AppState>,
    Signed(user): Signed,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<ReturnedBody>,
) -> Result<Json<super::subsidy::ClaimStep>, ApiError> {
    let status = payment::returned(&state.portal, &user.actor, id, body.reason.as_deref()).await?;
    Ok(Json(super::subsidy::ClaimStep { id, status }))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct BudgetQuery {
    /// The calendar year (this year when absent).
    year: Option<i32>,
}

/// The officer's city's subsidy budget for a year against what its claims of that year have
/// approved and paid.
#[utoipa::path(
    get,
    path = "/staff/subsidy-budget",
    tag = "staff",
    params(BudgetQuery),
    responses(
        (status = 200, description = "The budget (null when none is set) and the totals", body = Budget),
        (status = 400, description = "Not a year", body = super::ErrorBody),
        (status = 403, description = "Not an HR officer", body = super::ErrorBody),
    )
)]
pub async fn budget(
    State(state): State<AppState>,
    Signed(user): Signed,
    RawQuery(raw): RawQuery,
) -> Result<Json<Budget>, ApiError> {
    let (_, values) = super::list_query(&raw, &["year"])?;
    let year = match values.get("year") {
        None => None,
        Some(text) => {
            let year = app::list::bounded(text, 2000, 2100)
                .map_err(|problem| AppError::field("year", problem))?;
            i32::try_from(year).ok()
        }
    };
    Ok(Json(
        budgets::budget(&state.portal, &user.actor, year).await?,
    ))
}
