//! Enrolment pages: the course page's enrol panel (reasons and subsidy before anyone enrols),
//! 我的报名 with each timeline, the inbox, the anonymous "which training can I join?" check,
//! and the institution console (classes, roster with actions). Plain forms that post to the
//! server (`server/src/forms.rs`), usable without JS.

use super::{Assessment, CheckAnswer, ClassSummary, Enrollment, Inbox, Roster, Status};
use crate::accounts::pages::signed_in_or_redirect;
use crate::accounts::FormState;
use crate::error::{AppError, RuleVerdict};
use crate::i18n::Locale;
use crate::prefs::use_locale;
use crate::reference::{City, Enumeration, Level};
use crate::shell::{set_status, ErrorNotice};
use leptos::prelude::*;
use leptos_i18n::td_string;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
fn portal() -> Result<crate::portal::Portal, AppError> {
    use_context::<crate::portal::Portal>()
        .ok_or_else(|| AppError::Internal("no portal in context".into()))
}

fn form_state() -> FormState {
    use_context::<FormState>().unwrap_or_default()
}

/// Who is looking at a course page, and what they may do there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Panel {
    Anonymous,
    Staff,
    Trainee {
        assessment: Box<Assessment>,
        /// Their active enrolment in this class, if any.
        enrolled: Option<Enrollment>,
    },
}

#[server]
pub async fn course_panel(code: String) -> Result<Panel, AppError> {
    let Some(user) = crate::accounts::current_user() else {
        return Ok(Panel::Anonymous);
    };
    if user.role != crate::accounts::Role::Trainee {
        return Ok(Panel::Staff);
    }
    let portal = portal()?;
    let course = crate::catalog::service::get(&portal, &code).await?;
    let assessment = super::service::assess(&portal, user.id, &course).await?;
    let enrolled = super::service::mine(&portal, user.id)
        .await?
        .into_iter()
        .find(|e| e.course == code && e.status.is_active());
    Ok(Panel::Trainee {
        assessment: Box::new(assessment),
        enrolled,
    })
}

#[server]
pub async fn my_enrollments() -> Result<Option<Vec<Enrollment>>, AppError> {
    let Some(user) = crate::accounts::current_user() else {
        return Ok(None);
    };
    super::service::mine(&portal()?, user.id).await.map(Some)
}

#[server]
pub async fn my_inbox() -> Result<Option<Inbox>, AppError> {
    let Some(user) = crate::accounts::current_user() else {
        return Ok(None);
    };
    let first = crate::list::Paging::first(crate::list::MAX_PER_PAGE);
    super::service::inbox(&portal()?, user.id, first)
        .await
        .map(Some)
}

#[server]
pub async fn console_classes() -> Result<Vec<ClassSummary>, AppError> {
    let user = crate::accounts::current_user().ok_or(AppError::Unauthorized)?;
    let first = crate::list::Paging::first(crate::list::MAX_PER_PAGE);
    Ok(super::service::classes(&portal()?, &user, first)
        .await?
        .items)
}

#[server]
pub async fn console_roster(code: String) -> Result<Roster, AppError> {
    let user = crate::accounts::current_user().ok_or(AppError::Unauthorized)?;
    super::service::roster(&portal()?, &user, &code).await
}

#[server]
pub async fn check_question(question: super::Question) -> Result<CheckAnswer, AppError> {
    super::service::check(&portal()?, &question).await
}

/// A rule's verdict as a list item: a mark that is not colour alone, and the reason.
#[component]
fn Verdicts(locale: Locale, list: Vec<RuleVerdict>) -> impl IntoView {
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
        view! {
            <p class="subsidy-estimate">
                {td_string!(locale, enrol.subsidy_estimate, amount = a.subsidy_yuan, percent = a.subsidy_percent_certified).to_string()}
            </p>
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

/// The enrol panel under a course's details.
#[component]
pub fn EnrolPanel(code: String) -> impl IntoView {
    let locale = use_locale();
    let state = form_state();
    if state.status != 0 {
        set_status(state.status);
    }
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
                            <p>{td_string!(locale, enrol.sign_in_to_enrol)}</p>
                            <p><a class="button-link" href="/login">{td_string!(locale, enrol.sign_in_link)}</a></p>
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
                            } else if enrolled_view.is_some() {
                                ().into_any()
                            } else {
                                view! { <p>{td_string!(locale, enrol.not_eligible_note)}</p> }.into_any()
                            };
                            view! {
                                <Verdicts locale=locale list=assessment.reasons.clone() />
                                {enrolled_view}
                                {button}
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

#[component]
fn Timeline(locale: Locale, e: Enrollment) -> impl IntoView {
    let items = e
        .timeline
        .into_iter()
        .map(|t| {
            let when = t.at.get(..16).unwrap_or(&t.at).replace('T', " ");
            view! {
                <li>
                    <time datetime=t.at.clone()>{when}</time>
                    " " <strong>{t.status.label(locale)}</strong>
                    " · " {t.actor.label(locale)}
                    {t.reason.map(|r| format!(" · {}", td_string!(locale, enrol.reason, reason = r)))}
                </li>
            }
        })
        .collect_view();
    view! { <ol class="timeline">{items}</ol> }
}

#[component]
fn EnrollmentCard(locale: Locale, e: Enrollment) -> impl IntoView {
    use crate::dispute::DisputeKind;
    let heading_id = format!("enrollment-{}", e.id);
    let mut disputable = vec![DisputeKind::Enrollment];
    if e.hours_attended > 0 {
        disputable.push(DisputeKind::Attendance);
    }
    let cancel = e.can_cancel.then(|| {
        let action = format!("/me/enrollments/{}/cancel", e.id);
        view! {
            <form method="post" action=action>
                <button type="submit" class="button-secondary" aria-describedby=heading_id.clone()>
                    {td_string!(locale, enrol.cancel_button)}
                </button>
            </form>
        }
    });
    view! {
        <li class="enrollment" data-status=e.status.code()>
            <h2 id=heading_id.clone()><a href=format!("/courses/{}", e.course)>{e.course_title.clone()}</a></h2>
            <p class="status-line">
                <span class=format!("status status-{}", e.status.code())>{e.status.label(locale)}</span>
                {e.waitlist_position.map(|p| format!(" · {}", td_string!(locale, enrol.waitlist_position, position = p)))}
                {(e.hours_attended > 0).then(|| format!(" · {}", td_string!(locale, enrol.hours_attended, hours = e.hours_attended)))}
            </p>
            <p>{e.institution.clone()} " · " {td_string!(locale, enrol.class_dates, start = e.start_date, end = e.end_date).to_string()}</p>
            {e.reason.clone().map(|r| view! { <p>{td_string!(locale, enrol.reason, reason = r).to_string()}</p> })}
            <h3>{td_string!(locale, enrol.timeline)}</h3>
            <Timeline locale=locale e=e.clone() />
            {cancel}
            <crate::dispute::pages::DisputeForm locale=locale kinds=disputable id=e.id />
        </li>
    }
}

#[component]
pub fn MyEnrollmentsPage() -> impl IntoView {
    let locale = use_locale();
    let allowed = signed_in_or_redirect();
    let query = use_query_map();
    let data = Resource::new(|| (), |_| my_enrollments());
    let notice =
        query.with_untracked(
            |q| match (q.get("enrolled").as_deref(), q.get("position")) {
                (Some("approved"), _) => {
                    Some(td_string!(locale, enrol.enrolled_approved).to_string())
                }
                (Some("waitlisted"), Some(p)) => Some(
                    td_string!(
                        locale,
                        enrol.enrolled_waitlisted,
                        position = p.parse::<u32>().unwrap_or(0)
                    )
                    .to_string(),
                ),
                _ if q.get("cancelled").is_some() => {
                    Some(td_string!(locale, enrol.cancelled_done).to_string())
                }
                _ => None,
            },
        );
    view! {
        <Title text=td_string!(locale, enrol.my_title) />
        <h1>{td_string!(locale, enrol.my_title)}</h1>
        {notice.map(|n| view! { <p class="notice" role="status">{n}</p> })}
        <Suspense>
            {move || Suspend::new(async move {
                match (allowed, data.await) {
                    (true, Ok(Some(list))) if list.is_empty() => view! {
                        <p>{td_string!(locale, enrol.my_empty)}</p>
                        <p><a class="button-link" href="/courses">{td_string!(locale, enrol.find_courses)}</a></p>
                    }.into_any(),
                    (true, Ok(Some(list))) => view! {
                        <ul class="enrollments">
                            {list.into_iter().map(|e| view! { <EnrollmentCard locale=locale e=e /> }).collect_view()}
                        </ul>
                    }.into_any(),
                    (_, Err(e)) => view! { <ErrorNotice error=e /> }.into_any(),
                    _ => view! { <p><a href="/login">{td_string!(locale, account.login_link)}</a></p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn InboxPage() -> impl IntoView {
    let locale = use_locale();
    let allowed = signed_in_or_redirect();
    let data = Resource::new(|| (), |_| my_inbox());
    view! {
        <Title text=td_string!(locale, enrol.inbox_title) />
        <h1>{td_string!(locale, enrol.inbox_title)}</h1>
        <Suspense>
            {move || Suspend::new(async move {
                match (allowed, data.await) {
                    (true, Ok(Some(inbox))) if inbox.items.is_empty() => view! { <p>{td_string!(locale, enrol.inbox_empty)}</p> }.into_any(),
                    (true, Ok(Some(inbox))) => view! {
                        <p>{td_string!(locale, enrol.unread_count, count = inbox.unread).to_string()}</p>
                        {(inbox.unread > 0).then(|| view! {
                            <form method="post" action="/me/notifications/read">
                                <button type="submit" class="button-secondary">{td_string!(locale, enrol.mark_all_read)}</button>
                            </form>
                        })}
                        <ul class="inbox">
                            {inbox.items.into_iter().map(|n| {
                                let when = n.at.get(..16).unwrap_or(&n.at).replace('T', " ");
                                view! {
                                    <li class:unread=!n.read>
                                        {(!n.read).then(|| view! { <strong class="unread-tag">{td_string!(locale, enrol.unread_label)}</strong> " " })}
                                        <time datetime=n.at.clone()>{when}</time>
                                        " " <a href=n.link()>{n.text(locale)}</a>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                    (_, Err(e)) => view! { <ErrorNotice error=e /> }.into_any(),
                    _ => view! { <p><a href="/login">{td_string!(locale, account.login_link)}</a></p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn ConsolePage() -> impl IntoView {
    let locale = use_locale();
    let allowed = signed_in_or_redirect();
    let data = Resource::new(|| (), |_| console_classes());
    view! {
        <Title text=td_string!(locale, enrol.console_title) />
        <h1>{td_string!(locale, enrol.console_title)}</h1>
        <p class="lead">{td_string!(locale, enrol.console_lead)}</p>
        <Suspense>
            {move || Suspend::new(async move {
                match (allowed, data.await) {
                    (true, Ok(list)) if list.is_empty() => view! { <p>{td_string!(locale, enrol.console_empty)}</p> }.into_any(),
                    (true, Ok(list)) => view! {
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
                                    {list.into_iter().map(|c| view! {
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
                    }.into_any(),
                    (_, Err(e)) => view! { <ErrorNotice error=e /> }.into_any(),
                    _ => view! { <p><a href="/login">{td_string!(locale, account.login_link)}</a></p> }.into_any(),
                }
            })}
        </Suspense>
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
fn RosterRow(locale: Locale, code: String, e: super::RosterEntry) -> impl IntoView {
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
            <td>{employment}</td>
            <td class="actions">
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
    let allowed = signed_in_or_redirect();
    let state = form_state();
    if state.status != 0 {
        set_status(state.status);
    }
    let params = use_params_map();
    let saved = use_query_map().with_untracked(|q| q.get("saved").is_some());
    let code = params.with_untracked(|p| p.get("code").unwrap_or_default());
    let data = Resource::new(
        move || params.with(|p| p.get("code").unwrap_or_default()),
        console_roster,
    );
    view! {
        <Title text=td_string!(locale, enrol.console_title) />
        <p><a href="/staff/classes">{td_string!(locale, enrol.back_to_console)}</a></p>
        {state.message.clone().map(|m| view! { <div class="error-summary" role="alert" tabindex="-1"><p>{m}</p></div> })}
        {saved.then(|| view! { <p class="notice" role="status">{td_string!(locale, enrol.saved)}</p> })}
        <Suspense>
            {move || {
                let code = code.clone();
                Suspend::new(async move {
                    match (allowed, data.await) {
                        (true, Ok(roster)) => {
                            let title = td_string!(locale, enrol.roster_title, title = roster.class.title.clone()).to_string();
                            let rows = if roster.entries.is_empty() {
                                view! { <p>{td_string!(locale, enrol.roster_empty)}</p> }.into_any()
                            } else {
                                view! {
                                    <div class="table-scroll" role="region" aria-labelledby="roster-heading" tabindex="0">
                                        <table class="data-table roster">
                                            <thead><tr>
                                                <th scope="col">{td_string!(locale, enrol.col_name)}</th>
                                                <th scope="col">{td_string!(locale, enrol.col_id_number)}</th>
                                                <th scope="col">{td_string!(locale, enrol.col_phone)}</th>
                                                <th scope="col">{td_string!(locale, enrol.col_status)}</th>
                                                <th scope="col">{td_string!(locale, enrol.col_hours)}</th>
                                                <th scope="col">{td_string!(locale, enrol.col_employment)}</th>
                                                <th scope="col">{td_string!(locale, enrol.col_actions)}</th>
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
                            }.into_any()
                        }
                        (_, Err(e)) => view! { <ErrorNotice error=e /> }.into_any(),
                        _ => view! { <p><a href="/login">{td_string!(locale, account.login_link)}</a></p> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

/// The anonymous question page: a GET form, so the answer is a shareable address and works
/// without JS.
#[component]
pub fn CheckPage() -> impl IntoView {
    let locale = use_locale();
    let query = use_query_map();
    let asked = query.with_untracked(|q| q.get("submitted").is_some());
    let question = query.with_untracked(|q| {
        let occupation = q.get("cert_occupation").unwrap_or_default();
        super::Question {
            groups: q.get_all("groups").unwrap_or_default(),
            birth_date: q.get("birth_date"),
            city: q.get("city"),
            certificates: if occupation.trim().is_empty() {
                Vec::new()
            } else {
                vec![super::HeldCertificate {
                    occupation,
                    level: q.get("cert_level").unwrap_or_default(),
                }]
            },
            course: None,
        }
    });
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
        <form method="get" action="/eligibility" class="check-form">
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
                    Some(Ok(answer)) => view! {
                        <section aria-labelledby="results-heading">
                            <h2 id="results-heading">{td_string!(locale, enrol.check_results, count = answer.total, shown = answer.items.len()).to_string()}</h2>
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
                        </section>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}
