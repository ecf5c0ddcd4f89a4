//! The institution console: its classes with their counts, and each class's roster with the
//! actions on each person (status, attendance by day, employment). Plain forms that post to
//! the server, usable without JS.

use super::{ClassSummary, JobEvidence, Roster, RosterEntry, Status};
use crate::error::AppError;
use crate::i18n::Locale;
use crate::list::Page;
use crate::prefs::use_locale;
use crate::shell::{form_outcome, page_asked, FormMessage, Loaded, Pager};
use leptos::prelude::*;
use leptos_i18n::td_string;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

#[server]
pub async fn console_classes(page: u32) -> Result<Page<ClassSummary>, AppError> {
    let portal = crate::portal::from_context()?;
    let paging = crate::list::Paging {
        page,
        per_page: crate::list::MAX_PER_PAGE,
    };
    super::console::classes(&portal, &crate::access::signed_in_actor()?, paging).await
}

#[server]
pub async fn console_roster(code: String) -> Result<Roster, AppError> {
    let portal = crate::portal::from_context()?;
    super::console::roster(&portal, &crate::access::signed_in_actor()?, &code).await
}

#[server]
pub async fn class_ratings(code: String) -> Result<Vec<crate::ratings::RatingNote>, AppError> {
    let portal = crate::portal::from_context()?;
    crate::ratings::service::of_class(&portal, &crate::access::signed_in_actor()?, &code).await
}

#[component]
pub fn ConsolePage() -> impl IntoView {
    let locale = use_locale();
    let data = Resource::new(page_asked, console_classes);
    view! {
        <Title text=td_string!(locale, enrol.console_title) />
        <h1>{td_string!(locale, enrol.console_title)}</h1>
        <p class="lead">{td_string!(locale, enrol.console_lead)}</p>
        <p><a href="/staff/recoveries">{td_string!(locale, recovery.console_link)}</a></p>
        <Loaded data=data view={move |list: Page<ClassSummary>| {
            if list.items.is_empty() {
                return view! { <p>{td_string!(locale, enrol.console_empty)}</p> }.into_any();
            }
            let (at, pages) = (list.page, list.pages());
            view! {
                <div class="table-scroll" role="region" aria-labelledby="classes-caption" tabindex="0">
                    <table class="data-table">
                        <caption id="classes-caption">{td_string!(locale, enrol.console_title)}</caption>
                        <thead><tr>
                            <th scope="col">{td_string!(locale, enrol.col_class)}</th>
                            <th scope="col">{td_string!(locale, enrol.col_start)}</th>
                            <th scope="col">{td_string!(locale, enrol.col_capacity)}</th>
                            <th scope="col">{td_string!(locale, enrol.col_seats_left)}</th>
                            <th scope="col">{td_string!(locale, enrol.col_approved)}</th>
                            <th scope="col">{td_string!(locale, enrol.col_waitlisted)}</th>
                            <th scope="col">{td_string!(locale, enrol.col_in_training)}</th>
                            <th scope="col">{td_string!(locale, enrol.col_completed)}</th>
                        </tr></thead>
                        <tbody>
                            {list.items.into_iter().map(|c| view! {
                                <tr>
                                    <th scope="row"><a href=format!("/staff/classes/{}", c.code)>{c.title.clone()}</a></th>
                                    <td>{c.start_date.to_string()}</td>
                                    <td>{c.capacity}</td>
                                    <td>{c.seats_left}</td>
                                    <td>{c.approved}</td>
                                    <td>{c.waitlisted}</td>
                                    <td>{c.in_training}</td>
                                    <td>{c.completed}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
                <Pager locale=locale at=at pages=pages href=|p| format!("/staff/classes?page={p}") />
            }
            .into_any()
        }} />
    }
}

/// The status changes offered for an enrolment (the rules decide which are allowed).
fn next_statuses(from: Status) -> Vec<Status> {
    Status::ALL
        .into_iter()
        .filter(|to| super::rules::staff_transition(from, *to).is_some())
        .collect()
}

#[component]
fn RosterRow(locale: Locale, code: String, e: RosterEntry) -> impl IntoView {
    let id = e.id;
    let next = next_statuses(e.status);
    let field = |name: &str| format!("{name}-{id}");
    let employment = match (e.employed, &e.employer, e.employed_since) {
        (Some(true), Some(employer), Some(since)) => td_string!(
            locale,
            enrol.employed_yes,
            employer = employer,
            since = since
        )
        .to_string(),
        (Some(false), _, _) => td_string!(locale, enrol.employed_no).to_string(),
        _ => "—".to_string(),
    };
    let can_attend = matches!(
        e.status,
        Status::Approved | Status::InTraining | Status::Completed
    );
    let can_employ = matches!(
        e.status,
        Status::InTraining | Status::Completed | Status::Dropped
    );
    view! {
        <tr data-status=e.status.code()>
            <th scope="row">{e.name.clone()}</th>
            <td>{e.id_number.clone()}</td>
            <td>{e.phone.clone()}</td>
            <td>
                {e.status.label(locale)}
                {e.waitlist_position.map(|p| format!(" · {}", td_string!(locale, enrol.waitlist_position, position = p)))}
                {e.reason.clone().map(|r| view! { <br /><small>{td_string!(locale, enrol.reason, reason = r).to_string()}</small> })}
            </td>
            <td>{e.hours_attended}</td>
            <td class="no-print">{employment}</td>
            <td class="print-only"></td>
            <td class="actions no-print">
                {(!next.is_empty()).then(|| view! {
                    <form method="post" action=format!("/staff/enrollments/{id}/status") class="row-form">
                        <input type="hidden" name="class" value=code.clone() />
                        <label for=field("status")>{td_string!(locale, enrol.status_to)}</label>
                        <select id=field("status") name="status">
                            {next.iter().map(|s| view! { <option value=s.code()>{s.label(locale)}</option> }).collect_view()}
                        </select>
                        <label for=field("reason")>{td_string!(locale, enrol.reason_label)}</label>
                        <input id=field("reason") name="reason" type="text" maxlength="200" />
                        <button type="submit">{td_string!(locale, enrol.status_submit)}</button>
                    </form>
                })}
                {can_attend.then(|| view! {
                    <form method="post" action=format!("/staff/enrollments/{id}/attendance") class="row-form">
                        <input type="hidden" name="class" value=code.clone() />
                        <label for=field("date")>{td_string!(locale, enrol.attendance_date)}</label>
                        <input id=field("date") name="date" type="date" required />
                        <label for=field("hours")>{td_string!(locale, enrol.attendance_hours)}</label>
                        <input id=field("hours") name="hours" type="number" min="1" max="12" inputmode="numeric" required />
                        <button type="submit">{td_string!(locale, enrol.attendance_submit)}</button>
                    </form>
                })}
                {can_employ.then(|| view! {
                    <form method="post" action=format!("/staff/enrollments/{id}/employment") class="row-form">
                        <input type="hidden" name="class" value=code.clone() />
                        <input type="hidden" name="employed" value="true" />
                        <label for=field("employer")>{td_string!(locale, enrol.employment_employer)}</label>
                        <input id=field("employer") name="employer" type="text" maxlength="200" required />
                        <label for=field("since")>{td_string!(locale, enrol.employment_since)}</label>
                        <input id=field("since") name="since" type="date" required />
                        <label for=field("evidence_type")>{td_string!(locale, enrol.evidence_label)}</label>
                        <select id=field("evidence_type") name="evidence_type">
                            <option value="">{td_string!(locale, enrol.evidence_none)}</option>
                            {JobEvidence::ALL.into_iter().map(|k| view! {
                                <option value=k.code()>{k.label(locale)}</option>
                            }).collect_view()}
                        </select>
                        <label for=field("evidence_ref")>{td_string!(locale, enrol.evidence_ref_label)}</label>
                        <input id=field("evidence_ref") name="evidence_ref" type="text" maxlength="200" />
                        <button type="submit">{td_string!(locale, enrol.employment_submit)}</button>
                    </form>
                })}
            </td>
        </tr>
    }
    .into_any()
}

#[component]
pub fn RosterPage() -> impl IntoView {
    let locale = use_locale();
    let state = form_outcome();
    let params = use_params_map();
    let saved = use_query_map().with_untracked(|q| q.get("saved").is_some());
    let code = params.with_untracked(|p| p.get("code").unwrap_or_default());
    let data = Resource::new(
        move || params.with(|p| p.get("code").unwrap_or_default()),
        console_roster,
    );
    let ratings = Resource::new(
        move || params.with(|p| p.get("code").unwrap_or_default()),
        class_ratings,
    );
    view! {
        <Title text=td_string!(locale, enrol.console_title) />
        <p><a href="/staff/classes">{td_string!(locale, enrol.back_to_console)}</a></p>
        <FormMessage state=state />
        {saved.then(|| view! { <p class="notice" role="status">{td_string!(locale, enrol.saved)}</p> })}
        <Loaded data=data view={move |roster: Roster| {
            let title = td_string!(locale, enrol.roster_title, title = roster.class.title.clone()).to_string();
            let rows = if roster.entries.is_empty() {
                view! { <p>{td_string!(locale, enrol.roster_empty)}</p> }.into_any()
            } else {
                let code = code.clone();
                view! {
                    <div class="table-scroll" role="region" aria-labelledby="roster-heading" tabindex="0">
                        <table class="data-table roster">
                            <thead><tr>
                                <th scope="col">{td_string!(locale, enrol.col_name)}</th>
                                <th scope="col">{td_string!(locale, enrol.col_id_number)}</th>
                                <th scope="col">{td_string!(locale, enrol.col_phone)}</th>
                                <th scope="col">{td_string!(locale, enrol.col_status)}</th>
                                <th scope="col">{td_string!(locale, enrol.col_hours)}</th>
                                <th scope="col" class="no-print">{td_string!(locale, enrol.col_employment)}</th>
                                // Printed, the roster is a sign-in sheet: a column to sign in.
                                <th scope="col" class="print-only">{td_string!(locale, enrol.col_signature)}</th>
                                <th scope="col" class="no-print">{td_string!(locale, enrol.col_actions)}</th>
                            </tr></thead>
                            <tbody>
                                {roster.entries.into_iter().map(|e| view! { <RosterRow locale=locale code=code.clone() e=e /> }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            };
            view! {
                <h1 id="roster-heading">{title}</h1>
                <p>
                    {td_string!(locale, enrol.col_capacity)} " " {roster.class.capacity} " · "
                    {td_string!(locale, enrol.col_seats_left)} " " {roster.class.seats_left} " · "
                    {td_string!(locale, enrol.col_waitlisted)} " " {roster.class.waitlisted}
                </p>
                <p class="hint">{td_string!(locale, enrol.roster_privacy)}</p>
                {rows}
            }
        }} />
        <div class="no-print">
            <Loaded data=ratings view={move |notes: Vec<crate::ratings::RatingNote>| view! {
                <crate::ratings::pages::ClassRatings locale=locale notes=notes />
            }} />
        </div>
    }
}
