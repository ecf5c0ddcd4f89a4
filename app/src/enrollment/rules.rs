//! Who may join a class, as pure functions: every rule checked, each with its verdict, so a
//! person sees exactly why ("退役军人适应性培训: 您是退役军人 ✓").
//!
//! - The class is open to everyone, or to one of the person's groups that counts (verified,
//!   where a document is needed). A person whose group awaits verification may apply: the
//!   application waits, holding no seat, and is decided when the group is (`awaits_verification`).
//! - The person's age on the class's start date is within its limits.
//! - Enrolment is open: not past the deadline, the class has not started.
//! - The person is not enrolled in this class already, and holds fewer than 3 active
//!   enrolments.
//! - Seats: a full class still takes enrolments, onto its waiting list.

use super::Status;
use crate::catalog::{Course, OpenTo};
use crate::identity::age_on;
use crate::reference::Group;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

pub const MAX_ACTIVE_ENROLMENTS: u32 = 3;

/// What the rules know of a person. An anonymous visitor has no enrolments.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Applicant {
    /// The groups that count (verified, or needing no document).
    pub groups: Vec<Group>,
    /// Groups declared that await the city's verification.
    pub pending_groups: Vec<Group>,
    pub birth_date: Option<NaiveDate>,
    pub active_enrolments: u32,
    pub enrolled_here: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum Check {
    OpenToAll,
    /// The class is for `wanted`; `matched` are the person's groups among them, `pending`
    /// those among them that await verification.
    Groups {
        wanted: Vec<Group>,
        matched: Vec<Group>,
        #[serde(default)]
        pending: Vec<Group>,
    },
    Age {
        min: Option<u8>,
        max: Option<u8>,
        age: Option<u32>,
    },
    Deadline {
        date: NaiveDate,
    },
    NotStarted {
        date: NaiveDate,
    },
    Seats {
        left: u32,
    },
    NotEnrolledHere,
    ActiveLimit {
        active: u32,
        max: u32,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    pub check: Check,
    pub ok: bool,
}

/// Every rule's verdict for `applicant` joining `course` on `today`.
pub fn check(course: &Course, applicant: &Applicant, today: NaiveDate) -> Vec<Finding> {
    let mut out = Vec::new();
    match &course.groups {
        OpenTo::All => out.push(Finding {
            check: Check::OpenToAll,
            ok: true,
        }),
        OpenTo::Groups(wanted) => {
            let matched: Vec<Group> = wanted
                .iter()
                .copied()
                .filter(|g| applicant.groups.contains(g))
                .collect();
            let pending: Vec<Group> = wanted
                .iter()
                .copied()
                .filter(|g| applicant.pending_groups.contains(g))
                .collect();
            out.push(Finding {
                ok: !matched.is_empty(),
                check: Check::Groups {
                    wanted: wanted.clone(),
                    matched,
                    pending,
                },
            });
        }
    }
    if course.min_age.is_some() || course.max_age.is_some() {
        let age = applicant.birth_date.map(|b| age_on(b, course.start_date));
        let ok = age.is_some_and(|a| {
            course.min_age.is_none_or(|min| a >= u32::from(min))
                && course.max_age.is_none_or(|max| a <= u32::from(max))
        });
        out.push(Finding {
            check: Check::Age {
                min: course.min_age,
                max: course.max_age,
                age,
            },
            ok,
        });
    }
    out.push(Finding {
        check: Check::Deadline {
            date: course.enroll_deadline,
        },
        ok: today <= course.enroll_deadline,
    });
    out.push(Finding {
        check: Check::NotStarted {
            date: course.start_date,
        },
        ok: today < course.start_date,
    });
    out.push(Finding {
        check: Check::Seats {
            left: course.seats_left,
        },
        ok: true,
    });
    out.push(Finding {
        check: Check::NotEnrolledHere,
        ok: !applicant.enrolled_here,
    });
    out.push(Finding {
        check: Check::ActiveLimit {
            active: applicant.active_enrolments,
            max: MAX_ACTIVE_ENROLMENTS,
        },
        ok: applicant.active_enrolments < MAX_ACTIVE_ENROLMENTS,
    });
    out
}

pub fn all_ok(findings: &[Finding]) -> bool {
    findings.iter().all(|f| f.ok)
}

/// Whether the only rule not met is the class's group, and one of the person's groups for it
/// awaits verification: the application may wait for it.
pub fn awaits_verification(findings: &[Finding]) -> bool {
    let mut refused = findings.iter().filter(|f| !f.ok).peekable();
    refused.peek().is_some()
        && refused.all(|f| matches!(&f.check, Check::Groups { pending, .. } if !pending.is_empty()))
}

/// What a change of status does to the class's seats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seat {
    Keeps,
    /// Needs a free seat (approving someone from the waiting list).
    Takes,
    /// Gives the seat back; the head of the waiting list gets it.
    Frees,
}

/// The changes an institution may make, and their effect on seats. Anything else is refused.
/// A rejection needs a reason (`reason_required`). An application waiting for a group's
/// verification is decided by the verification, never approved by the institution.
pub fn staff_transition(from: Status, to: Status) -> Option<Seat> {
    use Status::*;
    match (from, to) {
        (Waitlisted, Approved) => Some(Seat::Takes),
        (Applied | Waitlisted, Rejected) => Some(Seat::Keeps),
        (Approved, Rejected) => Some(Seat::Frees),
        (Approved, InTraining) => Some(Seat::Keeps),
        (InTraining, Completed | Dropped) => Some(Seat::Keeps),
        _ => None,
    }
}

/// The class's days: training starts on the start date at the earliest and ends on the end
/// date at the earliest. `Some(day)`: moving to `to` today is too early, not before `day`.
pub fn too_early(
    to: Status,
    start: NaiveDate,
    end: NaiveDate,
    today: NaiveDate,
) -> Option<NaiveDate> {
    let earliest = match to {
        Status::InTraining => start,
        Status::Completed => end,
        _ => return None,
    };
    (today < earliest).then_some(earliest)
}

/// Attendance is recorded for a day of the class that has come: from the start date to the
/// end date, and not after today. `Err((from, to))`: the days allowed (empty when the class
/// has not started).
pub fn attendance_day(
    day: NaiveDate,
    start: NaiveDate,
    end: NaiveDate,
    today: NaiveDate,
) -> Result<(), (NaiveDate, NaiveDate)> {
    let last = end.min(today);
    if day >= start && day <= last {
        Ok(())
    } else {
        Err((start, last))
    }
}

pub fn reason_required(to: Status) -> bool {
    to == Status::Rejected
}

/// A trainee may cancel an active enrolment before the class starts.
pub fn trainee_cancel(
    from: Status,
    start: NaiveDate,
    today: NaiveDate,
) -> Result<Seat, CancelRefusal> {
    match from {
        _ if today >= start && from.is_active() => Err(CancelRefusal::Started),
        Status::Applied | Status::Waitlisted => Ok(Seat::Keeps),
        Status::Approved => Ok(Seat::Frees),
        _ => Err(CancelRefusal::NotActive),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CancelRefusal {
    Started,
    NotActive,
}

#[cfg(test)]
mod tests {
    #[test]
    fn training_starts_on_the_start_date_and_completes_on_the_end_date() {
        let d = |m, day| NaiveDate::from_ymd_opt(2030, m, day).unwrap();
        let (start, end) = (d(3, 1), d(4, 30));
        assert_eq!(
            too_early(Status::InTraining, start, end, d(2, 28)),
            Some(start)
        );
        assert_eq!(too_early(Status::InTraining, start, end, start), None);
        assert_eq!(
            too_early(Status::Completed, start, end, d(4, 29)),
            Some(end)
        );
        assert_eq!(too_early(Status::Completed, start, end, end), None);
        assert_eq!(too_early(Status::Dropped, start, end, d(1, 1)), None);
        assert_eq!(too_early(Status::Approved, start, end, d(1, 1)), None);
    }

    #[test]
    fn attendance_is_for_a_day_of_the_class_that_has_come() {
        let d = |m, day| NaiveDate::from_ymd_opt(2030, m, day).unwrap();
        let (start, end) = (d(3, 1), d(4, 30));
        assert_eq!(attendance_day(d(3, 1), start, end, d(3, 5)), Ok(()));
        assert_eq!(attendance_day(d(3, 5), start, end, d(3, 5)), Ok(()));
        assert_eq!(
            attendance_day(d(2, 28), start, end, d(3, 5)),
            Err((start, d(3, 5)))
        );
        assert_eq!(
            attendance_day(d(3, 6), start, end, d(3, 5)),
            Err((start, d(3, 5)))
        );
        assert_eq!(attendance_day(d(4, 30), start, end, d(6, 1)), Ok(()));
        assert_eq!(
            attendance_day(d(5, 1), start, end, d(6, 1)),
            Err((start, end))
        );
    }

    use super::*;
    use crate::catalog::testing::sample_course;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn failing(course: &Course, a: &Applicant, today: NaiveDate) -> Vec<Check> {
        check(course, a, today)
            .into_iter()
            .filter(|f| !f.ok)
            .map(|f| f.check)
            .collect()
    }

    fn adult() -> Applicant {
        Applicant {
            birth_date: Some(date(1990, 3, 7)),
            ..Default::default()
        }
    }

    #[test]
    fn an_open_class_with_room_admits_an_adult() {
        let course = sample_course();
        assert!(all_ok(&check(&course, &adult(), date(2027, 1, 1))));
    }

    #[test]
    fn groups_decide_who_may_join() {
        let mut course = sample_course();
        course.groups = OpenTo::Groups(vec![Group::Veteran, Group::Disabled]);
        let findings = check(&course, &adult(), date(2027, 1, 1));
        assert_eq!(
            findings[0],
            Finding {
                check: Check::Groups {
                    wanted: vec![Group::Veteran, Group::Disabled],
                    matched: vec![],
                    pending: vec![]
                },
                ok: false
            }
        );
        assert!(!awaits_verification(&findings));
        let veteran = Applicant {
            groups: vec![Group::Veteran],
            ..adult()
        };
        assert!(check(&course, &veteran, date(2027, 1, 1))[0].ok);
    }

    #[test]
    fn a_group_awaiting_verification_lets_the_application_wait_and_nothing_else() {
        let mut course = sample_course();
        course.groups = OpenTo::Groups(vec![Group::Veteran]);
        let waiting = Applicant {
            pending_groups: vec![Group::Veteran, Group::PovertyMonitored],
            ..adult()
        };
        let findings = check(&course, &waiting, date(2027, 1, 1));
        assert_eq!(
            findings[0].check,
            Check::Groups {
                wanted: vec![Group::Veteran],
                matched: vec![],
                pending: vec![Group::Veteran]
            }
        );
        assert!(awaits_verification(&findings));
        // Past the deadline as well: refused, not waiting.
        let late = check(&course, &waiting, date(2027, 3, 2));
        assert!(!awaits_verification(&late));
        // Nothing refused: nothing to wait for.
        course.groups = OpenTo::All;
        assert!(!awaits_verification(&check(
            &course,
            &waiting,
            date(2027, 1, 1)
        )));
    }

    #[test]
    fn an_institution_never_approves_an_application_waiting_for_verification() {
        assert_eq!(staff_transition(Status::Applied, Status::Approved), None);
        assert_eq!(
            staff_transition(Status::Applied, Status::Rejected),
            Some(Seat::Keeps)
        );
        assert_eq!(
            staff_transition(Status::Waitlisted, Status::Approved),
            Some(Seat::Takes)
        );
    }

    #[test]
    fn age_is_taken_on_the_start_date() {
        let mut course = sample_course(); // starts 2027-03-01
        course.max_age = Some(36);
        // Born 1990-03-07: 36 on 2027-03-01, 37 a week later.
        assert!(failing(&course, &adult(), date(2027, 1, 1)).is_empty());
        course.start_date = date(2027, 3, 8);
        course.enroll_deadline = date(2027, 3, 8);
        assert_eq!(
            failing(&course, &adult(), date(2027, 1, 1)),
            [Check::Age {
                min: Some(18),
                max: Some(36),
                age: Some(37)
            }]
        );
        let unknown = Applicant {
            birth_date: None,
            ..adult()
        };
        assert!(
            !failing(&course, &unknown, date(2027, 1, 1)).is_empty(),
            "no birth date, no age check passes"
        );
    }

    #[test]
    fn deadline_and_start() {
        let course = sample_course(); // deadline and start 2027-03-01
        assert!(failing(&course, &adult(), date(2027, 2, 28)).is_empty());
        assert_eq!(
            failing(&course, &adult(), date(2027, 3, 2)),
            [
                Check::Deadline {
                    date: date(2027, 3, 1)
                },
                Check::NotStarted {
                    date: date(2027, 3, 1)
                }
            ]
        );
        assert_eq!(
            failing(&course, &adult(), date(2027, 3, 1)),
            [Check::NotStarted {
                date: date(2027, 3, 1)
            }]
        );
    }

    #[test]
    fn once_per_class_and_three_at_a_time() {
        let course = sample_course();
        let again = Applicant {
            enrolled_here: true,
            ..adult()
        };
        assert_eq!(
            failing(&course, &again, date(2027, 1, 1)),
            [Check::NotEnrolledHere]
        );
        let busy = Applicant {
            active_enrolments: 3,
            ..adult()
        };
        assert_eq!(
            failing(&course, &busy, date(2027, 1, 1)),
            [Check::ActiveLimit { active: 3, max: 3 }]
        );
        let two = Applicant {
            active_enrolments: 2,
            ..adult()
        };
        assert!(failing(&course, &two, date(2027, 1, 1)).is_empty());
    }

    #[test]
    fn a_full_class_is_not_a_refusal() {
        let mut course = sample_course();
        course.seats_left = 0;
        assert!(all_ok(&check(&course, &adult(), date(2027, 1, 1))));
    }
}

#[cfg(test)]
mod transitions {
    use super::*;
    use Status::*;

    #[test]
    fn staff_moves_a_class_forward() {
        assert_eq!(staff_transition(Waitlisted, Approved), Some(Seat::Takes));
        assert_eq!(staff_transition(Approved, Rejected), Some(Seat::Frees));
        assert_eq!(staff_transition(Waitlisted, Rejected), Some(Seat::Keeps));
        assert_eq!(staff_transition(Approved, InTraining), Some(Seat::Keeps));
        assert_eq!(staff_transition(InTraining, Completed), Some(Seat::Keeps));
        assert_eq!(staff_transition(InTraining, Dropped), Some(Seat::Keeps));
    }

    #[test]
    fn staff_cannot_skip_or_undo() {
        for (from, to) in [
            (Approved, Completed),
            (Waitlisted, InTraining),
            (Completed, InTraining),
            (Cancelled, Approved),
            (Rejected, Approved),
            (Dropped, InTraining),
            (Approved, Approved),
            (Approved, Cancelled),
            (Approved, Waitlisted),
        ] {
            assert_eq!(staff_transition(from, to), None, "{from:?} -> {to:?}");
        }
        assert!(reason_required(Rejected));
        assert!(!reason_required(Dropped));
    }

    #[test]
    fn a_trainee_cancels_before_the_start() {
        let start = NaiveDate::from_ymd_opt(2027, 3, 1).unwrap();
        let before = NaiveDate::from_ymd_opt(2027, 2, 28).unwrap();
        assert_eq!(trainee_cancel(Approved, start, before), Ok(Seat::Frees));
        assert_eq!(trainee_cancel(Waitlisted, start, before), Ok(Seat::Keeps));
        assert_eq!(
            trainee_cancel(Approved, start, start),
            Err(CancelRefusal::Started)
        );
        assert_eq!(
            trainee_cancel(Cancelled, start, before),
            Err(CancelRefusal::NotActive)
        );
        assert_eq!(
            trainee_cancel(Completed, start, before),
            Err(CancelRefusal::NotActive)
        );
    }
}
