//! The institution's console: its classes with their counts, each roster (masked numbers, every
//! read audited), and moving an enrolment on (status, attendance, employment). Staff act only on
//! their own institution's classes (the HR officer of the class's city may record employment
//! too); anything else is refused (403), never shown.

use super::rules::{self, Seat};
use super::service::{change, conflict, free_seat, parse_date, status_of};
use super::store::{self, EnrollmentRow};
use super::{ActorKind, ClassSummary, Employment, JobEvidence, Roster, RosterEntry, Status};
use crate::access::Actor;
use crate::audit::store::{record_write, Who, Write};
use crate::catalog::store::{self as courses, ClassRow};
use crate::error::{AppError, AppResult, FieldProblem};
use crate::identity::{mask_id, mask_phone};
use crate::list::{Page, Paging};
use crate::portal::Portal;
use crate::reference::Enumeration;
use crate::text::{checked, MAX_TEXT_CHARS};
use chrono::NaiveDate;

/// A job as the write trail keeps it.
fn describe_job(job: &Employment) -> String {
    if !job.employed {
        return "not employed".into();
    }
    let mut text = format!(
        "employed by {} since {}",
        job.employer.as_deref().unwrap_or("—"),
        job.since.map(|d| d.to_string()).unwrap_or_default()
    );
    if let (Some(kind), Some(reference)) = (job.evidence, job.evidence_ref.as_deref()) {
        text.push_str(&format!(" ({} {reference})", kind.code()));
    }
    text
}

/// Who may act on `row`: staff of its class's institution, and with `hr_too` the HR officer of
/// its city.
fn may_act_on(actor: &Actor, row: &EnrollmentRow, hr_too: bool) -> AppResult<()> {
    let institution = actor
        .institution()
        .is_ok_and(|code| code == row.institution_code);
    let city = hr_too && actor.city().is_ok_and(|city| city.code() == row.city);
    if institution || city {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// Staff who may act on some enrolment at all (checked before anything else is looked at).
fn staff(actor: &Actor, hr_too: bool) -> AppResult<()> {
    match actor.institution() {
        Ok(_) => Ok(()),
        Err(_) if hr_too => actor.city().map(|_| ()),
        Err(e) => Err(e),
    }
}

fn count(n: i64) -> u32 {
    u32::try_from(n).unwrap_or(0)
}

/// Roster counts for classes, from one grouped query however many classes there are.
async fn summaries(portal: &Portal, rows: Vec<ClassRow>) -> AppResult<Vec<ClassSummary>> {
    let codes: Vec<&str> = rows.iter().map(|r| r.code.as_str()).collect();
    let by = store::counts_by_status(&portal.db, &codes).await?;
    rows.into_iter()
        .map(|r| {
            let n = |s: Status| {
                count(
                    by.get(&(r.code.clone(), s.code().to_string()))
                        .copied()
                        .unwrap_or(0),
                )
            };
            Ok(ClassSummary {
                start_date: parse_date(&r.start_date)?,
                end_date: parse_date(&r.end_date)?,
                capacity: count(r.capacity),
                seats_left: count(r.capacity - r.seats_taken),
                approved: n(Status::Approved),
                waitlisted: n(Status::Waitlisted),
                in_training: n(Status::InTraining),
                completed: n(Status::Completed),
                dropped: n(Status::Dropped),
                code: r.code,
                title: r.title,
            })
        })
        .collect()
}

/// One page of the actor's institution's classes, soonest first, with roster counts.
pub async fn classes(
    portal: &Portal,
    actor: &Actor,
    paging: Paging,
) -> AppResult<Page<ClassSummary>> {
    let institution = actor.institution()?;
    let (rows, total) = courses::classes_of(&portal.db, institution, paging).await?;
    Ok(paging.of(summaries(portal, rows).await?, total))
}

/// One class's roster: everyone who enrolled, waiting list in order, identity numbers and
/// phones masked. Each person shown is written to the audit log (they see it in their export)
/// before anything is shown.
pub async fn roster(portal: &Portal, actor: &Actor, code: &str) -> AppResult<Roster> {
    let institution = actor.institution()?;
    let class = courses::class(&portal.db, code)
        .await?
        .ok_or(AppError::NotFound)?;
    if class.institution_code != institution {
        return Err(AppError::Forbidden);
    }
    let rows = store::roster(&portal.db, code).await?;
    let mut entries = Vec::with_capacity(rows.len());
    let mut subjects = Vec::with_capacity(rows.len());
    let mut position = 0;
    for r in rows {
        let status = status_of(&r.status)?;
        let waitlist_position = (status == Status::Waitlisted).then(|| {
            position += 1;
            position
        });
        let id_number = match &r.id_sealed {
            Some(sealed) => mask_id(&portal.vault.reveal(sealed)?),
            None => String::new(),
        };
        let phone = match &r.phone_sealed {
            Some(sealed) => mask_phone(&portal.vault.reveal(sealed)?),
            None => String::new(),
        };
        subjects.extend(r.user_id);
        entries.push(RosterEntry {
            id: r.id,
            name: r.name.unwrap_or_else(|| "—".into()),
            id_number,
            phone,
            status,
            waitlist_position,
            reason: r.reason,
            hours_attended: count(r.hours),
            employed: r.employed.map(|e| e != 0),
            employer: r.employer,
            employed_since: r.employed_since.as_deref().map(parse_date).transpose()?,
            employment_evidence: r
                .employment_evidence
                .as_deref()
                .and_then(JobEvidence::from_code),
        });
    }
    let at = portal.clock.stamp();
    crate::audit::store::record_reads(
        &portal.db,
        &at,
        actor.id,
        "roster_read",
        &subjects,
        Some(code),
    )
    .await?;
    let class = summaries(portal, vec![class]).await?.remove(0);
    Ok(Roster { class, entries })
}

/// Staff move an enrolment on: approve (from the waiting list, if a seat is free), reject
/// (with a reason; a held seat goes to the waiting list), in training, completed, dropped.
pub async fn change_status(
    portal: &Portal,
    actor: &Actor,
    id: i64,
    to: Status,
    reason: Option<&str>,
) -> AppResult<()> {
    staff(actor, false)?;
    let reason = checked("reason", reason, rules::reason_required(to), MAX_TEXT_CHARS)?;
    let (at, today) = (portal.clock.stamp(), portal.clock.today());
    let mut tx = portal.db.write_tx().await?;
    let row = store::load(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    may_act_on(actor, &row, false)?;
    let from = status_of(&row.status)?;
    let seat = rules::staff_transition(from, to).ok_or(conflict(FieldProblem::BadTransition))?;
    let (start, end) = (parse_date(&row.start_date)?, parse_date(&row.end_date)?);
    if let Some(date) = rules::too_early(to, start, end, today) {
        return Err(conflict(FieldProblem::NotBefore { date }));
    }
    let holds = match seat {
        Seat::Takes => {
            if !courses::take_seat(&mut tx, &row.course_code).await? {
                return Err(conflict(FieldProblem::NoSeat));
            }
            true
        }
        Seat::Frees => false,
        Seat::Keeps => row.holds_seat == 1,
    };
    let who = Who::of(&portal.vault, actor);
    let by = (ActorKind::Staff, &who);
    change(&mut tx, &at, &row, to, holds, reason.as_deref(), by).await?;
    if seat == Seat::Frees && row.holds_seat == 1 {
        free_seat(&mut tx, &at, &row.course_code, &row.title, start, today).await?;
    }
    tx.commit().await?;
    portal.catalog.seats_changed();
    Ok(())
}

/// Hours attended on one day of the class (1–12; from its start date to its end date, not in
/// the future); a second record for the same day replaces the first. Only for an admitted
/// enrolment.
pub async fn record_attendance(
    portal: &Portal,
    actor: &Actor,
    id: i64,
    day: NaiveDate,
    hours: u32,
) -> AppResult<()> {
    staff(actor, false)?;
    if !(1..=12).contains(&hours) {
        return Err(AppError::field(
            "hours",
            FieldProblem::OutOfRange { min: 1, max: 12 },
        ));
    }
    let (at, today) = (portal.clock.stamp(), portal.clock.today());
    let mut tx = portal.db.write_tx().await?;
    let row = store::load(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    may_act_on(actor, &row, false)?;
    let (start, end) = (parse_date(&row.start_date)?, parse_date(&row.end_date)?);
    if let Err((from, to)) = rules::attendance_day(day, start, end, today) {
        return Err(AppError::field(
            "date",
            FieldProblem::DateOutside { from, to },
        ));
    }
    if !matches!(
        status_of(&row.status)?,
        Status::Approved | Status::InTraining | Status::Completed
    ) {
        return Err(conflict(FieldProblem::BadTransition));
    }
    let before = store::attendance_on(&mut tx, id, day).await?;
    store::record_attendance(&mut tx, &at, id, day, hours, actor.id).await?;
    let write = Write {
        record: format!("enrollment:{id}"),
        action: "attendance",
        city: Some(&row.city),
        before: before.map(|h| format!("{day} {h}h")),
        after: Some(format!("{day} {hours}h")),
    };
    record_write(&mut tx, &at, &Who::of(&portal.vault, actor), &write).await?;
    tx.commit().await?;
    Ok(())
}

/// The employment outcome after training (institution staff, or the city's HR officer): the
/// employer and start date when employed (not in the future), and its evidence (type and
/// reference together, or neither). Who recorded it and when are kept with it.
pub async fn record_employment(
    portal: &Portal,
    actor: &Actor,
    id: i64,
    job: &Employment,
) -> AppResult<()> {
    staff(actor, true)?;
    let employed = job.employed;
    let employer = checked(
        "employer",
        job.employer.as_deref(),
        employed,
        MAX_TEXT_CHARS,
    )?;
    let evidence_ref = checked(
        "evidence_ref",
        job.evidence_ref.as_deref(),
        employed && job.evidence.is_some(),
        MAX_TEXT_CHARS,
    )?;
    if employed && job.since.is_none() {
        return Err(AppError::field("since", FieldProblem::Required));
    }
    if job.since.is_some_and(|d| d > portal.clock.today()) {
        return Err(AppError::field("since", FieldProblem::NotADate));
    }
    if employed && evidence_ref.is_some() && job.evidence.is_none() {
        return Err(AppError::field("evidence_type", FieldProblem::Required));
    }
    let job = Employment {
        employer,
        evidence_ref,
        ..job.clone()
    };
    let at = portal.clock.stamp();
    let mut tx = portal.db.write_tx().await?;
    let row = store::load(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    may_act_on(actor, &row, true)?;
    if !matches!(
        status_of(&row.status)?,
        Status::InTraining | Status::Completed | Status::Dropped
    ) {
        return Err(conflict(FieldProblem::BadTransition));
    }
    let before = store::employment_of(&mut tx, id)
        .await?
        .map(|j| describe_job(&j));
    store::record_employment(&mut tx, &at, id, &job, actor.id).await?;
    let write = Write {
        record: format!("enrollment:{id}"),
        action: "employment",
        city: Some(&row.city),
        before,
        after: Some(describe_job(&job)),
    };
    record_write(&mut tx, &at, &Who::of(&portal.vault, actor), &write).await?;
    tx.commit().await?;
    Ok(())
}
