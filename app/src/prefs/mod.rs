//! A visitor's display preferences: language and elder mode (适老化). Both live in cookies so
//! the server renders the page right the first time, with or without JavaScript.

use crate::i18n::Locale;
use leptos::prelude::*;
use leptos_i18n::td_string;

#[cfg(feature = "hydrate")]
mod browser;
#[cfg(not(feature = "hydrate"))]
mod browser {
    pub fn set_elder(_on: bool) {}
    pub fn mark_hydrated() {}
}

pub const LANG_COOKIE: &str = "peixun_lang";
pub const ELDER_COOKIE: &str = "peixun_elder";
/// Where the preference forms post to (handled by the server).
pub const PREFS_PATH: &str = "/prefs";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Prefs {
    pub locale: Locale,
    pub elder: bool,
}

impl Default for Prefs {
    fn default() -> Self {
        Prefs {
            locale: Locale::zh_CN,
            elder: false,
        }
    }
}

impl Prefs {
    /// Reads the preferences from a `Cookie` request header; anything unknown means the default.
    pub fn from_cookie_header(header: &str) -> Prefs {
        let mut prefs = Prefs::default();
        for pair in header.split(';') {
            let Some((name, value)) = pair.trim().split_once('=') else {
                continue;
            };
            match name {
                LANG_COOKIE => {
                    if let Some(locale) = parse_locale(value) {
                        prefs.locale = locale;
                    }
                }
                ELDER_COOKIE => prefs.elder = value == "1",
                _ => {}
            }
        }
        prefs
    }
}

pub fn parse_locale(value: &str) -> Option<Locale> {
    match value {
        "zh-CN" => Some(Locale::zh_CN),
        "en" => Some(Locale::en),
        _ => None,
    }
}

pub fn locale_code(locale: Locale) -> &'static str {
    match locale {
        Locale::en => "en",
        _ => "zh-CN",
    }
}

/// The preferences of the page being rendered (provided by the document shell).
pub fn use_prefs() -> Prefs {
    use_context::<Prefs>().unwrap_or_default()
}

pub fn use_locale() -> Locale {
    use_prefs().locale
}

/// Only a local path may be returned to after a preference form: never another site.
pub fn safe_return_path(path: &str) -> &str {
    let local = path.starts_with('/') && !path.starts_with("//") && !path.contains('\\');
    if local && !path.chars().any(char::is_control) {
        path
    } else {
        "/"
    }
}

/// The elder-mode switch. Without JavaScript it posts to the server, which sets the cookie and
/// sends the visitor back; once hydrated it switches in place, without a reload.
#[island]
pub fn ElderToggle(on: bool, locale: Locale, back: String) -> impl IntoView {
    let (on, set_on) = signal(on);
    Effect::new(move |_| browser::mark_hydrated());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let next = !on.get_untracked();
        browser::set_elder(next);
        set_on.set(next);
    };
    view! {
        <form method="post" action=PREFS_PATH class="pref-form" on:submit=submit>
            <input type="hidden" name="elder" value=move || if on.get() { "0" } else { "1" } />
            <input type="hidden" name="back" value=back />
            <button
                type="submit"
                class="pref-button"
                aria-pressed=move || on.get().to_string()
                title=td_string!(locale, elder_mode_hint)
            >
                {td_string!(locale, elder_mode)}
            </button>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_preferences_from_cookies() {
        assert_eq!(Prefs::from_cookie_header(""), Prefs::default());
        let p = Prefs::from_cookie_header("a=b; peixun_lang=en; peixun_elder=1");
        assert_eq!(
            p,
            Prefs {
                locale: Locale::en,
                elder: true
            }
        );
        let p = Prefs::from_cookie_header("peixun_lang=fr; peixun_elder=yes");
        assert_eq!(p, Prefs::default());
    }

    #[test]
    fn never_returns_to_another_site() {
        assert_eq!(safe_return_path("/courses?q=电工"), "/courses?q=电工");
        assert_eq!(safe_return_path("//evil.example/"), "/");
        assert_eq!(safe_return_path("https://evil.example/"), "/");
        assert_eq!(safe_return_path("/\\evil"), "/");
        assert_eq!(safe_return_path("/a\r\nSet-Cookie: x"), "/");
    }
}
