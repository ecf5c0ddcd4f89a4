//! Live filtering of the course list. The filter form is a plain GET form that works without
//! JavaScript; once this island is hydrated, changing a filter fetches the server-rendered
//! results with gloo-net and swaps them in, keeping the address bar in step so back/forward
//! and shared links work. The markup has one source: the server.

use leptos::prelude::*;

#[cfg(feature = "hydrate")]
mod browser;
#[cfg(not(feature = "hydrate"))]
mod browser {
    pub fn submit_live(_form: Option<leptos::web_sys::EventTarget>) {}
    pub fn start() {}
}

/// The id of the region (filters and results) whose content is replaced.
pub const CATALOGUE_ID: &str = "catalogue";
/// The id of the filter form.
pub const FILTERS_ID: &str = "catalogue-filters";
/// The id of the island's own element, marked `data-live` once hydrated.
pub const LIVE_ID: &str = "catalogue-live";
/// A polite live region: screen readers hear the new total after each update.
pub const STATUS_ID: &str = "catalogue-status";

#[island]
pub fn LiveCatalogue(children: Children) -> impl IntoView {
    Effect::new(move |_| browser::start());
    let on_change = move |ev: leptos::ev::Event| browser::submit_live(ev.target());
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        browser::submit_live(ev.target());
    };
    view! {
        <div id=LIVE_ID on:change=on_change on:submit=on_submit>
            <p id=STATUS_ID class="visually-hidden" role="status"></p>
            {children()}
        </div>
    }
}
