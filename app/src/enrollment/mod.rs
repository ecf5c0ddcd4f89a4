//! Enrolment: who may join a class (`rules`), the states an enrolment goes through, the
//! trainee's list and inbox, and the institution's console. `service` (server only) keeps the
//! seat count, the waiting list and the timeline in the database.

pub mod pages;
pub mod rules;
#[cfg(feature = "ssr")]
pub mod service;

use crate::error::RuleVerdict;
use crate::i18n::Locale;
use crate::money::Yuan;
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
}

impl Status {
    pub const ALL: [Status; 8] = [
        Status::Applied,
        Status::Approved,
        Status::Waitlisted,
        Status::InTraining,
        Status::Completed,
        Status::Dropped,
        Status::Cancelled,
        Status::Rejected,
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

/// An inbox message: a change to one of the person's records, worded when shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Notification {
    pub id: i64,
    pub at: String,
    /// The record: `enrollment`, `certificate`, `subsidy` (a claim) or `dispute`.
    pub kind: String,
    pub subject_id: i64,
    /// The record's new status (an enrolment's, a claim's, `issued`/`failed` for an
    /// assessment, `resolved` for a dispute).
    pub status: String,
    /// The class, the certificate or the claim it is about.
    pub title: String,
    pub reason: Option<String>,
    pub waitlist_position: Option<u32>,
    pub read: bool,
    /// The message in Chinese and English.
    pub message: String,
    pub message_en: String,
}

impl Notification {
    pub fn text(&self, locale: Locale) -> String {
        notification_text(
            locale,
            &self.kind,
            &self.title,
            &self.status,
            self.waitlist_position,
            self.reason.as_deref(),
        )
    }

    /// The page that shows the record.
    pub fn link(&self) -> &'static str {
        match self.kind.as_str() {
            "certificate" => "/me/certificates",
            "subsidy" | "dispute" => "/me/subsidies",
            _ => "/me/enrollments",
        }
    }
}

pub fn notification_text(
    locale: Locale,
    kind: &str,
    title: &str,
    status: &str,
    position: Option<u32>,
    reason: Option<&str>,
) -> String {
    let status_words = match kind {
        "subsidy" => crate::subsidy::status_label(status, locale),
        "certificate" if status == "issued" => td_string!(locale, assess.issued).to_string(),
        "certificate" => td_string!(locale, assess.failed).to_string(),
        "dispute" => td_string!(locale, dispute.resolved).to_string(),
        _ => Status::from_code(status)
            .map(|s| s.label(locale).to_string())
            .unwrap_or_else(|| status.to_string()),
    };
    let mut text = match kind {
        "subsidy" => {
            td_string!(locale, claim.notice, title = title, status = status_words).to_string()
        }
        "certificate" => {
            td_string!(locale, assess.notice, title = title, status = status_words).to_string()
        }
        "dispute" => {
            td_string!(locale, dispute.notice, title = title, status = status_words).to_string()
        }
        _ => td_string!(locale, enrol.notice, title = title, status = status_words).to_string(),
    };
    if let (Some(Status::Waitlisted), Some(p)) = (Status::from_code(status), position) {
        text.push_str(&td_string!(locale, enrol.notice_position, position = p).to_string());
    }
    if let Some(r) = reason.filter(|r| !r.is_empty()) {
        text.push_str(&td_string!(locale, enrol.notice_reason, reason = r).to_string());
    }
    text
}

/// One page of the inbox, newest first, with the unread count of the whole inbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Inbox {
    pub unread: u32,
    pub items: Vec<Notification>,
    pub total: u64,
    pub page: u32,
    pub per_page: u32,
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
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Roster {
    pub class: ClassSummary,
    pub entries: Vec<RosterEntry>,
}

/// Whether a person may join a class, and what subsidy they would get, with every reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Assessment {
    pub course: String,
    pub title: String,
    pub eligible: bool,
    pub seats_left: u32,
    pub reasons: Vec<RuleVerdict>,
    /// The most the person would be paid (certificate and a job); "0.00" when refused.
    #[cfg_attr(feature = "ssr", schema(value_type = String, example = "1000.00"))]
    pub subsidy_yuan: Yuan,
    #[cfg_attr(feature = "ssr", schema(value_type = String, example = "0.00"))]
    pub living_allowance_yuan: Yuan,
    /// The fee is covered for the person (veterans, disabled people).
    pub free_training: bool,
    pub subsidy_reasons: Vec<RuleVerdict>,
    /// The lesser shares: certificate without a job, special-ability certificate.
    pub subsidy_percent_employed: u32,
    pub subsidy_percent_certified: u32,
}

/// An enrolment check in words.
pub fn describe(check: &Check, ok: bool, locale: Locale) -> String {
    match (check, ok) {
        (Check::OpenToAll, _) => td_string!(locale, elig.open_to_all).to_string(),
        (Check::Groups { matched, .. }, true) => {
            let names: Vec<&str> = matched.iter().map(|g| g.label(locale)).collect();
            td_string!(locale, elig.groups_ok, groups = names.join("、")).to_string()
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

/// The enrolment rules and the subsidy pre-check for one person and one course, together.
pub fn assess(
    course: &crate::catalog::Course,
    applicant: &rules::Applicant,
    history: &crate::subsidy::rules::History,
    policy: &crate::subsidy::rules::Policy,
    today: NaiveDate,
) -> Assessment {
    use crate::subsidy::rules::{estimate, OccupationLevel};
    let findings = rules::check(course, applicant, today);
    let target = OccupationLevel {
        occupation: course.occupation.clone(),
        level: course.level,
    };
    let estimate = estimate(
        &target,
        course.certificate_type,
        course.subsidy_yuan,
        course.hours,
        &applicant.groups,
        history,
        policy,
    );
    Assessment {
        course: course.code.clone(),
        title: course.title.clone(),
        eligible: rules::all_ok(&findings),
        seats_left: course.seats_left,
        reasons: verdicts(&findings),
        subsidy_yuan: estimate.subsidy,
        living_allowance_yuan: estimate.living_allowance,
        free_training: estimate.free,
        subsidy_reasons: crate::subsidy::verdicts(&estimate.verdicts),
        subsidy_percent_employed: estimate.employed_percent,
        subsidy_percent_certified: estimate.certified_percent,
    }
}

/// The anonymous eligibility question (`POST /api/v1/eligibility/check` and the question page).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Question {
    /// Group codes (api.md `group`).
    #[serde(default)]
    pub groups: Vec<String>,
    /// YYYY-MM-DD.
    pub birth_date: Option<String>,
    /// City code or name; limits the courses listed.
    pub city: Option<String>,
    #[serde(default)]
    pub certificates: Vec<HeldCertificate>,
    /// One course's code: answer for it alone.
    pub course: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct HeldCertificate {
    pub occupation: String,
    /// Level code or Chinese name.
    pub level: String,
}

/// A question checked: what the rules need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Asked {
    pub applicant: rules::Applicant,
    pub city: Option<crate::reference::City>,
    pub history: crate::subsidy::rules::History,
    pub course: Option<String>,
}

impl Question {
    /// Checks every field; each bad one is named (400).
    pub fn parse(&self, today: NaiveDate) -> crate::error::AppResult<Asked> {
        use crate::error::{FieldErrors, FieldProblem};
        use crate::reference::{City, Group, Level};
        use crate::subsidy::rules::{History, OccupationLevel};
        let mut errors = FieldErrors::default();
        let mut groups = Vec::new();
        for code in &self.groups {
            match Group::parse_lenient(code) {
                Some(g) if !groups.contains(&g) => groups.push(g),
                Some(_) => {}
                None => errors.add("groups", FieldProblem::UnknownCode),
            }
        }
        let birth_date = match self
            .birth_date
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            None => None,
            Some(text) => match NaiveDate::parse_from_str(text, "%Y-%m-%d") {
                Ok(d) if d <= today && d >= NaiveDate::from_ymd_opt(1900, 1, 1).unwrap_or(d) => {
                    Some(d)
                }
                _ => {
                    errors.add("birth_date", FieldProblem::NotADate);
                    None
                }
            },
        };
        let city = match self
            .city
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            None => None,
            Some(text) => {
                let city = City::parse_lenient(text);
                if city.is_none() {
                    errors.add("city", FieldProblem::UnknownCode);
                }
                city
            }
        };
        let mut held = Vec::new();
        if self.certificates.len() > 20 {
            errors.add("certificates", FieldProblem::OutOfRange { min: 0, max: 20 });
        }
        for c in self.certificates.iter().take(20) {
            let occupation = c.occupation.trim();
            if occupation.is_empty() {
                errors.add("certificates", FieldProblem::Required);
            } else if occupation.chars().count() > 50 {
                errors.add("certificates", FieldProblem::TooLong { max: 50 });
            }
            match Level::parse_lenient(&c.level) {
                Some(level) => held.push(OccupationLevel {
                    occupation: occupation.to_string(),
                    level,
                }),
                None => errors.add("certificates", FieldProblem::UnknownCode),
            }
        }
        if self.course.as_ref().is_some_and(|c| c.chars().count() > 64) {
            errors.add("course", FieldProblem::TooLong { max: 64 });
        }
        errors.into_result(Asked {
            applicant: rules::Applicant {
                groups,
                birth_date,
                ..Default::default()
            },
            city,
            history: History {
                held,
                ..Default::default()
            },
            course: self
                .course
                .clone()
                .map(|c| c.trim().to_string())
                .filter(|c| !c.is_empty()),
        })
    }
}

/// The answer: the courses the person qualifies for (or the one asked about, qualifying or not).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CheckAnswer {
    /// How many courses were found eligible (at most `MAX_CHECKED` are looked at).
    pub total: u32,
    pub items: Vec<Assessment>,
}
