//! 冒用身份 on the pages: the report of a number someone else registered (`/identity-report`),
//! and the HR officer's cases (`/staff/identity-cases`), each with its freeze, unfreeze and
//! close forms.

use super::Case;
use crate::error::AppError;
use crate::list::Page;
use crate::prefs::use_locale;
use crate::reference::{City, Enumeration};
use crate::shell::{
    form_outcome, signed_in_or_redirect, ErrorSummary, Field, FormMessage, FormNotice, Loaded,
    SignInLink,
};
use leptos::prelude::*;
use leptos_i18n::td_string;
use leptos_meta::Title;

#[server]
pub async fn identity_cases() -> Result<Page<Case>, AppError> {
    let portal = crate::portal::from_context()?;
    let actor = crate::access::signed_in_actor()?;
    super::service::list(
        &portal,
        &actor,
        crate::list::Paging {
            page: 1,
            per_page: 100,
        },
    )
    .await
}

#[component]
pub fn IdentityReportPage() -> impl IntoView {
    let locale = use_locale();
    let state = form_outcome();
    let labels = vec![
        ("name", td_string!(locale, account.name)),
        ("phone", td_string!(locale, account.phone)),
        ("id_number", td_string!(locale, account.id_number)),
        ("city", td_string!(locale, identity.report_city)),
    ];
    let chosen = state.value("city");
    let cities = City::all()
        .iter()
        .map(|c| view! { <option value=c.code() selected=chosen == c.code()>{c.label(locale)}</option> })
        .collect_view();
    let done = state.notice.is_some();
    view! {
        <Title text=td_string!(locale, identity.report_title) />
        <div class="narrow">
            <h1>{td_string!(locale, identity.report_title)}</h1>
            <p class="lead">{td_string!(locale, identity.report_lead)}</p>
            <ErrorSummary locale=locale state=state.clone() labels=labels />
            <FormNotice state=state.clone() />
            {(!done).then(|| view! {
                <form method="post" action="/identity-report" novalidate>
                    <Field name="name" label=td_string!(locale, account.name) autocomplete="name" value=state.value("name") state=state.clone() />
                    <Field name="id_number" label=td_string!(locale, account.id_number) hint=td_string!(locale, identity.report_id_hint) autocomplete="off" state=state.clone() />
                    <Field name="phone" label=td_string!(locale, account.phone) hint=td_string!(locale, identity.report_phone_hint) kind="tel" autocomplete="tel-national" inputmode="numeric" value=state.value("phone") state=state.clone() />
                    <div class="field">
                        <label for="city">{td_string!(locale, identity.report_city)}</label>
                        <select id="city" name="city">
                            <option value="">{td_string!(locale, filter_any)}</option>
                            {cities}
                        </select>
                    </div>
                    <button type="submit">{td_string!(locale, identity.report_button)}</button>
                </form>
            })}
        </div>
    }
}

#[component]
fn CaseRow(locale: crate::i18n::Locale, case: Case) -> impl IntoView {
    let action = format!("/staff/identity-cases/{}", case.id);
    let status = match case.status.as_str() {
        "frozen" => td_string!(locale, identity.status_frozen),
        "closed" => td_string!(locale, identity.status_closed),
        _ => td_string!(locale, identity.status_open),
    };
    let source = match case.source.as_str() {
        "reported" => td_string!(locale, identity.source_reported),
        _ => td_string!(locale, identity.source_reclaimed),
    };
    let buttons: Vec<(&str, &str)> = match case.status.as_str() {
        "open" => vec![
            ("freeze", td_string!(locale, identity.freeze)),
            ("close", td_string!(locale, identity.close)),
        ],
        "frozen" => vec![("unfreeze", td_string!(locale, identity.unfreeze))],
        _ => Vec::new(),
    };
    let note_id = format!("note-{}", case.id);
    let made = td_string!(
        locale,
        identity.made,
        enrollments = case.enrollments,
        claims = case.claims,
        certificates = case.certificates
    )
    .to_string();
    let reporter = case
        .reporter_name
        .clone()
        .map(|n| format!("{n} {}", case.reporter_phone.clone().unwrap_or_default()));
    view! {
        <tr>
            <td>{case.created_at.clone()}</td>
            <td>{source}</td>
            <td>{case.account_name.clone().unwrap_or_default()}<br />{case.id_number.clone().unwrap_or_default()}</td>
            <td>{made}</td>
            <td>{reporter.unwrap_or_default()}</td>
            <td>{status}{case.note.clone().map(|n| format!("：{n}"))}</td>
            <td>
                {(!buttons.is_empty()).then(|| view! {
                    <form method="post" action=action class="case-form">
                        <label for=note_id.clone()>{td_string!(locale, identity.note)}</label>
                        <input type="text" id=note_id.clone() name="note" maxlength="200" />
                        {buttons.into_iter().map(|(value, label)| view! {
                            <button type="submit" name="action" value=value class="button-secondary">{label}</button>
                        }).collect_view()}
                    </form>
                })}
            </td>
        </tr>
    }
}

#[component]
pub fn IdentityCasesPage() -> impl IntoView {
    let locale = use_locale();
    let state = form_outcome();
    if !signed_in_or_redirect() {
        return view! { <SignInLink /> }.into_any();
    }
    let data = Resource::new(|| (), |_| identity_cases());
    view! {
        <Title text=td_string!(locale, identity.cases_title) />
        <h1>{td_string!(locale, identity.cases_title)}</h1>
        <p class="lead">{td_string!(locale, identity.cases_lead)}</p>
        <FormMessage state=state.clone() />
        <Loaded data=data view={move |page: Page<Case>| {
            if page.items.is_empty() {
                return view! { <p>{td_string!(locale, identity.no_cases)}</p> }.into_any();
            }
            view! {
                <div class="table-scroll" tabindex="0" role="region" aria-label=td_string!(locale, identity.cases_title)>
                    <table>
                        <thead><tr>
                            <th scope="col">{td_string!(locale, identity.col_opened)}</th>
                            <th scope="col">{td_string!(locale, identity.col_source)}</th>
                            <th scope="col">{td_string!(locale, identity.col_account)}</th>
                            <th scope="col">{td_string!(locale, identity.col_made)}</th>
                            <th scope="col">{td_string!(locale, identity.col_reporter)}</th>
                            <th scope="col">{td_string!(locale, identity.col_status)}</th>
                            <th scope="col">{td_string!(locale, identity.col_action)}</th>
                        </tr></thead>
                        <tbody>
                            {page.items.into_iter().map(|case| view! { <CaseRow locale=locale case=case /> }).collect_view()}
                        </tbody>
                    </table>
                </div>
            }.into_any()
        }} />
    }
    .into_any()
}
