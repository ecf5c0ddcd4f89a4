//! The training-subsidy rules of the programme (../shared/docs/product.md), as pure functions.
//! Each city may change the numbers (`Policy`); the rules stay the same.
//!
//! - Only catalogue items are subsidised; the amount is the item's subsidy standard, paid by
//!   outcome: certificate and a job within 6 months 100 %, certificate only 80 %, a
//!   special-ability certificate 60 %, no certificate nothing.
//! - At most 3 subsidies per person per calendar year (every kind, paid to the person or to an
//!   institution on their behalf; refused and rejected claims do not count).
//! - The same occupation at the same level is subsidised once per person, ever.
//! - Holding, or having been subsidised for, a higher level of an occupation blocks a lower one.
//! - A claim must be made within 12 months of the certificate's issue date.
//! - Veterans' adaptive training and training for disabled people is free (the fee is covered);
//!   poverty-monitored trainees also get a living allowance per training day.

use crate::money::Yuan;
use crate::reference::{CertificateType, Group, Level};
use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};

/// The numbers a city may set; `Policy::default()` is the province's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Policy {
    pub employed_percent: u32,
    pub certified_percent: u32,
    pub special_ability_percent: u32,
    pub yearly_cap: u32,
    pub living_allowance_per_day: Yuan,
    pub claim_window_months: u32,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            employed_percent: 100,
            certified_percent: 80,
            special_ability_percent: 60,
            yearly_cap: 3,
            living_allowance_per_day: Yuan::from_fen(5_000),
            claim_window_months: 12,
        }
    }
}

/// The order of skill levels, lowest first; `None` (no level) has no place in it.
pub fn rank(level: Level) -> Option<u8> {
    match level {
        Level::Apprentice => Some(0),
        Level::Level5 => Some(1),
        Level::Level4 => Some(2),
        Level::Level3 => Some(3),
        Level::Level2 => Some(4),
        Level::Level1 => Some(5),
        Level::SpecialTechnician => Some(6),
        Level::ChiefTechnician => Some(7),
        Level::None => None,
    }
}

/// An occupation at a level: what a certificate or a subsidy was for. Without a level (a
/// special-ability certificate, say) the certificate's type tells two apart.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OccupationLevel {
    pub occupation: String,
    pub level: Level,
    /// `None` when not known (a certificate someone says they hold).
    pub kind: Option<CertificateType>,
}

/// What the rules need to know of a person's past.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct History {
    /// Claims that count against this year's cap (submitted, under review, approved, paid).
    pub claims_this_year: u32,
    /// Occupations and levels ever subsidised (or being claimed).
    pub subsidised: Vec<OccupationLevel>,
    /// Certificates held.
    pub held: Vec<OccupationLevel>,
}

/// One rule's verdict. `code` names the rule; `params` fill its message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verdict {
    pub rule: Rule,
    pub ok: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum Rule {
    /// Within (or over) the yearly cap.
    YearlyCap { used: u32, cap: u32 },
    /// This occupation and level was (or was not) subsidised before.
    SameOccupationLevel { occupation: String },
    /// A higher level of this occupation is (or is not) held or subsidised.
    HigherLevelHeld { occupation: String },
    /// The certificate is within (or past) the claim window.
    ClaimWindow { months: u32 },
    /// The training is free for the person's group (veterans, disabled people).
    FreeTraining { group: Group },
    /// Poverty-monitored trainees' living allowance.
    LivingAllowance { per_day: Yuan, days: u32 },
    /// The item has no subsidy standard.
    NoStandard,
    /// A group that would bring money (free training, the living allowance) awaits the
    /// city's verification: it counts once verified.
    AwaitingVerification { group: Group },
}

/// Whether a subsidy for `target` is allowed by the person's history (cap, same level, higher
/// level); every rule's verdict, in order.
pub fn history_checks(
    target: &OccupationLevel,
    history: &History,
    policy: &Policy,
) -> Vec<Verdict> {
    let cap_ok = history.claims_this_year < policy.yearly_cap;
    // With a level, the occupation at that level once; without one, the occupation and the
    // certificate's type once.
    let same = history.subsidised.iter().any(|s| {
        s.occupation == target.occupation
            && s.level == target.level
            && (rank(target.level).is_some() || s.kind == target.kind)
    });
    let higher =
        rank(target.level).is_some_and(|mine| {
            history.held.iter().chain(&history.subsidised).any(|h| {
                h.occupation == target.occupation && rank(h.level).is_some_and(|r| r > mine)
            })
        });
    vec![
        Verdict {
            rule: Rule::YearlyCap {
                used: history.claims_this_year,
                cap: policy.yearly_cap,
            },
            ok: cap_ok,
        },
        Verdict {
            rule: Rule::SameOccupationLevel {
                occupation: target.occupation.clone(),
            },
            ok: !same,
        },
        Verdict {
            rule: Rule::HigherLevelHeld {
                occupation: target.occupation.clone(),
            },
            ok: !higher,
        },
    ]
}

/// A job counts when it starts within this many months after the class ended.
pub const JOB_WINDOW_MONTHS: u32 = 6;

/// Whether a recorded job raises the subsidy to the full share: it started on a day from the
/// class's end date to six months after it, and its evidence (a labour contract or a
/// social-insurance record) is on file. Otherwise the certificate alone counts.
pub fn job_counts(since: Option<NaiveDate>, class_end: NaiveDate, evidence: bool) -> bool {
    let last = class_end.checked_add_months(Months::new(JOB_WINDOW_MONTHS));
    evidence && since.is_some_and(|day| day >= class_end && last.is_some_and(|l| day <= l))
}

/// What a claim paid at `paid_percent` still owes when the outcome now earns `now_percent`
/// (a job recorded after the claim): the difference of the two shares, or nothing.
pub fn top_up(standard: Yuan, paid_percent: u32, now_percent: u32) -> Option<Yuan> {
    (now_percent > paid_percent).then(|| {
        Yuan::from_fen(share(standard, now_percent).fen() - share(standard, paid_percent).fen())
    })
}

/// The share of the standard paid for an outcome, in percent.
pub fn payout_percent(
    certificate: Option<CertificateType>,
    employed: bool,
    policy: &Policy,
) -> u32 {
    match certificate {
        None => 0,
        Some(CertificateType::SpecialAbility) => policy.special_ability_percent,
        Some(_) if employed => policy.employed_percent,
        Some(_) => policy.certified_percent,
    }
}

/// `percent` of `standard`, rounded down to the fen.
pub fn share(standard: Yuan, percent: u32) -> Yuan {
    Yuan::from_fen(standard.fen() * i64::from(percent) / 100)
}

/// Whether a certificate issued on `issued_on` may still be claimed on `today`.
pub fn within_claim_window(issued_on: NaiveDate, today: NaiveDate, policy: &Policy) -> bool {
    issued_on
        .checked_add_months(Months::new(policy.claim_window_months))
        .is_some_and(|last| today <= last)
}

/// Training days of a class, for the living allowance: one per 8 hours, at least one.
/// The hours a class schedules on each of its days: its hours spread evenly over the days
/// from its start date to its end date (at least one hour a day).
pub fn scheduled_hours_per_day(hours: u32, start: NaiveDate, end: NaiveDate) -> u32 {
    let days = u32::try_from((end - start).num_days() + 1)
        .unwrap_or(1)
        .max(1);
    hours.div_ceil(days).max(1)
}

/// The days that count for the living allowance: those the trainee attended for at least
/// half of the day's scheduled hours (`attended`: the hours of each day recorded).
pub fn attended_days(attended: &[u32], scheduled_per_day: u32) -> u32 {
    let counted = attended
        .iter()
        .filter(|&&h| h * 2 >= scheduled_per_day)
        .count();
    u32::try_from(counted).unwrap_or(u32::MAX)
}

/// The living allowance for `days` attended.
pub fn living_allowance(days: u32, policy: &Policy) -> Yuan {
    Yuan::from_fen(policy.living_allowance_per_day.fen() * i64::from(days))
}

pub fn training_days(hours: u32) -> u32 {
    hours.div_ceil(8).max(1)
}

/// The groups that bring money beyond the subsidy: free training, the living allowance.
pub const MONEY_GROUPS: [Group; 3] = [Group::Veteran, Group::Disabled, Group::PovertyMonitored];

/// Of a person's groups, those the amount rests on.
pub fn money_groups(groups: &[Group]) -> Vec<Group> {
    MONEY_GROUPS
        .into_iter()
        .filter(|g| groups.contains(g))
        .collect()
}

/// For the pre-check: each money group the person declared that awaits verification (not
/// met, and not a refusal: the estimate leaves it out until it is verified).
pub fn awaiting(pending: &[Group]) -> Vec<Verdict> {
    money_groups(pending)
        .into_iter()
        .map(|group| Verdict {
            rule: Rule::AwaitingVerification { group },
            ok: false,
        })
        .collect()
}

/// The group that makes a training free for the person, if any.
pub fn free_training_group(groups: &[Group]) -> Option<Group> {
    [Group::Veteran, Group::Disabled]
        .into_iter()
        .find(|g| groups.contains(g))
}

/// What a person would receive for a course before enrolling: the verdicts, the most they could
/// be paid (with a certificate and a job), and the living allowance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Estimate {
    pub verdicts: Vec<Verdict>,
    /// The most the person could be paid: the share for a certificate and a job (0 when a
    /// rule refuses it).
    pub subsidy: Yuan,
    /// The shares of the standard with a certificate and a job, and with a certificate only
    /// (equal for a special-ability certificate).
    pub employed_percent: u32,
    pub certified_percent: u32,
    pub living_allowance: Yuan,
    /// The fee is covered for the person (veterans, disabled people).
    pub free: bool,
}

impl Estimate {
    pub fn allowed(&self) -> bool {
        self.verdicts.iter().all(|v| v.ok)
    }
}

pub fn estimate(
    target: &OccupationLevel,
    certificate: CertificateType,
    standard: Yuan,
    hours: u32,
    groups: &[Group],
    history: &History,
    policy: &Policy,
) -> Estimate {
    let mut verdicts = Vec::new();
    if standard.is_zero() {
        verdicts.push(Verdict {
            rule: Rule::NoStandard,
            ok: false,
        });
    }
    verdicts.extend(history_checks(target, history, policy));
    let allowed = verdicts.iter().all(|v| v.ok);
    let free_group = free_training_group(groups);
    if let Some(group) = free_group {
        verdicts.push(Verdict {
            rule: Rule::FreeTraining { group },
            ok: true,
        });
    }
    let living_allowance = if groups.contains(&Group::PovertyMonitored) {
        let days = training_days(hours);
        verdicts.push(Verdict {
            rule: Rule::LivingAllowance {
                per_day: policy.living_allowance_per_day,
                days,
            },
            ok: true,
        });
        Yuan::from_fen(policy.living_allowance_per_day.fen() * i64::from(days))
    } else {
        Yuan::ZERO
    };
    let employed_percent = payout_percent(Some(certificate), true, policy);
    Estimate {
        subsidy: if allowed {
            share(standard, employed_percent)
        } else {
            Yuan::ZERO
        },
        employed_percent,
        certified_percent: payout_percent(Some(certificate), false, policy),
        living_allowance,
        free: free_group.is_some(),
        verdicts,
    }
}

/// Where a claim stands. Only `Rejected` frees the certificate for a new claim.
/// What the HR officer should look at twice beside a claim: signals, never refusals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Signal {
    /// The claimant's groups changed within 30 days before the claim.
    GroupsChangedRecently,
    /// Most of the days attended (two or more) were entered after the class had ended.
    AttendanceAfterTheEnd,
    /// The job that raised the share was recorded by the institution that trained.
    JobRecordedByTheInstitution,
}

/// Days before a claim within which a change of groups is flagged.
pub const GROUPS_CHANGED_DAYS: u64 = 30;

/// The facts the signals are read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignalFacts {
    pub claimed_on: NaiveDate,
    pub groups_changed_on: Option<NaiveDate>,
    pub class_end: NaiveDate,
    /// The (Beijing) date each attended day was entered.
    pub attendance_entered_on: Vec<NaiveDate>,
    /// A job that counts was recorded by the training institution's staff.
    pub job_by_institution: bool,
}

/// The signals beside a claim, in a fixed order.
pub fn signals(f: &SignalFacts) -> Vec<Signal> {
    let mut found = Vec::new();
    let recent = f
        .claimed_on
        .checked_sub_days(chrono::Days::new(GROUPS_CHANGED_DAYS));
    if f.groups_changed_on
        .is_some_and(|d| d <= f.claimed_on && recent.is_some_and(|r| d >= r))
    {
        found.push(Signal::GroupsChangedRecently);
    }
    let late = f
        .attendance_entered_on
        .iter()
        .filter(|&&d| d > f.class_end)
        .count();
    if late >= 2 && late * 2 > f.attendance_entered_on.len() {
        found.push(Signal::AttendanceAfterTheEnd);
    }
    if f.job_by_institution {
        found.push(Signal::JobRecordedByTheInstitution);
    }
    found
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ClaimStatus {
    Submitted,
    UnderReview,
    Approved,
    Paid,
    Rejected,
    /// Undone before it was paid: its certificate revoked, or stopped by a dispute. Final.
    Stopped,
}

impl ClaimStatus {
    pub const ALL: [ClaimStatus; 6] = [
        ClaimStatus::Submitted,
        ClaimStatus::UnderReview,
        ClaimStatus::Approved,
        ClaimStatus::Paid,
        ClaimStatus::Rejected,
        ClaimStatus::Stopped,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ClaimStatus::Submitted => "submitted",
            ClaimStatus::UnderReview => "under_review",
            ClaimStatus::Approved => "approved",
            ClaimStatus::Paid => "paid",
            ClaimStatus::Rejected => "rejected",
            ClaimStatus::Stopped => "stopped",
        }
    }

    pub fn from_code(code: &str) -> Option<ClaimStatus> {
        ClaimStatus::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// What an HR officer does with a claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Review {
    /// Take it up (submitted → under review).
    Start,
    Approve,
    /// Needs a reason, which the trainee sees.
    Reject,
}

/// Why a review step is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewRefusal {
    /// Not possible from the claim's present status.
    NotNow,
    /// A rejection without a reason.
    ReasonRequired,
    /// The claimant says the claim is not theirs ("这不是我") and HR has not resolved it yet:
    /// no money moves until it is.
    Disputed,
}

/// The review of a claim: submitted → under review → approved, or rejected (with a reason)
/// while not yet approved. An approved claim is then paid in a payment batch (`batches`);
/// rejected is final. While the claim is disputed it may be taken up or rejected, never
/// approved (nor gathered into a batch).
pub fn review(
    from: ClaimStatus,
    step: Review,
    reason: Option<&str>,
    disputed: bool,
) -> Result<ClaimStatus, ReviewRefusal> {
    use ClaimStatus::*;
    let open = matches!(from, Submitted | UnderReview);
    if disputed && step == Review::Approve {
        return Err(ReviewRefusal::Disputed);
    }
    match step {
        Review::Start if from == Submitted => Ok(UnderReview),
        Review::Approve if open => Ok(Approved),
        Review::Reject if open => {
            if reason.is_some_and(|r| !r.trim().is_empty()) {
                Ok(Rejected)
            } else {
                Err(ReviewRefusal::ReasonRequired)
            }
        }
        _ => Err(ReviewRefusal::NotNow),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ol(occupation: &str, level: Level) -> OccupationLevel {
        let kind = if level == Level::None {
            CertificateType::SpecialAbility
        } else {
            CertificateType::SkillLevel
        };
        OccupationLevel {
            occupation: occupation.into(),
            level,
            kind: Some(kind),
        }
    }

    #[test]
    fn only_groups_that_bring_money_are_said_to_await_verification() {
        let v = awaiting(&[
            Group::Youth,
            Group::PovertyMonitored,
            Group::Graduate,
            Group::Veteran,
        ]);
        let groups: Vec<Rule> = v.iter().map(|v| v.rule.clone()).collect();
        assert_eq!(
            groups,
            [
                Rule::AwaitingVerification {
                    group: Group::Veteran
                },
                Rule::AwaitingVerification {
                    group: Group::PovertyMonitored
                }
            ]
        );
        assert!(v.iter().all(|v| !v.ok));
        assert_eq!(
            money_groups(&[Group::Youth, Group::Disabled]),
            [Group::Disabled]
        );
    }

    #[test]
    fn without_a_level_the_same_occupation_and_type_is_subsidised_once() {
        let p = Policy::default();
        let chili = ol("火锅底料炒制工", Level::None);
        let history = History {
            subsidised: vec![chili.clone()],
            ..History::default()
        };
        let verdicts = history_checks(&chili, &history, &p);
        assert!(!verdicts[1].ok, "the same special ability again");
        let completion = OccupationLevel {
            kind: Some(CertificateType::Completion),
            ..chili.clone()
        };
        assert!(
            history_checks(&completion, &history, &p)[1].ok,
            "another type"
        );
        let other = ol("川菜烹饪", Level::None);
        assert!(
            history_checks(&other, &history, &p)[1].ok,
            "another occupation"
        );
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn a_day_counts_when_half_its_scheduled_hours_were_attended() {
        // 120 hours over 2030-03-01..04-30 (61 days): 2 hours a day, 1 hour is half.
        let per_day = scheduled_hours_per_day(120, date(2030, 3, 1), date(2030, 4, 30));
        assert_eq!(per_day, 2);
        assert_eq!(attended_days(&[2, 1, 0, 3], per_day), 3);
        // 40 hours over 5 days: 8 a day; 4 hours count, 3 do not.
        let per_day = scheduled_hours_per_day(40, date(2030, 3, 1), date(2030, 3, 5));
        assert_eq!(per_day, 8);
        assert_eq!(attended_days(&[8, 4, 3], per_day), 2);
        assert_eq!(attended_days(&[], per_day), 0);
        // A one-day class of 6 hours.
        assert_eq!(
            scheduled_hours_per_day(6, date(2030, 3, 1), date(2030, 3, 1)),
            6
        );
        let p = Policy::default();
        assert_eq!(living_allowance(3, &p), Yuan::from_fen(15_000));
    }

    #[test]
    fn signals_are_read_from_the_facts() {
        let facts = SignalFacts {
            claimed_on: date(2030, 5, 20),
            groups_changed_on: None,
            class_end: date(2030, 4, 30),
            attendance_entered_on: vec![date(2030, 3, 1), date(2030, 3, 2)],
            job_by_institution: false,
        };
        assert_eq!(signals(&facts), []);
        let changed = |d| SignalFacts {
            groups_changed_on: Some(d),
            ..facts.clone()
        };
        assert_eq!(
            signals(&changed(date(2030, 4, 20))),
            [Signal::GroupsChangedRecently]
        );
        assert_eq!(signals(&changed(date(2030, 4, 19))), []);
        let late = SignalFacts {
            attendance_entered_on: vec![date(2030, 3, 1), date(2030, 5, 2), date(2030, 5, 2)],
            ..facts.clone()
        };
        assert_eq!(signals(&late), [Signal::AttendanceAfterTheEnd]);
        let one_late = SignalFacts {
            attendance_entered_on: vec![date(2030, 5, 2)],
            ..facts.clone()
        };
        assert_eq!(
            signals(&one_late),
            [],
            "one day entered late is not a bulk entry"
        );
        let half = SignalFacts {
            attendance_entered_on: vec![
                date(2030, 3, 1),
                date(2030, 3, 2),
                date(2030, 5, 2),
                date(2030, 5, 2),
            ],
            ..facts.clone()
        };
        assert_eq!(signals(&half), [], "not most of them");
        let job = SignalFacts {
            job_by_institution: true,
            ..facts.clone()
        };
        assert_eq!(signals(&job), [Signal::JobRecordedByTheInstitution]);
    }

    #[test]
    fn a_top_up_pays_the_difference_of_the_shares() {
        let standard = Yuan::from_fen(120_000);
        assert_eq!(top_up(standard, 80, 100), Some(Yuan::from_fen(24_000)));
        assert_eq!(top_up(standard, 100, 100), None);
        assert_eq!(top_up(standard, 60, 60), None);
        assert_eq!(
            top_up(Yuan::from_fen(100_001), 80, 100),
            Some(Yuan::from_fen(20_001))
        );
    }

    #[test]
    fn a_job_counts_from_the_end_of_the_class_to_six_months_after_with_evidence() {
        let end = date(2030, 4, 30);
        assert!(job_counts(Some(end), end, true));
        assert!(job_counts(Some(date(2030, 10, 30)), end, true));
        assert!(!job_counts(Some(date(2030, 10, 31)), end, true));
        assert!(!job_counts(Some(date(2030, 4, 29)), end, true));
        assert!(!job_counts(Some(date(2030, 5, 10)), end, false));
        assert!(!job_counts(None, end, true));
    }

    #[test]
    fn payout_follows_the_outcome() {
        let p = Policy::default();
        assert_eq!(
            payout_percent(Some(CertificateType::SkillLevel), true, &p),
            100
        );
        assert_eq!(
            payout_percent(Some(CertificateType::SkillLevel), false, &p),
            80
        );
        assert_eq!(
            payout_percent(Some(CertificateType::SpecialAbility), true, &p),
            60
        );
        assert_eq!(payout_percent(None, true, &p), 0);
        assert_eq!(share(Yuan::from_fen(150_000), 80), Yuan::from_fen(120_000));
        assert_eq!(
            share(Yuan::from_fen(99), 60),
            Yuan::from_fen(59),
            "rounded down to the fen"
        );
    }

    #[test]
    fn a_city_may_change_the_numbers() {
        let p = Policy {
            certified_percent: 70,
            yearly_cap: 2,
            ..Policy::default()
        };
        assert_eq!(
            payout_percent(Some(CertificateType::Qualification), false, &p),
            70
        );
        let history = History {
            claims_this_year: 2,
            ..Default::default()
        };
        assert!(!history_checks(&ol("电工", Level::Level5), &history, &p)[0].ok);
    }

    #[test]
    fn three_a_year() {
        let p = Policy::default();
        let target = ol("电工", Level::Level5);
        for (used, ok) in [(0, true), (2, true), (3, false), (4, false)] {
            let history = History {
                claims_this_year: used,
                ..Default::default()
            };
            assert_eq!(history_checks(&target, &history, &p)[0].ok, ok, "{used}");
        }
    }

    #[test]
    fn the_same_occupation_and_level_once_ever() {
        let history = History {
            subsidised: vec![ol("电工", Level::Level5)],
            ..Default::default()
        };
        let p = Policy::default();
        assert!(!history_checks(&ol("电工", Level::Level5), &history, &p)[1].ok);
        assert!(
            history_checks(&ol("电工", Level::Level4), &history, &p)
                .iter()
                .all(|v| v.ok),
            "the next level is fine"
        );
        assert!(history_checks(&ol("焊工", Level::Level5), &history, &p)
            .iter()
            .all(|v| v.ok));
    }

    #[test]
    fn a_higher_level_held_or_subsidised_blocks_a_lower_one() {
        let p = Policy::default();
        let held = History {
            held: vec![ol("电工", Level::Level3)],
            ..Default::default()
        };
        assert!(!history_checks(&ol("电工", Level::Level4), &held, &p)[2].ok);
        assert!(history_checks(&ol("电工", Level::Level2), &held, &p)[2].ok);
        let subsidised = History {
            subsidised: vec![ol("电工", Level::Level2)],
            ..Default::default()
        };
        assert!(!history_checks(&ol("电工", Level::Level5), &subsidised, &p)[2].ok);
        // Courses without a level (completion training) are not ranked.
        assert!(history_checks(&ol("电工", Level::None), &held, &p)[2].ok);
    }

    #[test]
    fn claims_within_twelve_months() {
        let p = Policy::default();
        assert!(within_claim_window(
            date(2026, 1, 31),
            date(2027, 1, 31),
            &p
        ));
        assert!(!within_claim_window(
            date(2026, 1, 31),
            date(2027, 2, 1),
            &p
        ));
        assert!(within_claim_window(
            date(2024, 2, 29),
            date(2025, 2, 28),
            &p
        ));
    }

    #[test]
    fn the_estimate_says_why() {
        let p = Policy::default();
        let veteran = estimate(
            &ol("电工", Level::Level5),
            CertificateType::SkillLevel,
            Yuan::from_fen(100_000),
            120,
            &[Group::Veteran],
            &History::default(),
            &p,
        );
        assert!(veteran.allowed());
        assert_eq!(
            (veteran.employed_percent, veteran.certified_percent),
            (100, 80)
        );
        let special = estimate(
            &ol("电工", Level::Level5),
            CertificateType::SpecialAbility,
            Yuan::from_fen(100_000),
            120,
            &[],
            &History::default(),
            &p,
        );
        assert_eq!(
            special.subsidy,
            Yuan::from_fen(60_000),
            "special ability: 60 % at best"
        );
        assert_eq!(
            (special.employed_percent, special.certified_percent),
            (60, 60)
        );
        assert!(veteran.free);
        assert_eq!(veteran.subsidy, Yuan::from_fen(100_000));
        let poor = estimate(
            &ol("电工", Level::Level5),
            CertificateType::SkillLevel,
            Yuan::from_fen(100_000),
            120,
            &[Group::PovertyMonitored],
            &History::default(),
            &p,
        );
        assert_eq!(
            poor.living_allowance,
            Yuan::from_fen(15 * 5_000),
            "120 hours = 15 days at 50 yuan"
        );
        let capped = History {
            claims_this_year: 3,
            ..Default::default()
        };
        let refused = estimate(
            &ol("电工", Level::Level5),
            CertificateType::SkillLevel,
            Yuan::from_fen(100_000),
            120,
            &[],
            &capped,
            &p,
        );
        assert!(!refused.allowed());
        assert_eq!(refused.subsidy, Yuan::ZERO);
        let none = estimate(
            &ol("电工", Level::None),
            CertificateType::SkillLevel,
            Yuan::ZERO,
            40,
            &[],
            &History::default(),
            &p,
        );
        assert_eq!(
            none.verdicts[0],
            Verdict {
                rule: Rule::NoStandard,
                ok: false
            }
        );
    }
    #[test]
    fn a_claim_is_reviewed_in_order() {
        use ClaimStatus::*;
        assert_eq!(
            review(Submitted, Review::Start, None, false),
            Ok(UnderReview)
        );
        assert_eq!(
            review(Submitted, Review::Approve, None, false),
            Ok(Approved)
        );
        assert_eq!(
            review(UnderReview, Review::Approve, None, false),
            Ok(Approved)
        );
        for from in [UnderReview, Approved, Paid, Rejected] {
            assert_eq!(
                review(from, Review::Start, None, false),
                Err(ReviewRefusal::NotNow),
                "{from:?}"
            );
        }
        for from in [Approved, Paid, Rejected] {
            assert_eq!(
                review(from, Review::Approve, None, false),
                Err(ReviewRefusal::NotNow)
            );
            assert_eq!(
                review(from, Review::Reject, Some("x"), false),
                Err(ReviewRefusal::NotNow)
            );
        }
    }

    #[test]
    fn a_rejection_needs_a_reason() {
        use ClaimStatus::*;
        for from in [Submitted, UnderReview] {
            assert_eq!(
                review(from, Review::Reject, None, false),
                Err(ReviewRefusal::ReasonRequired)
            );
            assert_eq!(
                review(from, Review::Reject, Some("  "), false),
                Err(ReviewRefusal::ReasonRequired)
            );
            assert_eq!(
                review(from, Review::Reject, Some("证书与本人不符"), false),
                Ok(Rejected)
            );
        }
    }

    #[test]
    fn a_disputed_claim_is_never_approved() {
        use ClaimStatus::*;
        assert_eq!(
            review(Submitted, Review::Approve, None, true),
            Err(ReviewRefusal::Disputed)
        );
        assert_eq!(
            review(Submitted, Review::Start, None, true),
            Ok(UnderReview)
        );
        assert_eq!(
            review(UnderReview, Review::Reject, Some("冒名申领"), true),
            Ok(Rejected)
        );
    }

    #[test]
    fn claim_status_codes_round_trip() {
        for s in ClaimStatus::ALL {
            assert_eq!(ClaimStatus::from_code(s.code()), Some(s));
        }
        assert_eq!(ClaimStatus::from_code("eligible"), None);
    }
}
