//! The wallet (我的证书, each certificate with a QR code that opens its verification) and the
//! public verification page. The name typed to verify is posted, never put in the address.

use super::{Certificate, Verification};
use crate::accounts::{current_user, FormState};
use crate::error::AppError;
use crate::i18n::Locale;
use crate::prefs::use_locale;
use crate::reference::Enumeration;
use crate::shell::{redirect, set_status, ErrorNotice};
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

/// This site's own address as the browser used it (for QR codes to open on a phone).
#[cfg(feature = "ssr")]
fn site_origin() -> String {
    let parts = use_context::<http::request::Parts>();
    let header = |name: &str| {
        parts
            .as_ref()
            .and_then(|p| p.headers.get(name))
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    let host = header("host").unwrap_or_else(|| "localhost".into());
    let scheme = header("x-forwarded-proto").unwrap_or_else(|| "http".into());
    format!("{scheme}://{host}")
}

#[server]
pub async fn my_certificates() -> Result<Option<Vec<WalletItem>>, AppError> {
    let Some(user) = current_user() else {
        return Ok(None);
    };
    let portal = use_context::<crate::portal::Portal>()
        .ok_or_else(|| AppError::Internal("no portal".into()))?;
    let origin = site_origin();
    let list = super::service::wallet(&portal, user.id).await?;
    Ok(Some(
        list.into_iter()
            .map(|certificate| {
                let verify_url = format!("{origin}/verify?number={}", certificate.number);
                WalletItem {
                    qr_svg: super::qr_svg(&verify_url).unwrap_or_default(),
                    verify_url,
                    certificate,
                }
            })
            .collect(),
    ))
}

#[component]
fn CertificateCard(locale: Locale, item: WalletItem) -> impl IntoView {
    let c = item.certificate;
    let label = td_string!(locale, cert.qr_label, number = c.number.clone()).to_string();
    view! {
        <li class="certificate">
            <h2>{c.occupation.clone()} " · " {c.level.label(locale)}</h2>
            <dl class="details">
                <div><dt>{td_string!(locale, cert.number)}</dt><dd>{c.number.clone()}</dd></div>
                <div><dt>{td_string!(locale, cert.kind)}</dt><dd>{c.certificate_type.label(locale)}</dd></div>
                <div><dt>{td_string!(locale, cert.issuer)}</dt><dd>{c.issuer.clone()}</dd></div>
                <div><dt>{td_string!(locale, cert.issued_on)}</dt><dd>{c.issued_on.to_string()}</dd></div>
            </dl>
            <div class="qr" role="img" aria-label=label inner_html=item.qr_svg></div>
            <p><a href=format!("/verify?number={}", c.number)>{td_string!(locale, cert.verify_link)}</a></p>
        </li>
    }
}

#[component]
pub fn WalletPage() -> impl IntoView {
    let locale = use_locale();
    if current_user().is_none() {
        redirect("/login");
    }
    let data = Resource::new(|| (), |_| my_certificates());
    view! {
        <Title text=td_string!(locale, cert.wallet_title) />
        <h1>{td_string!(locale, cert.wallet_title)}</h1>
        <Suspense>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(Some(list)) if list.is_empty() => view! { <p>{td_string!(locale, cert.wallet_empty)}</p> }.into_any(),
                    Ok(Some(list)) => view! {
                        <ul class="certificates">
                            {list.into_iter().map(|item| view! { <CertificateCard locale=locale item=item /> }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(e) => view! { <ErrorNotice error=e /> }.into_any(),
                    Ok(None) => view! { <p><a href="/login">{td_string!(locale, account.login_link)}</a></p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The answer of a verification, as the form post leaves it for the page.
#[derive(Debug, Clone, Default)]
pub struct VerifyOutcome(pub Option<Verification>);

#[component]
pub fn VerifyPage() -> impl IntoView {
    let locale = use_locale();
    let state = use_context::<FormState>().unwrap_or_default();
    if state.status != 0 {
        set_status(state.status);
    }
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
