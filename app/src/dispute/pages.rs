//! The "这不是我" form under any record in a person's name, and their list of disputes.

use super::{Dispute, DisputeKind};
use crate::i18n::Locale;
use leptos::prelude::*;
use leptos_i18n::td_string;

/// A folded form that disputes the record `id` (as one of `kinds`); it posts to `/me/disputes`.
#[component]
pub fn DisputeForm(locale: Locale, kinds: Vec<DisputeKind>, id: i64) -> impl IntoView {
    let prefix = format!(
        "dispute-{}-{id}",
        kinds.first().map(|k| k.code()).unwrap_or("")
    );
    let (kind_id, note_id) = (format!("{prefix}-kind"), format!("{prefix}-note"));
    let kind_field = if kinds.len() == 1 {
        view! { <input type="hidden" name="kind" value=kinds[0].code() /> }.into_any()
    } else {
        view! {
            <div class="field">
                <label for=kind_id.clone()>{td_string!(locale, dispute.what)}</label>
                <select id=kind_id name="kind">
                    {kinds.iter().map(|k| view! { <option value=k.code()>{k.label(locale)}</option> }).collect_view()}
                </select>
            </div>
        }
        .into_any()
    };
    view! {
        <details class="dispute">
            <summary>{td_string!(locale, dispute.not_me)}</summary>
            <form method="post" action="/me/disputes">
                {kind_field}
                <input type="hidden" name="id" value=id.to_string() />
                <div class="field">
                    <label for=note_id.clone()>{td_string!(locale, dispute.note)}</label>
                    <textarea id=note_id name="note" rows="3" maxlength="500"></textarea>
                </div>
                <button type="submit" class="button-secondary">{td_string!(locale, dispute.submit)}</button>
            </form>
        </details>
    }
}

/// Disputes as a list (the person's own, or with the claimant for HR officers).
#[component]
pub fn DisputeList(locale: Locale, list: Vec<Dispute>) -> impl IntoView {
    view! {
        <ul class="disputes">
            {list.into_iter().map(|d| {
                let status = if d.status == "open" {
                    td_string!(locale, dispute.status_open)
                } else {
                    td_string!(locale, dispute.resolved)
                };
                view! {
                    <li data-status=d.status.clone()>
                        <strong>{d.kind.label(locale)}</strong> " · " {d.title.clone()}
                        {d.claimant.clone().map(|c| format!(" · {c}"))}
                        " · " <span class=format!("status status-{}", d.status)>{status}</span>
                        {d.note.clone().map(|n| view! { <p>{td_string!(locale, dispute.note_shown, note = n).to_string()}</p> })}
                        {d.resolution.clone().map(|r| view! { <p>{td_string!(locale, dispute.resolution_shown, resolution = r).to_string()}</p> })}
                        {d.action.clone().filter(|a| a != "none").map(|a| view! { <p class="hint">{td_string!(locale, dispute.action_label)} ": " {super::Action::label(&a, locale)}</p> })}
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}
