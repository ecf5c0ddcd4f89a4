//! Peixun, the "我要培训一件事" portal: the Leptos application.
//!
//! Every page renders on the server; only `#[island]` components ship to the browser.
//! Domain folders (`catalog`, …) hold their types, rules and pages; the parts that touch the
//! database sit in `ssr`-only modules (`service`, `storage`).

#![recursion_limit = "256"]

include!(concat!(env!("OUT_DIR"), "/i18n/mod.rs"));

pub mod accounts;
pub mod catalog;
pub mod certificate;
pub mod clock;
pub mod dispute;
pub mod enrollment;
pub mod error;
pub mod identity;
pub mod list;
pub mod money;
pub mod outcomes;
#[cfg(feature = "ssr")]
pub mod portal;
pub mod prefs;
pub mod reference;
pub mod shell;
#[cfg(feature = "ssr")]
pub mod storage;
pub mod subsidy;

/// The browser entry point: wires up the islands of a server-rendered page.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}
