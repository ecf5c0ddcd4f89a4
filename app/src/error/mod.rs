//! The errors every part of Peixun returns. Each has one HTTP status, decided here
//! (`AppError::status`), and a message in zh-CN and en; the JSON API and the pages both use it.

use crate::i18n::Locale;
use leptos_i18n::td_string;
use serde::{Deserialize, Serialize};

mod field;
pub use field::{FieldErrors, FieldProblem, IdReason};

/// One rule's verdict as the API and the pages show it: the rule's name, whether it is met,
/// and why, in both languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RuleVerdict {
    pub rule: String,
    pub ok: bool,
    pub message: String,
    pub message_en: String,
}

impl RuleVerdict {
    pub fn text(&self, locale: Locale) -> &str {
        match locale {
            Locale::en => &self.message_en,
            _ => &self.message,
        }
    }
}

/// One problem of an uploaded file (a catalogue), already in words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct FileProblem {
    /// The line of the file (the header is line 1); 0 for the file as a whole.
    pub line: usize,
    /// The column's name, when one cell is at fault.
    pub column: Option<String>,
    /// Machine-readable, snake_case.
    #[cfg_attr(feature = "ssr", schema(example = "not_a_date"))]
    pub problem: String,
    /// `第 N 行，C 列：…` in Chinese.
    pub message: String,
    /// `line N, column C: …` in English.
    pub message_en: String,
}

impl FileProblem {
    pub fn text(&self, locale: Locale) -> &str {
        match locale {
            Locale::en => &self.message_en,
            _ => &self.message,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum AppError {
    #[error("invalid input: {0:?}")]
    Invalid(FieldErrors),
    #[error("not found")]
    NotFound,
    /// Not signed in, or the sign-in failed.
    #[error("not signed in")]
    Unauthorized,
    /// This phone signs in only with a code texted to it besides the password (many failed
    /// sign-ins from elsewhere): asked for before the password is looked at.
    #[error("a texted code is needed to sign in")]
    CodeRequired,
    /// Signed in, but this role or scope may not do it.
    #[error("forbidden")]
    Forbidden,
    /// The account is frozen by the city's HR officer pending an in-person identity check.
    #[error("account frozen")]
    Frozen,
    /// A cross-site request carrying the session cookie.
    #[error("cross-site request refused")]
    CrossSite,
    /// The record exists already (which field says why).
    #[error("conflict: {0:?}")]
    Conflict(FieldErrors),
    /// The request is understood but a rule refuses it; every rule checked, with its verdict.
    #[error("refused by a rule")]
    NotEligible(Vec<RuleVerdict>),
    #[error("too many attempts; retry after {retry_after_secs} s")]
    TooManyRequests { retry_after_secs: u64 },
    /// An uploaded file has problems (every one listed); nothing was written.
    #[error("the file has {} problems", problems.len())]
    FileRefused {
        problems: Vec<FileProblem>,
        warnings: Vec<FileProblem>,
    },
    /// The request's body is over the limit.
    #[error("over {max_mb} MB")]
    TooLarge { max_mb: usize },
    /// A fault of ours (storage unreachable, corrupt row). The detail is logged, never shown:
    /// it is not even sent (a server function's error reaches the browser serialised).
    #[error("internal error: {0}")]
    Internal(#[serde(serialize_with = "without_detail")] String),
}

fn without_detail<S: serde::Serializer>(_: &str, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str("")
}

pub type AppResult<T> = Result<T, AppError>;

/// The id the server gave the request being answered (in its extensions, for pages): what a
/// person quotes to the helpdesk about a fault of ours, and what the log files its cause under.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestId(pub String);

impl AppError {
    /// The one place an error is given its HTTP status.
    pub fn status(&self) -> u16 {
        match self {
            AppError::Invalid(_) => 400,
            AppError::Unauthorized | AppError::CodeRequired => 401,
            AppError::Forbidden | AppError::CrossSite | AppError::Frozen => 403,
            AppError::NotFound => 404,
            AppError::Conflict(_) => 409,
            AppError::NotEligible(_) | AppError::FileRefused { .. } => 422,
            AppError::TooLarge { .. } => 413,
            AppError::TooManyRequests { .. } => 429,
            AppError::Internal(_) => 500,
        }
    }

    /// The machine-readable code of the API's error body.
    pub fn code(&self) -> &'static str {
        match self {
            AppError::Invalid(_) => "invalid_request",
            AppError::Unauthorized => "unauthorized",
            AppError::CodeRequired => "code_required",
            AppError::Forbidden => "forbidden",
            AppError::Frozen => "account_frozen",
            AppError::CrossSite => "cross_site_request",
            AppError::NotFound => "not_found",
            AppError::Conflict(_) => "conflict",
            AppError::NotEligible(_) => "not_eligible",
            AppError::FileRefused { .. } => "import_refused",
            AppError::TooLarge { .. } => "file_too_large",
            AppError::TooManyRequests { .. } => "too_many_requests",
            AppError::Internal(_) => "internal",
        }
    }

    pub fn message(&self, locale: Locale) -> String {
        match self {
            AppError::Invalid(_) => td_string!(locale, error.bad_request).to_string(),
            AppError::Unauthorized => td_string!(locale, error.unauthorized).to_string(),
            AppError::CodeRequired => td_string!(locale, error.code_required).to_string(),
            AppError::Forbidden => td_string!(locale, error.forbidden).to_string(),
            AppError::Frozen => td_string!(locale, error.frozen).to_string(),
            AppError::CrossSite => td_string!(locale, error.cross_site).to_string(),
            AppError::NotFound => td_string!(locale, error.not_found).to_string(),
            AppError::Conflict(_) => td_string!(locale, error.conflict).to_string(),
            AppError::NotEligible(reasons) => {
                let failed: Vec<String> = reasons
                    .iter()
                    .filter(|r| !r.ok)
                    .map(|r| r.text(locale).to_string())
                    .collect();
                td_string!(locale, error.not_eligible, reasons = failed.join("；")).to_string()
            }
            AppError::TooManyRequests { retry_after_secs } => {
                td_string!(locale, error.too_many_requests, seconds = *retry_after_secs).to_string()
            }
            AppError::FileRefused { problems, .. } => {
                td_string!(locale, import.refused, count = problems.len()).to_string()
            }
            AppError::TooLarge { max_mb } => {
                td_string!(locale, import.file_too_large, mb = *max_mb).to_string()
            }
            AppError::Internal(_) => td_string!(locale, error.internal).to_string(),
        }
    }

    pub fn fields(&self) -> Option<&FieldErrors> {
        match self {
            AppError::Invalid(fields) | AppError::Conflict(fields) => Some(fields),
            _ => None,
        }
    }

    /// A one-field error: `field` has `problem`.
    pub fn field(field: &str, problem: FieldProblem) -> AppError {
        let mut errors = FieldErrors::default();
        errors.add(field, problem);
        AppError::Invalid(errors)
    }

    /// A one-field conflict (409): `field` has `problem` with the record as it stands.
    pub fn conflict(field: &str, problem: FieldProblem) -> AppError {
        let mut errors = FieldErrors::default();
        errors.add(field, problem);
        AppError::Conflict(errors)
    }
}

/// Lets server functions return `AppError` directly.
impl leptos::server_fn::error::FromServerFnError for AppError {
    type Encoder = leptos::server_fn::codec::JsonEncoding;

    fn from_server_fn_error(value: leptos::server_fn::error::ServerFnErrorErr) -> Self {
        AppError::Internal(value.to_string())
    }

    /// The one place a server function's error leaves for the browser: a fault of ours is
    /// logged here (under the request's span, so with its id), as its text is not sent.
    fn ser(&self) -> leptos::server_fn::Bytes {
        #[cfg(feature = "ssr")]
        if let AppError::Internal(detail) = self {
            tracing::error!(%detail, "server function failed");
        }
        use leptos::server_fn::Encodes;
        Self::Encoder::encode(self)
            .unwrap_or_else(|_| leptos::server_fn::Bytes::from_static(br#"{"Internal":""}"#))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_internal_error_reaches_the_browser_without_its_text() {
        let err = AppError::Internal("relation users: connection to 10.0.0.5 refused".into());
        let sent = serde_json::to_string(&err).unwrap();
        for detail in ["users", "10.0.0.5", "refused"] {
            assert!(!sent.contains(detail), "{detail} in {sent}");
        }
        let back: AppError = serde_json::from_str(&sent).unwrap();
        assert_eq!(back.status(), 500, "still an internal error in the browser");
    }

    #[test]
    fn messages_exist_in_both_languages() {
        let p = FieldProblem::OutOfRange { min: 1, max: 100 };
        assert_eq!(p.message(Locale::zh_CN), "应在 1 到 100 之间");
        assert_eq!(p.message(Locale::en), "must be between 1 and 100");
        assert_eq!(AppError::NotFound.status(), 404);
        assert_eq!(AppError::Invalid(FieldErrors::default()).status(), 400);
    }
}
