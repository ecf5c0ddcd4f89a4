//! The groups form on 我的 (declare, with the document, the city and the consent) and the HR
//! officer's verification console (`/staff/groups`). Plain forms that post to the server
//! (`server/src/forms/groups.rs`), usable without JS.

use super::{evidence_for, GroupMembership, GroupStatus, StaffGroupClaim, CONSENT_VERSION};
use crate::error::AppError;
use crate::i18n::Locale;
use crate::list::Page;
use crate::prefs::use_locale;
use crate::reference::{City, Enumeration, Group};
use crate::shell::{form_outcome, page_asked, FormMessage, FormState, Loaded, Pager};
use leptos::prelude::*;
use leptos_i18n::td_string;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

fn status_words(m: &GroupMembership, locale: Locale) -> String {
    match (m.status, &m.reason) {
        (GroupStatus::Rejected, Some(r)) => {
            td_string!(locale, groups.rejected_because, reason = r.clone()).to_string()
        }
        (GroupStatus::Declared, _) if !m.needs_verification => {
            td_string!(locale, groups.self_declared).to_string()
        }
        (s, _) => s.label(locale).to_string(),
    }
}

/// One group's choice: the box, where it stands, and the document's number when it needs one.
#[component]
fn GroupChoice(
    locale: Locale,
    group: Group,
    claim: Option<GroupMembership>,
    state: FormState,
) -> impl IntoView {
    let code = group.code();
    let id = format!("group-{code}");
    let open = claim
        .as_ref()
        .is_some_and(|c| c.status != GroupStatus::Rejected);
    let refused = state.status != 0;
    let checked = if refused {
        !state.value(&format!("group.{code}")).is_empty()
    } else {
        open
    };
    let status = claim.as_ref().map(|c| {
        let words = status_words(c, locale);
        view! { <span class=format!("status status-{}", c.status.code())>{words}</span> }
    });
    let evidence = evidence_for(group).map(|kind| {
        let field = format!("evidence.{code}");
        let input_id = format!("evidence-{code}");
        let error = state
            .error(&field)
            .or_else(|| state.error(&format!("{field}.number")));
        let held = claim
            .as_ref()
            .filter(|c| c.status != GroupStatus::Rejected)
            .and_then(|c| c.evidence_number.clone());
        let hint = match held {
            Some(masked) => td_string!(locale, groups.number_held, number = masked).to_string(),
            None => td_string!(locale, groups.number_hint).to_string(),
        };
        let (hint_id, error_id) = (format!("{input_id}-hint"), format!("{input_id}-error"));
        let described = match error {
            Some(_) => format!("{hint_id} {error_id}"),
            None => hint_id.clone(),
        };
        view! {
            <div class="field group-evidence" class:field-error=error.is_some()>
                <label for=input_id.clone()>
                    {td_string!(locale, groups.number_label, evidence = kind.label(locale)).to_string()}
                </label>
                <p class="hint" id=hint_id>{hint}</p>
                {error.clone().map(|e| view! { <p class="error-message" id=error_id>{e}</p> })}
                <input
                    id=input_id
                    name=field.clone()
                    type="text"
                    autocomplete="off"
                    maxlength="40"
                    value=state.value(&field)
                    aria-describedby=described
                    aria-invalid=error.is_some().then_some("true")
                />
            </div>
        }
    });
    view! {
        <div class="group-choice">
            <div class="checks">
                <input id=id.clone() type="checkbox" name="groups" value=code checked=checked />
                <label for=id>{group.label(locale)}</label>
                " " {status}
            </div>
            {evidence}
        </div>
    }
}

/// The profile's groups section: every group, the city of residence, the separate consent.
#[component]
pub fn MyGroups(
    locale: Locale,
    groups: Vec<GroupMembership>,
    residence_city: Option<String>,
) -> impl IntoView {
    let state = use_context::<FormState>().unwrap_or_default();
    let saved = use_query_map().with_untracked(|q| q.get("saved").as_deref() == Some("groups"));
    let refused = state.status != 0;
    let city_now = if refused {
        state.value("city")
    } else {
        residence_city.unwrap_or_default()
    };
    let choices = crate::accounts::choosable_groups()
        .iter()
        .map(|g| {
            let claim = groups.iter().find(|m| m.group == *g).cloned();
            view! { <GroupChoice locale=locale group=*g claim=claim state=state.clone() /> }
        })
        .collect_view();
    let city_error = state.error("city");
    let consent_error = state.error("consent");
    let pending = groups
        .iter()
        .any(|m| m.status == GroupStatus::Declared && m.needs_verification);
    view! {
        <section aria-labelledby="me-groups">
            <h2 id="me-groups">{td_string!(locale, account.groups_heading)}</h2>
            {(refused && !state.errors.is_empty()).then(|| view! {
                <div class="error-summary" role="alert" tabindex="-1">
                    <h3>{td_string!(locale, account.error_summary)}</h3>
                    <ul>{state.errors.values().map(|e| view! { <li>{e.clone()}</li> }).collect_view()}</ul>
                </div>
            })}
            {state.message.clone().map(|m| view! { <p class="notice-error" role="alert">{m}</p> })}
            {saved.then(|| view! { <p class="notice-ok" role="status">{td_string!(locale, account.groups_saved)}</p> })}
            {pending.then(|| view! { <p class="notice">{td_string!(locale, groups.pending_note)}</p> })}
            <form method="post" action="/me/groups" novalidate>
                <fieldset>
                    <legend>{td_string!(locale, account.groups_legend)}</legend>
                    <p class="hint">{td_string!(locale, groups.legend_hint)}</p>
                    {choices}
                </fieldset>
                <div class="field" class:field-error=city_error.is_some()>
                    <label for="residence-city">{td_string!(locale, groups.city_label)}</label>
                    <p class="hint" id="residence-city-hint">{td_string!(locale, groups.city_hint)}</p>
                    {city_error.clone().map(|e| view! { <p class="error-message" id="residence-city-error">{e}</p> })}
                    <select
                        id="residence-city"
                        name="city"
                        aria-describedby=if city_error.is_some() { "residence-city-hint residence-city-error" } else { "residence-city-hint" }
                        aria-invalid=city_error.is_some().then_some("true")
                    >
                        <option value="" selected=city_now.is_empty()>{td_string!(locale, groups.city_none)}</option>
                        {City::all().iter().map(|c| view! {
                            <option value=c.code() selected=city_now == c.code()>{c.label(locale)}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="consent" class:field-error=consent_error.is_some()>
                    <h3 id="consent-heading">{td_string!(locale, groups.consent_heading, version = CONSENT_VERSION).to_string()}</h3>
                    <p id="consent-text">{td_string!(locale, groups.consent_text)}</p>
                    {consent_error.clone().map(|e| view! { <p class="error-message" id="consent-error">{e}</p> })}
                    <div class="checks">
                        <input
                            id="consent"
                            type="checkbox"
                            name="consent"
                            value="true"
                            aria-describedby=if consent_error.is_some() { "consent-text consent-error" } else { "consent-text" }
                            aria-invalid=consent_error.is_some().then_some("true")
                        />
                        <label for="consent">{td_string!(locale, groups.consent_label)}</label>
                    </div>
                </div>
                <button type="submit">{td_string!(locale, account.save_groups)}</button>
            </form>
        </section>
    }
}

#[server]
pub async fn group_queue(status: String, page: u32) -> Result<Page<StaffGroupClaim>, AppError> {
    let portal = crate::portal::from_context()?;
    let actor = crate::access::signed_in_actor()?;
    let status =
        match status.trim() {
            "" => None,
            code => Some(GroupStatus::from_code(code).ok_or_else(|| {
                AppError::field("status", crate::error::FieldProblem::UnknownCode)
            })?),
        };
    let paging = crate::list::Paging {
        page,
        per_page: crate::list::MAX_PER_PAGE,
    };
    super::service::queue(&portal, &actor, status, paging).await
}

fn when(at: &str) -> String {
    at.get(..16).unwrap_or(at).replace('T', " ")
}

#[component]
fn ClaimActions(locale: Locale, c: StaffGroupClaim) -> impl IntoView {
    if c.status != GroupStatus::Declared {
        return None;
    }
    let action = format!("/staff/group-claims/{}/decision", c.id);
    let reason_id = format!("group-reason-{}", c.id);
    Some(view! {
        <form method="post" action=action.clone() class="row-form">
            <input type="hidden" name="decision" value="verify" />
            <button type="submit">{td_string!(locale, groups.verify)}</button>
        </form>
        <form method="post" action=action class="row-form">
            <input type="hidden" name="decision" value="reject" />
            <label for=reason_id.clone()>{td_string!(locale, review.reason_label)}</label>
            <input id=reason_id type="text" name="reason" maxlength="200" required />
            <button type="submit" class="button-secondary">{td_string!(locale, groups.reject)}</button>
        </form>
    })
}

/// The HR officer's console: the group claims of people living in the city.
#[component]
pub fn GroupReviewPage() -> impl IntoView {
    let locale = use_locale();
    let state = form_outcome();
    let query = use_query_map();
    let status = query
        .with_untracked(|q| q.get("status"))
        .unwrap_or_else(|| "declared".into());
    let saved = query.with_untracked(|q| q.get("saved").is_some());
    let chosen = status.clone();
    let filter = form_urlencoded::byte_serialize(status.as_bytes()).collect::<String>();
    let data = Resource::new(
        move || (status.clone(), page_asked()),
        |(s, page)| group_queue(s, page),
    );
    view! {
        <Title text=td_string!(locale, groups.review_title) />
        <h1>{td_string!(locale, groups.review_title)}</h1>
        <p class="lead">{td_string!(locale, groups.review_lead)}</p>
        <FormMessage state=state />
        {saved.then(|| view! { <p class="notice" role="status">{td_string!(locale, review.saved)}</p> })}
        <Loaded data=data view={move |list: Page<StaffGroupClaim>| {
            let (at, pages) = (list.page, list.pages());
            let filter = filter.clone();
            view! {
                <section aria-labelledby="group-claims-caption">
                    {if list.items.is_empty() {
                        view! { <h2 id="group-claims-caption">{td_string!(locale, groups.claims_heading)}</h2><p>{td_string!(locale, groups.none)}</p> }.into_any()
                    } else {
                        view! {
                            <div class="table-scroll" role="region" aria-labelledby="group-claims-caption" tabindex="0">
                                <table class="data-table">
                                    <caption id="group-claims-caption">{td_string!(locale, groups.claims_heading)}</caption>
                                    <thead><tr>
                                        <th scope="col">{td_string!(locale, review.col_claimant)}</th>
                                        <th scope="col">{td_string!(locale, groups.col_group)}</th>
                                        <th scope="col">{td_string!(locale, groups.col_evidence)}</th>
                                        <th scope="col">{td_string!(locale, review.col_status)}</th>
                                        <th scope="col">{td_string!(locale, review.col_actions)}</th>
                                    </tr></thead>
                                    <tbody>
                                        {list.items.into_iter().map(|c| view! {
                                            <tr data-status=c.status.code()>
                                                <td>{c.person.clone()} <br /> <span class="hint">{c.id_number.clone()}</span></td>
                                                <td>{c.group.label(locale)}</td>
                                                <td>{c.evidence_type.map(|e| e.label(locale))} <br />
                                                    <span class="hint">{c.evidence_number.clone()}</span></td>
                                                <td>{c.status.label(locale)} <br />
                                                    <span class="hint">{td_string!(locale, groups.declared_on, at = when(&c.declared_at)).to_string()}
                                                    {c.consent_version.clone().map(|v| format!(" · {}", td_string!(locale, groups.consent_version, version = v)))}</span>
                                                    {c.reason.clone().map(|r| view! { <br /><span class="hint">{r}</span> })}</td>
                                                <td><ClaimActions locale=locale c=c.clone() /></td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                            <Pager locale=locale at=at pages=pages href=move |p| {
                                format!("/staff/groups?status={}&page={p}", filter.clone())
                            } />
                        }.into_any()
                    }}
                </section>
            }
        }} />
        <form method="get" action="/staff/groups" class="inline-form">
            <label for="group-status-filter">{td_string!(locale, review.filter)}</label>
            <select id="group-status-filter" name="status">
                <option value="" selected=chosen.is_empty()>{td_string!(locale, filter_any)}</option>
                {GroupStatus::all().iter().map(|s| view! {
                    <option value=s.code() selected=chosen == s.code()>{s.label(locale)}</option>
                }).collect_view()}
            </select>
            <button type="submit" class="button-secondary">{td_string!(locale, apply_filters)}</button>
        </form>
    }
}
