//! The frame around every page: skip link, header with the language and elder-mode switches,
//! the demo-data notice, landmarks, footer; and the router.

#[cfg(feature = "ssr")]
mod document;
#[cfg(feature = "ssr")]
pub use document::{page_policy, shell, Assets};

mod status;
pub use status::{redirect, set_status};

use crate::accounts::current_user;
use crate::accounts::pages::{LoginPage, MyDataPage, ProfilePage, RegisterPage};
use crate::catalog::pages::{CoursePage, CoursesPage, HomePage, InstitutionPage, UploadPage};
use crate::certificate::pages::{AssessPage, VerifyPage, WalletPage};
use crate::enrollment::pages::{CheckPage, ConsolePage, InboxPage, MyEnrollmentsPage, RosterPage};
use crate::error::AppError;
use crate::i18n::Locale;
use crate::prefs::{locale_code, use_prefs, ElderToggle, PREFS_PATH};
use crate::subsidy::pages::{MyClaimsPage, ReviewPage};
use leptos::prelude::*;
use leptos_i18n::td_string;
use leptos_meta::{provide_meta_context, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{path, SsrMode};

/// The path (and query) of the page being rendered, for forms that send the visitor back.
#[derive(Debug, Clone, Default)]
pub struct ReturnTo(pub String);

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Router>
            <Layout>
                <Routes fallback=|| view! { <NotFound /> }>
                    <Route path=path!("/") view=HomePage ssr=SsrMode::Async />
                    <Route path=path!("/courses") view=CoursesPage ssr=SsrMode::Async />
                    <Route path=path!("/courses/:code") view=CoursePage ssr=SsrMode::Async />
                    <Route path=path!("/institutions/:code") view=InstitutionPage ssr=SsrMode::Async />
                    <Route path=path!("/register") view=RegisterPage ssr=SsrMode::Async />
                    <Route path=path!("/login") view=LoginPage ssr=SsrMode::Async />
                    <Route path=path!("/me") view=ProfilePage ssr=SsrMode::Async />
                    <Route path=path!("/me/data") view=MyDataPage ssr=SsrMode::Async />
                    <Route path=path!("/me/enrollments") view=MyEnrollmentsPage ssr=SsrMode::Async />
                    <Route path=path!("/me/inbox") view=InboxPage ssr=SsrMode::Async />
                    <Route path=path!("/staff/classes") view=ConsolePage ssr=SsrMode::Async />
                    <Route path=path!("/staff/classes/:code") view=RosterPage ssr=SsrMode::Async />
                    <Route path=path!("/eligibility") view=CheckPage ssr=SsrMode::Async />
                    <Route path=path!("/staff/catalog") view=UploadPage ssr=SsrMode::Async />
                    <Route path=path!("/me/certificates") view=WalletPage ssr=SsrMode::Async />
                    <Route path=path!("/verify") view=VerifyPage ssr=SsrMode::Async />
                    <Route path=path!("/me/subsidies") view=MyClaimsPage ssr=SsrMode::Async />
                    <Route path=path!("/staff/subsidies") view=ReviewPage ssr=SsrMode::Async />
                    <Route path=path!("/staff/assessments") view=AssessPage ssr=SsrMode::Async />
                </Routes>
            </Layout>
        </Router>
    }
}

#[component]
fn Layout(children: Children) -> impl IntoView {
    let prefs = use_prefs();
    let locale = prefs.locale;
    let back = use_context::<ReturnTo>().unwrap_or_default().0;
    let other = match locale {
        Locale::en => Locale::zh_CN,
        _ => Locale::en,
    };
    view! {
        <a class="skip-link" href="#main">{td_string!(locale, skip_to_main)}</a>
        <header class="site-header">
            <div class="wrap header-inner">
                <a class="brand" href="/">
                    <span class="brand-name">{td_string!(locale, site_name)}</span>
                    <span class="brand-tagline">{td_string!(locale, site_tagline)}</span>
                </a>
                <nav class="site-nav" aria-label=td_string!(locale, nav_label)>
                    <ul>
                        <li><a href="/">{td_string!(locale, nav_home)}</a></li>
                        <li><a href="/courses">{td_string!(locale, nav_courses)}</a></li>
                        {match current_user() {
                            Some(user) => view! {
                                {(user.role == crate::accounts::Role::Trainee).then(|| view! {
                                    <li><a href="/me/enrollments">{td_string!(locale, enrol.nav_my)}</a></li>
                                    <li><a href="/me/certificates">{td_string!(locale, cert.nav)}</a></li>
                                    <li><a href="/me/subsidies">{td_string!(locale, claim.nav)}</a></li>
                                    <li>
                                        <a href="/me/inbox">
                                            {td_string!(locale, enrol.nav_inbox)}
                                            {(user.unread > 0).then(|| view! {
                                                " " <span class="badge">{user.unread}<span class="visually-hidden">" " {td_string!(locale, enrol.unread_label)}</span></span>
                                            })}
                                        </a>
                                    </li>
                                })}
                                {(user.role == crate::accounts::Role::InstitutionStaff).then(|| view! {
                                    <li><a href="/staff/classes">{td_string!(locale, enrol.nav_console)}</a></li>
                                })}
                                {(user.role == crate::accounts::Role::HrOfficer).then(|| view! {
                                    <li><a href="/staff/subsidies">{td_string!(locale, review.nav)}</a></li>
                                    <li><a href="/staff/catalog">{td_string!(locale, upload.nav)}</a></li>
                                })}
                                {(user.role == crate::accounts::Role::Evaluator).then(|| view! {
                                    <li><a href="/staff/assessments">{td_string!(locale, assess.nav)}</a></li>
                                })}
                                <li><a href="/me">{td_string!(locale, account.nav_me)} " · " {user.name}</a></li>
                                <li>
                                    <form method="post" action="/logout" class="inline-form">
                                        <button type="submit" class="link-button">{td_string!(locale, account.logout)}</button>
                                    </form>
                                </li>
                            }.into_any(),
                            None => view! {
                                <li><a href="/login">{td_string!(locale, account.nav_login)}</a></li>
                                <li><a href="/register">{td_string!(locale, account.nav_register)}</a></li>
                            }.into_any(),
                        }}
                    </ul>
                </nav>
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
            </div>
        </header>
        <p class="demo-banner">
            <span class="wrap">{td_string!(locale, demo_notice)}</span>
        </p>
        <main id="main" class="wrap" tabindex="-1">
            {children()}
        </main>
        <footer class="site-footer">
            <div class="wrap">{td_string!(locale, footer_text)}</div>
        </footer>
    }
}

/// The page for an unknown address or record; answers HTTP 404.
#[component]
pub fn NotFound() -> impl IntoView {
    set_status(404);
    let locale = use_prefs().locale;
    view! {
        <Title text=td_string!(locale, not_found_title) />
        <section class="notice">
            <h1>{td_string!(locale, not_found_title)}</h1>
            <p>{td_string!(locale, not_found_body)}</p>
            <p><a href="/courses">{td_string!(locale, back_to_courses)}</a></p>
        </section>
    }
}

/// Shown in place of data that could not be loaded; sets the page's status to match.
#[component]
pub fn ErrorNotice(error: AppError) -> impl IntoView {
    if error == AppError::NotFound {
        return view! { <NotFound /> }.into_any();
    }
    set_status(error.status());
    let locale = use_prefs().locale;
    let details: Vec<String> = error
        .fields()
        .map(|f| {
            f.messages(locale)
                .into_iter()
                .map(|(k, v)| format!("{k}: {v}"))
                .collect()
        })
        .unwrap_or_default();
    let headline = match &error {
        AppError::Internal(_) => td_string!(locale, load_error).to_string(),
        other => other.message(locale),
    };
    view! {
        <section class="notice notice-error" role="alert">
            <h1>{headline}</h1>
            <ul>{details.into_iter().map(|d| view! { <li>{d}</li> }).collect_view()}</ul>
            <p><a href="/courses">{td_string!(locale, back_to_courses)}</a></p>
        </section>
    }
    .into_any()
}
