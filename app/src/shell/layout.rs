//! The header, notices and footer around every page.

use super::ReturnTo;
use crate::access::{current_user, Role};
use crate::i18n::Locale;
use crate::prefs::{locale_code, use_prefs, ElderToggle, PREFS_PATH};
use leptos::prelude::*;
use leptos_i18n::td_string;

/// The links of the header: everyone's, then those of the signed-in person's role.
#[component]
fn NavLinks(locale: Locale) -> impl IntoView {
    let Some(user) = current_user() else {
        return view! {
            <li><a href="/login">{td_string!(locale, account.nav_login)}</a></li>
            <li><a href="/register">{td_string!(locale, account.nav_register)}</a></li>
        }
        .into_any();
    };
    let role = user.actor.role;
    view! {
        {(role == Role::Trainee).then(|| view! {
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
        {(role == Role::InstitutionStaff).then(|| view! {
            <li><a href="/staff/classes">{td_string!(locale, enrol.nav_console)}</a></li>
        })}
        {(role == Role::HrOfficer).then(|| view! {
            <li><a href="/staff/subsidies">{td_string!(locale, review.nav)}</a></li>
            <li><a href="/staff/groups">{td_string!(locale, groups.nav)}</a></li>
            <li><a href="/staff/recoveries">{td_string!(locale, recovery.nav)}</a></li>
            <li><a href="/staff/catalog">{td_string!(locale, upload.nav)}</a></li>
        })}
        {matches!(role, Role::HrOfficer | Role::Admin).then(|| view! {
            <li><a href="/staff/audit">{td_string!(locale, audit.nav)}</a></li>
        })}
        {(role == Role::Evaluator).then(|| view! {
            <li><a href="/staff/assessments">{td_string!(locale, assess.nav)}</a></li>
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

#[component]
pub fn Layout(children: Children) -> impl IntoView {
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
                        <NavLinks locale=locale />
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
