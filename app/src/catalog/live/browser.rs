//! The browser side of live filtering.

use super::{CATALOGUE_ID, FILTERS_ID, LIVE_ID, STATUS_ID};
use leptos::prelude::{document, window};
use leptos::task::spawn_local;
use std::cell::Cell;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{DomParser, EventTarget, FormData, HtmlFormElement, SupportedType, UrlSearchParams};

/// Marks the island live and follows back/forward.
pub fn start() {
    if let Some(root) = document().get_element_by_id(LIVE_ID) {
        let _ = root.set_attribute("data-live", "true");
    }
    let on_pop = Closure::<dyn FnMut(web_sys::Event)>::new(move |_| {
        let href = window().location().href().unwrap_or_default();
        spawn_local(async move { load(&href, false).await });
    });
    let _ = window().add_event_listener_with_callback("popstate", on_pop.as_ref().unchecked_ref());
    on_pop.forget();
}

/// Called for any change or submit inside the island: only the filter form counts.
pub fn submit_live(target: Option<EventTarget>) {
    let Some(form) = target
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .and_then(|el| el.closest(&format!("#{FILTERS_ID}")).ok().flatten())
        .and_then(|el| el.dyn_into::<HtmlFormElement>().ok())
    else {
        return;
    };
    let Some(query) = form_query(&form) else {
        return;
    };
    let href = if query.is_empty() {
        "/courses".to_string()
    } else {
        format!("/courses?{query}")
    };
    spawn_local(async move { load(&href, true).await });
}

/// The form's fields as a query string, leaving out the empty ones ("any").
fn form_query(form: &HtmlFormElement) -> Option<String> {
    let data = FormData::new_with_form(form).ok()?;
    let params = UrlSearchParams::new().ok()?;
    let entries = js_sys::try_iter(&data).ok()??;
    for entry in entries.flatten() {
        let pair: js_sys::Array = entry.unchecked_into();
        let (Some(key), Some(value)) = (pair.get(0).as_string(), pair.get(1).as_string()) else {
            continue;
        };
        if !value.trim().is_empty() {
            params.append(&key, &value);
        }
    }
    Some(String::from(params.to_string()))
}

thread_local! {
    /// Numbers the loads so a slow answer never replaces a newer one.
    static LATEST: Cell<u64> = const { Cell::new(0) };
}

/// Fetches the server-rendered page for `href` and swaps in its filters and results (the counts
/// and choices change with every filter), keeping the focus where the visitor left it; on
/// failure, goes there the ordinary way.
async fn load(href: &str, push: bool) {
    let ticket = LATEST.with(|l| {
        l.set(l.get() + 1);
        l.get()
    });
    let region = document().get_element_by_id(CATALOGUE_ID);
    if let Some(r) = &region {
        let _ = r.set_attribute("aria-busy", "true");
    }
    let fresh = async {
        let response = gloo_net::http::Request::get(href).send().await.ok()?;
        let html = response.text().await.ok()?;
        let parsed = DomParser::new()
            .ok()?
            .parse_from_string(&html, SupportedType::TextHtml)
            .ok()?;
        parsed.get_element_by_id(CATALOGUE_ID)
    }
    .await;
    if LATEST.with(Cell::get) != ticket {
        return;
    }
    match (region, fresh) {
        (Some(region), Some(fresh)) => {
            let focused = document()
                .active_element()
                .map(|e| e.id())
                .filter(|id| !id.is_empty());
            // The filter panel stays open (or closed) as the visitor left it.
            let panel_open = region
                .query_selector("details.filter-panel[open]")
                .ok()
                .flatten()
                .is_some();
            region.set_inner_html(&fresh.inner_html());
            if panel_open {
                if let Ok(Some(panel)) = region.query_selector("details.filter-panel") {
                    let _ = panel.set_attribute("open", "");
                }
            }
            if let Some(el) = focused.and_then(|id| document().get_element_by_id(&id)) {
                if let Ok(el) = el.dyn_into::<web_sys::HtmlElement>() {
                    let _ = el.focus();
                }
            }
            let _ = region.remove_attribute("aria-busy");
            if let Some(status) = document().get_element_by_id(STATUS_ID) {
                let total = region
                    .query_selector(".results-total")
                    .ok()
                    .flatten()
                    .and_then(|h| h.text_content());
                status.set_text_content(total.as_deref());
            }
            if push {
                if let Ok(history) = window().history() {
                    let _ =
                        history.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(href));
                }
            }
        }
        _ => {
            let _ = window().location().set_href(href);
        }
    }
}
