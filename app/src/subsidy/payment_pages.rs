//! 支付批次: the HR officer's batches (the city's budget against what is approved and paid,
//! a form gathering every approved claim into a batch, each batch with its downloads and its
//! "paid" form) and one batch's claims (payees masked; a bank return for each paid one).
//! Plain forms that post to the server (`server/src/forms/payment.rs`), usable without JS.

use super::batches::{BatchItem, Budget, PaymentBatch};
use super::payee::describe;
use crate::error::AppError;
use crate::i18n::Locale;
use crate::list::Page;
use crate::prefs::use_locale;
use crate::reference::{Enumeration, Level};
use crate::shell::{form_outcome, page_asked, FormMessage, Loaded, Pager};
use leptos::prelude::*;
use leptos_i18n::td_string;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use serde::{Deserialize, Serialize};

/// What the batches page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatchesData {
    pub budget: Budget,
    pub batches: Page<PaymentBatch>,
}

#[server]
pub async fn city_batches(page: u32) -> Result<BatchesData, AppError> {
    let portal = crate::portal::from_context()?;
    let actor = crate::access::signed_in_actor()?;
    let paging = crate::list::Paging {
        page,
        per_page: crate::list::MAX_PER_PAGE,
    };
    Ok(BatchesData {
        budget: super::budget::budget(&portal, &actor, None).await?,
        batches: super::payment::list(&portal, &actor, paging).await?,
    })
}

#[server]
pub async fn one_batch(id: i64) -> Result<PaymentBatch, AppError> {
    let portal = crate::portal::from_context()?;
    let actor = crate::access::signed_in_actor()?;
    super::payment::one(&portal, &actor, id, false).await
}

/// The city's money this year, in one line.
pub fn budget_line(b: &Budget, locale: Locale) -> String {
    match (b.budget_yuan, b.left_yuan) {
        (Some(budget), Some(left)) => td_string!(
            locale,
            payment.budget_line,
            year = b.year,
            budget = budget.to_string(),
            approved = b.approved_yuan.to_string(),
            paid = b.paid_yuan.to_string(),
            left = left.to_string()
        )
        .to_string(),
        _ => td_string!(
            locale,
            payment.budget_none,
            year = b.year,
            approved = b.approved_yuan.to_string(),
            paid = b.paid_yuan.to_string()
        )
        .to_string(),
    }
}

fn batch_status(code: &str, locale: Locale) -> &'static str {
    match code {
        "paid" => td_string!(locale, payment.batch_paid),
        _ => td_string!(locale, payment.batch_open),
    }
}

fn item_status(code: &str, locale: Locale) -> &'static str {
    match code {
        "paid" => td_string!(locale, claim.status_paid),
        "returned" => td_string!(locale, claim.status_returned),
        "removed" => td_string!(locale, payment.item_removed),
        _ => td_string!(locale, payment.item_in),
    }
}

#[component]
fn Downloads(locale: Locale, id: i64) -> impl IntoView {
    let href = move |format: &str| format!("/api/v1/staff/payment-batches/{id}?format={format}");
    view! {
        <a href=href("csv") download=format!("batch-{id}.csv")>{td_string!(locale, payment.download_csv)}</a>
        " · "
        <a href=href("xlsx") download=format!("batch-{id}.xlsx")>{td_string!(locale, payment.download_xlsx)}</a>
    }
}

#[component]
fn PaidForm(locale: Locale, b: PaymentBatch) -> impl IntoView {
    (b.status == "open").then(|| {
        let (day_id, reference_id) = (format!("paid-on-{}", b.id), format!("reference-{}", b.id));
        view! {
            <form method="post" action=format!("/staff/payment-batches/{}/paid", b.id) class="row-form">
                <label for=day_id.clone()>{td_string!(locale, payment.paid_on)}</label>
                <input id=day_id type="date" name="paid_on" />
                <label for=reference_id.clone()>{td_string!(locale, payment.reference)}</label>
                <input id=reference_id type="text" name="reference" maxlength="100" required />
                <button type="submit">{td_string!(locale, payment.mark_paid)}</button>
            </form>
        }
    })
}

/// /staff/payment-batches: the city's budget, the form gathering a batch, and the batches.
#[component]
pub fn BatchesPage() -> impl IntoView {
    let locale = use_locale();
    let state = form_outcome();
    let saved = use_query_map().with_untracked(|q| q.get("saved").is_some());
    let data = Resource::new(page_asked, city_batches);
    view! {
        <Title text=td_string!(locale, payment.title) />
        <h1>{td_string!(locale, payment.title)}</h1>
        <p class="lead">{td_string!(locale, payment.lead)}</p>
        <FormMessage state=state />
        {saved.then(|| view! { <p class="notice" role="status">{td_string!(locale, review.saved)}</p> })}
        <Loaded data=data view={move |v: BatchesData| {
            let (at, pages) = (v.batches.page, v.batches.pages());
            view! {
                <p class="notice" data-budget="">{budget_line(&v.budget, locale)}</p>
                <form method="post" action="/staff/payment-batches" class="inline-form">
                    <button type="submit" class="button-primary">{td_string!(locale, payment.gather)}</button>
                </form>
                <section aria-labelledby="batches-caption">
                    {if v.batches.items.is_empty() {
                        view! { <h2 id="batches-caption">{td_string!(locale, payment.heading)}</h2><p>{td_string!(locale, payment.none)}</p> }.into_any()
                    } else {
                        view! {
                            <div class="table-scroll" role="region" aria-labelledby="batches-caption" tabindex="0">
                                <table class="data-table">
                                    <caption id="batches-caption">{td_string!(locale, payment.heading)}</caption>
                                    <thead><tr>
                                        <th scope="col">{td_string!(locale, payment.col_batch)}</th>
                                        <th scope="col">{td_string!(locale, payment.col_total)}</th>
                                        <th scope="col">{td_string!(locale, review.col_status)}</th>
                                        <th scope="col">{td_string!(locale, review.col_actions)}</th>
                                    </tr></thead>
                                    <tbody>
                                        {v.batches.items.into_iter().map(|b| view! {
                                            <tr data-status=b.status.clone()>
                                                <td><a href=format!("/staff/payment-batches/{}", b.id)>{td_string!(locale, payment.batch_name, id = b.id).to_string()}</a>
                                                    <br /><span class="hint">{b.created_at.get(..10).unwrap_or_default().to_string()} " · " {b.created_by.clone().unwrap_or_default()}</span></td>
                                                <td>{td_string!(locale, payment.count_total, count = b.claims_count, total = b.total_yuan.to_string()).to_string()}</td>
                                                <td>{batch_status(&b.status, locale)}
                                                    {b.paid_on.clone().map(|d| view! { <br /><span class="hint">{d} " · " {b.reference.clone().unwrap_or_default()}</span> })}</td>
                                                <td><Downloads locale=locale id=b.id /><PaidForm locale=locale b=b.clone() /></td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                            <Pager locale=locale at=at pages=pages href=|p| format!("/staff/payment-batches?page={p}") />
                        }.into_any()
                    }}
                </section>
            }
        }} />
    }
}

fn level_label(code: &str, locale: Locale) -> String {
    Level::from_code(code)
        .map(|l| l.label(locale).to_string())
        .unwrap_or_else(|| code.to_string())
}

#[component]
fn ReturnForm(locale: Locale, i: BatchItem) -> impl IntoView {
    (i.status == "paid").then(|| {
        let field = format!("return-reason-{}", i.claim_id);
        view! {
            <form method="post" action=format!("/staff/subsidies/{}/returned", i.claim_id) class="row-form">
                <label for=field.clone()>{td_string!(locale, payment.return_reason)}</label>
                <input id=field type="text" name="reason" maxlength="200" required />
                <button type="submit" class="button-secondary">{td_string!(locale, payment.mark_returned)}</button>
            </form>
        }
    })
}

/// /staff/payment-batches/{id}: one batch's claims.
#[component]
pub fn BatchPage() -> impl IntoView {
    let locale = use_locale();
    let state = form_outcome();
    let params = use_params_map();
    let id = params
        .with_untracked(|p| p.get("id"))
        .and_then(|id| id.parse::<i64>().ok())
        .unwrap_or(0);
    let saved = use_query_map().with_untracked(|q| q.get("saved").is_some());
    let data = Resource::new(move || id, one_batch);
    view! {
        <Title text=td_string!(locale, payment.batch_name, id = id).to_string() />
        <h1>{td_string!(locale, payment.batch_name, id = id).to_string()}</h1>
        <p><a href="/staff/payment-batches">{td_string!(locale, payment.back)}</a></p>
        <FormMessage state=state />
        {saved.then(|| view! { <p class="notice" role="status">{td_string!(locale, review.saved)}</p> })}
        <Loaded data=data view={move |b: PaymentBatch| {
            view! {
                <p class="status-line">
                    <strong>{batch_status(&b.status, locale)}</strong> " · "
                    {td_string!(locale, payment.count_total, count = b.claims_count, total = b.total_yuan.to_string()).to_string()}
                    {b.paid_on.clone().map(|d| format!(" · {d} · {}", b.reference.clone().unwrap_or_default()))}
                </p>
                <p><Downloads locale=locale id=b.id /></p>
                <PaidForm locale=locale b=b.clone() />
                <div class="table-scroll" role="region" aria-labelledby="items-caption" tabindex="0">
                    <table class="data-table">
                        <caption id="items-caption">{td_string!(locale, payment.items_heading)}</caption>
                        <thead><tr>
                            <th scope="col">{td_string!(locale, review.col_claimant)}</th>
                            <th scope="col">{td_string!(locale, payment.col_payee)}</th>
                            <th scope="col">{td_string!(locale, review.col_amount)}</th>
                            <th scope="col">{td_string!(locale, review.col_status)}</th>
                            <th scope="col">{td_string!(locale, review.col_actions)}</th>
                        </tr></thead>
                        <tbody>
                            {b.items.into_iter().map(|i| view! {
                                <tr data-status=i.status.clone() data-claim=i.claim_id.to_string()>
                                    <td>{i.claimant.clone()} <br />
                                        <span class="hint">{format!("{} · {} · {}", i.occupation, level_label(&i.level, locale), i.certificate_number)}</span></td>
                                    <td>{describe(&i.payee, locale)}</td>
                                    <td>{i.amount_yuan.to_string()}</td>
                                    <td>{item_status(&i.status, locale)}
                                        {i.returned_reason.clone().map(|r| view! { <br /><span class="hint">{r}</span> })}</td>
                                    <td><ReturnForm locale=locale i=i.clone() /></td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            }
        }} />
    }
}
