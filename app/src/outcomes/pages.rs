//! The outcomes block of the public course page.

use super::Outcomes;
use crate::i18n::Locale;
use leptos::prelude::*;
use leptos_i18n::td_string;

#[component]
pub fn OutcomesSection(locale: Locale, outcomes: Outcomes) -> impl IntoView {
    let hidden = td_string!(locale, outcome.hidden, min = outcomes.min_people).to_string();
    let count = |n: Option<u32>| {
        n.map(|n| td_string!(locale, people, count = n).to_string())
            .unwrap_or_else(|| hidden.clone())
    };
    let rate = |n: Option<u32>| n.map(|n| format!("{n}%")).unwrap_or_else(|| hidden.clone());
    let rows = [
        (
            td_string!(locale, outcome.enrolled),
            count(outcomes.enrolled),
        ),
        (
            td_string!(locale, outcome.completion_rate),
            rate(outcomes.completion_rate),
        ),
        (
            td_string!(locale, outcome.certificate_rate),
            rate(outcomes.certificate_rate),
        ),
        (
            td_string!(locale, outcome.employment_rate),
            rate(outcomes.employment_rate),
        ),
        (
            td_string!(locale, outcome.claims_paid),
            count(outcomes.claims_paid),
        ),
        (
            td_string!(locale, rating.average),
            match (outcomes.average_rating, outcomes.ratings) {
                (Some(average), Some(n)) => td_string!(
                    locale,
                    rating.average_value,
                    average = average.to_string(),
                    count = n
                )
                .to_string(),
                _ => {
                    td_string!(locale, rating.hidden, min = crate::ratings::MIN_RATINGS).to_string()
                }
            },
        ),
    ];
    view! {
        <section aria-labelledby="outcomes-heading" class="outcomes">
            <h2 id="outcomes-heading">{td_string!(locale, outcome.heading)}</h2>
            <p class="hint">{td_string!(locale, outcome.privacy, min = outcomes.min_people).to_string()}</p>
            <dl class="details">
                {rows.into_iter().map(|(k, v)| view! { <div><dt>{k}</dt><dd>{v}</dd></div> }).collect_view()}
            </dl>
        </section>
    }
}
