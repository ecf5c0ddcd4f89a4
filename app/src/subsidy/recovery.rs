//! Undoing claims and recovering money (追回). When what a claim rested on is undone (its
//! certificate revoked, its enrolment or attendance voided, or a dispute stops it), every claim
//! on it not yet paid stops, and each paid one opens a recovery of what was paid: `due` until
//! the city's HR officer marks it recovered or waived, with a reason. The trainee sees it on
//! their claim and in the inbox; the institution on its console.

use super::recovery_store::{self as store, NewRecovery, Of, ToUndo};
use super::rules::ClaimStatus;
use super::service::{step, Step};
use super::{Recovery, RecoveryStatus};
use crate::access::{Actor, Role};
use crate::audit::store::{record_write, Who, Write};
use crate::error::{AppError, AppResult, FieldErrors, FieldProblem};
use crate::identity::mask_name;
use crate::inbox::{Kind, Notice};
use crate::list::{Page, Paging};
use crate::money::Yuan;
use crate::portal::Portal;
use crate::reference::{Enumeration, Level};
use crate::storage::{Conn, WriteTx};
use crate::text::{clipped, MAX_TEXT_CHARS};

/// What undid the claims.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cause {
    CertificateRevoked,
    EnrollmentVoided,
    AttendanceVoided,
    ClaimStopped,
}

impl Cause {
    pub fn code(self) -> &'static str {
        match self {
            Cause::CertificateRevoked => "certificate_revoked",
            Cause::EnrollmentVoided => "enrollment_voided",
            Cause::AttendanceVoided => "attendance_voided",
            Cause::ClaimStopped => "claim_stopped",
        }
    }
}

/// What was undone, why, and by whom.
pub struct Undo<'a> {
    pub cause: Cause,
    pub reason: &'a str,
    pub who: &'a Who,
}

/// How many claims an undo stopped, and how many recoveries it opened.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Undone {
    pub stopped: u32,
    pub recoveries: u32,
}

/// Undoes `claims` in the caller's transaction (see the module): unpaid ones stop, paid ones
/// open a recovery, rejected and stopped ones stay as they are. Each step is in the claim's
/// timeline, the write trail and the claimant's inbox. Nothing is taken twice: a claim is
/// stopped only from an open status, and a claim has at most one recovery.
pub async fn undo(
    conn: &mut WriteTx,
    at: &str,
    claims: &[ToUndo],
    u: &Undo<'_>,
) -> AppResult<Undone> {
    let mut done = Undone::default();
    for claim in claims {
        let Some(from) = ClaimStatus::from_code(&claim.status) else {
            continue;
        };
        match from {
            ClaimStatus::Submitted | ClaimStatus::UnderReview | ClaimStatus::Approved => {
                // An approved claim gathered into a batch not yet paid leaves it.
                super::payment::remove_from_batch(conn, at, claim.id, u.reason, u.who).await?;
                super::store::set_status(conn, at, claim.id, ClaimStatus::Stopped, Some(u.reason))
                    .await?;
                let stopped = Step {
                    claim: claim.id,
                    claimant: claim.user_id,
                    city: &claim.city,
                    from: Some(from),
                    to: ClaimStatus::Stopped,
                };
                step(conn, at, &stopped, u.who, Some(u.reason)).await?;
                done.stopped += 1;
            }
            ClaimStatus::Paid => {
                let new = NewRecovery {
                    claim,
                    cause: u.cause.code(),
                    reason: u.reason,
                    by: u.who.id,
                };
                let Some(id) = store::open(conn, at, &new).await? else {
                    continue;
                };
                let write = Write {
                    record: format!("recovery:{id}"),
                    action: "recovery_opened",
                    city: Some(&claim.city),
                    before: None,
                    after: Some(format!(
                        "due {} claim:{} ({})",
                        Yuan::from_fen(claim.amount_fen),
                        claim.id,
                        u.cause.code()
                    )),
                };
                record_write(conn, at, u.who, &write).await?;
                notify(conn, at, claim.id, claim.user_id, id, "due", Some(u.reason)).await?;
                done.recoveries += 1;
                metrics::counter!("peixun_recoveries_total", "status" => "due").increment(1);
            }
            ClaimStatus::Rejected | ClaimStatus::Stopped => {}
        }
    }
    Ok(done)
}

/// Tells the claimant of a recovery's step, named by the claim's occupation and level.
async fn notify(
    conn: &mut Conn,
    at: &str,
    claim: i64,
    claimant: Option<i64>,
    recovery: i64,
    status: &str,
    reason: Option<&str>,
) -> AppResult<()> {
    let (occupation, level) = super::store::claim_subject(conn, claim).await?;
    let level = Level::from_code(&level)
        .map(|l| l.label(crate::i18n::Locale::zh_CN).to_string())
        .unwrap_or(level);
    let title = format!("{occupation}·{level}");
    let notice = Notice {
        kind: Kind::Recovery,
        subject: recovery,
        status,
        title: &title,
        reason,
        position: None,
    };
    crate::inbox::store::notify(conn, at, claimant, &notice).await
}

fn recovery_of(r: store::Row) -> Recovery {
    Recovery {
        id: r.id,
        claim_id: r.claim_id,
        status: r.status,
        amount_yuan: Yuan::from_fen(r.amount_fen),
        cause: r.cause,
        reason: r.cause_reason,
        note: r.reason,
        claimant: r
            .name
            .as_deref()
            .map(mask_name)
            .unwrap_or_else(|| "—".into()),
        certificate_number: r.number,
        occupation: r.occupation,
        level: r.level,
        course: r.course_code,
        institution: r.institution,
        created_at: r.created_at,
        decided_at: r.decided_at,
        decided_by: r.decider.as_deref().map(mask_name),
    }
}

/// One page of the recoveries the actor's console shows: an HR officer's city's, an
/// institution's own classes', due ones first. The people shown are written to the audit log.
pub async fn list(
    portal: &Portal,
    actor: &Actor,
    status: Option<RecoveryStatus>,
    paging: Paging,
) -> AppResult<Page<Recovery>> {
    let of = match actor.role {
        Role::InstitutionStaff => Of::Institution(actor.institution()?),
        _ => Of::City(actor.city()?.code()),
    };
    let (rows, total) = store::list(&portal.db, of, status, paging).await?;
    let subjects: Vec<i64> = rows.iter().filter_map(|r| r.user_id).collect();
    let detail = match of {
        Of::City(code) | Of::Institution(code) => Some(code),
    };
    let at = portal.clock.stamp();
    crate::audit::store::record_reads(
        &portal.db,
        &at,
        actor.id,
        "recoveries_read",
        &subjects,
        detail,
    )
    .await?;
    Ok(paging.of(rows.into_iter().map(recovery_of).collect(), total))
}

/// The actor's own recoveries, by the claim they are of.
pub async fn of_person(portal: &Portal, actor: &Actor) -> AppResult<Vec<Recovery>> {
    let rows = store::of_person(&portal.db, actor.id).await?;
    Ok(rows.into_iter().map(recovery_of).collect())
}

/// The HR officer of the recovery's city marks it recovered or waived, saying why (required):
/// once (409 after), in one transaction with the write trail and the claimant's inbox.
/// Another city's is "not found".
pub async fn decide(
    portal: &Portal,
    actor: &Actor,
    id: i64,
    to: &str,
    note: Option<&str>,
) -> AppResult<Recovery> {
    let city = actor.city()?;
    let to = match RecoveryStatus::from_code(to) {
        Some(s @ (RecoveryStatus::Recovered | RecoveryStatus::Waived)) => s,
        _ => return Err(AppError::field("status", FieldProblem::UnknownCode)),
    };
    let note = clipped(note, MAX_TEXT_CHARS)
        .ok_or_else(|| AppError::field("reason", FieldProblem::Required))?;
    let at = portal.clock.stamp();
    let mut tx = portal.db.write_tx().await?;
    let (status, recovery_city, claimant, claim) = store::for_decision(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if recovery_city != city.code() {
        return Err(AppError::NotFound);
    }
    if !store::decide(&mut tx, &at, id, to, &note, actor.id).await? {
        let mut fields = FieldErrors::default();
        fields.add("status", FieldProblem::BadTransition);
        return Err(AppError::Conflict(fields));
    }
    let write = Write {
        record: format!("recovery:{id}"),
        action: "recovery",
        city: Some(&recovery_city),
        before: Some(status),
        after: Some(format!("{} ({note})", to.code())),
    };
    record_write(&mut tx, &at, &Who::of(&portal.vault, actor), &write).await?;
    notify(&mut tx, &at, claim, claimant, id, to.code(), Some(&note)).await?;
    tx.commit().await?;
    metrics::counter!("peixun_recoveries_total", "status" => to.code()).increment(1);
    Ok(recovery_of(store::one(&portal.db, id).await?))
}
