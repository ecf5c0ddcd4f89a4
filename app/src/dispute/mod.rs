//! "这不是我": a person disputes an enrolment, attendance record or subsidy claim made in their
//! name (the anti-fraud view of the programme); the city's HR officers resolve each one.

pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;

use crate::i18n::Locale;
use leptos_i18n::td_string;
use serde::{Deserialize, Serialize};

/// What is disputed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DisputeKind {
    /// An enrolment (`id` = the enrolment).
    Enrollment,
    /// The attendance recorded on an enrolment (`id` = the enrolment).
    Attendance,
    /// A subsidy claim (`id` = the claim).
    Subsidy,
}

impl DisputeKind {
    pub fn code(self) -> &'static str {
        match self {
            DisputeKind::Enrollment => "enrollment",
            DisputeKind::Attendance => "attendance",
            DisputeKind::Subsidy => "subsidy",
        }
    }

    /// The kind a form or a body names (400 for anything else).
    pub fn parse(code: &str) -> crate::error::AppResult<DisputeKind> {
        DisputeKind::from_code(code).ok_or(crate::error::AppError::field(
            "kind",
            crate::error::FieldProblem::UnknownCode,
        ))
    }

    pub fn from_code(code: &str) -> Option<DisputeKind> {
        [
            DisputeKind::Enrollment,
            DisputeKind::Attendance,
            DisputeKind::Subsidy,
        ]
        .into_iter()
        .find(|k| k.code() == code)
    }

    pub fn label(self, locale: Locale) -> &'static str {
        match self {
            DisputeKind::Enrollment => td_string!(locale, dispute.kind_enrollment),
            DisputeKind::Attendance => td_string!(locale, dispute.kind_attendance),
            DisputeKind::Subsidy => td_string!(locale, dispute.kind_subsidy),
        }
    }
}

/// A dispute as the person who filed it, or (with `claimant`) the HR officer, sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Dispute {
    pub id: i64,
    pub kind: DisputeKind,
    /// The enrolment or claim disputed.
    pub subject_id: i64,
    /// The class or the claim's occupation and level.
    pub title: String,
    pub note: Option<String>,
    /// `open` or `resolved`.
    pub status: String,
    pub resolution: Option<String>,
    pub created_at: String,
    pub resolved_at: Option<String>,
    /// What resolving it did (see `Action`); none before it is resolved.
    pub action: Option<String>,
    /// The person who filed it, masked (HR officers' list only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub claimant: Option<String>,
}

/// What the HR officer does on resolving a dispute. Each acts on the enrolment behind it (the
/// claim's, for a claim) with the consequences of `subsidy::recovery` (claims not yet paid
/// stop, paid ones are recovered), and the institution is told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Only the words.
    None,
    /// The enrolment was not the person's: voided (its seat freed), its certificate revoked.
    VoidEnrollment,
    /// These days of attendance were not real: they stop counting; the claims on the
    /// enrolment's certificate are undone.
    VoidAttendance(Vec<chrono::NaiveDate>),
    /// The claim (and its top-ups; for an enrolment, every claim on its certificate) stops,
    /// or is recovered when paid.
    StopClaim,
    /// The enrolment's certificate is revoked.
    RevokeCertificate,
}

/// The most attendance days one resolution voids (a class's days fit many times over).
pub const MAX_VOIDED_DAYS: usize = 400;

impl Action {
    pub const CODES: [&'static str; 5] = [
        "none",
        "void_enrollment",
        "void_attendance",
        "stop_claim",
        "revoke_certificate",
    ];

    pub fn code(&self) -> &'static str {
        match self {
            Action::None => "none",
            Action::VoidEnrollment => "void_enrollment",
            Action::VoidAttendance(_) => "void_attendance",
            Action::StopClaim => "stop_claim",
            Action::RevokeCertificate => "revoke_certificate",
        }
    }

    /// The action a body or a form names (absent: `none`), with its days for
    /// `void_attendance` (required there, each `YYYY-MM-DD`; 400 otherwise).
    pub fn parse(code: Option<&str>, dates: &[String]) -> crate::error::AppResult<Action> {
        use crate::error::{AppError, FieldProblem};
        let days = || -> crate::error::AppResult<Vec<chrono::NaiveDate>> {
            let mut days = Vec::new();
            for text in dates.iter().map(|d| d.trim()).filter(|d| !d.is_empty()) {
                let day = chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
                    .map_err(|_| AppError::field("dates", FieldProblem::NotADate))?;
                if !days.contains(&day) {
                    days.push(day);
                }
            }
            if days.is_empty() {
                return Err(AppError::field("dates", FieldProblem::Required));
            }
            if days.len() > MAX_VOIDED_DAYS {
                let most = FieldProblem::TooLong {
                    max: MAX_VOIDED_DAYS,
                };
                return Err(AppError::field("dates", most));
            }
            days.sort_unstable();
            Ok(days)
        };
        match code.map(str::trim).unwrap_or("none") {
            "" | "none" => Ok(Action::None),
            "void_enrollment" => Ok(Action::VoidEnrollment),
            "void_attendance" => Ok(Action::VoidAttendance(days()?)),
            "stop_claim" => Ok(Action::StopClaim),
            "revoke_certificate" => Ok(Action::RevokeCertificate),
            _ => Err(AppError::field("action", FieldProblem::UnknownCode)),
        }
    }

    pub fn label(code: &str, locale: Locale) -> String {
        match code {
            "none" => td_string!(locale, dispute.action_none),
            "void_enrollment" => td_string!(locale, dispute.action_void_enrollment),
            "void_attendance" => td_string!(locale, dispute.action_void_attendance),
            "stop_claim" => td_string!(locale, dispute.action_stop_claim),
            "revoke_certificate" => td_string!(locale, dispute.action_revoke_certificate),
            other => return other.to_string(),
        }
        .to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actions_read_from_their_codes_and_days() {
        let days = |d: &[&str]| d.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(Action::parse(None, &[]).unwrap(), Action::None);
        assert_eq!(Action::parse(Some(""), &[]).unwrap(), Action::None);
        assert_eq!(
            Action::parse(
                Some("void_attendance"),
                &days(&["2030-03-02", " 2030-03-01", "2030-03-02"])
            )
            .unwrap(),
            Action::VoidAttendance(vec![
                chrono::NaiveDate::from_ymd_opt(2030, 3, 1).unwrap(),
                chrono::NaiveDate::from_ymd_opt(2030, 3, 2).unwrap()
            ])
        );
        for (code, dates) in [
            ("void_attendance", days(&[])),
            ("void_attendance", days(&[" "])),
            ("void_attendance", days(&["2030-13-01"])),
            ("burn", days(&[])),
        ] {
            assert!(
                Action::parse(Some(code), &dates).is_err(),
                "{code} {dates:?}"
            );
        }
        for code in Action::CODES {
            let dates = days(&["2030-03-01"]);
            assert_eq!(Action::parse(Some(code), &dates).unwrap().code(), code);
        }
    }
}
