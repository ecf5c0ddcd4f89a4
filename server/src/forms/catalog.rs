//! The HR officer's catalogue upload page: the same checks and import as the API and the CLI;
//! the report (or every problem) is shown on the page again.

use super::{locale_of, refused, render_again};
use crate::session::SignedForm;
use crate::state::AppState;
use app::access::CurrentUser;
use app::error::AppError;
use app::shell::FormState;
use axum::extract::{Multipart, State};
use axum::http::HeaderMap;
use axum::response::Response;
use std::collections::BTreeMap;

/// The HR officer's catalogue upload page: the same checks and import as the API and the CLI;
/// the report (or every problem) is shown on the page again.
pub async fn upload_catalog(
    State(app): State<AppState>,
    headers: HeaderMap,
    SignedForm(me): SignedForm,
    mut form: Multipart,
) -> Response {
    let locale = locale_of(&headers);
    // Who may import is the service's rule; asked first, so nobody else's upload is read.
    let imported = match app::catalog::service::importer_city(&me.actor) {
        Err(e) => Err(e),
        Ok(_) => match crate::api::read_upload(&mut form).await {
            Err(e) => Err(e),
            Ok(upload) => crate::api::import_upload(&app, &me.actor, upload).await,
        },
    };
    let state = match imported {
        Ok(report) => FormState {
            message: Some(app::catalog::upload_page::import_summary(locale, &report)),
            details: report.warnings.iter().map(|w| w.describe(locale)).collect(),
            status: 200,
            ..Default::default()
        },
        Err(err @ (AppError::FileRefused { .. } | AppError::TooLarge { .. })) => FormState {
            message: Some(err.message(locale)),
            details: match &err {
                AppError::FileRefused { problems, .. } => problems
                    .iter()
                    .map(|p| p.text(locale).to_string())
                    .collect(),
                _ => Vec::new(),
            },
            status: err.status(),
            ..Default::default()
        },
        Err(AppError::Invalid(fields)) => FormState {
            message: fields.0.values().next().map(|p| p.message(locale)),
            status: 400,
            ..Default::default()
        },
        Err(err) => refused(&err, locale, BTreeMap::new()),
    };
    render_again(
        &app,
        "/staff/catalog",
        headers,
        CurrentUser(Some(me)),
        state,
    )
    .await
}
