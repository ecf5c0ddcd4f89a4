//! "Can I join?": the enrolment rules and the subsidy pre-check together, for a signed-in
//! person and a course (the course page), for anyone who answers a few questions (the
//! anonymous check), and over the catalogue (the "只看我现在能报名的" filter). Above both
//! enrolment and subsidies: it asks each for its rules and never decides one itself.

pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;

use crate::enrollment::rules::{all_ok, check, Applicant};
use crate::enrollment::verdicts;
use crate::error::RuleVerdict;
use crate::money::Yuan;
use crate::reference::Enumeration;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Whether a person may join a class, and what subsidy they would get, with every reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Assessment {
    pub course: String,
    pub title: String,
    pub eligible: bool,
    /// Not eligible yet only because a group of the person's for the class awaits
    /// verification: an application may be sent, and waits (holding no seat).
    pub awaits_verification: bool,
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

/// Who is looking at a course page, and what they may do there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Panel {
    Anonymous,
    /// Staff (only trainees enrol).
    Staff,
    Trainee {
        assessment: Box<Assessment>,
        /// Their active enrolment in this class, if any.
        enrolled: Option<crate::enrollment::Enrollment>,
    },
}

/// The enrolment rules and the subsidy pre-check for one person and one course, together.
pub fn assess(
    course: &crate::catalog::Course,
    applicant: &Applicant,
    history: &crate::subsidy::rules::History,
    policy: &crate::subsidy::rules::Policy,
    today: NaiveDate,
) -> Assessment {
    use crate::subsidy::rules::{estimate, OccupationLevel};
    let findings = check(course, applicant, today);
    let target = OccupationLevel {
        occupation: course.occupation.clone(),
        level: course.level,
        kind: Some(course.certificate_type),
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
        eligible: all_ok(&findings),
        awaits_verification: crate::enrollment::rules::awaits_verification(&findings),
        seats_left: course.seats_left,
        reasons: verdicts(&findings),
        subsidy_yuan: estimate.subsidy,
        living_allowance_yuan: estimate.living_allowance,
        free_training: estimate.free,
        subsidy_reasons: crate::subsidy::verdicts(
            &[
                estimate.verdicts,
                crate::subsidy::rules::awaiting(&applicant.pending_groups),
            ]
            .concat(),
        ),
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
    /// The page of eligible courses (from 1; `page × per_page` at most 1 000).
    #[serde(default)]
    pub page: Option<u32>,
    /// Eligible courses a page (1–50, default 20).
    #[serde(default)]
    pub per_page: Option<u32>,
}

/// Eligible courses a page of the anonymous check, by default and at most.
pub const CHECK_PER_PAGE: u32 = 20;
pub const CHECK_MAX_PER_PAGE: u32 = 50;
/// How deep the check's pages go (`page × per_page`), as many as it ever judges.
pub const CHECK_MAX_DEPTH: u32 = 1_000;

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
    pub applicant: Applicant,
    pub city: Option<crate::reference::City>,
    pub history: crate::subsidy::rules::History,
    pub course: Option<String>,
    pub page: u32,
    pub per_page: u32,
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
                    kind: None,
                }),
                None => errors.add("certificates", FieldProblem::UnknownCode),
            }
        }
        if self.course.as_ref().is_some_and(|c| c.chars().count() > 64) {
            errors.add("course", FieldProblem::TooLong { max: 64 });
        }
        let per_page = self.per_page.unwrap_or(CHECK_PER_PAGE);
        if !(1..=CHECK_MAX_PER_PAGE).contains(&per_page) {
            let max = i64::from(CHECK_MAX_PER_PAGE);
            errors.add("per_page", FieldProblem::OutOfRange { min: 1, max });
        }
        let page = self.page.unwrap_or(1);
        let deepest = CHECK_MAX_DEPTH / per_page.clamp(1, CHECK_MAX_PER_PAGE);
        if !(1..=deepest).contains(&page) {
            let max = i64::from(deepest);
            errors.add("page", FieldProblem::OutOfRange { min: 1, max });
        }
        errors.into_result(Asked {
            applicant: Applicant {
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
            page,
            per_page,
        })
    }
}

/// The answer: the courses the person qualifies for (or the one asked about, qualifying or not).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CheckAnswer {
    /// Eligible courses found up to this page and one beyond it: all of them when `more` is
    /// false (the check judges only as many courses as the page needs).
    pub total: u32,
    pub items: Vec<Assessment>,
    pub page: u32,
    pub per_page: u32,
    /// Whether a next page has courses.
    pub more: bool,
}
