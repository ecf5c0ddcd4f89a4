//! What is wrong with one input field, in words for people (zh-CN and en).

use super::AppError;
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
    /// Only a class the person completed is rated.
    NotCompleted,
    /// A rating may be changed for `days` days after it was first given.
    RatingClosed {
        days: u32,
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
            FieldProblem::NotCompleted => td_string!(locale, error.not_completed).to_string(),
            FieldProblem::RatingClosed { days } => {
                td_string!(locale, error.rating_closed, days = *days).to_string()
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
