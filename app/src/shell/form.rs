//! The pieces of a plain form (GOV.UK patterns): a labelled field with its hint and error,
//! and the summary of a refused form's errors at its top.

use super::FormState;
use crate::i18n::Locale;
use leptos::prelude::*;
use leptos_i18n::td_string;

/// The list of a form's errors at its top, each linking to its field (GOV.UK pattern).
#[component]
pub fn ErrorSummary(
    locale: Locale,
    state: FormState,
    labels: Vec<(&'static str, &'static str)>,
) -> impl IntoView {
    if state.errors.is_empty() && state.message.is_none() {
        return None;
    }
    let items = labels
        .into_iter()
        .filter_map(|(field, label)| state.error(field).map(|e| (field, label, e)))
        .map(|(field, label, e)| view! { <li><a href=format!("#{field}")>{format!("{label}：{e}")}</a></li> })
        .collect_view();
    Some(view! {
        <div class="error-summary" role="alert" tabindex="-1">
            <h2>{td_string!(locale, account.error_summary)}</h2>
            {state.message.clone().map(|m| view! { <p>{m}</p> })}
            <ul>{items}</ul>
        </div>
    })
}

/// A labelled input with its hint and error.
#[component]
pub fn Field(
    name: &'static str,
    label: &'static str,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] inputmode: Option<&'static str>,
    #[prop(optional)] value: String,
    state: FormState,
) -> impl IntoView {
    let error = state.error(name);
    let hint_id = format!("{name}-hint");
    let error_id = format!("{name}-error");
    let described = [
        hint.map(|_| hint_id.clone()),
        error.as_ref().map(|_| error_id.clone()),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" ");
    view! {
        <div class="field" class:field-error=error.is_some()>
            <label for=name>{label}</label>
            {hint.map(|h| view! { <p class="hint" id=hint_id.clone()>{h}</p> })}
            {error.clone().map(|e| view! { <p class="error-message" id=error_id.clone()>{e}</p> })}
            <input
                id=name
                name=name
                type=kind
                value=value
                autocomplete=autocomplete
                inputmode=inputmode
                aria-describedby=(!described.is_empty()).then_some(described)
                aria-invalid=error.is_some().then_some("true")
            />
        </div>
    }
}
