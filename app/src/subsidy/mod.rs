//! Training subsidies: the rules (pure, `rules`) and how their verdicts read; a trainee's
//! claims (`service`), the HR officer's review (`review`), their pages and storage.

#[cfg(feature = "ssr")]
pub mod batch_store;
pub mod batches;
#[cfg(feature = "ssr")]
pub mod budget;
#[cfg(feature = "ssr")]
pub mod kept;
pub mod pages;
pub mod payee;
#[cfg(feature = "ssr")]
pub mod payee_service;
#[cfg(feature = "ssr")]
pub mod payment;
pub mod payment_pages;
#[cfg(feature = "ssr")]
pub mod payment_sheet;
#[cfg(feature = "ssr")]
pub mod policy_store;
#[cfg(feature = "ssr")]
pub mod queue_store;
#[cfg(feature = "ssr")]
pub mod recovery;
pub mod recovery_pages;
#[cfg(feature = "ssr")]
pub mod recovery_store;
#[cfg(feature = "ssr")]
pub mod review;
pub mod rules;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;
#[cfg(feature = "ssr")]
pub mod top_up;

/// A subsidy claim as the claimant sees it; with `status` `eligible`, a certificate the person
/// may claim for (no `id` yet; the amount is what the claim would pay).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Claim {
    pub id: Option<i64>,
    pub certificate_id: i64,
    pub occupation: String,
    pub level: String,
    pub year: i32,
    /// The share of the subsidy standard paid for the outcome.
    pub percent: u32,
    /// Yuan, two decimals (the share plus any living allowance).
    #[cfg_attr(feature = "ssr", schema(value_type = String, example = "800.00"))]
    pub amount_yuan: crate::money::Yuan,
    /// `eligible`, `submitted`, `under_review`, `approved`, `paid`, `rejected` or `stopped`
    /// (what it rested on was undone before it was paid).
    pub status: String,
    /// Every rule's verdict: when the claim was made (all met), or for `eligible` now.
    pub reasons: Vec<crate::error::RuleVerdict>,
    /// The HR officer's words on a rejection.
    pub note: Option<String>,
    /// How the amount was made.
    pub breakdown: Option<Breakdown>,
    /// The claim this one tops up to the employed share (a job recorded after it).
    pub top_up_of: Option<i64>,
    pub created_at: String,
    pub timeline: Vec<ClaimEvent>,
    /// Money paid on this claim that is due back (追回), once what it rested on was undone.
    pub recovery: Option<Recovery>,
    /// Whom it is paid to (the account masked).
    pub payee: Option<payee::PayeeView>,
    /// The payment batch it is in (approved, to be paid; or paid).
    pub batch_id: Option<i64>,
    /// The day it was paid, and finance's reference.
    pub paid_on: Option<String>,
    pub payment_reference: Option<String>,
}

/// A recovery (追回): money paid on a claim whose certificate, enrolment or attendance was
/// undone is due back until the HR officer marks it recovered or waived.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Recovery {
    pub id: i64,
    pub claim_id: i64,
    /// `due`, `recovered` or `waived`.
    pub status: String,
    #[cfg_attr(feature = "ssr", schema(value_type = String, example = "1200.00"))]
    pub amount_yuan: crate::money::Yuan,
    /// What undid the claim: `certificate_revoked`, `enrollment_voided`, `attendance_voided`
    /// or `claim_stopped`.
    pub cause: String,
    /// The words given when it was undone.
    pub reason: String,
    /// The HR officer's words when it was recovered or waived.
    pub note: Option<String>,
    /// The claimant, masked.
    pub claimant: String,
    pub certificate_number: String,
    pub occupation: String,
    pub level: String,
    pub course: String,
    pub institution: String,
    pub created_at: String,
    pub decided_at: Option<String>,
    /// Who marked it recovered or waived, masked.
    pub decided_by: Option<String>,
}

/// What the HR officer records of a recovery.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecoveryStatus {
    Due,
    Recovered,
    Waived,
}

impl RecoveryStatus {
    pub const ALL: [RecoveryStatus; 3] = [
        RecoveryStatus::Due,
        RecoveryStatus::Recovered,
        RecoveryStatus::Waived,
    ];

    pub fn code(self) -> &'static str {
        match self {
            RecoveryStatus::Due => "due",
            RecoveryStatus::Recovered => "recovered",
            RecoveryStatus::Waived => "waived",
        }
    }

    pub fn from_code(code: &str) -> Option<RecoveryStatus> {
        RecoveryStatus::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn label(self, locale: Locale) -> String {
        match self {
            RecoveryStatus::Due => td_string!(locale, recovery.status_due),
            RecoveryStatus::Recovered => td_string!(locale, recovery.status_recovered),
            RecoveryStatus::Waived => td_string!(locale, recovery.status_waived),
        }
        .to_string()
    }
}

/// What undid a claim, in words.
pub fn recovery_cause_label(code: &str, locale: Locale) -> String {
    match code {
        "certificate_revoked" => td_string!(locale, recovery.cause_certificate_revoked),
        "enrollment_voided" => td_string!(locale, recovery.cause_enrollment_voided),
        "attendance_voided" => td_string!(locale, recovery.cause_attendance_voided),
        "claim_stopped" => td_string!(locale, recovery.cause_claim_stopped),
        other => return other.to_string(),
    }
    .to_string()
}

/// How a claim's amount was made, kept with the claim when it was decided (claims made before
/// this was kept have none).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Breakdown {
    /// The item's subsidy standard.
    #[cfg_attr(feature = "ssr", schema(value_type = String, example = "1200.00"))]
    pub standard_yuan: crate::money::Yuan,
    /// The share of the standard the outcome earns.
    pub share_percent: u32,
    #[cfg_attr(feature = "ssr", schema(value_type = String, example = "960.00"))]
    pub training_subsidy_yuan: crate::money::Yuan,
    /// Days attended for at least half of the day's scheduled hours.
    pub attended_days: u32,
    #[cfg_attr(feature = "ssr", schema(value_type = String, example = "0.00"))]
    pub living_allowance_yuan: crate::money::Yuan,
    /// The groups the amount rests on (free training, living allowance).
    #[cfg_attr(feature = "ssr", schema(value_type = Vec<String>))]
    pub groups: Vec<crate::reference::Group>,
    /// A job that counts (with evidence, within six months after the class).
    pub employed: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ClaimEvent {
    pub at: String,
    pub status: String,
    /// The role of who took the step (`trainee`, `hr_officer`).
    pub actor: String,
    /// Their name, masked (none once their account is deleted).
    pub actor_name: Option<String>,
    pub reason: Option<String>,
}

use crate::i18n::Locale;
use crate::reference::Enumeration;
use leptos_i18n::td_string;
use rules::Rule;

/// A verdict in words, for the person it concerns.
pub fn describe(rule: &Rule, ok: bool, locale: Locale) -> String {
    match (rule, ok) {
        (Rule::YearlyCap { used, cap }, true) => {
            td_string!(locale, rule.yearly_cap_ok, used = *used, cap = *cap).to_string()
        }
        (Rule::YearlyCap { used, cap }, false) => {
            td_string!(locale, rule.yearly_cap_no, used = *used, cap = *cap).to_string()
        }
        (Rule::SameOccupationLevel { occupation }, true) => {
            td_string!(locale, rule.same_level_ok, occupation = occupation).to_string()
        }
        (Rule::SameOccupationLevel { occupation }, false) => {
            td_string!(locale, rule.same_level_no, occupation = occupation).to_string()
        }
        (Rule::HigherLevelHeld { occupation }, true) => {
            td_string!(locale, rule.higher_level_ok, occupation = occupation).to_string()
        }
        (Rule::HigherLevelHeld { occupation }, false) => {
            td_string!(locale, rule.higher_level_no, occupation = occupation).to_string()
        }
        (Rule::ClaimWindow { months }, true) => {
            td_string!(locale, rule.claim_window_ok, months = *months).to_string()
        }
        (Rule::ClaimWindow { months }, false) => {
            td_string!(locale, rule.claim_window_no, months = *months).to_string()
        }
        (Rule::FreeTraining { group }, _) => {
            td_string!(locale, rule.free_training, group = group.label(locale)).to_string()
        }
        (Rule::LivingAllowance { per_day, days }, _) => td_string!(
            locale,
            rule.living_allowance,
            per_day = *per_day,
            days = *days
        )
        .to_string(),
        (Rule::NoStandard, _) => td_string!(locale, rule.no_standard).to_string(),
        (Rule::AwaitingVerification { group }, _) => td_string!(
            locale,
            rule.awaiting_verification,
            group = group.label(locale)
        )
        .to_string(),
    }
}

/// The machine name of a rule, as the API reports it.
pub fn rule_code(rule: &Rule) -> &'static str {
    match rule {
        Rule::YearlyCap { .. } => "yearly_cap",
        Rule::SameOccupationLevel { .. } => "same_occupation_level",
        Rule::HigherLevelHeld { .. } => "higher_level_held",
        Rule::ClaimWindow { .. } => "claim_window",
        Rule::FreeTraining { .. } => "free_training",
        Rule::LivingAllowance { .. } => "living_allowance",
        Rule::NoStandard => "no_subsidy_standard",
        Rule::AwaitingVerification { .. } => "group_awaiting_verification",
    }
}

/// Why a claim waits where the unified identity service is configured and the person's real
/// name is not verified yet: money goes only to a name the service vouched for.
pub fn real_name_needed() -> crate::error::RuleVerdict {
    crate::error::RuleVerdict {
        rule: "real_name".into(),
        ok: false,
        message: td_string!(Locale::zh_CN, rule.real_name_needed).to_string(),
        message_en: td_string!(Locale::en, rule.real_name_needed).to_string(),
    }
}

pub fn verdicts(list: &[rules::Verdict]) -> Vec<crate::error::RuleVerdict> {
    list.iter()
        .map(|v| crate::error::RuleVerdict {
            rule: rule_code(&v.rule).to_string(),
            ok: v.ok,
            message: describe(&v.rule, v.ok, Locale::zh_CN),
            message_en: describe(&v.rule, v.ok, Locale::en),
        })
        .collect()
}

/// A claim in the HR officer's review queue. The claimant's name and ID number are masked.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct StaffClaim {
    pub id: i64,
    pub status: String,
    pub claimant: String,
    pub id_number: String,
    pub course: String,
    pub course_title: String,
    pub institution: String,
    pub certificate_number: String,
    pub occupation: String,
    pub level: String,
    pub employed: bool,
    pub percent: u32,
    #[cfg_attr(feature = "ssr", schema(value_type = String, example = "800.00"))]
    pub amount_yuan: crate::money::Yuan,
    /// Every rule's verdict when the claim was made.
    pub reasons: Vec<crate::error::RuleVerdict>,
    /// The HR officer's words on a rejection.
    pub note: Option<String>,
    /// How the amount was made, and the groups it rests on.
    pub breakdown: Option<Breakdown>,
    /// The claim this one tops up to the employed share.
    pub top_up_of: Option<i64>,
    /// What to look at twice (never a refusal).
    pub signals: Vec<rules::Signal>,
    pub created_at: String,
    /// The claimant disputes it ("这不是我"): it cannot be approved or paid until resolved.
    pub disputed: bool,
    pub timeline: Vec<ClaimEvent>,
    /// Whom it is paid to (the account masked).
    pub payee: Option<payee::PayeeView>,
    pub batch_id: Option<i64>,
    pub paid_on: Option<String>,
    pub payment_reference: Option<String>,
}

/// The subsidy numbers of every city that set its own; the others use the province's.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Policies {
    pub overrides: std::collections::HashMap<crate::reference::City, rules::Policy>,
}

impl Policies {
    pub fn of(&self, city: crate::reference::City) -> rules::Policy {
        self.overrides.get(&city).cloned().unwrap_or_default()
    }
}

/// The review step a decision names (the form and the API accept the same words). Paying is
/// not a decision: a claim is paid in a payment batch (`payment`).
pub fn review_step(decision: &str) -> Result<rules::Review, crate::error::AppError> {
    use crate::error::{AppError, FieldProblem};
    use rules::Review;
    match decision {
        "approve" => Ok(Review::Approve),
        "reject" => Ok(Review::Reject),
        "review" => Ok(Review::Start),
        _ => Err(AppError::field("decision", FieldProblem::UnknownCode)),
    }
}

/// A signal beside a claim, in words.
pub fn signal_label(signal: rules::Signal, locale: Locale) -> String {
    use rules::Signal;
    match signal {
        Signal::GroupsChangedRecently => td_string!(locale, review.signal_groups).to_string(),
        Signal::AttendanceAfterTheEnd => td_string!(locale, review.signal_attendance).to_string(),
        Signal::JobRecordedByTheInstitution => td_string!(locale, review.signal_job).to_string(),
    }
}

/// A claim status (or `eligible`) in words.
pub fn status_label(code: &str, locale: Locale) -> String {
    match code {
        "eligible" => td_string!(locale, claim.status_eligible),
        "submitted" => td_string!(locale, claim.status_submitted),
        "under_review" => td_string!(locale, claim.status_under_review),
        "approved" => td_string!(locale, claim.status_approved),
        "paid" => td_string!(locale, claim.status_paid),
        "rejected" => td_string!(locale, claim.status_rejected),
        "stopped" => td_string!(locale, claim.status_stopped),
        "returned" => td_string!(locale, claim.status_returned),
        other => return other.to_string(),
    }
    .to_string()
}
