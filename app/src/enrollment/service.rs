//! A trainee's enrolments: enrolling (a seat while seats last, else the waiting list),
//! cancelling, and the list with each timeline. The institution's side is `console`.
//!
//! **How a seat is never sold twice.** Every change that takes or frees a seat runs in one
//! write transaction (`Db::write_tx`) whose writer lock is taken before it reads anything —
//! SQLite's single write lock (`BEGIN IMMEDIATE`), or on PostgreSQL an advisory lock shared by
//! every instance — so two enrolments never interleave, whichever instances they reach; the
//! second waits and then sees the first one's result. Inside, a seat is taken only by the
//! conditional `UPDATE courses SET seats_taken = seats_taken + 1 WHERE … seats_taken <
//! capacity` (`catalog::store::take_seat`); when it changes no row the class is full and the
//! person joins the waiting list. The CHECK on `courses.seats_taken` and the partial unique
//! index `enrollments_one_active` are the database's own backstops. A freed seat goes to the
//! head of the waiting list in the same transaction (`free_seat`).

use super::rules::{self, Applicant, CancelRefusal, Seat};
use super::store::{self, EnrollmentRow, Event};
use super::{verdicts, ActorKind, Enrolled, Enrollment, Status, TimelineEvent};
use crate::access::Actor;
use crate::accounts::vault::Vault;
use crate::audit::store::{Who, Write};
use crate::catalog::store as courses;
use crate::error::{AppError, AppResult, FieldErrors, FieldProblem};
use crate::inbox::{Kind, Notice};
use crate::portal::Portal;
use crate::storage::{Conn, WriteTx};
use chrono::NaiveDate;
use std::collections::HashMap;

/// A refusal because of the enrolment's status (409 on `status`).
pub(super) fn conflict(problem: FieldProblem) -> AppError {
    let mut fields = FieldErrors::default();
    fields.add("status", problem);
    AppError::Conflict(fields)
}

pub(super) fn parse_date(text: &str) -> AppResult<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| AppError::Internal(format!("bad date in the database: {text}")))
}

pub(super) fn status_of(code: &str) -> AppResult<Status> {
    Status::from_code(code)
        .ok_or_else(|| AppError::Internal(format!("unknown status in the database: {code}")))
}

/// What the rules need to know of a signed-in person about `course` (their groups that count
/// and those awaiting verification, birth date and active enrolments), read inside `conn`'s
/// transaction.
pub async fn applicant(
    conn: &mut Conn,
    vault: &Vault,
    user_id: i64,
    course: &str,
) -> AppResult<Applicant> {
    let birth = crate::accounts::store::birth_date(conn, user_id)
        .await?
        .ok_or(AppError::Unauthorized)?;
    let groups = crate::groups::store::held(conn, vault, user_id).await?;
    let (active, here) = store::active_counts(conn, user_id, course).await?;
    Ok(Applicant {
        groups: groups.counting,
        pending_groups: groups.pending,
        birth_date: birth.as_deref().map(parse_date).transpose()?,
        active_enrolments: u32::try_from(active).unwrap_or(u32::MAX),
        enrolled_here: here > 0,
    })
}

/// An enrolment's new status, its timeline step, the write trail's entry and the person's
/// message, together.
pub(super) async fn change(
    conn: &mut WriteTx,
    at: &str,
    row: &EnrollmentRow,
    to: Status,
    holds_seat: bool,
    reason: Option<&str>,
    by: (ActorKind, &Who),
) -> AppResult<()> {
    store::set_status(conn, at, row.id, to, holds_seat, reason).await?;
    let event = Event {
        enrollment: row.id,
        status: to,
        actor: by.0,
        actor_id: by.1.id,
        reason,
    };
    store::record(conn, at, &event).await?;
    status_written(conn, at, by.1, row, Some(&row.status), to).await?;
    let notice = Notice {
        kind: Kind::Enrollment,
        subject: row.id,
        status: to.code(),
        title: &row.title,
        reason,
        position: None,
    };
    crate::inbox::store::notify(conn, at, row.user_id, &notice).await
}

/// The write trail's entry for an enrolment's status.
pub(super) async fn status_written(
    conn: &mut WriteTx,
    at: &str,
    who: &Who,
    row: &EnrollmentRow,
    from: Option<&str>,
    to: Status,
) -> AppResult<()> {
    let write = Write {
        record: format!("enrollment:{}", row.id),
        action: "status",
        city: Some(&row.city),
        before: from.map(str::to_string),
        after: Some(to.code().to_string()),
    };
    crate::audit::store::record_write(conn, at, who, &write).await
}

/// Gives a seat of `course` back and, before the class starts, hands it to the head of the
/// waiting list (approved by the portal itself, and told).
pub(super) async fn free_seat(
    conn: &mut WriteTx,
    at: &str,
    course: &str,
    title: &str,
    start: NaiveDate,
    today: NaiveDate,
) -> AppResult<()> {
    courses::give_back_seat(conn, course).await?;
    if today < start {
        promote_head(conn, at, course, title).await?;
    }
    Ok(())
}

/// Fills the free seats of `course` from its waiting list, first come first served, before the
/// class starts (inside the caller's write transaction: a re-import that raised the capacity,
/// so the waiting list gets the new seats before any new enrolment can). How many moved up.
pub async fn promote_waiting(
    conn: &mut WriteTx,
    at: &str,
    course: &str,
    title: &str,
    start: NaiveDate,
    today: NaiveDate,
) -> AppResult<u32> {
    let mut promoted = 0;
    while today < start && promote_head(conn, at, course, title).await? {
        promoted += 1;
    }
    Ok(promoted)
}

/// Gives a free seat of `course` to the head of its waiting list; false when there is no one
/// waiting or no seat free.
async fn promote_head(conn: &mut WriteTx, at: &str, course: &str, title: &str) -> AppResult<bool> {
    let Some((id, user)) = store::head_of_waitlist(conn, course).await? else {
        return Ok(false);
    };
    if !courses::take_seat(conn, course).await? {
        return Ok(false);
    }
    store::set_status(conn, at, id, Status::Approved, true, None).await?;
    let event = Event {
        enrollment: id,
        status: Status::Approved,
        actor: ActorKind::System,
        actor_id: None,
        reason: None,
    };
    store::record(conn, at, &event).await?;
    if let Some(row) = store::load(conn, id).await? {
        let from = Some(Status::Waitlisted.code());
        status_written(conn, at, &Who::portal(), &row, from, Status::Approved).await?;
    }
    let notice = Notice {
        kind: Kind::Enrollment,
        subject: id,
        status: Status::Approved.code(),
        title,
        reason: None,
        position: None,
    };
    crate::inbox::store::notify(conn, at, user, &notice).await?;
    Ok(true)
}

/// Enrols the actor (a trainee; 403 for anyone else) in `code`: approved while seats last,
/// otherwise on the waiting list. 409 when already enrolled there; 422 with every rule when a
/// rule refuses.
pub async fn enroll(portal: &Portal, actor: &Actor, code: &str) -> AppResult<Enrolled> {
    let user_id = actor.trainee()?;
    // Read from the store, not `catalog::service` (which promotes waiting lists on import).
    let course = {
        let mut conn = portal.db.pool().acquire().await?;
        courses::one(&mut conn, code)
            .await?
            .ok_or(AppError::NotFound)?
    };
    let at = portal.clock.stamp();
    let mut tx = portal.db.write_tx().await?;
    let applicant = applicant(&mut tx, &portal.vault, user_id, code).await?;
    if applicant.enrolled_here {
        return Err(conflict(FieldProblem::AlreadyEnrolled));
    }
    let findings = rules::check(&course, &applicant, portal.clock.today());
    // A group awaiting verification: the application waits, holding no seat (`decide_waiting`).
    let waits = rules::awaits_verification(&findings);
    if !rules::all_ok(&findings) && !waits {
        return Err(AppError::NotEligible(verdicts(&findings)));
    }
    let seated = !waits && courses::take_seat(&mut tx, code).await?;
    let status = match (waits, seated) {
        (true, _) => Status::Applied,
        (false, true) => Status::Approved,
        (false, false) => Status::Waitlisted,
    };
    let id = store::insert(&mut tx, &at, user_id, code, status, seated)
        .await?
        .ok_or_else(|| conflict(FieldProblem::AlreadyEnrolled))?;
    let event = Event {
        enrollment: id,
        status,
        actor: ActorKind::Trainee,
        actor_id: Some(user_id),
        reason: None,
    };
    store::record(&mut tx, &at, &event).await?;
    if let Some(row) = store::load(&mut tx, id).await? {
        let who = Who::of(&portal.vault, actor);
        status_written(&mut tx, &at, &who, &row, None, status).await?;
    }
    let position = if status == Status::Waitlisted {
        Some(store::waitlist_position(&mut tx, code, id).await?)
    } else {
        None
    };
    let notice = Notice {
        kind: Kind::Enrollment,
        subject: id,
        status: status.code(),
        title: &course.title,
        reason: None,
        position,
    };
    crate::inbox::store::notify(&mut tx, &at, Some(user_id), &notice).await?;
    tx.commit().await?;
    portal.catalog.seats_changed();
    metrics::counter!("peixun_enrolments_total", "status" => status.code()).increment(1);
    Ok(Enrolled {
        id,
        status,
        waitlist_position: position,
    })
}

/// Decides every application of `user` that waited for a group's verification, as a new
/// enrolment would be decided now (inside the caller's transaction, after the group's
/// decision or the person's change of groups): a seat while seats last, else the waiting
/// list; refused with the rule's words when a rule refuses; still waiting while another of
/// the person's groups for the class awaits verification. True when a seat was taken.
pub async fn decide_waiting(
    conn: &mut WriteTx,
    vault: &Vault,
    at: &str,
    today: NaiveDate,
    user: i64,
    who: &Who,
) -> AppResult<bool> {
    let mut seats = false;
    for id in store::applied_ids(conn, user).await? {
        let Some(row) = store::load(conn, id).await? else {
            continue;
        };
        let Some(course) = courses::one(conn, &row.course_code).await? else {
            continue;
        };
        let mut person = applicant(conn, vault, user, &row.course_code).await?;
        // Judged as if it were new: this application is not one held already.
        person.enrolled_here = false;
        person.active_enrolments = person.active_enrolments.saturating_sub(1);
        let findings = rules::check(&course, &person, today);
        if rules::awaits_verification(&findings) {
            continue;
        }
        if !rules::all_ok(&findings) {
            let reason = refusal_words(&findings);
            let by = (ActorKind::System, who);
            change(conn, at, &row, Status::Rejected, false, Some(&reason), by).await?;
            continue;
        }
        let seated = courses::take_seat(conn, &row.course_code).await?;
        seats |= seated;
        let to = if seated {
            Status::Approved
        } else {
            Status::Waitlisted
        };
        store::set_status(conn, at, id, to, seated, None).await?;
        let event = Event {
            enrollment: id,
            status: to,
            actor: ActorKind::System,
            actor_id: None,
            reason: None,
        };
        store::record(conn, at, &event).await?;
        status_written(conn, at, who, &row, Some(&row.status), to).await?;
        let position = if seated {
            None
        } else {
            Some(store::waitlist_position(conn, &row.course_code, id).await?)
        };
        let notice = Notice {
            kind: Kind::Enrollment,
            subject: id,
            status: to.code(),
            title: &row.title,
            reason: None,
            position,
        };
        crate::inbox::store::notify(conn, at, Some(user), &notice).await?;
    }
    Ok(seats)
}

/// Why a waiting application is refused, in both languages (kept as the enrolment's reason).
fn refusal_words(findings: &[rules::Finding]) -> String {
    use crate::i18n::Locale;
    let words = |locale| {
        findings
            .iter()
            .filter(|f| !f.ok)
            .map(|f| match &f.check {
                rules::Check::Groups { .. } => super::group_not_verified(locale).to_string(),
                other => super::describe(other, false, locale),
            })
            .collect::<Vec<_>>()
            .join("；")
    };
    format!("{} / {}", words(Locale::zh_CN), words(Locale::en))
}

/// The actor cancels one of their enrolments before the class starts; a seat they held goes
/// to the head of the waiting list in the same transaction. Another person's enrolment is
/// "not found".
pub async fn cancel(portal: &Portal, actor: &Actor, id: i64) -> AppResult<Enrollment> {
    let (at, today) = (portal.clock.stamp(), portal.clock.today());
    let mut tx = portal.db.write_tx().await?;
    let row = store::load(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    if row.user_id != Some(actor.id) {
        return Err(AppError::NotFound);
    }
    let start = parse_date(&row.start_date)?;
    let seat = match rules::trainee_cancel(status_of(&row.status)?, start, today) {
        Ok(seat) => seat,
        Err(CancelRefusal::Started) => return Err(conflict(FieldProblem::ClassStarted)),
        Err(CancelRefusal::NotActive) => return Err(conflict(FieldProblem::BadTransition)),
    };
    let who = Who::of(&portal.vault, actor);
    change(
        &mut tx,
        &at,
        &row,
        Status::Cancelled,
        false,
        None,
        (ActorKind::Trainee, &who),
    )
    .await?;
    if seat == Seat::Frees && row.holds_seat == 1 {
        free_seat(&mut tx, &at, &row.course_code, &row.title, start, today).await?;
    }
    tx.commit().await?;
    portal.catalog.seats_changed();
    mine(portal, actor)
        .await?
        .into_iter()
        .find(|e| e.id == id)
        .ok_or(AppError::NotFound)
}

/// Ends every active enrolment of a person whose account is being deleted (inside the
/// deletion's transaction), giving their seats to the waiting lists.
pub async fn withdraw_all(
    conn: &mut WriteTx,
    who: &Who,
    user_id: i64,
    today: NaiveDate,
    at: &str,
) -> AppResult<()> {
    for id in store::active_ids(conn, user_id).await? {
        let Some(row) = store::load(conn, id).await? else {
            continue;
        };
        let to = if status_of(&row.status)? == Status::InTraining {
            Status::Dropped
        } else {
            Status::Cancelled
        };
        let keeps = to == Status::Dropped && row.holds_seat == 1;
        change(conn, at, &row, to, keeps, None, (ActorKind::Trainee, who)).await?;
        if to == Status::Cancelled && row.holds_seat == 1 {
            let start = parse_date(&row.start_date)?;
            free_seat(conn, at, &row.course_code, &row.title, start, today).await?;
        }
    }
    Ok(())
}

/// The actor's enrolments, newest first, each with its timeline.
pub async fn mine(portal: &Portal, actor: &Actor) -> AppResult<Vec<Enrollment>> {
    let rows = store::of_person(&portal.db, actor.id).await?;
    let mut timelines: HashMap<i64, Vec<TimelineEvent>> = HashMap::new();
    for (id, at, status, by, reason) in store::events_of_person(&portal.db, actor.id).await? {
        timelines.entry(id).or_default().push(TimelineEvent {
            at,
            status: status_of(&status)?,
            actor: ActorKind::from_code(&by),
            reason,
        });
    }
    let today = portal.clock.today();
    rows.into_iter()
        .map(|r| {
            let status = status_of(&r.status)?;
            let start_date = parse_date(&r.start_date)?;
            Ok(Enrollment {
                can_cancel: rules::trainee_cancel(status, start_date, today).is_ok(),
                id: r.id,
                course: r.course_code,
                course_title: r.title,
                institution: r.institution,
                start_date,
                end_date: parse_date(&r.end_date)?,
                status,
                waitlist_position: r.position.and_then(|p| u32::try_from(p).ok()),
                reason: r.reason,
                hours_attended: u32::try_from(r.hours).unwrap_or(0),
                created_at: r.created_at,
                timeline: timelines.remove(&r.id).unwrap_or_default(),
            })
        })
        .collect()
}

/// The actor's active enrolment in `code`, if any.
pub async fn active_in(
    portal: &Portal,
    actor: &Actor,
    code: &str,
) -> AppResult<Option<Enrollment>> {
    Ok(mine(portal, actor)
        .await?
        .into_iter()
        .find(|e| e.course == code && e.status.is_active()))
}
