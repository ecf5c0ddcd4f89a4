//! Whether I may join: the enrol panel under a course (every rule's verdict, the subsidy
//! estimate, the 报名 button) and the anonymous "which training can I join?" page. Plain forms
//! that post to the server, usable without JS.

use super::{Assessment, CheckAnswer, HeldCertificate, Panel, Question};
use crate::error::{AppError, RuleVerdict};
use crate::i18n::Locale;
use crate::prefs::use_locale;
use crate::reference::{City, Enumeration, Level};
use crate::shell::{form_outcome, set_status, ErrorNotice};
use leptos::prelude::*;
use leptos_i18n::td_string;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[server]
pub async fn course_panel(code: String) -> Result<Panel, AppError> {
    let actor = crate::access::current_user().map(|u| u.actor);
    super::service::panel(&crate::portal::from_context()?, actor.as_ref(), &code).await
}

#[server]
pub async fn check_question(question: Question) -> Result<CheckAnswer, AppError> {
    super::service::check(&crate::portal::from_context()?, &question).await
}

/// A rule's verdict as a list item: a mark that is not colour alone, and the reason.
#[component]
pub fn Verdicts(locale: Locale, list: Vec<RuleVerdict>) -> impl IntoView {
    let items = list
        .into_iter()
        .map(|v| {
            let (mark, label) = if v.ok {
                ("✓", td_string!(locale, enrol.ok_mark))
            } else {
                ("✗", td_string!(locale, enrol.no_mark))
            };
            view! {
                <li class=if v.ok { "verdict verdict-ok" } else { "verdict verdict-no" } data-rule=v.rule.clone()>
                    <span class="verdict-mark" aria-hidden="true">{mark}</span>
                    <span class="visually-hidden">{label}"："</span>
                    {v.text(locale).to_string()}
                </li>
            }
        })
        .collect_view();
    view! { <ul class="verdicts">{items}</ul> }
}

#[component]
fn SubsidyEstimate(locale: Locale, a: Assessment) -> impl IntoView {
    let refused: Vec<RuleVerdict> = a
        .subsidy_reasons
        .iter()
        .filter(|v| !v.ok)
        .cloned()
        .collect();
    let amount = if a.subsidy_yuan.is_zero() {
        view! {
            <p>{td_string!(locale, enrol.subsidy_none)}</p>
            <Verdicts locale=locale list=refused />
        }
        .into_any()
    } else {
        // Groups awaiting verification are said even when a subsidy is estimated.
        let waiting: Vec<RuleVerdict> = refused
            .into_iter()
            .filter(|v| v.rule == "group_awaiting_verification")
            .collect();
        view! {
            <p class="subsidy-estimate">
                {td_string!(locale, enrol.subsidy_estimate, amount = a.subsidy_yuan, percent = a.subsidy_percent_certified).to_string()}
            </p>
            {(!waiting.is_empty()).then(|| view! { <Verdicts locale=locale list=waiting /> })}
        }
        .into_any()
    };
    view! {
        <section class="subsidy-panel" aria-labelledby="subsidy-heading">
            <h2 id="subsidy-heading">{td_string!(locale, enrol.subsidy_heading)}</h2>
            {amount}
            {a.free_training.then(|| view! { <p>{td_string!(locale, enrol.free_note)}</p> })}
            {(!a.living_allowance_yuan.is_zero()).then(|| view! {
                <p>{td_string!(locale, enrol.allowance_note, amount = a.living_allowance_yuan).to_string()}</p>
            })}
        </section>
    }
}

/// The enrol panel under a course's key facts: the verdict, the button, then each rule's verdict
/// and the subsidy estimate.
#[component]
pub fn EnrolPanel(code: String) -> impl IntoView {
    let locale = use_locale();
    let state = form_outcome();
    let data = Resource::new(move || code.clone(), course_panel);
    view! {
        <Suspense>
            {move || {
                let state = state.clone();
                Suspend::new(async move {
                    let message = state.message.clone().map(|m| view! {
                        <div class="error-summary" role="alert" tabindex="-1"><p>{m}</p></div>
                    });
                    let body = match data.await {
                        Err(e) => view! { <ErrorNotice error=e /> }.into_any(),
                        Ok(Panel::Anonymous) => view! {
                            <p><a class="button-link" href="/login">{td_string!(locale, enrol.sign_in_link)}</a></p>
                            <p>{td_string!(locale, enrol.sign_in_to_enrol)}</p>
                            <p><a href="/eligibility">{td_string!(locale, enrol.anonymous_check_link)}</a></p>
                        }.into_any(),
                        Ok(Panel::Staff) => view! { <p>{td_string!(locale, enrol.staff_cannot_enrol)}</p> }.into_any(),
                        Ok(Panel::Trainee { assessment, enrolled }) => {
                            let action = format!("/courses/{}/enroll", assessment.course);
                            let full = assessment.seats_left == 0;
                            let enrolled_view = enrolled.map(|e| view! {
                                <p class="notice" role="status">
                                    {e.status.label(locale)}
                                    {e.waitlist_position.map(|p| format!(" · {}", td_string!(locale, enrol.waitlist_position, position = p)))}
                                    " · " <a href="/me/enrollments">{td_string!(locale, enrol.my_title)}</a>
                                </p>
                            });
                            let button = if assessment.eligible {
                                view! {
                                    <form method="post" action=action>
                                        <button type="submit" class="button-primary">
                                            {if full { td_string!(locale, enrol.waitlist_button) } else { td_string!(locale, enrol.enrol_button) }}
                                        </button>
                                    </form>
                                }.into_any()
                            } else if assessment.awaits_verification && enrolled_view.is_none() {
                                view! {
                                    <form method="post" action=action>
                                        <button type="submit" class="button-primary">{td_string!(locale, enrol.apply_button)}</button>
                                    </form>
                                }.into_any()
                            } else {
                                ().into_any()
                            };
                            // The answer first (on a phone's first screen), every rule's verdict
                            // behind it.
                            let first_no = assessment.reasons.iter().find(|v| !v.ok);
                            let verdict = match (enrolled_view.is_some(), first_no) {
                                (true, _) => None,
                                (false, None) => Some(view! {
                                    <p class="verdict-summary verdict-ok">
                                        <span class="verdict-mark" aria-hidden="true">"✓"</span>
                                        {td_string!(locale, enrol.you_can_enrol)}
                                    </p>
                                }.into_any()),
                                (false, Some(no)) => Some(view! {
                                    <p class="verdict-summary verdict-no">
                                        <span class="verdict-mark" aria-hidden="true">"✗"</span>
                                        {td_string!(locale, enrol.cannot_yet, reason = no.text(locale)).to_string()}
                                    </p>
                                }.into_any()),
                            };
                            let count = assessment.reasons.len();
                            view! {
                                {verdict}
                                {enrolled_view}
                                {button}
                                <details class="verdict-list">
                                    <summary>{td_string!(locale, enrol.all_rules, count = count).to_string()}</summary>
                                    <Verdicts locale=locale list=assessment.reasons.clone() />
                                </details>
                                <SubsidyEstimate locale=locale a=*assessment />
                            }.into_any()
                        }
                    };
                    view! {
                        <section class="enrol-panel" aria-labelledby="enrol-heading">
                            <h2 id="enrol-heading">{td_string!(locale, enrol.eligibility_heading)}</h2>
                            {message}
                            {body}
                        </section>
                    }
                })
            }}
        </Suspense>
    }
}

/// The question as posted from the check page's form (`POST /eligibility`): the answer is
/// rendered for it, and nothing personal (the birth date) goes into an address.
#[derive(Debug, Clone, Default)]
pub struct PostedQuestion(pub Vec<(String, String)>);

/// The anonymous question page: the form posts to itself, so the answer is on the page that
/// answers the post, without JS and without the birth date in the address. An address that
/// still carries the question (links made before) is answered the same way.
#[component]
pub fn CheckPage() -> impl IntoView {
    let locale = use_locale();
    let query = use_query_map();
    let pairs: Vec<(String, String)> = match use_context::<PostedQuestion>() {
        Some(PostedQuestion(pairs)) => pairs,
        None => query.with_untracked(|q| {
            q.into_iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        }),
    };
    let get = |key: &str| pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone());
    let asked = get("submitted").is_some();
    let question = {
        let occupation = get("cert_occupation").unwrap_or_default();
        Question {
            groups: pairs
                .iter()
                .filter(|(k, _)| k == "groups")
                .map(|(_, v)| v.clone())
                .collect(),
            birth_date: get("birth_date"),
            city: get("city"),
            certificates: if occupation.trim().is_empty() {
                Vec::new()
            } else {
                vec![HeldCertificate {
                    occupation,
                    level: get("cert_level").unwrap_or_default(),
                }]
            },
            course: None,
            page: get("page").and_then(|p| p.trim().parse().ok()),
            per_page: None,
        }
    };
    let q = question.clone();
    let answer = Resource::new(
        move || q.clone(),
        move |q| async move {
            if asked {
                Some(check_question(q).await)
            } else {
                None
            }
        },
    );
    let chosen = question.groups.clone();
    let group_boxes = crate::accounts::choosable_groups()
        .iter()
        .map(|g| {
            let id = format!("group-{}", g.code());
            view! {
                <div class="checkbox">
                    <input type="checkbox" id=id.clone() name="groups" value=g.code() checked=chosen.iter().any(|c| c == g.code()) />
                    <label for=id>{g.label(locale)}</label>
                </div>
            }
        })
        .collect_view();
    let city_now = question.city.clone().unwrap_or_default();
    let cities = City::all()
        .iter()
        .map(|c| view! { <option value=c.code() selected=city_now == c.code()>{c.label(locale)}</option> })
        .collect_view();
    let cert = question.certificates.first().cloned().unwrap_or_default();
    let levels = Level::all()
        .iter()
        .filter(|l| **l != Level::None)
        .map(|l| view! { <option value=l.code() selected=cert.level == l.code()>{l.label(locale)}</option> })
        .collect_view();
    view! {
        <Title text=td_string!(locale, enrol.check_title) />
        <h1>{td_string!(locale, enrol.check_title)}</h1>
        <p class="lead">{td_string!(locale, enrol.check_lead)}</p>
        <form method="post" action="/eligibility" class="check-form" id="check-form">
            <input type="hidden" name="submitted" value="1" />
            <fieldset>
                <legend>{td_string!(locale, enrol.check_groups_legend)}</legend>
                {group_boxes}
            </fieldset>
            <div class="field">
                <label for="birth_date">{td_string!(locale, enrol.check_birth_date)}</label>
                <p class="hint" id="birth_date-hint">{td_string!(locale, enrol.check_birth_date_hint)}</p>
                <input id="birth_date" name="birth_date" type="date" value=question.birth_date.clone().unwrap_or_default() aria-describedby="birth_date-hint" />
            </div>
            <div class="field">
                <label for="city">{td_string!(locale, enrol.check_city)}</label>
                <select id="city" name="city">
                    <option value="">{td_string!(locale, filter_any)}</option>
                    {cities}
                </select>
            </div>
            <fieldset>
                <legend>{td_string!(locale, enrol.check_certs_legend)}</legend>
                <div class="field">
                    <label for="cert_occupation">{td_string!(locale, enrol.check_cert_occupation)}</label>
                    <input id="cert_occupation" name="cert_occupation" type="text" maxlength="50" value=cert.occupation.clone() />
                </div>
                <div class="field">
                    <label for="cert_level">{td_string!(locale, enrol.check_cert_level)}</label>
                    <select id="cert_level" name="cert_level">{levels}</select>
                </div>
            </fieldset>
            <button type="submit" class="button-primary">{td_string!(locale, enrol.check_submit)}</button>
        </form>
        <Suspense>
            {move || Suspend::new(async move {
                match answer.await {
                    None => ().into_any(),
                    Some(Err(e)) => {
                        set_status(e.status());
                        let fields = e.fields().map(|f| f.messages(locale)).unwrap_or_default();
                        view! {
                            <div class="error-summary" role="alert" tabindex="-1">
                                <p>{e.message(locale)}</p>
                                <ul>{fields.into_iter().map(|(k, v)| view! { <li><a href=format!("#{k}")>{v}</a></li> }).collect_view()}</ul>
                            </div>
                        }.into_any()
                    }
                    Some(Ok(answer)) if answer.items.is_empty() => view! {
                        <section aria-labelledby="results-heading">
                            <h2 id="results-heading">{td_string!(locale, enrol.check_none)}</h2>
                            <p><a href="/courses">{td_string!(locale, nav_courses)}</a></p>
                        </section>
                    }.into_any(),
                    Some(Ok(answer)) => {
                        let heading = match (answer.page, answer.more) {
                            (1, false) => td_string!(locale, enrol.check_results, count = answer.total).to_string(),
                            (page, _) => td_string!(locale, enrol.check_results_page, page = page).to_string(),
                        };
                        // The pages are the same form sent again with another page number.
                        let previous = (answer.page > 1).then(|| view! {
                            <button type="submit" form="check-form" name="page" value=(answer.page - 1).to_string() class="button-secondary">
                                {td_string!(locale, enrol.check_previous)}
                            </button>
                        });
                        let next = answer.more.then(|| view! {
                            <button type="submit" form="check-form" name="page" value=(answer.page + 1).to_string() class="button-secondary">
                                {td_string!(locale, enrol.check_next)}
                            </button>
                        });
                        view! {
                        <section aria-labelledby="results-heading">
                            <h2 id="results-heading">{heading}</h2>
                            <ul class="check-results">
                                {answer.items.into_iter().map(|a| view! {
                                    <li>
                                        <h3><a href=format!("/courses/{}", a.course)>{a.title.clone()}</a></h3>
                                        <p>{td_string!(locale, enrol.check_subsidy, amount = a.subsidy_yuan).to_string()}
                                           {a.free_training.then(|| format!(" · {}", td_string!(locale, enrol.free_note)))}</p>
                                        <details>
                                            <summary>{td_string!(locale, enrol.eligibility_heading)}</summary>
                                            <Verdicts locale=locale list=a.reasons.clone() />
                                            <Verdicts locale=locale list=a.subsidy_reasons.clone() />
                                        </details>
                                    </li>
                                }).collect_view()}
                            </ul>
                            {(previous.is_some() || next.is_some()).then(|| view! {
                                <nav class="pagination" aria-label=td_string!(locale, enrol.check_results_nav)>{previous}{next}</nav>
                            })}
                        </section>
                    }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}
