//! The write trail's console page (`/staff/audit`): a plain GET form to filter by actor,
//! record and days, one page of entries, and the same selection as a CSV download.

use super::TrailEntry;
use crate::error::AppError;
use crate::i18n::Locale;
use crate::list::Page;
use crate::prefs::use_locale;
use crate::shell::{page_asked, Loaded, Pager};
use leptos::prelude::*;
use leptos_i18n::td_string;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use std::collections::BTreeMap;

/// One page of the trail the signed-in admin or HR officer may read; `query` holds the
/// filter's fields as typed (checked on the server: a bad date is named).
#[server]
pub async fn audit_trail(
    query: BTreeMap<String, String>,
    page: u32,
) -> Result<Page<TrailEntry>, AppError> {
    let portal = crate::portal::from_context()?;
    let filter = super::TrailFilter::parse(&query)?;
    let paging = crate::list::Paging {
        page,
        per_page: crate::list::DEFAULT_PER_PAGE,
    };
    super::service::trail(&portal, &crate::access::signed_in_actor()?, &filter, paging).await
}

/// The filter's fields from the address.
fn asked() -> BTreeMap<String, String> {
    use_query_map().with_untracked(|q| {
        super::TrailFilter::KEYS
            .iter()
            .filter_map(|k| q.get(k).map(|v| (k.to_string(), v)))
            .filter(|(_, v)| !v.trim().is_empty())
            .collect()
    })
}

#[component]
pub fn AuditPage() -> impl IntoView {
    let locale = use_locale();
    let query = asked();
    let data = Resource::new(
        {
            let query = query.clone();
            move || (query.clone(), page_asked())
        },
        |(query, page)| audit_trail(query, page),
    );
    let value = |key: &str| query.get(key).cloned().unwrap_or_default();
    let search: String = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(query.iter())
        .finish();
    let csv = if search.is_empty() {
        "/api/v1/staff/audit?format=csv".to_string()
    } else {
        format!("/api/v1/staff/audit?format=csv&{search}")
    };
    view! {
        <Title text=td_string!(locale, audit.title) />
        <h1>{td_string!(locale, audit.title)}</h1>
        <p class="lead">{td_string!(locale, audit.lead)}</p>
        <form method="get" action="/staff/audit" class="filters">
            <label for="audit-actor">{td_string!(locale, audit.actor)}</label>
            <input id="audit-actor" name="actor" type="text" maxlength="64" value=value("actor") />
            <label for="audit-record">{td_string!(locale, audit.record)}</label>
            <input id="audit-record" name="record" type="text" maxlength="64" value=value("record")
                aria-describedby="audit-record-hint" />
            <p id="audit-record-hint" class="hint">{td_string!(locale, audit.record_hint)}</p>
            <label for="audit-from">{td_string!(locale, audit.from)}</label>
            <input id="audit-from" name="from" type="date" value=value("from") />
            <label for="audit-to">{td_string!(locale, audit.to)}</label>
            <input id="audit-to" name="to" type="date" value=value("to") />
            <button type="submit">{td_string!(locale, audit.filter)}</button>
        </form>
        <p><a href=csv download="audit.csv">{td_string!(locale, audit.download)}</a></p>
        <Loaded data=data view={move |list: Page<TrailEntry>| {
            if list.items.is_empty() {
                return view! { <p>{td_string!(locale, audit.empty)}</p> }.into_any();
            }
            let (at, pages) = (list.page, list.pages());
            let search = search.clone();
            view! {
                <div class="table-scroll" role="region" aria-labelledby="audit-caption" tabindex="0">
                    <table class="data-table">
                        <caption id="audit-caption">{td_string!(locale, audit.caption, total = list.total).to_string()}</caption>
                        <thead><tr>
                            <th scope="col">{td_string!(locale, audit.col_at)}</th>
                            <th scope="col">{td_string!(locale, audit.col_actor)}</th>
                            <th scope="col">{td_string!(locale, audit.col_record)}</th>
                            <th scope="col">{td_string!(locale, audit.col_action)}</th>
                            <th scope="col">{td_string!(locale, audit.col_change)}</th>
                        </tr></thead>
                        <tbody>
                            {list.items.into_iter().map(|e| view! { <TrailRow locale=locale e=e /> }).collect_view()}
                        </tbody>
                    </table>
                </div>
                <Pager locale=locale at=at pages=pages href=move |p| {
                    if search.is_empty() {
                        format!("/staff/audit?page={p}")
                    } else {
                        format!("/staff/audit?{search}&page={p}")
                    }
                } />
            }
            .into_any()
        }} />
    }
}

#[component]
fn TrailRow(locale: Locale, e: TrailEntry) -> impl IntoView {
    let role = super::role_label(&e.actor_role, locale);
    let who = match &e.actor_name {
        Some(name) => format!("{role} · {name} · {}", e.actor_ref),
        None => format!("{role} · {}", e.actor_ref),
    };
    let change = format!(
        "{} → {}",
        e.before.as_deref().unwrap_or("—"),
        e.after.as_deref().unwrap_or("—")
    );
    view! {
        <tr>
            <td>{e.at}</td>
            <td>{who}</td>
            <th scope="row">{e.record}</th>
            <td>{super::action_label(&e.action, locale)}</td>
            <td>{change}</td>
        </tr>
    }
}
