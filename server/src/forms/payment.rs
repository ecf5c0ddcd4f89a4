//! The payment batches page's posts (gather a batch, mark it paid, a bank return) and the
//! trainee's change of a claim's payee.

use super::refused_on;
use crate::session::{see_other, SignedForm};
use crate::state::AppState;
use app::access::CurrentUser;
use app::subsidy::payee::PayeeInput;
use app::subsidy::{payee_service, payment};
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::Form;

/// A payee as a claim form gives it: `kind` `kept` (or nothing) means the one kept.
#[derive(Debug, Default, serde::Deserialize)]
pub struct PayeeForm {
    #[serde(default)]
    pub kind: String,
    pub bank: Option<String>,
    pub account: Option<String>,
    pub keep_payee: Option<String>,
}

impl PayeeForm {
    /// The payee given, unless the kept one is chosen.
    pub fn given(&self) -> Option<PayeeInput> {
        match self.kind.trim() {
            "" | "kept" => None,
            kind => Some(PayeeInput {
                kind: kind.to_string(),
                bank: self.bank.clone(),
                account: self.account.clone(),
            }),
        }
    }

    pub fn keep(&self) -> bool {
        self.keep_payee.is_some()
    }
}

/// 我的补贴: another payee for a claim not yet in a batch.
pub async fn change_claim_payee(
    State(app): State<AppState>,
    headers: HeaderMap,
    SignedForm(me): SignedForm,
    Path(id): Path<i64>,
    Form(form): Form<PayeeForm>,
) -> Response {
    let given = form.given().unwrap_or_default();
    match payee_service::change_claim_payee(&app.portal, &me.actor, id, &given).await {
        Ok(()) => see_other("/me/subsidies?payee=1"),
        Err(err) => refused_on(&app, "/me/subsidies", headers, CurrentUser(Some(me)), err).await,
    }
}

/// 支付批次: every approved claim of the city into a new batch.
pub async fn gather_batch(
    State(app): State<AppState>,
    headers: HeaderMap,
    SignedForm(me): SignedForm,
) -> Response {
    match payment::gather(&app.portal, &me.actor, None).await {
        Ok(batch) => see_other(&format!("/staff/payment-batches/{}?saved=1", batch.id)),
        Err(err) => {
            let me = CurrentUser(Some(me));
            refused_on(&app, "/staff/payment-batches", headers, me, err).await
        }
    }
}

#[derive(Debug, serde::Deserialize)]
pub struct PaidForm {
    paid_on: Option<String>,
    reference: Option<String>,
}

/// 支付批次: a batch paid, on a day, with finance's reference.
pub async fn batch_paid(
    State(app): State<AppState>,
    headers: HeaderMap,
    SignedForm(me): SignedForm,
    Path(id): Path<i64>,
    Form(form): Form<PaidForm>,
) -> Response {
    let (day, reference) = (form.paid_on.as_deref(), form.reference.as_deref());
    match payment::pay(&app.portal, &me.actor, id, day, reference).await {
        Ok(_) => see_other(&format!("/staff/payment-batches/{id}?saved=1")),
        Err(err) => {
            let page = format!("/staff/payment-batches/{id}");
            refused_on(&app, &page, headers, CurrentUser(Some(me)), err).await
        }
    }
}

#[derive(Debug, serde::Deserialize)]
pub struct ReturnedForm {
    reason: Option<String>,
}

/// A batch's page: a bank return of one paid claim.
pub async fn returned(
    State(app): State<AppState>,
    headers: HeaderMap,
    SignedForm(me): SignedForm,
    Path(id): Path<i64>,
    Form(form): Form<ReturnedForm>,
) -> Response {
    match payment::returned(&app.portal, &me.actor, id, form.reason.as_deref()).await {
        Ok(_) => see_other("/staff/payment-batches?saved=1"),
        Err(err) => {
            let me = CurrentUser(Some(me));
            refused_on(&app, "/staff/payment-batches", headers, me, err).await
        }
    }
}
