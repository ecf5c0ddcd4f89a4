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
    /// The person who filed it, masked (HR officers' list only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub claimant: Option<String>,
}
