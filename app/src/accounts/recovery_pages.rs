//! A way back in, a new phone, and the second step of a staff sign-in: the reset page (a code
//! texted to the phone, then a new password), the password-change and new-phone pages of 我的,
//! and the sign-in check. Plain forms in two steps where a code is texted (the phone, then the
//! rest), usable without JS.

use crate::prefs::use_locale;
use crate::shell::{
    form_outcome, signed_in_or_redirect, ErrorSummary, Field, FormNotice, SignInLink,
};
use leptos::prelude::*;
use leptos_i18n::td_string;
use leptos_meta::Title;

/// Whether a two-step page shows its second step: once a code was sent (the notice), when
/// the second step's post was refused, or when the visitor says they have a code.
fn second_step(state: &crate::shell::FormState) -> bool {
    let query = leptos_router::hooks::use_query_map();
    let asked = query.with_untracked(|q| q.get("code").is_some());
    asked || (state.status != 0 && state.value("step") != "phone")
}

#[component]
pub fn ResetPage() -> impl IntoView {
    let locale = use_locale();
    let state = form_outcome();
    let second = second_step(&state);
    let labels = vec![
        ("phone", td_string!(locale, account.phone)),
        ("code", td_string!(locale, account.code)),
        ("password", td_string!(locale, account.new_password)),
    ];
    let phone = view! {
        <Field
            name="phone"
            label=td_string!(locale, account.phone)
            hint=td_string!(locale, account.reset_phone_hint)
            kind="tel"
            autocomplete="username"
            inputmode="numeric"
            value=state.value("phone")
            state=state.clone()
        />
    };
    let form = if second {
        view! {
            <form method="post" action="/reset" novalidate>
                {phone}
                <Field
                    name="code"
                    label=td_string!(locale, account.code)
                    hint=td_string!(locale, account.code_hint)
                    autocomplete="one-time-code"
                    inputmode="numeric"
                    value=state.value("code")
                    state=state.clone()
                />
                <Field
                    name="password"
                    label=td_string!(locale, account.new_password)
                    hint=td_string!(locale, account.password_hint)
                    kind="password"
                    autocomplete="new-password"
                    state=state.clone()
                />
                <button type="submit">{td_string!(locale, account.reset_button)}</button>
            </form>
            <form method="post" action="/reset/code">
                <input type="hidden" name="phone" value=state.value("phone") />
                <button type="submit" class="button-secondary">{td_string!(locale, account.resend_code)}</button>
            </form>
        }
        .into_any()
    } else {
        view! {
            <form method="post" action="/reset/code" novalidate>
                {phone}
                <button type="submit">{td_string!(locale, account.get_code)}</button>
            </form>
            <p><a href="/reset?code=1">{td_string!(locale, account.have_reset_code)}</a></p>
        }
        .into_any()
    };
    view! {
        <Title text=td_string!(locale, account.reset_title) />
        <div class="narrow">
            <h1>{td_string!(locale, account.reset_title)}</h1>
            <p class="lead">{td_string!(locale, account.reset_lead)}</p>
            <ErrorSummary locale=locale state=state.clone() labels=labels />
            <FormNotice state=state.clone() />
            {form}
            <p><a href="/login">{td_string!(locale, account.login_link)}</a></p>
        </div>
    }
}

#[component]
pub fn PasswordPage() -> impl IntoView {
    let locale = use_locale();
    let state = form_outcome();
    if !signed_in_or_redirect() {
        return view! { <SignInLink /> }.into_any();
    }
    let labels = vec![
        (
            "current_password",
            td_string!(locale, account.current_password),
        ),
        ("new_password", td_string!(locale, account.new_password)),
    ];
    view! {
        <Title text=td_string!(locale, account.password_title) />
        <div class="narrow">
            <h1>{td_string!(locale, account.password_title)}</h1>
            <p class="lead">{td_string!(locale, account.password_lead)}</p>
            <ErrorSummary locale=locale state=state.clone() labels=labels />
            <form method="post" action="/me/password" novalidate>
                <Field
                    name="current_password"
                    label=td_string!(locale, account.current_password)
                    kind="password"
                    autocomplete="current-password"
                    state=state.clone()
                />
                <Field
                    name="new_password"
                    label=td_string!(locale, account.new_password)
                    hint=td_string!(locale, account.password_hint)
                    kind="password"
                    autocomplete="new-password"
                    state=state.clone()
                />
                <button type="submit">{td_string!(locale, account.password_button)}</button>
            </form>
            <p><a href="/me">{td_string!(locale, account.back_to_profile)}</a></p>
        </div>
    }
    .into_any()
}

#[component]
pub fn PhonePage() -> impl IntoView {
    let locale = use_locale();
    let state = form_outcome();
    if !signed_in_or_redirect() {
        return view! { <SignInLink /> }.into_any();
    }
    let second = second_step(&state);
    let labels = vec![
        ("phone", td_string!(locale, account.new_phone)),
        ("code", td_string!(locale, account.code)),
    ];
    let phone = view! {
        <Field
            name="phone"
            label=td_string!(locale, account.new_phone)
            hint=td_string!(locale, account.phone_step_hint)
            kind="tel"
            autocomplete="tel-national"
            inputmode="numeric"
            value=state.value("phone")
            state=state.clone()
        />
    };
    let form = if second {
        view! {
            <form method="post" action="/me/phone" novalidate>
                {phone}
                <Field
                    name="code"
                    label=td_string!(locale, account.code)
                    hint=td_string!(locale, account.code_hint)
                    autocomplete="one-time-code"
                    inputmode="numeric"
                    state=state.clone()
                />
                <button type="submit">{td_string!(locale, account.phone_button)}</button>
            </form>
        }
        .into_any()
    } else {
        view! {
            <form method="post" action="/me/phone/code" novalidate>
                {phone}
                <button type="submit">{td_string!(locale, account.get_code)}</button>
            </form>
        }
        .into_any()
    };
    view! {
        <Title text=td_string!(locale, account.phone_title) />
        <div class="narrow">
            <h1>{td_string!(locale, account.phone_title)}</h1>
            <ErrorSummary locale=locale state=state.clone() labels=labels />
            <FormNotice state=state.clone() />
            {form}
            <p><a href="/me">{td_string!(locale, account.back_to_profile)}</a></p>
        </div>
    }
    .into_any()
}

/// The second step a half-made sign-in owes: what the form post left, else the request's.
fn owed_step() -> Option<super::OwedView> {
    if let Some(owed) = use_context::<super::OwedView>() {
        return Some(owed);
    }
    #[cfg(feature = "ssr")]
    {
        use_context::<http::request::Parts>()
            .and_then(|p| p.extensions.get::<super::OwedView>().cloned())
    }
    #[cfg(not(feature = "ssr"))]
    {
        None
    }
}

#[component]
pub fn SignInCheckPage() -> impl IntoView {
    let locale = use_locale();
    let state = form_outcome();
    let Some(owed) = owed_step() else {
        crate::shell::redirect("/login");
        return view! { <SignInLink /> }.into_any();
    };
    let label = match owed.totp {
        true => td_string!(locale, account.app_code),
        false => td_string!(locale, account.code),
    };
    let labels = vec![("code", label)];
    let said = match (owed.totp, owed.reference.clone()) {
        (true, _) | (false, None) => view! { <p>{td_string!(locale, account.verify_totp)}</p> }.into_any(),
        (false, Some(reference)) => view! {
            <p>
                {td_string!(locale, account.verify_sms_before, phone = owed.phone.clone()).to_string()}
                <span id="sms-ref">{reference}</span>
                {td_string!(locale, account.verify_sms_after)}
            </p>
        }
        .into_any(),
    };
    view! {
        <Title text=td_string!(locale, account.verify_title) />
        <div class="narrow">
            <h1>{td_string!(locale, account.verify_title)}</h1>
            <ErrorSummary locale=locale state=state.clone() labels=labels />
            <FormNotice state=state.clone() />
            {said}
            <form method="post" action="/login/verify" novalidate>
                <Field name="code" label=label autocomplete="one-time-code" inputmode="numeric" state=state.clone() />
                <button type="submit">{td_string!(locale, account.login_button)}</button>
            </form>
            {(!owed.totp).then(|| view! {
                <form method="post" action="/login/verify/resend">
                    <button type="submit" class="button-secondary">{td_string!(locale, account.resend_code)}</button>
                </form>
            })}
            <p><a href="/login">{td_string!(locale, account.login_again)}</a></p>
        </div>
    }
    .into_any()
}
