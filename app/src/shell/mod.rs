//! The frame around every page (skip link, header with the language and elder-mode switches,
//! the demo-data notice, footer) and what every page shares: the one way to show loaded data
//! (`Loaded`), the 404 and error notices, a form's refusal, and pages of a list.

mod form;
mod layout;
mod status;

pub use form::{ErrorSummary, Field};
pub use layout::Layout;
pub use status::{redirect, set_status};

use crate::error::AppError;
use crate::i18n::Locale;
use crate::prefs::use_prefs;
use leptos::prelude::*;
use leptos_i18n::td_string;
use leptos_meta::Title;
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::collections::BTreeMap;

/// The path (and query) of the page being rendered, for forms that send the visitor back.
#[derive(Debug, Clone, Default)]
pub struct ReturnTo(pub String);

/// Whether this request is served from a demo database (every course a demo course): the
/// server puts it in the request's extensions; the layout shows the demo notice then, and no
/// site identifiers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DemoSite(pub bool);

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
    /// What the post did, when the page shows it rather than moving on (a code was texted).
    pub notice: Option<String>,
}

impl FormState {
    pub fn value(&self, field: &str) -> String {
        self.values.get(field).cloned().unwrap_or_default()
    }

    pub fn error(&self, field: &str) -> Option<String> {
        self.errors.get(field).cloned()
    }
}

/// What the form post behind this rendering left (nothing on a plain visit); the page answers
/// with its status.
pub fn form_outcome() -> FormState {
    let state = use_context::<FormState>().unwrap_or_default();
    if state.status != 0 {
        set_status(state.status);
    }
    state
}

/// What a form post did, at the top of its page (not an error: a status message).
#[component]
pub fn FormNotice(state: FormState) -> impl IntoView {
    state
        .notice
        .map(|m| view! { <div class="notice-ok" role="status"><p>{m}</p></div> })
}

/// A form's refusal at the top of its page.
#[component]
pub fn FormMessage(state: FormState) -> impl IntoView {
    state.message.map(|m| {
        view! { <div class="error-summary" role="alert" tabindex="-1"><p>{m}</p></div> }
    })
}

/// Pages for signed-in people only: everyone else is sent to sign in (303).
pub fn signed_in_or_redirect() -> bool {
    if crate::access::current_user().is_some() {
        return true;
    }
    redirect("/login");
    false
}

/// The link shown to a signed-out visitor on a page that needs a sign-in.
#[component]
pub fn SignInLink() -> impl IntoView {
    let locale = use_prefs().locale;
    view! { <p><a href="/login">{td_string!(locale, account.login_link)}</a></p> }
}

/// The one way a page shows what it loads: nothing while loading, then `view` of the data; a
/// signed-out visitor is sent to sign in (303), a missing record gets the 404 page, any other
/// error its notice and status.
#[component]
pub fn Loaded<T, V, IV>(data: Resource<Result<T, AppError>>, view: V) -> impl IntoView
where
    T: Clone + Send + Sync + Serialize + DeserializeOwned + 'static,
    V: Fn(T) -> IV + Clone + Send + Sync + 'static,
    IV: IntoView + 'static,
{
    view! {
        <Suspense>
            {move || {
                let view = view.clone();
                Suspend::new(async move {
                    match data.await {
                        Ok(value) => view(value).into_any(),
                        Err(AppError::Unauthorized) => {
                            redirect("/login");
                            view! { <SignInLink /> }.into_any()
                        }
                        Err(error) => view! { <ErrorNotice error=error /> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

/// Links to the page before and after page `at` of `pages` (none when a list fits on one
/// page); `href` makes the address of a page.
#[component]
pub fn Pager<H>(locale: Locale, at: u32, pages: u32, href: H) -> impl IntoView
where
    H: Fn(u32) -> String + Send + Sync + 'static,
{
    (pages > 1).then(|| {
        view! {
            <nav class="pagination" aria-label=td_string!(locale, pagination_label)>
                {(at > 1).then(|| view! { <a rel="prev" href=href(at - 1)>{td_string!(locale, page_prev)}</a> })}
                <span>{td_string!(locale, page_status, page = at, pages = pages).to_string()}</span>
                {(at < pages).then(|| view! { <a rel="next" href=href(at + 1)>{td_string!(locale, page_next)}</a> })}
            </nav>
        }
    })
}

/// The page asked for in the address (`?page=N`), 1 when absent or not a page.
pub fn page_asked() -> u32 {
    leptos_router::hooks::use_query_map()
        .with_untracked(|q| q.get("page"))
        .and_then(|p| crate::list::bounded(&p, 1, crate::list::MAX_PAGE).ok())
        .unwrap_or(1)
}

/// The page for an unknown address or record; answers HTTP 404.
#[component]
pub fn NotFound() -> impl IntoView {
    set_status(404);
    let locale = use_prefs().locale;
    view! {
        <Title text=td_string!(locale, not_found_title) />
        <section class="notice">
            <h1>{td_string!(locale, not_found_title)}</h1>
            <p>{td_string!(locale, not_found_body)}</p>
            <p><a href="/courses">{td_string!(locale, back_to_courses)}</a></p>
        </section>
    }
}

/// Logs a fault of ours met while rendering a page, under the request's id, and gives the id
/// (for the page to show).
#[cfg(feature = "ssr")]
fn fault_logged(detail: &str) -> Option<String> {
    let id = use_context::<http::request::Parts>()
        .and_then(|p| p.extensions.get::<crate::error::RequestId>().cloned())
        .map(|id| id.0);
    let shown = id.as_deref().unwrap_or("-");
    tracing::error!(%detail, request_id = shown, "page failed");
    id
}

#[cfg(not(feature = "ssr"))]
fn fault_logged(_detail: &str) -> Option<String> {
    None
}

/// Shown in place of data that could not be loaded; sets the page's status to match.
#[component]
pub fn ErrorNotice(error: AppError) -> impl IntoView {
    if error == AppError::NotFound {
        return view! { <NotFound /> }.into_any();
    }
    set_status(error.status());
    let locale = use_prefs().locale;
    let details: Vec<String> = error
        .fields()
        .map(|f| {
            f.messages(locale)
                .into_iter()
                .map(|(k, v)| format!("{k}: {v}"))
                .collect()
        })
        .unwrap_or_default();
    let headline = match &error {
        AppError::Internal(_) => td_string!(locale, load_error).to_string(),
        other => other.message(locale),
    };
    let request_id = match &error {
        AppError::Internal(detail) => fault_logged(detail),
        _ => None,
    };
    view! {
        <section class="notice notice-error" role="alert">
            <h1>{headline}</h1>
            {request_id.map(|id| view! {
                <p>{td_string!(locale, request_id, id = id)}</p>
            })}
            <ul>{details.into_iter().map(|d| view! { <li>{d}</li> }).collect_view()}</ul>
            <p><a href="/courses">{td_string!(locale, back_to_courses)}</a></p>
        </section>
    }
    .into_any()
}
