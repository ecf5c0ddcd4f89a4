//! The browser side of the preference switches.

use super::ELDER_COOKIE;
use leptos::prelude::document;
use wasm_bindgen::JsCast;

pub fn set_elder(on: bool) {
    let doc = document();
    if let Some(root) = doc.document_element() {
        let _ = root.class_list().toggle_with_force("elder", on);
    }
    if let Ok(html) = doc.dyn_into::<web_sys::HtmlDocument>() {
        let value = if on { "1" } else { "0" };
        let _ = html.set_cookie(&format!(
            "{ELDER_COOKIE}={value}; Path=/; Max-Age=31536000; SameSite=Lax"
        ));
    }
}

/// Tells tests (and anyone curious) that the islands are live.
pub fn mark_hydrated() {
    if let Some(root) = document().document_element() {
        let _ = root.set_attribute("data-hydrated", "true");
    }
}
