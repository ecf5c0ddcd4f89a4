//! Peixun, the "我要培训一件事" portal: the Leptos application.
//!
//! Every page renders on the server; only `#[island]` components ship to the browser. Each
//! domain folder (`catalog`, `enrollment`, …) holds its types and pure rules (`mod.rs`,
//! `rules.rs`), its SQL (`store.rs`), its use cases (`service.rs`) and its pages; the layers
//! point one way, from pages down to the rules (see ARCHITECTURE.md, kept true by
//! `server/tests/architecture.rs`). Stores and services exist on the server only (`ssr`).

#![recursion_limit = "256"]

include!(concat!(env!("OUT_DIR"), "/i18n/mod.rs"));

pub mod access;
pub mod accounts;
pub mod audit;
pub mod catalog;
pub mod certificate;
pub mod clock;
pub mod deployment;
pub mod dispute;
pub mod eligibility;
pub mod enrollment;
pub mod error;
pub mod groups;
pub mod identity;
pub mod identity_cases;
pub mod inbox;
pub mod list;
pub mod money;
pub mod outcomes;
#[cfg(feature = "ssr")]
pub mod portal;
pub mod prefs;
pub mod privacy;
pub mod ratings;
pub mod reference;
pub mod shell;
pub mod site;
#[cfg(feature = "ssr")]
pub mod storage;
pub mod subsidy;
pub mod text;
#[cfg(feature = "ssr")]
pub mod texts;
#[cfg(feature = "ssr")]
pub mod throttle;

/// The browser entry point: wires up the islands of a server-rendered page.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}
