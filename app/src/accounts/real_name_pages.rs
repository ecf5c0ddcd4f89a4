//! Real-name identity on the pages: the "用统一身份认证登录" link of the sign-in and sign-up
//! pages (where the service is configured), and the choice a person makes when an account
//! here holds their identity number (`/auth/oidc/link`).

use super::real_name::ChoiceView;
use crate::prefs::use_locale;
use crate::shell::{form_outcome, ErrorSummary, Field, SignInLink};
use leptos::prelude::*;
use leptos_i18n::td_string;
use leptos_meta::Title;

/// Whether the unified identity service is configured here.
pub fn real_name_service() -> bool {
    #[cfg(feature = "ssr")]
    {
        crate::portal::from_context().is_ok_and(|p| p.settings.real_name_service)
    }
    #[cfg(not(feature = "ssr"))]
    {
        false
    }
}

/// "用统一身份认证登录", where the service is configured.
#[component]
pub fn RealNameSignIn() -> impl IntoView {
    let locale = use_locale();
    real_name_service().then(|| {
        view! {
            <p class="real-name">
                <a class="button-link button-secondary" href="/auth/oidc/start">{td_string!(locale, account.real_name_button)}</a>
                " "<span class="hint">{td_string!(locale, account.real_name_hint)}</span>
            </p>
        }
    })
}

fn choice() -> Option<ChoiceView> {
    if let Some(view) = use_context::<ChoiceView>() {
        return Some(view);
    }
    #[cfg(feature = "ssr")]
    {
        use_context::<http::request::Parts>()
            .and_then(|p| p.extensions.get::<ChoiceView>().cloned())
    }
    #[cfg(not(feature = "ssr"))]
    {
        None
    }
}

/// The account holding the person's number may not be theirs: its password links it, or they
/// reclaim the number.
#[component]
pub fn RealNameChoicePage() -> impl IntoView {
    let locale = use_locale();
    let state = form_outcome();
    let Some(view) = choice() else {
        crate::shell::redirect("/login");
        return view! { <SignInLink /> }.into_any();
    };
    let labels = vec![("password", td_string!(locale, account.password))];
    let found = td_string!(
        locale,
        account.choice_found,
        id = view.id_number.clone(),
        name = view.account_name.clone()
    )
    .to_string();
    view! {
        <Title text=td_string!(locale, account.choice_title) />
        <div class="narrow">
            <h1>{td_string!(locale, account.choice_title)}</h1>
            <p class="lead">{found}</p>
            <ErrorSummary locale=locale state=state.clone() labels=labels />
            <section aria-labelledby="mine-heading">
                <h2 id="mine-heading">{td_string!(locale, account.choice_mine)}</h2>
                <p>{td_string!(locale, account.choice_mine_text)}</p>
                <form method="post" action="/auth/oidc/link" novalidate>
                    <Field name="password" label=td_string!(locale, account.password) kind="password" autocomplete="current-password" state=state.clone() />
                    <button type="submit">{td_string!(locale, account.choice_link_button)}</button>
                </form>
            </section>
            <section aria-labelledby="not-mine-heading">
                <h2 id="not-mine-heading">{td_string!(locale, account.choice_not_mine)}</h2>
                <p>{td_string!(locale, account.choice_not_mine_text)}</p>
                <form method="post" action="/auth/oidc/reclaim">
                    <input type="hidden" name="confirm" value="1" />
                    <button type="submit" class="button-danger">{td_string!(locale, account.choice_reclaim_button)}</button>
                </form>
            </section>
        </div>
    }
    .into_any()
}
