//! Enrolment: who may join a class (`rules`), the states an enrolment goes through, the
//! trainee's list (`service`, `pages`) and the institution's console (`console`,
//! `console_pages`). The seat counts, the waiting list and the timeline are kept in the
//! database (`store`).

#[cfg(feature = "ssr")]
pub mod console;
pub mod console_pages;
pub mod pages;
pub mod rules;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;
#[cfg(feature = "ssr")]
pub mod voiding;
#[cfg(feature = "ssr")]
pub mod waitlist;

use crate::error::RuleVerdict;
use crate::i18n::Locale;
use crate::reference::Enumeration;
use chrono::NaiveDate;
use leptos_i18n::td_string;
use rules::Check;
use serde::{Deserialize, Serialize};

/// Where an enrolment stands (api.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Applied,
    Approved,
    Waitlisted,
    InTraining,
    Completed,
    Dropped,
    Cancelled,
    Rejected,
    /// Not the person's (a dispute found it so): it counts for nothing. Final.
    Voided,
}

impl Status {
    pub const ALL: [Status; 9] = [
        Status::Applied,
        Status::Approved,
        Status::Waitlisted,
        Status::InTraining,
        Status::Completed,
        Status::Dropped,
        Status::Cancelled,
        Status::Rejected,
        Status::Voided,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Status::Applied => "applied",
            Status::Approved => "approved",
            Status::Waitlisted => "waitlisted",
            Status::InTraining => "in_training",
            Status::Completed => "completed",
            Status::Dropped => "dropped",
            Status::Cancelled => "cancelled",
            Status::Rejected => "rejected",
            Status::Voided => "voided",
        }
    }

    pub fn from_code(code: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.code() == code)
    }

    /// Counts against "one per class" and "three at a time".
    pub fn is_active(self) -> bool {
        matches!(
            self,
            Status::Applied | Status::Approved | Status::Waitlisted | Status::InTraining
        )
    }

    pub fn label(self, locale: Locale) -> &'static str {
        match self {
            Status::Applied => td_string!(locale, enrol.status_applied),
            Status::Approved => td_string!(locale, enrol.status_approved),
            Status::Waitlisted => td_string!(locale, enrol.status_waitlisted),
            Status::InTraining => td_string!(locale, enrol.status_in_training),
            Status::Completed => td_string!(locale, enrol.status_completed),
            Status::Dropped => td_string!(locale, enrol.status_dropped),
            Status::Cancelled => td_string!(locale, enrol.status_cancelled),
            Status::Rejected => td_string!(locale, enrol.status_rejected),
            Status::Voided => td_string!(locale, enrol.status_voided),
        }
    }
}

/// Who made a change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ActorKind {
    Trainee,
    Staff,
    /// The portal itself (a waiting-list promotion).
    System,
}

impl ActorKind {
    pub fn code(self) -> &'static str {
        match self {
            ActorKind::Trainee => "trainee",
            ActorKind::Staff => "staff",
            ActorKind::System => "system",
        }
    }

    pub fn from_code(code: &str) -> ActorKind {
        match code {
            "trainee" => ActorKind::Trainee,
            "staff" => ActorKind::Staff,
            _ => ActorKind::System,
        }
    }

    pub fn label(self, locale: Locale) -> &'static str {
        match self {
            ActorKind::Trainee => td_string!(locale, enrol.actor_trainee),
            ActorKind::Staff => td_string!(locale, enrol.actor_staff),
            ActorKind::System => td_string!(locale, enrol.actor_system),
        }
    }
}

/// One step of an enrolment's timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TimelineEvent {
    /// RFC 3339.
    pub at: String,
    pub status: Status,
    pub actor: ActorKind,
    pub reason: Option<String>,
}

/// One of the signed-in person's enrolments.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Enrollment {
    pub id: i64,
    pub course: String,
    pub course_title: String,
    pub institution: String,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub status: Status,
    /// 1 = next in line; only while waitlisted.
    pub waitlist_position: Option<u32>,
    /// The reason given with the latest change (a rejection's reason).
    pub reason: Option<String>,
    pub hours_attended: u32,
    /// Whether the person may still cancel (an active enrolment before the class starts).
    pub can_cancel: bool,
    pub created_at: String,
    pub timeline: Vec<TimelineEvent>,
}

/// What `POST /courses/{code}/enroll` answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Enrolled {
    pub id: i64,
    pub status: Status,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub waitlist_position: Option<u32>,
}

/// One of an institution's classes with its roster counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ClassSummary {
    pub code: String,
    pub title: String,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub capacity: u32,
    pub seats_left: u32,
    pub approved: u32,
    pub waitlisted: u32,
    pub in_training: u32,
    pub completed: u32,
    pub dropped: u32,
}

/// A person on a class's roster, as staff see them (identity numbers and phones masked).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RosterEntry {
    pub id: i64,
    pub name: String,
    pub id_number: String,
    pub phone: String,
    pub status: Status,
    pub waitlist_position: Option<u32>,
    pub reason: Option<String>,
    pub hours_attended: u32,
    pub employed: Option<bool>,
    pub employer: Option<String>,
    pub employed_since: Option<NaiveDate>,
    /// What shows the job (a contract or a social-insurance record), when it is on file.
    pub employment_evidence: Option<JobEvidence>,
}

/// What shows a job was found: a labour contract or a social-insurance record (kept by its
/// reference). Without it a job does not raise the subsidy to the full share.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum JobEvidence {
    Contract,
    SocialInsurance,
}

impl JobEvidence {
    pub const ALL: [JobEvidence; 2] = [JobEvidence::Contract, JobEvidence::SocialInsurance];

    pub fn code(self) -> &'static str {
        match self {
            JobEvidence::Contract => "contract",
            JobEvidence::SocialInsurance => "social_insurance",
        }
    }

    pub fn from_code(code: &str) -> Option<JobEvidence> {
        JobEvidence::ALL.into_iter().find(|e| e.code() == code)
    }

    pub fn label(self, locale: Locale) -> String {
        match self {
            JobEvidence::Contract => td_string!(locale, enrol.evidence_contract).to_string(),
            JobEvidence::SocialInsurance => {
                td_string!(locale, enrol.evidence_social_insurance).to_string()
            }
        }
    }
}

/// The employment outcome staff record after training.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Employment {
    pub employed: bool,
    pub employer: Option<String>,
    /// The job's start date; required when employed.
    pub since: Option<NaiveDate>,
    pub evidence: Option<JobEvidence>,
    /// The contract's number or the social-insurance record's reference.
    pub evidence_ref: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Roster {
    pub class: ClassSummary,
    pub entries: Vec<RosterEntry>,
}

/// An enrolment check in words.
pub fn describe(check: &Check, ok: bool, locale: Locale) -> String {
    match (check, ok) {
        (Check::OpenToAll, _) => td_string!(locale, elig.open_to_all).to_string(),
        (Check::Groups { matched, .. }, true) => {
            let names: Vec<&str> = matched.iter().map(|g| g.label(locale)).collect();
            td_string!(locale, elig.groups_ok, groups = names.join("、")).to_string()
        }
        (Check::Groups { pending, .. }, false) if !pending.is_empty() => {
            let names: Vec<&str> = pending.iter().map(|g| g.label(locale)).collect();
            td_string!(locale, elig.groups_pending, groups = names.join("、")).to_string()
        }
        (Check::Groups { wanted, .. }, false) => {
            let names: Vec<&str> = wanted.iter().map(|g| g.label(locale)).collect();
            td_string!(locale, elig.groups_no, groups = names.join("、")).to_string()
        }
        (Check::Age { age: None, .. }, _) => td_string!(locale, elig.age_unknown).to_string(),
        (
            Check::Age {
                min,
                max,
                age: Some(age),
            },
            ok,
        ) => {
            let range = match (min, max) {
                (Some(a), Some(b)) => format!("{a}–{b}"),
                (Some(a), None) => format!("≥ {a}"),
                (None, Some(b)) => format!("≤ {b}"),
                (None, None) => String::new(),
            };
            if ok {
                td_string!(locale, elig.age_ok, age = *age, range = range).to_string()
            } else {
                td_string!(locale, elig.age_no, age = *age, range = range).to_string()
            }
        }
        (Check::Deadline { date }, true) => {
            td_string!(locale, elig.deadline_ok, date = *date).to_string()
        }
        (Check::Deadline { date }, false) => {
            td_string!(locale, elig.deadline_no, date = *date).to_string()
        }
        (Check::NotStarted { date }, true) => {
            td_string!(locale, elig.not_started_ok, date = *date).to_string()
        }
        (Check::NotStarted { date }, false) => {
            td_string!(locale, elig.not_started_no, date = *date).to_string()
        }
        (Check::Seats { left: 0 }, _) => td_string!(locale, elig.seats_waitlist).to_string(),
        (Check::Seats { left }, _) => td_string!(locale, elig.seats_ok, left = *left).to_string(),
        (Check::NotEnrolledHere, true) => td_string!(locale, elig.not_enrolled_ok).to_string(),
        (Check::NotEnrolledHere, false) => td_string!(locale, elig.not_enrolled_no).to_string(),
        (Check::ActiveLimit { active, max }, true) => {
            td_string!(locale, elig.active_ok, active = *active, max = *max).to_string()
        }
        (Check::ActiveLimit { active, max }, false) => {
            td_string!(locale, elig.active_no, active = *active, max = *max).to_string()
        }
    }
}

/// Why an application that waited for a group's verification is refused.
pub fn group_not_verified(locale: Locale) -> &'static str {
    td_string!(locale, elig.group_not_verified)
}

/// The machine name of an enrolment check, as the API reports it.
pub fn check_code(check: &Check) -> &'static str {
    match check {
        Check::OpenToAll | Check::Groups { .. } => "group",
        Check::Age { .. } => "age",
        Check::Deadline { .. } => "enroll_deadline",
        Check::NotStarted { .. } => "class_started",
        Check::Seats { .. } => "seats",
        Check::NotEnrolledHere => "already_enrolled",
        Check::ActiveLimit { .. } => "active_enrollments",
    }
}

pub fn verdicts(findings: &[rules::Finding]) -> Vec<RuleVerdict> {
    findings
        .iter()
        .map(|f| RuleVerdict {
            rule: check_code(&f.check).to_string(),
            ok: f.ok,
            message: describe(&f.check, f.ok, Locale::zh_CN),
            message_en: describe(&f.check, f.ok, Locale::en),
        })
        .collect()
}
