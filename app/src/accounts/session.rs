//! Who is signed in on the page being rendered, and what a form post left to show. The server
//! finds the session before rendering and puts it in the request's extensions.

use super::Role;
use std::collections::BTreeMap;

/// The signed-in person, as far as pages need to know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedIn {
    pub id: i64,
    pub role: Role,
    pub scope: Option<String>,
    pub name: String,
    /// Unread inbox messages, for the header.
    pub unread: u32,
}

/// The request extension set by the server's session layer.
#[derive(Debug, Clone, Default)]
pub struct CurrentUser(pub Option<SignedIn>);

/// What a refused form post shows when its page is rendered again: the values typed (never a
/// password) and a message per field, already in the visitor's language.
#[derive(Debug, Clone, Default)]
pub struct FormState {
    pub values: BTreeMap<String, String>,
    pub errors: BTreeMap<String, String>,
    /// A message for the whole form (e.g. "too many attempts").
    pub message: Option<String>,
    pub status: u16,
    /// Lines that go with the message (an import's problems, each in the visitor's language).
    pub details: Vec<String>,
}

impl FormState {
    pub fn value(&self, field: &str) -> String {
        self.values.get(field).cloned().unwrap_or_default()
    }

    pub fn error(&self, field: &str) -> Option<String> {
        self.errors.get(field).cloned()
    }
}

/// The person signed in on this request (always `None` in the browser: pages render on the
/// server).
#[cfg(feature = "ssr")]
pub fn current_user() -> Option<SignedIn> {
    leptos::prelude::use_context::<http::request::Parts>()
        .and_then(|p| p.extensions.get::<CurrentUser>().cloned())
        .and_then(|c| c.0)
}

#[cfg(not(feature = "ssr"))]
pub fn current_user() -> Option<SignedIn> {
    None
}
