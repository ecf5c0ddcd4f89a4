//! 追回: the recoveries of the HR officer's city (each due one with its "recovered" and
//! "waived" forms) or of an institution's classes (to read). Plain forms that post to the
//! server (`server/src/forms/subsidy.rs`), usable without JS.

use super::{recovery_cause_label, Recovery, RecoveryStatus};
use crate::access::{current_user, Role};
use crate::error::AppError;
use crate::i18n::Locale;
use crate::list::Page;
use crate::prefs::use_locale;
use crate::reference::{Enumeration, Level};
use crate::shell::{form_outcome, page_asked, FormMessage, Loaded, Pager};
use leptos::prelude::*;
use leptos_i18n::td_string;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[server]
pub async fn recovery_list(status: String, page: u32) -> Result<Page<Recovery>, AppError> {
    let portal = crate::portal::from_context()?;
    let actor = crate::access::signed_in_actor()?;
    let status =
        match status.trim() {
            "" => None,
            code => Some(RecoveryStatus::from_code(code).ok_or_else(|| {
                AppError::field("status", crate::error::FieldProblem::UnknownCode)
            })?),
        };
    let paging = crate::list::Paging {
        page,
        per_page: crate::list::MAX_PER_PAGE,
    };
    super::recovery::list(&portal, &actor, status, paging).await
}

/// The words of a recovery's status, with its reason and who decided it.
pub fn recovery_line(r: &Recovery, locale: Locale) -> String {
    let status = RecoveryStatus::from_code(&r.status)
        .map(|s| s.label(locale))
        .unwrap_or_else(|| r.status.clone());
    let mut text = td_string!(
        locale,
        recovery.line,
        amount = r.amount_yuan.to_string(),
        cause = recovery_cause_label(&r.cause, locale),
        reason = r.reason.clone(),
        status = status
    )
    .to_string();
    if let Some(note) = &r.note {
        text.push_str(&td_string!(locale, enrol.notice_reason, reason = note.clone()).to_string());
    }
    text
}

#[component]
fn RecoveryActions(locale: Locale, r: Recovery, hr: bool) -> impl IntoView {
    if r.status != RecoveryStatus::Due.code() || !hr {
        return None;
    }
    let action = format!("/staff/recoveries/{}", r.id);
    let (reason_id, status_id) = (
        format!("recovery-reason-{}", r.id),
        format!("recovery-status-{}", r.id),
    );
    Some(view! {
        <form method="post" action=action class="row-form">
            <label for=status_id.clone()>{td_string!(locale, recovery.decision_label)}</label>
            <select id=status_id name="status">
                <option value="recovered">{RecoveryStatus::Recovered.label(locale)}</option>
                <option value="waived">{RecoveryStatus::Waived.label(locale)}</option>
            </select>
            <label for=reason_id.clone()>{td_string!(locale, change.reason)}</label>
            <input id=reason_id type="text" name="reason" maxlength="200" required />
            <button type="submit">{td_string!(locale, recovery.save)}</button>
        </form>
    })
}

/// /staff/recoveries: the city's recoveries for its HR officer, an institution's own for its
/// staff; due ones first.
#[component]
pub fn RecoveriesPage() -> impl IntoView {
    let locale = use_locale();
    let state = form_outcome();
    // Only the HR officer decides; an institution reads its own.
    let hr = current_user().is_some_and(|u| u.actor.role == Role::HrOfficer);
    let query = use_query_map();
    let status = query
        .with_untracked(|q| q.get("status"))
        .unwrap_or_default();
    let saved = query.with_untracked(|q| q.get("saved").is_some());
    let chosen = status.clone();
    let filter = form_urlencoded::byte_serialize(status.as_bytes()).collect::<String>();
    let data = Resource::new(
        move || (status.clone(), page_asked()),
        |(s, page)| recovery_list(s, page),
    );
    let level = move |code: &str| {
        Level::from_code(code)
            .map(|l| l.label(locale).to_string())
            .unwrap_or_else(|| code.to_string())
    };
    view! {
        <Title text=td_string!(locale, recovery.title) />
        <h1>{td_string!(locale, recovery.title)}</h1>
        <p class="lead">{td_string!(locale, recovery.lead)}</p>
        <p><a href="/staff/certificates">{td_string!(locale, recovery.change_link)}</a></p>
        <FormMessage state=state />
        {saved.then(|| view! { <p class="notice" role="status">{td_string!(locale, review.saved)}</p> })}
        <Loaded data=data view={move |list: Page<Recovery>| {
            let (at, pages) = (list.page, list.pages());
            let filter = filter.clone();
            view! {
                <section aria-labelledby="recoveries-caption">
                    {if list.items.is_empty() {
                        view! { <h2 id="recoveries-caption">{td_string!(locale, recovery.heading)}</h2><p>{td_string!(locale, recovery.none)}</p> }.into_any()
                    } else {
                        view! {
                            <div class="table-scroll" role="region" aria-labelledby="recoveries-caption" tabindex="0">
                                <table class="data-table">
                                    <caption id="recoveries-caption">{td_string!(locale, recovery.heading)}</caption>
                                    <thead><tr>
                                        <th scope="col">{td_string!(locale, review.col_claimant)}</th>
                                        <th scope="col">{td_string!(locale, recovery.col_certificate)}</th>
                                        <th scope="col">{td_string!(locale, recovery.col_amount)}</th>
                                        <th scope="col">{td_string!(locale, review.col_status)}</th>
                                        <th scope="col">{td_string!(locale, review.col_actions)}</th>
                                    </tr></thead>
                                    <tbody>
                                        {list.items.into_iter().map(|r| view! {
                                            <tr data-status=r.status.clone()>
                                                <td>{r.claimant.clone()} <br /> <span class="hint">{r.institution.clone()}</span></td>
                                                <td>{format!("{} · {}", r.occupation, level(&r.level))} <br />
                                                    <span class="hint">{r.certificate_number.clone()}</span></td>
                                                <td>{r.amount_yuan.to_string()}</td>
                                                <td>{recovery_line(&r, locale)}
                                                    {r.decided_by.clone().map(|d| view! { <br /><span class="hint">{d}</span> })}</td>
                                                <td><RecoveryActions locale=locale r=r.clone() hr=hr /></td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                            <Pager locale=locale at=at pages=pages href=move |p| {
                                format!("/staff/recoveries?status={}&page={p}", filter.clone())
                            } />
                        }.into_any()
                    }}
                </section>
            }
        }} />
        <form method="get" action="/staff/recoveries" class="inline-form">
            <label for="recovery-status-filter">{td_string!(locale, review.filter)}</label>
            <select id="recovery-status-filter" name="status">
                <option value="" selected=chosen.is_empty()>{td_string!(locale, filter_any)}</option>
                {RecoveryStatus::ALL.into_iter().map(|s| view! {
                    <option value=s.code() selected=chosen == s.code()>{s.label(locale)}</option>
                }).collect_view()}
            </select>
            <button type="submit" class="button-secondary">{td_string!(locale, apply_filters)}</button>
        </form>
    }
}
