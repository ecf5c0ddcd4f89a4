//! Sign-up, sign-in, the profile with groups, and "my data" (export, delete). Plain forms that
//! post to the server (see `server/src/forms/`); a refused post renders the page again with
//! each error next to its field and a summary at the top.

use super::real_name_pages::RealNameSignIn;
use super::Profile;
use crate::error::AppError;
use crate::groups::pages::MyGroups;
use crate::i18n::Locale;
use crate::identity::Sex;
use crate::prefs::use_locale;
use crate::shell::{form_outcome, ErrorSummary, Field, FormNotice, Loaded};
use leptos::prelude::*;
use leptos_i18n::td_string;
use leptos_meta::Title;

#[server]
pub async fn my_profile() -> Result<Profile, AppError> {
    let portal = crate::portal::from_context()?;
    super::service::profile(&portal, &crate::access::signed_in_actor()?).await
}

#[component]
pub fn RegisterPage() -> impl IntoView {
    let locale = use_locale();
    let state = form_outcome();
    let query = leptos_router::hooks::use_query_map();
    // Two steps, each a plain form: the phone (a code is texted to it), then the rest. The
    // second shows once a code was sent, when a sign-up was refused, or when asked for.
    let has_code = query.with_untracked(|q| q.get("code").is_some());
    let second = has_code || (state.status != 0 && state.value("step") != "phone");
    let labels = vec![
        ("phone", td_string!(locale, account.phone)),
        ("code", td_string!(locale, account.code)),
        ("name", td_string!(locale, account.name)),
        ("id_number", td_string!(locale, account.id_number)),
        ("password", td_string!(locale, account.password)),
    ];
    let phone = view! {
        <Field
            name="phone"
            label=td_string!(locale, account.phone)
            hint=if second { td_string!(locale, account.phone_hint) } else { td_string!(locale, account.phone_step_hint) }
            kind="tel"
            autocomplete="tel-national"
            inputmode="numeric"
            value=state.value("phone")
            state=state.clone()
        />
    };
    let form = if second {
        view! {
            <form method="post" action="/register" novalidate>
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
                <Field name="name" label=td_string!(locale, account.name) autocomplete="name" value=state.value("name") state=state.clone() />
                <Field
                    name="id_number"
                    label=td_string!(locale, account.id_number)
                    hint=td_string!(locale, account.id_number_hint)
                    autocomplete="off"
                    state=state.clone()
                />
                <Field
                    name="password"
                    label=td_string!(locale, account.password)
                    hint=td_string!(locale, account.password_hint)
                    kind="password"
                    autocomplete="new-password"
                    state=state.clone()
                />
                <p class="hint">{td_string!(locale, account.privacy_note)}</p>
                <button type="submit">{td_string!(locale, account.register_button)}</button>
            </form>
            <form method="post" action="/register/code">
                <input type="hidden" name="phone" value=state.value("phone") />
                <input type="hidden" name="name" value=state.value("name") />
                <button type="submit" class="button-secondary">{td_string!(locale, account.resend_code)}</button>
            </form>
        }
        .into_any()
    } else {
        view! {
            <form method="post" action="/register/code" novalidate>
                {phone}
                <button type="submit">{td_string!(locale, account.get_code)}</button>
            </form>
            <p><a href="/register?code=1">{td_string!(locale, account.have_code)}</a></p>
        }
        .into_any()
    };
    view! {
        <Title text=td_string!(locale, account.register_title) />
        <div class="narrow">
            <h1>{td_string!(locale, account.register_title)}</h1>
            <p class="lead">{td_string!(locale, account.register_lead)}</p>
            <ErrorSummary locale=locale state=state.clone() labels=labels />
            {(state.status == 409).then(|| view! { <TakenNumber locale=locale /> })}
            <FormNotice state=state.clone() />
            <RealNameSignIn />
            {form}
            <p>{td_string!(locale, account.have_account)} " " <a href="/login">{td_string!(locale, account.login_link)}</a></p>
        </div>
    }
}

/// The identity number is registered already: the way to reclaim it (with the unified
/// identity service), or else to report it to the city's HR bureau.
#[component]
fn TakenNumber(locale: Locale) -> impl IntoView {
    let (href, label) = match super::real_name_pages::real_name_service() {
        true => (
            "/auth/oidc/start",
            td_string!(locale, account.taken_real_name),
        ),
        false => (
            "/identity-report",
            td_string!(locale, account.taken_report_link),
        ),
    };
    view! {
        <div class="notice-warning" role="status">
            <p>{td_string!(locale, account.taken_report)} " " <a href=href>{label}</a></p>
        </div>
    }
}

#[component]
pub fn LoginPage() -> impl IntoView {
    let locale = use_locale();
    let state = form_outcome();
    let query = leptos_router::hooks::use_query_map();
    let reset = query.with_untracked(|q| q.get("reset").is_some());
    let need_code = state.value("need_code") == "1";
    let labels = vec![
        ("phone", td_string!(locale, account.phone)),
        ("password", td_string!(locale, account.password)),
        ("code", td_string!(locale, account.code)),
    ];
    view! {
        <Title text=td_string!(locale, account.login_title) />
        <div class="narrow">
            <h1>{td_string!(locale, account.login_title)}</h1>
            {reset.then(|| view! { <p class="notice-ok" role="status">{td_string!(locale, account.reset_done)}</p> })}
            <ErrorSummary locale=locale state=state.clone() labels=labels />
            <FormNotice state=state.clone() />
            <form method="post" action="/login" novalidate>
                <Field
                    name="phone"
                    label=td_string!(locale, account.phone)
                    kind="tel"
                    autocomplete="username"
                    inputmode="numeric"
                    value=state.value("phone")
                    state=state.clone()
                />
                <Field
                    name="password"
                    label=td_string!(locale, account.password)
                    kind="password"
                    autocomplete="current-password"
                    state=state.clone()
                />
                {need_code.then(|| view! {
                    <Field
                        name="code"
                        label=td_string!(locale, account.code)
                        hint=td_string!(locale, account.sign_in_code_hint)
                        autocomplete="one-time-code"
                        inputmode="numeric"
                        state=state.clone()
                    />
                })}
                <button type="submit">{td_string!(locale, account.login_button)}</button>
            </form>
            {need_code.then(|| view! {
                <form method="post" action="/login/code">
                    <input type="hidden" name="phone" value=state.value("phone") />
                    <button type="submit" class="button-secondary">{td_string!(locale, account.get_code)}</button>
                </form>
            })}
            <RealNameSignIn />
            <p><a href="/reset">{td_string!(locale, account.forgot_password)}</a></p>
            <p>{td_string!(locale, account.no_account)} " " <a href="/register">{td_string!(locale, account.register_link)}</a></p>
        </div>
    }
}

fn sex_label(locale: Locale, sex: Option<Sex>) -> &'static str {
    match sex {
        Some(Sex::Male) => td_string!(locale, account.male),
        Some(Sex::Female) => td_string!(locale, account.female),
        None => td_string!(locale, none),
    }
}

#[component]
fn ProfileDetails(locale: Locale, profile: Profile) -> impl IntoView {
    let none = td_string!(locale, none).to_string();
    let rows: Vec<(&'static str, String)> = vec![
        (td_string!(locale, account.name), profile.name.clone()),
        (td_string!(locale, account.phone), profile.phone.clone()),
        (
            td_string!(locale, account.id_number),
            profile.id_number.clone().unwrap_or_else(|| none.clone()),
        ),
        (
            td_string!(locale, account.birth_date),
            profile
                .birth_date
                .map(|d| d.to_string())
                .unwrap_or_else(|| none.clone()),
        ),
        (
            td_string!(locale, account.age),
            profile
                .age
                .map(|a| a.to_string())
                .unwrap_or_else(|| none.clone()),
        ),
        (
            td_string!(locale, account.sex),
            sex_label(locale, profile.sex).to_string(),
        ),
    ];
    view! {
        <section aria-labelledby="me-details">
            <h2 id="me-details">{td_string!(locale, account.details_heading)}</h2>
            <dl class="details">
                {rows.into_iter().map(|(k, v)| view! { <div><dt>{k}</dt><dd>{v}</dd></div> }).collect_view()}
            </dl>
            <p class="hint">{td_string!(locale, account.masked_note)}</p>
        </section>
        <MyGroups locale=locale groups=profile.groups.clone() residence_city=profile.residence_city.clone() />
        {(profile.role == crate::access::Role::Trainee).then(|| view! {
            <section aria-labelledby="notices-heading">
                <h2 id="notices-heading">{td_string!(locale, account.notices_heading)}</h2>
                <form method="post" action="/me/notices">
                    <div class="checkbox">
                        <input type="checkbox" id="texts" name="texts" value="on" checked=profile.text_notices />
                        <label for="texts">{td_string!(locale, account.notices_label, phone = profile.phone.clone()).to_string()}</label>
                    </div>
                    <button type="submit" class="button-secondary">{td_string!(locale, account.notices_save)}</button>
                </form>
            </section>
        })}
        <section aria-labelledby="me-more">
            <h2 id="me-more">{td_string!(locale, account.more_heading)}</h2>
            <ul>
                <li><a href="/me/password">{td_string!(locale, account.password_link)}</a></li>
                <li><a href="/me/phone">{td_string!(locale, account.phone_link)}</a></li>
                <li><a href="/me/data">{td_string!(locale, account.my_data_link)}</a></li>
            </ul>
        </section>
    }
}

#[component]
pub fn ProfilePage() -> impl IntoView {
    let locale = use_locale();
    form_outcome();
    let saved = leptos_router::hooks::use_query_map().with_untracked(|q| q.get("saved"));
    let notice = match saved.as_deref() {
        Some("password") => Some(td_string!(locale, account.password_saved)),
        Some("phone") => Some(td_string!(locale, account.phone_saved)),
        Some("reclaimed") => Some(td_string!(locale, account.reclaimed_saved)),
        Some("notices") => Some(td_string!(locale, account.notices_saved)),
        _ => None,
    };
    let data = Resource::new(|| (), |_| my_profile());
    view! {
        <Title text=td_string!(locale, account.profile_title) />
        <h1>{td_string!(locale, account.profile_title)}</h1>
        {notice.map(|n| view! { <p class="notice-ok" role="status">{n}</p> })}
        <Loaded data=data view={move |profile: Profile| view! { <ProfileDetails locale=locale profile=profile /> }} />
    }
}
