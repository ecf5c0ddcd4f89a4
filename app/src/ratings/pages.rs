//! The rating form under a completed class in 我的报名, and the class's ratings on its roster
//! (staff only). Plain forms that post to the server, usable without JS.

use super::{Rating, RatingNote};
use crate::i18n::Locale;
use leptos::prelude::*;
use leptos_i18n::td_string;

/// The stars and comment of one completed enrolment: a new rating, or the one given while it
/// may still be changed.
#[component]
pub fn RateForm(
    locale: Locale,
    enrollment: i64,
    rating: Option<Rating>,
    today: chrono::NaiveDate,
) -> impl IntoView {
    let heading = format!("rate-{enrollment}");
    let given = rating.as_ref().map(|r| {
        let until = if r.editable_until >= today {
            td_string!(locale, rating.editable_until, date = r.editable_until).to_string()
        } else {
            td_string!(locale, rating.closed).to_string()
        };
        view! {
            <p>{td_string!(locale, rating.yours, stars = r.stars).to_string()} " · " {until}</p>
        }
    });
    let open = rating.as_ref().is_none_or(|r| r.editable_until >= today);
    let chosen = rating.as_ref().map_or(0, |r| r.stars);
    let comment = rating.and_then(|r| r.comment).unwrap_or_default();
    let form = open.then(|| {
        let field = |name: &str| format!("{name}-{enrollment}");
        view! {
            <form method="post" action=format!("/me/enrollments/{enrollment}/rating") class="rate-form">
                <fieldset>
                    <legend>{td_string!(locale, rating.stars)}</legend>
                    <div class="stars">
                        {(1..=5u8).map(|n| {
                            let id = format!("stars-{enrollment}-{n}");
                            view! {
                                <span class="star-choice">
                                    <input type="radio" id=id.clone() name="stars" value=n.to_string() checked=chosen == n required=true />
                                    <label for=id>{td_string!(locale, rating.star_label, count = n).to_string()}</label>
                                </span>
                            }
                        }).collect_view()}
                    </div>
                </fieldset>
                <div class="field">
                    <label for=field("comment")>{td_string!(locale, rating.comment)}</label>
                    <textarea id=field("comment") name="comment" maxlength="500" rows="3">{comment}</textarea>
                </div>
                <button type="submit" class="button-secondary">{td_string!(locale, rating.submit)}</button>
            </form>
        }
    });
    view! {
        <section class="rating" aria-labelledby=heading.clone()>
            <h3 id=heading.clone()>{td_string!(locale, rating.heading)}</h3>
            {given}
            {form}
        </section>
    }
}

/// A class's ratings as its institution and the HR officers read them.
#[component]
pub fn ClassRatings(locale: Locale, notes: Vec<RatingNote>) -> impl IntoView {
    let count = notes.len();
    view! {
        <section aria-labelledby="ratings-heading" class="class-ratings">
            <h2 id="ratings-heading">{td_string!(locale, rating.staff_heading, count = count).to_string()}</h2>
            <p class="hint">{td_string!(locale, rating.staff_privacy)}</p>
            {if notes.is_empty() {
                view! { <p>{td_string!(locale, rating.staff_none)}</p> }.into_any()
            } else {
                view! {
                    <ul class="rating-notes">
                        {notes.into_iter().map(|n| view! {
                            <li>
                                <strong>{td_string!(locale, rating.star_label, count = n.stars).to_string()}</strong>
                                " · " {n.author} " · " <time datetime=n.updated_at.clone()>{n.updated_at.get(..10).unwrap_or_default().to_string()}</time>
                                {n.comment.map(|c| view! { <p class="rating-comment">{c}</p> })}
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}
