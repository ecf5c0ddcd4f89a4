//! "这不是我": a person disputes a record in their name (another person's record is "not
//! found"); the HR officer of the record's city sees and resolves it.

use super::store::{self, NewDispute, Row};
use super::{Action, Dispute, DisputeKind};
use crate::access::Actor;
use crate::audit::store::{record_write, Who, Write};
use crate::certificate::service::revoke_in;
use crate::certificate::store as certificate_store;
use crate::enrollment::voiding;
use crate::error::{AppError, AppResult, FieldErrors, FieldProblem};
use crate::identity::mask_name;
use crate::inbox::{Kind, Notice};
use crate::list::{Page, Paging};
use crate::portal::Portal;
use crate::reference::{Enumeration, Level};
use crate::storage::WriteTx;
use crate::subsidy::recovery::{self, Cause, Undo};
use crate::subsidy::recovery_store;
use crate::text::{clipped, MAX_NOTE_CHARS};

fn conflict(field: &str, problem: FieldProblem) -> AppError {
    let mut fields = FieldErrors::default();
    fields.add(field, problem);
    AppError::Conflict(fields)
}

fn dispute_of(row: Row, with_claimant: bool) -> AppResult<Dispute> {
    Ok(Dispute {
        id: row.id,
        kind: DisputeKind::from_code(&row.kind)
            .ok_or_else(|| AppError::Internal(format!("unknown dispute kind {}", row.kind)))?,
        subject_id: row.subject_id,
        title: row.title,
        note: row.note,
        status: row.status,
        resolution: row.resolution,
        created_at: row.created_at,
        resolved_at: row.resolved_at,
        action: row.action,
        claimant: with_claimant.then(|| {
            row.name
                .as_deref()
                .map(mask_name)
                .unwrap_or_else(|| "—".into())
        }),
    })
}

/// The actor disputes one of the records in their name. One open dispute per record (409).
pub async fn file(
    portal: &Portal,
    actor: &Actor,
    kind: DisputeKind,
    subject_id: i64,
    note: Option<&str>,
) -> AppResult<Dispute> {
    let at = portal.clock.stamp();
    let mut tx = portal.db.write_tx().await?;
    let subject = match kind {
        DisputeKind::Enrollment => store::enrollment(&mut tx, actor.id, subject_id, false).await?,
        DisputeKind::Attendance => store::enrollment(&mut tx, actor.id, subject_id, true).await?,
        DisputeKind::Subsidy => {
            store::claim(&mut tx, actor.id, subject_id)
                .await?
                .map(|(city, occupation, level)| {
                    let level = Level::from_code(&level)
                        .map(|l| l.label(crate::i18n::Locale::zh_CN).to_string())
                        .unwrap_or(level);
                    (city, format!("{occupation}·{level}"))
                })
        }
    };
    let (city, title) = subject.ok_or(AppError::NotFound)?;
    if store::open(&mut tx, actor.id, kind, subject_id).await? {
        return Err(conflict("id", FieldProblem::AlreadyDisputed));
    }
    let note = clipped(note, MAX_NOTE_CHARS);
    let new = NewDispute {
        user: actor.id,
        kind,
        subject: subject_id,
        city: &city,
        title: &title,
        note: note.as_deref(),
    };
    let id = store::insert(&mut tx, &at, &new).await?;
    let write = Write {
        record: format!("dispute:{id}"),
        action: "dispute",
        city: Some(&city),
        before: None,
        after: Some(format!("open ({}:{subject_id})", kind.code())),
    };
    record_write(&mut tx, &at, &Who::of(&portal.vault, actor), &write).await?;
    tx.commit().await?;
    dispute_of(store::one(&portal.db, id).await?, false)
}

/// The actor's own disputes, newest first.
pub async fn mine(portal: &Portal, actor: &Actor) -> AppResult<Vec<Dispute>> {
    store::of_person(&portal.db, actor.id)
        .await?
        .into_iter()
        .map(|r| dispute_of(r, false))
        .collect()
}

/// One page of the disputes of the actor's city (an HR officer's), open ones first, oldest
/// first. The read is written to the audit log of each person whose dispute is shown.
pub async fn for_city(
    portal: &Portal,
    actor: &Actor,
    open_only: bool,
    paging: Paging,
) -> AppResult<Page<Dispute>> {
    let city = actor.city()?;
    let (rows, total) = store::of_city(&portal.db, city, open_only, paging).await?;
    let mut filers: Vec<i64> = rows.iter().filter_map(|r| r.user_id).collect();
    filers.sort_unstable();
    filers.dedup();
    let at = portal.clock.stamp();
    let detail = Some(city.code());
    crate::audit::store::record_reads(&portal.db, &at, actor.id, "disputes_read", &filers, detail)
        .await?;
    let items = rows
        .into_iter()
        .map(|r| dispute_of(r, true))
        .collect::<AppResult<Vec<_>>>()?;
    Ok(paging.of(items, total))
}

/// The HR officer resolves an open dispute of their city, saying what was done (required)
/// and doing it (`action`, see `Action`): all in one transaction, so either everything it
/// undoes is undone, the person is told and the institution too, or nothing is. Refused: another
/// city's (404), resolved already (409), an action with nothing to act on (409 on `action`).
pub async fn resolve(
    portal: &Portal,
    actor: &Actor,
    id: i64,
    resolution: Option<&str>,
    action: &Action,
) -> AppResult<Dispute> {
    let city = actor.city()?;
    let resolution = clipped(resolution, MAX_NOTE_CHARS)
        .ok_or_else(|| AppError::field("resolution", FieldProblem::Required))?;
    let (at, today) = (portal.clock.stamp(), portal.clock.today());
    let mut tx = portal.db.write_tx().await?;
    let d = store::for_resolution(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if d.city != city.code() {
        return Err(AppError::NotFound);
    }
    if !store::resolve(&mut tx, &at, id, &resolution, action.code(), actor.id).await? {
        return Err(conflict("status", FieldProblem::BadTransition));
    }
    let who = Who::of(&portal.vault, actor);
    let write = Write {
        record: format!("dispute:{id}"),
        action: "dispute",
        city: Some(&d.city),
        before: Some(d.status.clone()),
        after: Some(format!("resolved {} ({resolution})", action.code())),
    };
    record_write(&mut tx, &at, &who, &write).await?;
    if *action != Action::None {
        act(&mut tx, (&at, today), &who, &d, action, &resolution).await?;
    }
    let notice = Notice {
        kind: Kind::Dispute,
        subject: id,
        status: "resolved",
        title: &d.title,
        reason: Some(&resolution),
        position: None,
    };
    crate::inbox::store::notify(&mut tx, &at, d.user_id, &notice).await?;
    tx.commit().await?;
    if matches!(action, Action::VoidEnrollment) {
        portal.catalog.seats_changed();
    }
    dispute_of(store::one(&portal.db, id).await?, false)
}

/// Does what the resolution decided to the enrolment behind the dispute, and tells the
/// institution that ran the class.
async fn act(
    conn: &mut WriteTx,
    (at, today): (&str, chrono::NaiveDate),
    who: &Who,
    d: &store::ToResolve,
    action: &Action,
    reason: &str,
) -> AppResult<()> {
    let nothing = || conflict("action", FieldProblem::BadTransition);
    let kind = DisputeKind::from_code(&d.kind).ok_or_else(nothing)?;
    let enrollment = match kind {
        DisputeKind::Enrollment | DisputeKind::Attendance => Some(d.subject_id),
        DisputeKind::Subsidy => store::enrollment_of_claim(conn, d.subject_id).await?,
    };
    let row = match enrollment {
        Some(e) => crate::enrollment::store::load(conn, e).await?,
        None => None,
    }
    .ok_or_else(nothing)?;
    let certificate = match certificate_store::number_of_enrollment(conn, row.id).await? {
        Some(number) => certificate_store::to_change(conn, &number).await?,
        None => None,
    };
    let undo = |cause| Undo { cause, reason, who };
    match action {
        Action::None => {}
        Action::VoidEnrollment => {
            voiding::void(conn, at, who, &row, reason, today).await?;
            if let Some(c) = &certificate {
                let cause = Cause::EnrollmentVoided;
                revoke_in(conn, at, who, c, reason, cause).await?;
            }
        }
        Action::VoidAttendance(days) => {
            if voiding::void_attendance(conn, at, who, &row, days, reason).await? == 0 {
                return Err(AppError::field("dates", FieldProblem::NoAttendance));
            }
            if let Some(c) = &certificate {
                let claims = recovery_store::claims_of_certificate(conn, c.id).await?;
                recovery::undo(conn, at, &claims, &undo(Cause::AttendanceVoided)).await?;
            }
        }
        Action::StopClaim => {
            let claims = match (kind, &certificate) {
                (DisputeKind::Subsidy, _) => {
                    recovery_store::claim_and_top_ups(conn, d.subject_id).await?
                }
                (_, Some(c)) => recovery_store::claims_of_certificate(conn, c.id).await?,
                (_, None) => Vec::new(),
            };
            let done = recovery::undo(conn, at, &claims, &undo(Cause::ClaimStopped)).await?;
            if done.stopped + done.recoveries == 0 {
                return Err(nothing());
            }
        }
        Action::RevokeCertificate => {
            let c = certificate.as_ref().ok_or_else(nothing)?;
            if !revoke_in(conn, at, who, c, reason, Cause::CertificateRevoked).await? {
                return Err(nothing());
            }
        }
    }
    for staff in store::institution_staff(conn, &row.institution_code).await? {
        let notice = Notice {
            kind: Kind::Dispute,
            subject: row.id,
            status: action.code(),
            title: &row.title,
            reason: Some(reason),
            position: None,
        };
        crate::inbox::store::notify(conn, at, Some(staff), &notice).await?;
    }
    Ok(())
}
