//! 我的补贴's claim button and the HR officer's review console (one step on a claim).

use super::refused_on;
use crate::session::{see_other, SignedForm};
use crate::state::AppState;
use app::access::CurrentUser;
use app::error::AppError;
use app::subsidy::{recovery, review, review_step, service};
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::Form;

#[derive(Debug, serde::Deserialize)]
pub struct ClaimForm {
    #[serde(default)]
    certificate_id: String,
    #[serde(flatten)]
    payee: super::payment::PayeeForm,
}

/// 我的补贴: claim the subsidy for a certificate.
pub async fn claim(
    State(app): State<AppState>,
    headers: HeaderMap,
    SignedForm(me): SignedForm,
    Form(form): Form<ClaimForm>,
) -> Response {
    // A certificate that is not a number is none of the person's: "not found", as the API.
    let result = match form.certificate_id.trim().parse::<i64>() {
        Ok(id) => {
            let given = form.payee.given();
            let asked = service::Asked {
                certificate_id: id,
                payee: given.as_ref(),
                keep_payee: form.payee.keep(),
            };
            service::claim(&app.portal, &me.actor, &asked).await
        }
        Err(_) => Err(AppError::NotFound),
    };
    match result {
        Ok(_) => see_other("/me/subsidies?claimed=1"),
        Err(err) => refused_on(&app, "/me/subsidies", headers, CurrentUser(Some(me)), err).await,
    }
}

#[derive(Debug, serde::Deserialize)]
pub struct DecisionForm {
    #[serde(default)]
    decision: String,
    reason: Option<String>,
    confirm_over_budget: Option<String>,
}

/// The HR officer's review console: one step on a claim.
pub async fn decide_claim(
    State(app): State<AppState>,
    headers: HeaderMap,
    SignedForm(me): SignedForm,
    Path(id): Path<i64>,
    Form(form): Form<DecisionForm>,
) -> Response {
    let result = match review_step(&form.decision) {
        Ok(step) => {
            let decision = review::Decision {
                step,
                reason: form.reason.as_deref(),
                confirm_over_budget: form.confirm_over_budget.is_some(),
            };
            review::review(&app.portal, &me.actor, id, &decision).await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => see_other("/staff/subsidies?saved=1"),
        Err(err) => {
            refused_on(
                &app,
                "/staff/subsidies",
                headers,
                CurrentUser(Some(me)),
                err,
            )
            .await
        }
    }
}

#[derive(Debug, serde::Deserialize)]
pub struct RecoveryForm {
    #[serde(default)]
    status: String,
    reason: Option<String>,
}

/// The HR officer's recoveries page: mark a due recovery recovered or waived, with a reason.
pub async fn decide_recovery(
    State(app): State<AppState>,
    headers: HeaderMap,
    SignedForm(me): SignedForm,
    Path(id): Path<i64>,
    Form(form): Form<RecoveryForm>,
) -> Response {
    let reason = form.reason.as_deref();
    match recovery::decide(&app.portal, &me.actor, id, &form.status, reason).await {
        Ok(_) => see_other("/staff/recoveries?saved=1"),
        Err(err) => {
            let me = CurrentUser(Some(me));
            refused_on(&app, "/staff/recoveries", headers, me, err).await
        }
    }
}
