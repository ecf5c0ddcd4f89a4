//! The HR officer's upload page: the city's catalogue as CSV or XLSX, checked and imported by
//! the same code as `peixun import-catalog` and `POST /api/v1/staff/catalog/import`.

use crate::prefs::use_locale;
use crate::reference::Enumeration;
use crate::shell::{form_outcome, redirect, set_status};
use leptos::prelude::*;
use leptos_i18n::td_string;
use leptos_meta::Title;

/// An import's outcome in words: created, updated, unchanged (or what a check would do).
#[cfg(feature = "ssr")]
pub fn import_summary(locale: crate::i18n::Locale, r: &super::service::ImportReport) -> String {
    if r.dry_run {
        td_string!(
            locale,
            upload.checked,
            created = r.created,
            updated = r.updated,
            unchanged = r.unchanged
        )
        .to_string()
    } else {
        td_string!(
            locale,
            upload.done,
            created = r.created,
            updated = r.updated,
            unchanged = r.unchanged
        )
        .to_string()
    }
}

/// The HR officer's upload page: the city's catalogue as CSV or XLSX, checked and imported by
/// the same code as `peixun import-catalog` and `POST /api/v1/staff/catalog/import`. A plain
/// multipart form; the report comes back on this page.
#[component]
pub fn UploadPage() -> impl IntoView {
    let locale = use_locale();
    let user = crate::access::current_user();
    // The one rule of who imports a city's catalogue: its HR officer (`Actor::city`).
    let city = user.as_ref().and_then(|u| u.actor.city().ok());
    let state = form_outcome();
    match (&user, city) {
        (None, _) => redirect("/login"),
        (Some(_), None) => set_status(403),
        _ => {}
    }
    let officer = city.is_some();
    let city = city.map(|c| c.label(locale)).unwrap_or_default();
    let details = state
        .details
        .iter()
        .map(|d| view! { <li>{d.clone()}</li> })
        .collect_view();
    let outcome = state.message.clone().map(|m| {
        if state.status >= 400 {
            view! {
                <div class="error-summary" role="alert" tabindex="-1">
                    <h2>{m}</h2>
                    <ul>{details}</ul>
                </div>
            }
            .into_any()
        } else {
            view! {
                <div class="notice-ok" role="status">
                    <p>{m}</p>
                    <ul>{details}</ul>
                </div>
            }
            .into_any()
        }
    });
    view! {
        <Title text=td_string!(locale, upload.title) />
        <div class="narrow">
            <h1>{td_string!(locale, upload.title)}</h1>
            {if officer {
                view! {
                    <p class="lead">{td_string!(locale, upload.lead, city = city).to_string()}</p>
                    {outcome}
                    <form method="post" action="/staff/catalog" enctype="multipart/form-data">
                        <div class="field">
                            <label for="file">{td_string!(locale, upload.file)}</label>
                            <p class="hint" id="file-hint">{td_string!(locale, upload.file_hint)}</p>
                            <input id="file" name="file" type="file" accept=".csv,.xlsx,text/csv" aria-describedby="file-hint" required />
                        </div>
                        <div class="field checks">
                            <input id="dry_run" type="checkbox" name="dry_run" value="true" />
                            <label for="dry_run">{td_string!(locale, upload.dry_run)}</label>
                        </div>
                        <button type="submit">{td_string!(locale, upload.submit)}</button>
                    </form>
                }
                .into_any()
            } else {
                view! { <p>{td_string!(locale, upload.only_officers)}</p> }.into_any()
            }}
        </div>
    }
}
