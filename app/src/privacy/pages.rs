//! 我的数据: download everything held about me, or delete my account (with my password).

use crate::prefs::use_locale;
use crate::shell::{
    form_outcome, signed_in_or_redirect, ErrorSummary, Field, FormNotice, SignInLink,
};
use leptos::prelude::*;
use leptos_i18n::td_string;
use leptos_meta::Title;

#[component]
pub fn MyDataPage() -> impl IntoView {
    let locale = use_locale();
    let state = form_outcome();
    if !signed_in_or_redirect() {
        return view! { <SignInLink /> }.into_any();
    }
    let labels = vec![
        ("password", td_string!(locale, account.password)),
        ("code", td_string!(locale, account.code)),
    ];
    let profile = Resource::new(|| (), |_| crate::accounts::pages::my_profile());
    view! {
        <Title text=td_string!(locale, account.my_data_title) />
        <div class="narrow">
            <h1>{td_string!(locale, account.my_data_title)}</h1>
            <section aria-labelledby="export-heading">
                <h2 id="export-heading">{td_string!(locale, account.export_heading)}</h2>
                <p>{td_string!(locale, account.export_text)}</p>
                <p><a class="button-link" href="/api/v1/me/export" download="peixun-my-data.json">{td_string!(locale, account.export_button)}</a></p>
            </section>
            <section aria-labelledby="delete-heading">
                <h2 id="delete-heading">{td_string!(locale, account.delete_heading)}</h2>
                <p>{td_string!(locale, account.delete_text)}</p>
                <ErrorSummary locale=locale state=state.clone() labels=labels />
                <FormNotice state=state.clone() />
                <Suspense>
                    {move || {
                        let state = state.clone();
                        Suspend::new(async move {
                            // An account without a password confirms with a code texted to it.
                            let with_code = matches!(profile.await, Ok(p) if !p.password);
                            view! {
                                {with_code.then(|| view! {
                                    <form method="post" action="/me/delete/code">
                                        <button type="submit" class="button-secondary">{td_string!(locale, account.get_code)}</button>
                                    </form>
                                })}
                                <form method="post" action="/me/delete" novalidate>
                                    {if with_code {
                                        view! { <Field name="code" label=td_string!(locale, account.code) hint=td_string!(locale, account.code_hint) autocomplete="one-time-code" inputmode="numeric" state=state.clone() /> }.into_any()
                                    } else {
                                        view! { <Field name="password" label=td_string!(locale, account.password) hint=td_string!(locale, account.delete_password_hint) kind="password" autocomplete="current-password" state=state.clone() /> }.into_any()
                                    }}
                                    <button type="submit" class="button-danger">{td_string!(locale, account.delete_button)}</button>
                                </form>
                            }
                        })
                    }}
                </Suspense>
            </section>
        </div>
    }
    .into_any()
}
