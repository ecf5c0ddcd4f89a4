//! "这不是我" under an enrolment or a claim, and the HR officer's resolution of one.

use super::refused_on;
use crate::session::{see_other, SignedForm};
use crate::state::AppState;
use app::access::CurrentUser;
use app::dispute::{service, DisputeKind};
use app::error::AppError;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::Form;

#[derive(Debug, serde::Deserialize)]
pub struct DisputeForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    id: String,
    note: Option<String>,
}

/// "这不是我" under an enrolment or a claim; the person's disputes are listed on 我的补贴.
pub async fn dispute(
    State(app): State<AppState>,
    headers: HeaderMap,
    SignedForm(me): SignedForm,
    Form(form): Form<DisputeForm>,
) -> Response {
    let back = if form.kind == "subsidy" {
        "/me/subsidies"
    } else {
        "/me/enrollments"
    };
    let result = match (
        DisputeKind::parse(&form.kind),
        form.id.trim().parse::<i64>(),
    ) {
        (Ok(kind), Ok(id)) => {
            service::file(&app.portal, &me.actor, kind, id, form.note.as_deref()).await
        }
        (Err(e), _) => Err(e),
        (_, Err(_)) => Err(AppError::NotFound),
    };
    match result {
        Ok(_) => see_other("/me/subsidies?disputed=1#disputes-heading"),
        Err(err) => refused_on(&app, back, headers, CurrentUser(Some(me)), err).await,
    }
}

#[derive(Debug, serde::Deserialize)]
pub struct ResolveForm {
    resolution: Option<String>,
    action: Option<String>,
    /// Days separated by commas, spaces or 、.
    dates: Option<String>,
}

/// The HR officer's review console: resolve a dispute, and do what it decided.
pub async fn resolve_dispute(
    State(app): State<AppState>,
    headers: HeaderMap,
    SignedForm(me): SignedForm,
    Path(id): Path<i64>,
    Form(form): Form<ResolveForm>,
) -> Response {
    let dates: Vec<String> = form
        .dates
        .as_deref()
        .unwrap_or_default()
        .split([',', '，', '、', ' ', '\n'])
        .map(str::to_string)
        .collect();
    let result = match app::dispute::Action::parse(form.action.as_deref(), &dates) {
        Ok(action) => {
            let resolution = form.resolution.as_deref();
            service::resolve(&app.portal, &me.actor, id, resolution, &action).await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => see_other("/staff/subsidies?saved=1#city-disputes-heading"),
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
