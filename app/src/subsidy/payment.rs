//! Paying claims (see `batches` for the rules): the HR officer's batches of their city's
//! approved claims, each download for finance audited, marked paid with the day and finance's
//! reference; and bank returns (退票). The payee is `payee_service`'s, the budget `budget`'s.
//!
//! Nothing is paid twice: every step runs in the database's one write transaction
//! (`Db::write_tx`), a claim joins a batch only while it is approved and in none (checked by
//! the `UPDATE` itself), and a batch is marked paid only while it is open.

use super::batch_store::{self as store, Candidate, Leaving};
use super::batches::{self, BatchItem, NotBatchable, PaymentBatch};
use super::payee;
use super::rules::ClaimStatus;
use super::service::{step, step_named, Step};
use crate::access::Actor;
use crate::audit::store::{record_write, Who, Write};
use crate::error::{AppError, AppResult, FieldProblem};
use crate::identity::{mask_id, mask_name};
use crate::list::{Page, Paging};
use crate::money::Yuan;
use crate::portal::Portal;
use crate::reference::{City, Enumeration};
use crate::storage::{Conn, WriteTx};
use crate::text::{checked, MAX_TEXT_CHARS};
use chrono::NaiveDate;

/// The most claims one request may name for a batch.
pub const MAX_BATCH_CLAIMS: usize = 1000;

/// Gathers claims of the officer's city into a new batch (in the caller's transaction): the
/// ones named (another city's or unknown: 404; any that cannot join: 409 naming them), or
/// with `None` every approved one that can (409 when none can).
async fn gather_in(
    conn: &mut WriteTx,
    at: &str,
    who: &Who,
    city: City,
    claims: Option<&[i64]>,
) -> AppResult<i64> {
    let chosen: Vec<Candidate> = match claims {
        Some(ids) => {
            let mut found = Vec::with_capacity(ids.len());
            let mut refused = Vec::new();
            for &id in ids {
                let c = store::candidate(conn, id)
                    .await?
                    .filter(|c| c.city == city.code())
                    .ok_or(AppError::NotFound)?;
                if found.iter().any(|f: &Candidate| f.id == id) {
                    continue;
                }
                match verdict(&c) {
                    Ok(()) => found.push(c),
                    Err(_) => refused.push(id.to_string()),
                }
            }
            if !refused.is_empty() {
                let claims = refused.join(", ");
                return Err(AppError::conflict(
                    "claims",
                    FieldProblem::NotBatchable { claims },
                ));
            }
            found
        }
        None => store::approved_unbatched(conn, city.code())
            .await?
            .into_iter()
            .filter(|c| verdict(c).is_ok())
            .collect(),
    };
    if chosen.is_empty() {
        return Err(AppError::conflict("claims", FieldProblem::NothingToBatch));
    }
    let batch = store::create(conn, at, city.code(), who.id).await?;
    let mut total = 0;
    for c in &chosen {
        let payee = c.payee().ok_or(AppError::NotFound)?;
        if !store::add(conn, batch, c.id, c.amount_fen, &payee).await? {
            let claims = c.id.to_string();
            return Err(AppError::conflict(
                "claims",
                FieldProblem::NotBatchable { claims },
            ));
        }
        total += c.amount_fen;
    }
    let write = Write {
        record: format!("payment_batch:{batch}"),
        action: "payment_batch",
        city: Some(city.code()),
        before: None,
        after: Some(format!(
            "open {} claims {}",
            chosen.len(),
            Yuan::from_fen(total)
        )),
    };
    record_write(conn, at, who, &write).await?;
    Ok(batch)
}

fn verdict(c: &Candidate) -> Result<(), NotBatchable> {
    batches::batchable(
        &c.status,
        c.batch_id.is_some(),
        c.disputed != 0,
        c.payee().is_some(),
    )
}

/// The HR officer gathers claims of their city into a batch (see `gather_in`).
pub async fn gather(
    portal: &Portal,
    actor: &Actor,
    claims: Option<&[i64]>,
) -> AppResult<PaymentBatch> {
    let city = actor.city()?;
    if let Some(ids) = claims {
        if ids.is_empty() {
            return Err(AppError::field("claims", FieldProblem::Required));
        }
        if ids.len() > MAX_BATCH_CLAIMS {
            let max = MAX_BATCH_CLAIMS;
            return Err(AppError::field("claims", FieldProblem::TooLong { max }));
        }
    }
    let at = portal.clock.stamp();
    let mut tx = portal.db.write_tx().await?;
    let id = gather_in(&mut tx, &at, &Who::of(&portal.vault, actor), city, claims).await?;
    tx.commit().await?;
    one(portal, actor, id, false).await
}

fn batch_of(row: store::BatchRow, items: Vec<BatchItem>) -> PaymentBatch {
    PaymentBatch {
        id: row.id,
        city: row.city,
        status: row.status,
        claims_count: u32::try_from(row.claims_count).unwrap_or(0),
        total_yuan: Yuan::from_fen(row.total_fen),
        created_at: row.created_at,
        created_by: row.created_by.as_deref().map(mask_name),
        paid_on: row.paid_on,
        reference: row.reference,
        paid_at: row.paid_at,
        paid_by: row.paid_by.as_deref().map(mask_name),
        items,
    }
}

/// One page of the officer's city's batches, newest first.
pub async fn list(portal: &Portal, actor: &Actor, paging: Paging) -> AppResult<Page<PaymentBatch>> {
    let city = actor.city()?;
    let (rows, total) = store::list(&portal.db, city.code(), paging).await?;
    let items = rows.into_iter().map(|r| batch_of(r, Vec::new())).collect();
    Ok(paging.of(items, total))
}

/// One batch of the officer's city with its claims: masked, or with `reveal` in full for
/// finance (the claimants are written to the audit log as read). Another city's: 404.
pub async fn one(portal: &Portal, actor: &Actor, id: i64, reveal: bool) -> AppResult<PaymentBatch> {
    let city = actor.city()?;
    let mut conn = portal.db.pool().acquire().await?;
    let row = store::one(&mut conn, id)
        .await?
        .filter(|b| b.city == city.code())
        .ok_or(AppError::NotFound)?;
    let rows = store::items(&mut conn, id).await?;
    drop(conn);
    let vault = &portal.vault;
    let mut items = Vec::with_capacity(rows.len());
    let mut people = Vec::new();
    for r in rows {
        let institution = &r.institution;
        let shown = payee::view(
            vault,
            Some(&r.payee_kind),
            r.payee_bank.as_deref(),
            r.payee_account_sealed.as_deref(),
            institution,
            reveal,
        )?
        .ok_or_else(|| AppError::Internal("a batch item without a payee".into()))?;
        let id_number = match &r.id_sealed {
            Some(sealed) if reveal => vault.reveal(sealed)?,
            Some(sealed) => mask_id(&vault.reveal(sealed)?),
            None => String::new(),
        };
        let name = r.name.clone().unwrap_or_default();
        people.extend(r.user_id);
        let status = match (r.left_as.as_deref(), r.claim_status.as_str()) {
            (Some(left), _) => left.to_string(),
            (None, "paid") => "paid".to_string(),
            (None, _) => "in".to_string(),
        };
        items.push(BatchItem {
            claim_id: r.claim_id,
            status,
            claimant: if reveal { name } else { mask_name(&name) },
            id_number,
            payee: shown,
            amount_yuan: Yuan::from_fen(r.amount_fen),
            occupation: r.occupation,
            level: r.level,
            institution: r.institution,
            certificate_number: r.number,
            returned_reason: r.left_reason,
            left_at: r.left_at,
        });
    }
    let action = if reveal {
        "payment_batch_export"
    } else {
        "payment_batch_read"
    };
    let at = portal.clock.stamp();
    let detail = format!("payment_batch:{id}");
    crate::audit::store::record_reads(&portal.db, &at, actor.id, action, &people, Some(&detail))
        .await?;
    Ok(batch_of(row, items))
}

/// Marks an open batch paid in the caller's transaction: each claim still in it becomes
/// `paid` with the day and the reference (timeline, trail and inbox).
async fn pay_in(
    conn: &mut WriteTx,
    at: &str,
    who: &Who,
    row: &store::BatchRow,
    day: NaiveDate,
    reference: &str,
) -> AppResult<()> {
    let day_text = day.to_string();
    if !store::mark_paid(conn, at, row.id, &day_text, reference, who.id).await? {
        return Err(AppError::conflict("status", FieldProblem::BadTransition));
    }
    for item in store::items(conn, row.id).await? {
        if item.left_as.is_some() || item.claim_status != ClaimStatus::Approved.code() {
            continue;
        }
        store::set_paid(conn, at, item.claim_id, &day_text, reference).await?;
        let paid = Step {
            claim: item.claim_id,
            claimant: item.user_id,
            city: &row.city,
            from: Some(ClaimStatus::Approved),
            to: ClaimStatus::Paid,
        };
        step(conn, at, &paid, who, None).await?;
        metrics::counter!("peixun_subsidy_claims_total", "status" => "paid").increment(1);
    }
    let write = Write {
        record: format!("payment_batch:{}", row.id),
        action: "payment_batch_paid",
        city: Some(&row.city),
        before: Some("open".into()),
        after: Some(format!("paid {day_text} {reference}")),
    };
    record_write(conn, at, who, &write).await
}

/// The officer marks a batch of their city paid on `paid_on` (today when not given; not
/// before it was gathered, not after today) with finance's `reference` (required).
pub async fn pay(
    portal: &Portal,
    actor: &Actor,
    id: i64,
    paid_on: Option<&str>,
    reference: Option<&str>,
) -> AppResult<PaymentBatch> {
    let city = actor.city()?;
    let at = portal.clock.stamp();
    let mut tx = portal.db.write_tx().await?;
    let row = store::one(&mut tx, id)
        .await?
        .filter(|b| b.city == city.code())
        .ok_or(AppError::NotFound)?;
    let gathered = chrono::DateTime::parse_from_rfc3339(&row.created_at)
        .map(|t| crate::clock::beijing_date(t.with_timezone(&chrono::Utc)))
        .unwrap_or(portal.clock.today());
    let (day, reference) =
        batches::check_payment(paid_on, reference, gathered, portal.clock.today())
            .map_err(AppError::Invalid)?;
    pay_in(
        &mut tx,
        &at,
        &Who::of(&portal.vault, actor),
        &row,
        day,
        &reference,
    )
    .await?;
    tx.commit().await?;
    one(portal, actor, id, false).await
}

/// One approved claim paid at once: a batch of one, marked paid, in one transaction.
pub async fn pay_one(
    portal: &Portal,
    actor: &Actor,
    claim: i64,
    paid_on: Option<&str>,
    reference: Option<&str>,
) -> AppResult<ClaimStatus> {
    let city = actor.city()?;
    let today = portal.clock.today();
    let (day, reference) =
        batches::check_payment(paid_on, reference, today, today).map_err(AppError::Invalid)?;
    let at = portal.clock.stamp();
    let who = Who::of(&portal.vault, actor);
    let mut tx = portal.db.write_tx().await?;
    let id = gather_in(&mut tx, &at, &who, city, Some(&[claim])).await?;
    let row = store::one(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    pay_in(&mut tx, &at, &who, &row, day, &reference).await?;
    tx.commit().await?;
    Ok(ClaimStatus::Paid)
}

/// A bank return (退票) of a paid claim of the officer's city, with the bank's reason: the
/// claim goes back to approved, out of its batch (which keeps it listed as returned), ready
/// for a later one. Refused: no reason (400), another city's (404), not paid or with money
/// due back (409).
pub async fn returned(
    portal: &Portal,
    actor: &Actor,
    claim: i64,
    reason: Option<&str>,
) -> AppResult<ClaimStatus> {
    let city = actor.city()?;
    let reason = checked("reason", reason, true, MAX_TEXT_CHARS)?.unwrap_or_default();
    let at = portal.clock.stamp();
    let who = Who::of(&portal.vault, actor);
    let mut tx = portal.db.write_tx().await?;
    let c = store::candidate(&mut tx, claim)
        .await?
        .filter(|c| c.city == city.code())
        .ok_or(AppError::NotFound)?;
    let recovering = store::has_recovery(&mut tx, claim).await?;
    if c.status != ClaimStatus::Paid.code() || recovering {
        return Err(AppError::conflict("status", FieldProblem::BadTransition));
    }
    let leaving = Leaving {
        left_as: "returned",
        reason: &reason,
        by: who.id,
    };
    store::leave(&mut tx, &at, claim, &leaving).await?;
    super::store::set_status(&mut tx, &at, claim, ClaimStatus::Approved, None).await?;
    let back = Step {
        claim,
        claimant: c.user_id,
        city: &c.city,
        from: Some(ClaimStatus::Paid),
        to: ClaimStatus::Approved,
    };
    step_named(&mut tx, &at, &back, "returned", &who, Some(&reason)).await?;
    let write = Write {
        record: format!("claim:{claim}"),
        action: "claim_returned",
        city: Some(&c.city),
        before: Some("paid".into()),
        after: Some(format!("approved ({reason})")),
    };
    record_write(&mut tx, &at, &who, &write).await?;
    tx.commit().await?;
    Ok(ClaimStatus::Approved)
}

/// Takes a claim being undone out of its open batch (in the undo's transaction).
pub(super) async fn remove_from_batch(
    conn: &mut Conn,
    at: &str,
    claim: i64,
    reason: &str,
    who: &Who,
) -> AppResult<()> {
    let leaving = Leaving {
        left_as: "removed",
        reason,
        by: who.id,
    };
    store::leave(conn, at, claim, &leaving).await?;
    Ok(())
}
