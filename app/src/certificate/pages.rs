//! The wallet (我的证书, each certificate with a QR code that opens its verification) and the
//! public verification page. The name typed to verify is posted, never put in the address.

use super::{Candidate, Certificate, LadderStep, Verification};
use crate::error::AppError;
use crate::i18n::Locale;
use crate::list::Page;
use crate::prefs::use_locale;
use crate::reference::Enumeration;
use crate::shell::{form_outcome, page_asked, FormMessage, Loaded, Pager};
use leptos::prelude::*;
use leptos_i18n::td_string;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

/// A certificate with its QR code (SVG markup).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WalletItem {
    pub certificate: Certificate,
    pub qr_svg: String,
    pub verify_url: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Wallet {
    pub items: Vec<WalletItem>,
    pub ladder: Vec<LadderStep>,
}

#[server]
pub async fn my_certificates() -> Result<Wallet, AppError> {
    let portal = crate::portal::from_context()?;
    let actor = crate::access::signed_in_actor()?;
    let origin = portal.settings.public_url.clone();
    let list = super::service::wallet(&portal, &actor).await?;
    let ladder = super::service::ladder(&portal, &list).await?;
    let items = list
        .into_iter()
        .map(|certificate| {
            let verify_url = format!("{origin}/verify?number={}", certificate.number);
            WalletItem {
                qr_svg: super::qr_svg(&verify_url).unwrap_or_default(),
                verify_url,
                certificate,
            }
        })
        .collect();
    Ok(Wallet { items, ladder })
}

#[component]
fn Ladder(locale: Locale, steps: Vec<LadderStep>) -> impl IntoView {
    view! {
        <section aria-labelledby="ladder-heading" class="ladder">
            <h2 id="ladder-heading">{td_string!(locale, cert.ladder_heading)}</h2>
            <p class="hint">{td_string!(locale, cert.ladder_lead)}</p>
            <ul>
                {steps.into_iter().map(|s| {
                    let next = match s.rung.next {
                        Some(level) => td_string!(locale, cert.ladder_next, level = level.label(locale)).to_string(),
                        None => td_string!(locale, cert.ladder_top).to_string(),
                    };
                    let courses = if s.courses.is_empty() {
                        s.rung.next.map(|_| view! { <p>{td_string!(locale, cert.ladder_no_course)}</p> }.into_any())
                    } else {
                        Some(view! {
                            <ul>
                                {s.courses.into_iter().map(|(code, title)| view! {
                                    <li><a href=format!("/courses/{code}")>{title}</a></li>
                                }).collect_view()}
                            </ul>
                        }.into_any())
                    };
                    view! {
                        <li>
                            <strong>{s.rung.occupation.clone()}</strong> " · "
                            {td_string!(locale, cert.ladder_held, level = s.rung.held.label(locale)).to_string()}
                            " · " {next}
                            {courses}
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }
}

#[component]
fn CertificateCard(locale: Locale, item: WalletItem) -> impl IntoView {
    let c = item.certificate;
    let label = td_string!(locale, cert.qr_label, number = c.number.clone()).to_string();
    view! {
        <li class="certificate">
            <h2>{c.occupation.clone()} " · " {c.level.label(locale)}</h2>
            {c.revoked().then(|| view! {
                <p class="notice notice-warning">
                    <strong>{td_string!(locale, cert.status_revoked)}</strong>
                    {c.status_reason.clone().map(|r| td_string!(locale, enrol.notice_reason, reason = r).to_string())}
                </p>
            })}
            <dl class="details">
                <div><dt>{td_string!(locale, cert.number)}</dt><dd>{c.number.clone()}</dd></div>
                <div><dt>{td_string!(locale, cert.kind)}</dt><dd>{c.certificate_type.label(locale)}</dd></div>
                <div><dt>{td_string!(locale, cert.issuer)}</dt><dd>{c.issuer.clone()}</dd></div>
                <div><dt>{td_string!(locale, cert.issued_on)}</dt><dd>{c.issued_on.to_string()}</dd></div>
            </dl>
            <div class="qr" role="img" aria-label=label inner_html=item.qr_svg></div>
            <p><a href=item.verify_url>{td_string!(locale, cert.verify_link)}</a></p>
        </li>
    }
}

#[component]
pub fn WalletPage() -> impl IntoView {
    let locale = use_locale();
    let data = Resource::new(|| (), |_| my_certificates());
    view! {
        <Title text=td_string!(locale, cert.wallet_title) />
        <h1>{td_string!(locale, cert.wallet_title)}</h1>
        <Loaded data=data view={move |w: Wallet| {
            if w.items.is_empty() {
                return view! { <p>{td_string!(locale, cert.wallet_empty)}</p> }.into_any();
            }
            view! {
                <p><a href="/me/subsidies">{td_string!(locale, cert.claims_link)}</a></p>
                <ul class="certificates">
                    {w.items.into_iter().map(|item| view! { <CertificateCard locale=locale item=item /> }).collect_view()}
                </ul>
                {(!w.ladder.is_empty()).then(|| view! { <Ladder locale=locale steps=w.ladder /> })}
            }
            .into_any()
        }} />
    }
}

/// The answer of a verification, as the form post leaves it for the page.
#[derive(Debug, Clone, Default)]
pub struct VerifyOutcome(pub Option<Verification>);

#[component]
pub fn VerifyPage() -> impl IntoView {
    let locale = use_locale();
    let state = form_outcome();
    let outcome = use_context::<VerifyOutcome>().unwrap_or_default().0;
    let number = if state.values.contains_key("number") {
        state.value("number")
    } else {
        use_query_map()
            .with_untracked(|q| q.get("number"))
            .unwrap_or_default()
    };
    let result = outcome.map(|v| {
        if v.valid {
            view! {
                <div class="notice-ok" role="status">
                    <h2>{td_string!(locale, cert.valid)}</h2>
                    <dl class="details">
                        <div><dt>{td_string!(locale, cert.holder)}</dt><dd>{v.holder.clone().unwrap_or_default()}</dd></div>
                        <div><dt>{td_string!(locale, cert.occupation)}</dt><dd>{v.occupation.clone().unwrap_or_default()}</dd></div>
                        <div><dt>{td_string!(locale, cert.level)}</dt><dd>{v.level.map(|l| l.label(locale)).unwrap_or_default()}</dd></div>
                        <div><dt>{td_string!(locale, cert.issued_on)}</dt><dd>{v.issued_on.map(|d| d.to_string()).unwrap_or_default()}</dd></div>
                        <div><dt>{td_string!(locale, cert.issuer)}</dt><dd>{v.issuer.clone().unwrap_or_default()}</dd></div>
                    </dl>
                </div>
            }
            .into_any()
        } else if v.status.as_deref() == Some(super::REVOKED) {
            view! {
                <div class="error-summary" role="alert" tabindex="-1">
                    <h2>{td_string!(locale, cert.revoked)}</h2>
                    <p>{td_string!(locale, cert.revoked_hint)}</p>
                </div>
            }
            .into_any()
        } else {
            view! {
                <div class="error-summary" role="alert" tabindex="-1">
                    <h2>{td_string!(locale, cert.invalid)}</h2>
                    <p>{td_string!(locale, cert.invalid_hint)}</p>
                </div>
            }
            .into_any()
        }
    });
    view! {
        <Title text=td_string!(locale, cert.verify_title) />
        <div class="narrow">
            <h1>{td_string!(locale, cert.verify_title)}</h1>
            <p class="lead">{td_string!(locale, cert.verify_lead)}</p>
            {state.message.clone().map(|m| view! { <div class="error-summary" role="alert" tabindex="-1"><p>{m}</p></div> })}
            {result}
            <form method="post" action="/verify">
                <div class="field">
                    <label for="number">{td_string!(locale, cert.number)}</label>
                    <input id="number" name="number" type="text" maxlength="40" autocomplete="off" value=number required />
                </div>
                <div class="field">
                    <label for="name">{td_string!(locale, cert.holder_full)}</label>
                    <input id="name" name="name" type="text" maxlength="50" autocomplete="off" required />
                </div>
                <button type="submit">{td_string!(locale, cert.verify_submit)}</button>
            </form>
        </div>
    }
}

#[server]
pub async fn assessment_queue(page: u32) -> Result<Page<Candidate>, AppError> {
    let portal = crate::portal::from_context()?;
    let paging = crate::list::Paging {
        page,
        per_page: crate::list::MAX_PER_PAGE,
    };
    super::service::to_assess(&portal, &crate::access::signed_in_actor()?, paging).await
}

/// The evaluator's console: completed enrolments of the classes their organisation assesses,
/// each with a pass (score, issue date) or fail form.
#[component]
pub fn AssessPage() -> impl IntoView {
    let locale = use_locale();
    let state = form_outcome();
    let saved = use_query_map().with_untracked(|q| q.get("saved"));
    let data = Resource::new(page_asked, assessment_queue);
    view! {
        <Title text=td_string!(locale, assess.title) />
        <h1>{td_string!(locale, assess.title)}</h1>
        <p class="lead">{td_string!(locale, assess.lead)}</p>
        <p><a href="/staff/certificates">{td_string!(locale, recovery.change_link)}</a></p>
        <FormMessage state=state />
        {saved.map(|s| view! { <p class="notice" role="status">{
            if s == "passed" { td_string!(locale, assess.saved_pass) } else { td_string!(locale, assess.saved_fail) }
        }</p> })}
        <Loaded data=data view={move |list: Page<Candidate>| {
            if list.items.is_empty() {
                return view! { <p>{td_string!(locale, assess.empty)}</p> }.into_any();
            }
            let (at, pages) = (list.page, list.pages());
            view! {
                        <ul class="candidates">
                            {list.items.into_iter().map(|c| {
                                let id = c.enrollment_id;
                                let heading = format!("candidate-{id}");
                                let (score_id, date_id, result_id) = (format!("score-{id}"), format!("issued-{id}"), format!("result-{id}"));
                                view! {
                                    <li class="candidate">
                                        <h2 id=heading.clone()>{c.name.clone()} " · " {c.course_title.clone()}</h2>
                                        <p>{td_string!(locale, assess.ended, date = c.end_date.clone()).to_string()}
                                           {c.failed_score.map(|s| format!(" · {}", td_string!(locale, assess.earlier_fail, score = s)))}</p>
                                        <form method="post" action="/staff/assessments" aria-labelledby=heading>
                                            <input type="hidden" name="enrollment_id" value=id.to_string() />
                                            <div class="field">
                                                <label for=result_id.clone()>{td_string!(locale, assess.result)}</label>
                                                <select id=result_id name="passed">
                                                    <option value="true">{td_string!(locale, assess.pass)}</option>
                                                    <option value="false">{td_string!(locale, assess.fail)}</option>
                                                </select>
                                            </div>
                                            <div class="field">
                                                <label for=score_id.clone()>{td_string!(locale, assess.score)}</label>
                                                <input id=score_id name="score" type="number" min="0" max="100" inputmode="numeric" />
                                            </div>
                                            <div class="field">
                                                <label for=date_id.clone()>{td_string!(locale, assess.issued_on)}</label>
                                                <input id=date_id name="issued_on" type="date" />
                                            </div>
                                            <button type="submit" class="button-primary">{td_string!(locale, assess.submit)}</button>
                                        </form>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                        <Pager locale=locale at=at pages=pages href=|p| format!("/staff/assessments?page={p}") />
            }
            .into_any()
        }} />
    }
}

/// /staff/certificates: an evaluator (for their organisation's certificates) or the HR officer
/// (for their city's) revokes or corrects a certificate by its number, with a reason. A
/// revocation stops the claims on it and opens a recovery of what was paid.
#[component]
pub fn CertificateChangePage() -> impl IntoView {
    let locale = use_locale();
    let state = form_outcome();
    let done = use_query_map().with_untracked(|q| q.get("done"));
    let number = state.value("number");
    view! {
        <Title text=td_string!(locale, change.title) />
        <h1>{td_string!(locale, change.title)}</h1>
        <p class="lead">{td_string!(locale, change.lead)}</p>
        <FormMessage state=state.clone() />
        {done.map(|d| view! { <p class="notice" role="status">{
            if d == "revoked" { td_string!(locale, change.revoked_done) } else { td_string!(locale, change.corrected_done) }
        }</p> })}
        <section aria-labelledby="revoke-heading">
            <h2 id="revoke-heading">{td_string!(locale, change.revoke_heading)}</h2>
            <form method="post" action="/staff/certificates/revoke">
                <div class="field">
                    <label for="revoke-number">{td_string!(locale, cert.number)}</label>
                    <input id="revoke-number" name="number" type="text" maxlength="40" autocomplete="off"
                        spellcheck="false" required value=number />
                </div>
                <div class="field">
                    <label for="revoke-reason">{td_string!(locale, change.reason)}</label>
                    <input id="revoke-reason" name="reason" type="text" maxlength="200" required />
                </div>
                <button type="submit" class="button-danger">{td_string!(locale, change.revoke_submit)}</button>
            </form>
        </section>
        <section aria-labelledby="correct-heading">
            <h2 id="correct-heading">{td_string!(locale, change.correct_heading)}</h2>
            <form method="post" action="/staff/certificates/correct">
                <div class="field">
                    <label for="correct-number">{td_string!(locale, cert.number)}</label>
                    <input id="correct-number" name="number" type="text" maxlength="40" autocomplete="off"
                        spellcheck="false" required />
                </div>
                <div class="field">
                    <label for="correct-issued">{td_string!(locale, assess.issued_on)}</label>
                    <input id="correct-issued" name="issued_on" type="date" />
                </div>
                <div class="field">
                    <label for="correct-score">{td_string!(locale, assess.score)}</label>
                    <input id="correct-score" name="score" type="number" min="0" max="100" inputmode="numeric" />
                </div>
                <div class="field">
                    <label for="correct-reason">{td_string!(locale, change.reason)}</label>
                    <input id="correct-reason" name="reason" type="text" maxlength="200" required />
                </div>
                <button type="submit" class="button-primary">{td_string!(locale, change.correct_submit)}</button>
            </form>
        </section>
    }
}
