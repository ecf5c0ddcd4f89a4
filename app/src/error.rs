//! The errors every part of Peixun returns. Each has one HTTP status, decided here
//! (`AppError::status`), and a message in zh-CN and en; the JSON API and the pages both use it.

use crate::i18n::Locale;
use leptos_i18n::td_string;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What is wrong with one input field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "problem", rename_all = "snake_case")]
pub enum FieldProblem {
    UnknownCode,
    NotANumber,
    OutOfRange {
        min: i64,
        max: i64,
    },
    NotADate,
    NotABool,
    UnknownParameter,
    TooLong {
        max: usize,
    },
    /// More values of one filter than a search takes.
    TooMany {
        max: usize,
    },
    Repeated,
    Required,
    /// A name with a character no name has (see `identity::check_name`).
    NameCharacters,
    NotMobile,
    IdNumber {
        reason: IdReason,
    },
    PasswordTooShort {
        min: usize,
    },
    PasswordTooLong {
        max: usize,
    },
    PasswordCommon,
    AlreadyRegistered,
    WrongPassword,
    /// Not the code texted to the phone.
    CodeWrong,
    /// No code is good for this phone now (none asked for, expired, or used): ask again.
    CodeExpired,
    /// Too many wrong tries: ask for a new code.
    CodeTries,
    AlreadyEnrolled,
    /// A status change the enrolment's current status does not allow.
    BadTransition,
    /// Too late: the class has started.
    ClassStarted,
    /// No seat is free to approve someone from the waiting list.
    NoSeat,
    /// The certificate has a claim that is not rejected.
    AlreadyClaimed,
    /// The record has an open dispute.
    AlreadyDisputed,
    /// The claimant disputes the claim: nothing is approved or paid until it is resolved.
    Disputed,
    /// The request's body is not JSON (or not a JSON object where one is expected).
    NotJson,
    /// A value of the wrong type or format (a word where a number belongs, say).
    WrongType,
    /// A date outside the days allowed (a class's dates, say), both ends included.
    DateOutside {
        from: chrono::NaiveDate,
        to: chrono::NaiveDate,
    },
    /// Too early: not before `date`.
    NotBefore {
        date: chrono::NaiveDate,
    },
    /// A document number of the wrong length.
    DocumentNumberLength {
        min: usize,
        max: usize,
    },
    /// Not the kind of document this group is proven by.
    WrongEvidence,
    /// This document was rejected for this group before.
    EvidenceRejected,
    /// The separate consent to processing sensitive personal information was not given.
    ConsentRequired,
    /// Claims or disputes still open (an account cannot be deleted until they are settled).
    OpenCases {
        claims: u32,
        disputes: u32,
        recoveries: u32,
    },
    /// The certificate was revoked: nothing is claimed or changed on it any more.
    Revoked,
    /// None of the days named has attendance recorded.
    NoAttendance,
    /// The claims on this certificate were stopped (it was revoked, or a dispute stopped them).
    ClaimStopped,
    /// An account number is `min` to `max` digits.
    AccountNumber {
        min: usize,
        max: usize,
    },
    /// Approving would take the city's approved and paid total for the year (`after`, yuan)
    /// past its budget (`budget`, yuan); the officer may confirm it.
    OverBudget {
        budget: String,
        after: String,
    },
    /// No approved claim of the city can join a batch now.
    NothingToBatch,
    /// These claims (ids) cannot join a batch: not approved, in a batch already, disputed, or
    /// without a payee.
    NotBatchable {
        claims: String,
    },
}

/// Why an identity number was refused (mirrors `identity::IdProblem`, for the wire).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IdReason {
    Length,
    Characters,
    Region,
    BirthDate,
    BirthDateRange,
    Checksum,
}

impl From<crate::identity::IdProblem> for FieldProblem {
    fn from(p: crate::identity::IdProblem) -> Self {
        use crate::identity::IdProblem as P;
        let reason = match p {
            P::Length => IdReason::Length,
            P::Characters => IdReason::Characters,
            P::Region => IdReason::Region,
            P::BirthDate => IdReason::BirthDate,
            P::BirthDateRange => IdReason::BirthDateRange,
            P::Checksum => IdReason::Checksum,
        };
        FieldProblem::IdNumber { reason }
    }
}

impl From<crate::identity::PasswordProblem> for FieldProblem {
    fn from(p: crate::identity::PasswordProblem) -> Self {
        use crate::identity::PasswordProblem as P;
        match p {
            P::TooShort => FieldProblem::PasswordTooShort {
                min: crate::identity::MIN_PASSWORD_CHARS,
            },
            P::TooLong => FieldProblem::PasswordTooLong {
                max: crate::identity::MAX_PASSWORD_CHARS,
            },
            P::Common => FieldProblem::PasswordCommon,
        }
    }
}

impl FieldProblem {
    pub fn message(&self, locale: Locale) -> String {
        match self {
            FieldProblem::UnknownCode => td_string!(locale, error.unknown_code).to_string(),
            FieldProblem::NotANumber => td_string!(locale, error.not_a_number).to_string(),
            FieldProblem::OutOfRange { min, max } => {
                td_string!(locale, error.out_of_range, min = *min, max = *max).to_string()
            }
            FieldProblem::NotADate => td_string!(locale, error.not_a_date).to_string(),
            FieldProblem::NotABool => td_string!(locale, error.not_a_bool).to_string(),
            FieldProblem::UnknownParameter => {
                td_string!(locale, error.unknown_parameter).to_string()
            }
            FieldProblem::TooLong { max } => {
                td_string!(locale, error.too_long, max = *max).to_string()
            }
            FieldProblem::TooMany { max } => {
                td_string!(locale, error.too_many, max = *max).to_string()
            }
            FieldProblem::Repeated => td_string!(locale, error.repeated).to_string(),
            FieldProblem::NameCharacters => td_string!(locale, error.name_characters).to_string(),
            FieldProblem::Required => td_string!(locale, error.required).to_string(),
            FieldProblem::NotMobile => td_string!(locale, error.not_mobile).to_string(),
            FieldProblem::IdNumber { reason } => match reason {
                IdReason::Length => td_string!(locale, error.id_length).to_string(),
                IdReason::Characters => td_string!(locale, error.id_characters).to_string(),
                IdReason::Region => td_string!(locale, error.id_region).to_string(),
                IdReason::BirthDate => td_string!(locale, error.id_birth_date).to_string(),
                IdReason::BirthDateRange => {
                    td_string!(locale, error.id_birth_date_range).to_string()
                }
                IdReason::Checksum => td_string!(locale, error.id_checksum).to_string(),
            },
            FieldProblem::PasswordTooShort { min } => {
                td_string!(locale, error.password_too_short, min = *min).to_string()
            }
            FieldProblem::PasswordTooLong { max } => {
                td_string!(locale, error.password_too_long, max = *max).to_string()
            }
            FieldProblem::PasswordCommon => td_string!(locale, error.password_common).to_string(),
            FieldProblem::AlreadyRegistered => {
                td_string!(locale, error.already_registered).to_string()
            }
            FieldProblem::WrongPassword => td_string!(locale, error.wrong_password).to_string(),
            FieldProblem::CodeWrong => td_string!(locale, error.code_wrong).to_string(),
            FieldProblem::CodeExpired => td_string!(locale, error.code_expired).to_string(),
            FieldProblem::CodeTries => td_string!(locale, error.code_tries).to_string(),
            FieldProblem::AlreadyEnrolled => td_string!(locale, error.already_enrolled).to_string(),
            FieldProblem::BadTransition => td_string!(locale, error.bad_transition).to_string(),
            FieldProblem::ClassStarted => td_string!(locale, error.class_started).to_string(),
            FieldProblem::NoSeat => td_string!(locale, error.no_seat).to_string(),
            FieldProblem::AlreadyClaimed => td_string!(locale, error.already_claimed).to_string(),
            FieldProblem::AlreadyDisputed => td_string!(locale, error.already_disputed).to_string(),
            FieldProblem::Disputed => td_string!(locale, error.disputed).to_string(),
            FieldProblem::NotJson => td_string!(locale, error.not_json).to_string(),
            FieldProblem::WrongType => td_string!(locale, error.wrong_type).to_string(),
            FieldProblem::DateOutside { from, to } => {
                td_string!(locale, error.date_outside, from = *from, to = *to).to_string()
            }
            FieldProblem::NotBefore { date } => {
                td_string!(locale, error.not_before, date = *date).to_string()
            }
            FieldProblem::DocumentNumberLength { min, max } => {
                td_string!(locale, error.document_number_length, min = *min, max = *max).to_string()
            }
            FieldProblem::WrongEvidence => td_string!(locale, error.wrong_evidence).to_string(),
            FieldProblem::EvidenceRejected => {
                td_string!(locale, error.evidence_rejected).to_string()
            }
            FieldProblem::ConsentRequired => td_string!(locale, error.consent_required).to_string(),
            FieldProblem::OpenCases {
                claims,
                disputes,
                recoveries,
            } => td_string!(
                locale,
                error.open_cases,
                claims = *claims,
                disputes = *disputes,
                recoveries = *recoveries
            )
            .to_string(),
            FieldProblem::Revoked => td_string!(locale, error.revoked).to_string(),
            FieldProblem::NoAttendance => td_string!(locale, error.no_attendance).to_string(),
            FieldProblem::ClaimStopped => td_string!(locale, error.claim_stopped).to_string(),
            FieldProblem::AccountNumber { min, max } => {
                td_string!(locale, error.account_number, min = *min, max = *max).to_string()
            }
            FieldProblem::OverBudget { budget, after } => td_string!(
                locale,
                error.over_budget,
                budget = budget.clone(),
                after = after.clone()
            )
            .to_string(),
            FieldProblem::NothingToBatch => td_string!(locale, error.nothing_to_batch).to_string(),
            FieldProblem::NotBatchable { claims } => {
                td_string!(locale, error.not_batchable, claims = claims.clone()).to_string()
            }
        }
    }
}

/// Problems found in a request's fields, by field name (first problem per field).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldErrors(pub BTreeMap<String, FieldProblem>);

impl FieldErrors {
    pub fn add(&mut self, field: impl Into<String>, problem: FieldProblem) {
        self.0.entry(field.into()).or_insert(problem);
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `Ok(value)` when no problem was found, else the request is refused with every problem.
    pub fn into_result<T>(self, value: T) -> Result<T, AppError> {
        if self.is_empty() {
            Ok(value)
        } else {
            Err(AppError::Invalid(self))
        }
    }

    pub fn messages(&self, locale: Locale) -> BTreeMap<String, String> {
        self.0
            .iter()
            .map(|(field, problem)| (field.clone(), problem.message(locale)))
            .collect()
    }
}

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
    /// Signed in, but this role or scope may not do it.
    #[error("forbidden")]
    Forbidden,
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
            AppError::Unauthorized => 401,
            AppError::Forbidden | AppError::CrossSite => 403,
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
            AppError::Forbidden => "forbidden",
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
            AppError::Forbidden => td_string!(locale, error.forbidden).to_string(),
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
