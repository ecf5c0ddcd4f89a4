//! The header, notices and footer around every page.

use super::ReturnTo;
use crate::access::{current_user, Role};
use crate::i18n::Locale;
use crate::prefs::{locale_code, use_prefs, ElderToggle, PREFS_PATH};
use leptos::prelude::*;
use leptos_i18n::td_string;

/// The header's links for whoever is signed in: the one or two used most (`main`), always in
/// view, and the rest, behind the menu on a phone and in line on a wide screen.
#[component]
fn NavLinks(locale: Locale, main: bool) -> impl IntoView {
    let Some(user) = current_user() else {
        return if main {
            view! {
                <li><a href="/courses">{td_string!(locale, nav_courses)}</a></li>
                <li><a href="/login">{td_string!(locale, account.nav_login)}</a></li>
            }
            .into_any()
        } else {
            view! {
                <li><a href="/">{td_string!(locale, nav_home)}</a></li>
                <li><a href="/register">{td_string!(locale, account.nav_register)}</a></li>
            }
            .into_any()
        };
    };
    let role = user.actor.role;
    if main {
        return match role {
            Role::Trainee => view! {
                <li><a href="/me/enrollments">{td_string!(locale, enrol.nav_my)}</a></li>
                <li>
                    <a href="/me/inbox">
                        {td_string!(locale, enrol.nav_inbox)}
                        {(user.unread > 0).then(|| view! {
                            " " <span class="badge">{user.unread}<span class="visually-hidden">" " {td_string!(locale, enrol.unread_label)}</span></span>
                        })}
                    </a>
                </li>
            }
            .into_any(),
            Role::InstitutionStaff => view! {
                <li><a href="/staff/classes">{td_string!(locale, enrol.nav_console)}</a></li>
            }
            .into_any(),
            Role::HrOfficer => view! {
                <li><a href="/staff/subsidies">{td_string!(locale, review.nav)}</a></li>
            }
            .into_any(),
            Role::Evaluator => view! {
                <li><a href="/staff/assessments">{td_string!(locale, assess.nav)}</a></li>
            }
            .into_any(),
            Role::Admin => view! {
                <li><a href="/staff/audit">{td_string!(locale, audit.nav)}</a></li>
            }
            .into_any(),
        };
    }
    view! {
        <li><a href="/">{td_string!(locale, nav_home)}</a></li>
        <li><a href="/courses">{td_string!(locale, nav_courses)}</a></li>
        {(role == Role::Trainee).then(|| view! {
            <li><a href="/me/certificates">{td_string!(locale, cert.nav)}</a></li>
            <li><a href="/me/subsidies">{td_string!(locale, claim.nav)}</a></li>
        })}
        {(role == Role::HrOfficer).then(|| view! {
            <li><a href="/staff/groups">{td_string!(locale, groups.nav)}</a></li>
            <li><a href="/staff/recoveries">{td_string!(locale, recovery.nav)}</a></li>
            <li><a href="/staff/identity-cases">{td_string!(locale, identity.nav)}</a></li>
            <li><a href="/staff/catalog">{td_string!(locale, upload.nav)}</a></li>
            <li><a href="/staff/audit">{td_string!(locale, audit.nav)}</a></li>
        })}
        <li><a href="/me">{td_string!(locale, account.nav_me)} " · " {user.name}</a></li>
        <li>
            <form method="post" action="/logout" class="inline-form">
                <button type="submit" class="link-button">{td_string!(locale, account.logout)}</button>
            </form>
        </li>
    }
    .into_any()
}

/// Whether the request is served from a demo database (see `DemoSite`).
fn demo_site() -> bool {
    #[cfg(feature = "ssr")]
    {
        use_context::<http::request::Parts>()
            .and_then(|p| p.extensions.get::<super::DemoSite>().copied())
            .unwrap_or_default()
            .0
    }
    #[cfg(not(feature = "ssr"))]
    {
        false
    }
}

fn site_identifiers() -> crate::deployment::SiteIdentifiers {
    #[cfg(feature = "ssr")]
    {
        crate::portal::from_context()
            .map(|p| p.settings.identifiers.clone())
            .unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        crate::deployment::SiteIdentifiers::default()
    }
}

/// 主办单位, 网站标识码, ICP 备案号 and 公安备案号, each where configured; the two records link to
/// the registries that keep them.
#[component]
fn Identifiers(locale: Locale, ids: crate::deployment::SiteIdentifiers) -> impl IntoView {
    // One text each (no markers between the label and the value).
    let said = |label: &str, value: String| format!("{label}：{value}");
    let sponsor = ids
        .sponsor
        .map(|s| view! { <li>{said(td_string!(locale, footer_sponsor), s)}</li> });
    let code = ids
        .site_code
        .map(|c| view! { <li>{said(td_string!(locale, footer_site_code), c)}</li> });
    let icp = ids
        .icp
        .map(|n| view! { <li><a href="https://beian.miit.gov.cn/">{n}</a></li> });
    let police = ids.public_security.map(|n| {
        let digits: String = n.chars().filter(char::is_ascii_digit).collect();
        let href = format!("https://beian.mps.gov.cn/#/query/webSearch?code={digits}");
        view! { <li><a href=href>{n}</a></li> }
    });
    view! { <ul class="site-identifiers">{sponsor}{code}{icp}{police}</ul> }
}

#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let prefs = use_prefs();
    let locale = prefs.locale;
    let back = use_context::<ReturnTo>().unwrap_or_default().0;
    let other = match locale {
        Locale::en => Locale::zh_CN,
        _ => Locale::en,
    };
    let demo = demo_site();
    view! {
        <a class="skip-link" href="#main">{td_string!(locale, skip_to_main)}</a>
        <header class="site-header">
            <div class="wrap header-inner">
                <a class="brand" href="/">
                    <span class="brand-name">{td_string!(locale, site_name)}</span>
                    <span class="brand-tagline">{td_string!(locale, site_tagline)}</span>
                </a>
                <div class="prefs">
                    <form method="post" action=PREFS_PATH class="pref-form">
                        <input type="hidden" name="lang" value=locale_code(other) />
                        <input type="hidden" name="back" value=back.clone() />
                        <button
                            type="submit"
                            class="pref-button"
                            lang=locale_code(other)
                            title=td_string!(locale, lang_switch_hint)
                        >
                            {td_string!(locale, lang_switch)}
                        </button>
                    </form>
                    <ElderToggle on=prefs.elder locale=locale back=back />
                </div>
                // The menu is a <details>: it opens without JS. On a wide screen the style
                // shows its links in line and hides its summary.
                <nav class="site-nav" aria-label=td_string!(locale, nav_label)>
                    <ul class="nav-main">
                        <NavLinks locale=locale main=true />
                    </ul>
                    <details class="nav-more">
                        <summary>{td_string!(locale, nav_menu)}</summary>
                        <ul>
                            <NavLinks locale=locale main=false />
                        </ul>
                    </details>
                </nav>
            </div>
        </header>
        {demo.then(|| view! {
            <p class="demo-banner">
                <span class="wrap">{td_string!(locale, demo_notice)}</span>
            </p>
        })}
        <main id="main" class="wrap" tabindex="-1">
            {children()}
        </main>
        <footer class="site-footer">
            <div class="wrap">
                <p>{td_string!(locale, footer_text)}</p>
                <nav aria-label=td_string!(locale, directory.footer_label)>
                    <ul class="footer-links">
                        <li><a href="/institutions">{td_string!(locale, directory.institutions_title)}</a></li>
                        <li><a href="/evaluation-orgs">{td_string!(locale, directory.orgs_title)}</a></li>
                        <li><a href="/eligibility">{td_string!(locale, enrol.anonymous_check_link)}</a></li>
                    </ul>
                </nav>
                {(!demo).then(|| view! { <Identifiers locale=locale ids=site_identifiers() /> })}
            </div>
        </footer>
    }
}
