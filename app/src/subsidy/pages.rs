//! 我的补贴 (the person's claims and the certificates they may claim for, each claim with its
//! timeline and a "这不是我" form; their disputes) and the HR officer's review console (claims
//! of the city with their actions, and the city's disputes). Plain forms that post to the
//! server (`server/src/forms/`), usable without JS.

use super::{status_label, Claim, ClaimEvent, StaffClaim};
use crate::dispute::pages::{DisputeForm, DisputeList};
use crate::dispute::{Dispute, DisputeKind};
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
use serde::{Deserialize, Serialize};

/// What 我的补贴 shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClaimsView {
    pub claims: Vec<Claim>,
    pub disputes: Vec<Dispute>,
    /// The payee kept for later claims, masked.
    pub kept_payee: Option<super::payee::PayeeView>,
}

#[server]
pub async fn my_claims() -> Result<ClaimsView, AppError> {
    let portal = crate::portal::from_context()?;
    let actor = crate::access::signed_in_actor()?;
    Ok(ClaimsView {
        claims: super::service::mine(&portal, &actor).await?,
        disputes: crate::dispute::service::mine(&portal, &actor).await?,
        kept_payee: super::payee_service::kept(&portal, &actor).await?,
    })
}

fn level_label(code: &str, locale: Locale) -> String {
    Level::from_code(code)
        .map(|l| l.label(locale).to_string())
        .unwrap_or_else(|| code.to_string())
}

fn when(at: &str) -> String {
    at.get(..16).unwrap_or(at).replace('T', " ")
}

#[component]
fn ClaimTimeline(locale: Locale, events: Vec<ClaimEvent>) -> impl IntoView {
    view! {
        <ol class="timeline">
            {events.into_iter().map(|t| view! {
                <li>
                    <time datetime=t.at.clone()>{when(&t.at)}</time>
                    " " <strong>{status_label(&t.status, locale)}</strong>
                    {t.reason.map(|r| format!(" · {}", td_string!(locale, enrol.reason, reason = r)))}
                </li>
            }).collect_view()}
        </ol>
    }
}

/// The payee's fields of a claim form (`n` keeps the ids of several forms apart): the kept
/// payee to choose (when there is one), or a kind, bank and account, and whether to keep it.
#[component]
fn PayeeFields(
    locale: Locale,
    n: String,
    kept: Option<super::payee::PayeeView>,
    keep_box: bool,
) -> impl IntoView {
    use super::payee::PayeeKind;
    let has_kept = kept.is_some();
    let id = move |what: &str| format!("{what}-{n}");
    let choice = |value: &'static str, label: String, checked: bool| {
        let input_id = id(&format!("kind-{value}"));
        view! {
            <div class="choice">
                <input type="radio" id=input_id.clone() name="kind" value=value checked=checked />
                <label for=input_id>{label}</label>
            </div>
        }
    };
    view! {
        <fieldset class="payee">
            <legend>{td_string!(locale, payee.legend)}</legend>
            {kept.map(|k| choice(
                "kept",
                td_string!(locale, payee.use_kept, payee = super::payee::describe(&k, locale)).to_string(),
                true,
            ))}
            {PayeeKind::ALL.into_iter().enumerate().map(|(i, k)| {
                choice(k.code(), k.label(locale).to_string(), !has_kept && i == 0)
            }).collect_view()}
            <div class="field">
                <label for=id("bank")>{td_string!(locale, payee.bank)}</label>
                <input id=id("bank") type="text" name="bank" maxlength="60" autocomplete="off" />
            </div>
            <div class="field">
                <label for=id("account")>{td_string!(locale, payee.account)}</label>
                <p class="hint" id=id("account-hint")>{td_string!(locale, payee.account_hint)}</p>
                <input id=id("account") type="text" name="account" inputmode="numeric" maxlength="40"
                    autocomplete="off" aria-describedby=id("account-hint") />
            </div>
            {keep_box.then(|| view! {
                <div class="choice">
                    <input type="checkbox" id=id("keep") name="keep_payee" value="1" checked=true />
                    <label for=id("keep")>{td_string!(locale, payee.keep)}</label>
                </div>
            })}
        </fieldset>
    }
}

/// Whom a claim is paid to, and when it was paid.
fn payment_lines(c: &Claim, locale: Locale) -> Vec<String> {
    let mut lines = Vec::new();
    if let Some(p) = &c.payee {
        let payee = super::payee::describe(p, locale);
        lines.push(td_string!(locale, payee.shown, payee = payee).to_string());
    }
    match (&c.paid_on, &c.payment_reference) {
        (Some(date), Some(reference)) => lines.push(
            td_string!(
                locale,
                payee.paid,
                date = date.clone(),
                reference = reference.clone()
            )
            .to_string(),
        ),
        _ if c.batch_id.is_some() => lines.push(td_string!(locale, payee.in_batch).to_string()),
        _ => {}
    }
    lines
}

#[component]
fn ClaimCard(locale: Locale, c: Claim, kept: Option<super::payee::PayeeView>) -> impl IntoView {
    let heading_id = format!("claim-{}-{}", c.certificate_id, c.id.unwrap_or(0));
    let mut title = format!("{} · {}", c.occupation, level_label(&c.level, locale));
    if c.top_up_of.is_some() {
        title.push_str(&format!(" · {}", td_string!(locale, claim.top_up)));
    }
    let changeable = c.batch_id.is_none()
        && matches!(c.status.as_str(), "submitted" | "under_review" | "approved");
    let action = match c.id {
        None => view! {
            <form method="post" action="/me/subsidies">
                <input type="hidden" name="certificate_id" value=c.certificate_id.to_string() />
                <PayeeFields locale=locale n=format!("c{}", c.certificate_id) kept=kept keep_box=true />
                <button type="submit" class="button-primary" aria-describedby=heading_id.clone()>
                    {td_string!(locale, claim.claim_button)}
                </button>
            </form>
        }
        .into_any(),
        Some(id) => view! {
            {changeable.then(|| view! {
                <details class="payee-change">
                    <summary>{td_string!(locale, payee.change)}</summary>
                    <form method="post" action=format!("/me/subsidies/{id}/payee")>
                        <PayeeFields locale=locale n=format!("p{id}") kept=None keep_box=false />
                        <button type="submit" class="button-secondary">{td_string!(locale, payee.change_button)}</button>
                    </form>
                </details>
            })}
            <h3>{td_string!(locale, enrol.timeline)}</h3>
            <ClaimTimeline locale=locale events=c.timeline.clone() />
            <DisputeForm locale=locale kinds=vec![DisputeKind::Subsidy] id=id />
        }
        .into_any(),
    };
    let paid_lines = payment_lines(&c, locale);
    view! {
        <li class="claim" data-status=c.status.clone()>
            <h2 id=heading_id.clone()>{title}</h2>
            <p class="status-line">
                <span class=format!("status status-{}", c.status)>{status_label(&c.status, locale)}</span>
                " · " {td_string!(locale, claim.amount, amount = c.amount_yuan.to_string(), percent = c.percent).to_string()}
            </p>
            {c.recovery.clone().map(|r| view! {
                <p class="notice notice-warning" data-recovery=r.status.clone()>
                    <strong>{td_string!(locale, recovery.title)}</strong> " " {super::recovery_pages::recovery_line(&r, locale)}
                </p>
            })}
            {paid_lines.into_iter().map(|l| view! { <p class="payment-line">{l}</p> }).collect_view()}
            {c.breakdown.clone().map(|b| view! { <p class="hint">{breakdown_text(&b, locale)}</p> })}
            {c.note.clone().map(|r| view! { <p>{td_string!(locale, enrol.reason, reason = r).to_string()}</p> })}
            {action}
        </li>
    }
}

/// How a claim's amount was made, in one line.
fn breakdown_text(b: &super::Breakdown, locale: Locale) -> String {
    let mut text = td_string!(
        locale,
        claim.breakdown,
        standard = b.standard_yuan.to_string(),
        share = b.share_percent,
        training = b.training_subsidy_yuan.to_string(),
        days = b.attended_days,
        allowance = b.living_allowance_yuan.to_string()
    )
    .to_string();
    if !b.groups.is_empty() {
        let groups: Vec<&str> = b.groups.iter().map(|g| g.label(locale)).collect();
        text.push_str(
            &td_string!(locale, claim.breakdown_groups, groups = groups.join("、")).to_string(),
        );
    }
    text
}

#[component]
pub fn MyClaimsPage() -> impl IntoView {
    let locale = use_locale();
    let state = form_outcome();
    let notice = use_query_map().with_untracked(|q| {
        if q.get("claimed").is_some() {
            Some(td_string!(locale, claim.claimed_done).to_string())
        } else if q.get("disputed").is_some() {
            Some(td_string!(locale, dispute.filed_done).to_string())
        } else if q.get("payee").is_some() {
            Some(td_string!(locale, payee.changed).to_string())
        } else {
            None
        }
    });
    let data = Resource::new(|| (), |_| my_claims());
    view! {
        <Title text=td_string!(locale, claim.my_title) />
        <h1>{td_string!(locale, claim.my_title)}</h1>
        <p class="lead">{td_string!(locale, claim.my_lead)}</p>
        <FormMessage state=state />
        {notice.map(|n| view! { <p class="notice" role="status">{n}</p> })}
        <Loaded data=data view={move |mine: ClaimsView| view! {
                        {if mine.claims.is_empty() {
                            view! { <p>{td_string!(locale, claim.my_empty)}</p> }.into_any()
                        } else {
                            view! {
                                <ul class="claims">
                                    {mine.claims.into_iter().map(|c| view! { <ClaimCard locale=locale c=c kept=mine.kept_payee.clone() /> }).collect_view()}
                                </ul>
                            }.into_any()
                        }}
                        <section aria-labelledby="disputes-heading">
                            <h2 id="disputes-heading">{td_string!(locale, dispute.my_heading)}</h2>
                            {if mine.disputes.is_empty() {
                                view! { <p>{td_string!(locale, dispute.none)}</p> }.into_any()
                            } else {
                                view! { <DisputeList locale=locale list=mine.disputes /> }.into_any()
                            }}
                        </section>
        }} />
    }
}

/// What the review console shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewView {
    pub claims: Page<StaffClaim>,
    pub disputes: Page<Dispute>,
    /// The city's money this year (an approval past the budget needs a confirmation).
    pub budget: super::batches::Budget,
}

#[server]
pub async fn review_queue(status: Option<String>, page: u32) -> Result<ReviewView, AppError> {
    let portal = crate::portal::from_context()?;
    let actor = crate::access::signed_in_actor()?;
    let status = status
        .as_deref()
        .filter(|s| !s.is_empty())
        .and_then(super::rules::ClaimStatus::from_code);
    let paging = crate::list::Paging {
        page,
        per_page: crate::list::MAX_PER_PAGE,
    };
    Ok(ReviewView {
        claims: super::review::queue(&portal, &actor, status, paging).await?,
        disputes: crate::dispute::service::for_city(
            &portal,
            &actor,
            false,
            crate::list::Paging::first(crate::list::MAX_PER_PAGE),
        )
        .await?,
        budget: super::budget::budget(&portal, &actor, None).await?,
    })
}

/// The actions on a claim in the console, each a small form posting a decision.
#[component]
fn ClaimActions(locale: Locale, c: StaffClaim, over_budget: bool) -> impl IntoView {
    let action = format!("/staff/subsidies/{}/decision", c.id);
    let reason_id = format!("reason-{}", c.id);
    let button = |decision: &'static str, label: &'static str| {
        let action = action.clone();
        view! {
            <form method="post" action=action class="row-form">
                <input type="hidden" name="decision" value=decision />
                <button type="submit" class="button-secondary">{label}</button>
            </form>
        }
    };
    match c.status.as_str() {
        "submitted" | "under_review" => view! {
            {(c.status == "submitted").then(|| button("review", td_string!(locale, review.start)))}
            <form method="post" action=action.clone() class="row-form">
                <input type="hidden" name="decision" value="approve" />
                {over_budget.then(|| {
                    let confirm_id = format!("confirm-{}", c.id);
                    view! {
                        <input type="checkbox" id=confirm_id.clone() name="confirm_over_budget" value="1" />
                        <label for=confirm_id>{td_string!(locale, review.confirm_over_budget)}</label>
                    }
                })}
                <button type="submit" class="button-secondary">{td_string!(locale, review.approve)}</button>
            </form>
            <form method="post" action=action.clone() class="row-form">
                <input type="hidden" name="decision" value="reject" />
                <label for=reason_id.clone()>{td_string!(locale, review.reason_label)}</label>
                <input id=reason_id type="text" name="reason" maxlength="200" required />
                <button type="submit" class="button-secondary">{td_string!(locale, review.reject)}</button>
            </form>
        }
        .into_any(),
        "approved" => match c.batch_id {
            Some(id) => view! {
                <a href=format!("/staff/payment-batches/{id}")>{td_string!(locale, review.in_batch, id = id).to_string()}</a>
            }
            .into_any(),
            None => view! { <a href="/staff/payment-batches">{td_string!(locale, payment.title)}</a> }.into_any(),
        },
        _ => ().into_any(),
    }
}

#[component]
pub fn ReviewPage() -> impl IntoView {
    let locale = use_locale();
    let state = form_outcome();
    let query = use_query_map();
    let status = query
        .with_untracked(|q| q.get("status"))
        .unwrap_or_default();
    let saved = query.with_untracked(|q| q.get("saved").is_some());
    let chosen = status.clone();
    let filter = form_urlencoded::byte_serialize(status.as_bytes()).collect::<String>();
    let data = Resource::new(
        move || (status.clone(), page_asked()),
        |(s, page)| review_queue(Some(s), page),
    );
    view! {
        <Title text=td_string!(locale, review.title) />
        <h1>{td_string!(locale, review.title)}</h1>
        <FormMessage state=state />
        {saved.then(|| view! { <p class="notice" role="status">{td_string!(locale, review.saved)}</p> })}
        <p><a href="/staff/payment-batches">{td_string!(locale, payment.link)}</a></p>
        <form method="get" action="/staff/subsidies" class="inline-form">
            <label for="status-filter">{td_string!(locale, review.filter)}</label>
            <select id="status-filter" name="status">
                <option value="" selected=chosen.is_empty()>{td_string!(locale, filter_any)}</option>
                {super::rules::ClaimStatus::ALL.into_iter().map(|s| view! {
                    <option value=s.code() selected=chosen == s.code()>{status_label(s.code(), locale)}</option>
                }).collect_view()}
            </select>
            <button type="submit" class="button-secondary">{td_string!(locale, apply_filters)}</button>
        </form>
        <Loaded data=data view={move |q: ReviewView| {
            let (at, pages) = (q.claims.page, q.claims.pages());
            let filter = filter.clone();
            let budget = super::payment_pages::budget_line(&q.budget, locale);
            view! {
                        <p class="notice" data-budget="">{budget}</p>
                        <section aria-labelledby="claims-caption">
                            {if q.claims.items.is_empty() {
                                view! { <h2 id="claims-caption">{td_string!(locale, review.claims_heading)}</h2><p>{td_string!(locale, review.empty)}</p> }.into_any()
                            } else {
                                view! {
                                    <div class="table-scroll" role="region" aria-labelledby="claims-caption" tabindex="0">
                                        <table class="data-table">
                                            <caption id="claims-caption">{td_string!(locale, review.claims_heading)}</caption>
                                            <thead><tr>
                                                <th scope="col">{td_string!(locale, review.col_claimant)}</th>
                                                <th scope="col">{td_string!(locale, review.col_certificate)}</th>
                                                <th scope="col">{td_string!(locale, review.col_amount)}</th>
                                                <th scope="col">{td_string!(locale, review.col_status)}</th>
                                                <th scope="col">{td_string!(locale, review.col_actions)}</th>
                                            </tr></thead>
                                            <tbody>
                                                {q.claims.items.into_iter().map(|c| view! {
                                                    <tr data-status=c.status.clone()>
                                                        <td>{c.claimant.clone()} <br /> <span class="hint">{c.id_number.clone()}</span></td>
                                                        <td>{c.occupation.clone()} " · " {level_label(&c.level, locale)} <br />
                                                            <span class="hint">{c.certificate_number.clone()} " · " {c.course_title.clone()} " · " {c.institution.clone()}</span></td>
                                                        <td>{format!("¥{}", c.amount_yuan)} " (" {c.percent} "%" {c.employed.then(|| format!(" · {}", td_string!(locale, review.employed)))} ")"
                                                            {c.breakdown.clone().map(|b| view! { <br /><span class="hint">{breakdown_text(&b, locale)}</span> })}</td>
                                                        <td>{status_label(&c.status, locale)}
                                                            {c.disputed.then(|| view! { <br /><strong class="status-rejected">{td_string!(locale, review.disputed)}</strong> })}
                                                            {c.signals.iter().map(|sig| view! { <br /><span class="signal">{td_string!(locale, review.signal_prefix)} {super::signal_label(*sig, locale)}</span> }).collect_view()}
                                                            {c.note.clone().map(|r| view! { <br /><span class="hint">{r}</span> })}</td>
                                                        <td><ClaimActions locale=locale c=c.clone() over_budget=q.budget.exceeded_by(c.amount_yuan).is_some() /></td>
                                                    </tr>
                                                }).collect_view()}
                                            </tbody>
                                        </table>
                                    </div>
                                    <Pager locale=locale at=at pages=pages href=move |p| {
                                        format!("/staff/subsidies?status={}&page={p}", filter.clone())
                                    } />
                                }.into_any()
                            }}
                        </section>
                        <section aria-labelledby="city-disputes-heading">
                            <h2 id="city-disputes-heading">{td_string!(locale, dispute.city_heading)}</h2>
                            {if q.disputes.items.is_empty() {
                                view! { <p>{td_string!(locale, dispute.none)}</p> }.into_any()
                            } else {
                                view! {
                                    <DisputeList locale=locale list=q.disputes.items.clone() />
                                    {q.disputes.items.into_iter().filter(|d| d.status == "open").map(|d| {
                                        let field = format!("resolution-{}", d.id);
                                        let (action_id, dates_id) = (format!("action-{}", d.id), format!("dates-{}", d.id));
                                        view! {
                                            <form method="post" action=format!("/staff/disputes/{}/resolve", d.id) class="row-form">
                                                <label for=field.clone()>{td_string!(locale, dispute.resolution_label, title = d.title.clone()).to_string()}</label>
                                                <input id=field type="text" name="resolution" maxlength="500" required />
                                                <label for=action_id.clone()>{td_string!(locale, dispute.action_label)}</label>
                                                <select id=action_id name="action">
                                                    {crate::dispute::Action::CODES.into_iter().map(|code| view! {
                                                        <option value=code>{crate::dispute::Action::label(code, locale)}</option>
                                                    }).collect_view()}
                                                </select>
                                                <label for=dates_id.clone()>{td_string!(locale, dispute.dates_label)}</label>
                                                <input id=dates_id type="text" name="dates" maxlength="2000" inputmode="numeric" />
                                                <button type="submit" class="button-secondary">{td_string!(locale, dispute.resolve)}</button>
                                            </form>
                                        }
                                    }).collect_view()}
                                }.into_any()
                            }}
                        </section>
            }
        }} />
    }
}
