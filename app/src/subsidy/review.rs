//! The HR officer's review of the claims of their city: the queue (claimants masked, each read
//! audited) and each step (take up, approve, reject with a reason, paid). Another city's
//! claim is "not found", never shown.

use super::kept::{kept_breakdown, kept_verdicts};
use super::rules::{self, ClaimStatus, Review, ReviewRefusal};
use super::service::{step, timelines, Step};
use super::{store, StaffClaim};
use crate::access::Actor;
use crate::audit::store::Who;
use crate::error::{AppError, AppResult, FieldErrors, FieldProblem};
use crate::identity::{mask_id, mask_name};
use crate::list::{Page, Paging};
use crate::money::Yuan;
use crate::portal::Portal;
use crate::reference::Enumeration;
use crate::text::{clipped, MAX_TEXT_CHARS};
use std::collections::HashMap;

/// One page of the actor's city's claims, those waiting for a step first and oldest first
/// among them, optionally of one status. The people shown are written to the audit log.
pub async fn queue(
    portal: &Portal,
    actor: &Actor,
    status: Option<ClaimStatus>,
    paging: Paging,
) -> AppResult<Page<StaffClaim>> {
    let city = actor.city()?;
    let super::queue_store::Queue {
        rows,
        events,
        entered,
        total,
    } = super::queue_store::queue(&portal.db, city, status, paging).await?;
    let mut entered_by: HashMap<i64, Vec<String>> = HashMap::new();
    for (enrollment, at) in entered {
        entered_by.entry(enrollment).or_default().push(at);
    }
    let mut timelines = timelines(events);
    let mut subjects = Vec::with_capacity(rows.len());
    let mut list = Vec::with_capacity(rows.len());
    for r in rows {
        let breakdown = kept_breakdown(&portal.vault, r.breakdown.as_deref());
        let entered = entered_by
            .get(&r.enrollment_id)
            .map_or(&[][..], Vec::as_slice);
        let signals = signals_of(&r, breakdown.as_ref(), entered);
        let id_number = match &r.id_sealed {
            Some(sealed) => mask_id(&portal.vault.reveal(sealed)?),
            None => String::new(),
        };
        subjects.extend(r.user_id);
        list.push(StaffClaim {
            id: r.id,
            status: r.status,
            claimant: r
                .name
                .as_deref()
                .map(mask_name)
                .unwrap_or_else(|| "—".into()),
            id_number,
            course: r.course_code,
            course_title: r.title,
            institution: r.institution,
            certificate_number: r.number,
            occupation: r.occupation,
            level: r.level,
            employed: r.employed == Some(1),
            percent: u32::try_from(r.percent).unwrap_or(0),
            amount_yuan: Yuan::from_fen(r.amount_fen),
            reasons: kept_verdicts(&portal.vault, &r.verdicts),
            note: r.reason,
            breakdown,
            top_up_of: r.top_up_of,
            signals,
            created_at: r.created_at,
            disputed: r.disputed != 0,
            timeline: timelines.remove(&r.id).unwrap_or_default(),
            payee: r.payment.masked_payee(&portal.vault)?,
            batch_id: r.payment.batch_id,
            paid_on: r.payment.paid_on,
            payment_reference: r.payment.payment_reference,
        });
    }
    let at = portal.clock.stamp();
    let detail = Some(city.code());
    crate::audit::store::record_reads(&portal.db, &at, actor.id, "claims_read", &subjects, detail)
        .await?;
    Ok(paging.of(list, total))
}

/// The signals beside one claim of the queue.
fn signals_of(
    r: &super::queue_store::QueueRow,
    breakdown: Option<&super::Breakdown>,
    entered: &[String],
) -> Vec<rules::Signal> {
    let day = |stamp: &str| {
        chrono::DateTime::parse_from_rfc3339(stamp)
            .ok()
            .map(|at| crate::clock::beijing_date(at.with_timezone(&chrono::Utc)))
    };
    let (Some(claimed_on), Ok(class_end)) = (
        day(&r.created_at),
        chrono::NaiveDate::parse_from_str(&r.end_date, "%Y-%m-%d"),
    ) else {
        return Vec::new();
    };
    let facts = rules::SignalFacts {
        claimed_on,
        groups_changed_on: r.groups_changed_at.as_deref().and_then(day),
        class_end,
        attendance_entered_on: entered.iter().filter_map(|s| day(s)).collect(),
        job_by_institution: breakdown.is_some_and(|b| b.employed)
            && r.job_recorder_role.as_deref() == Some("institution_staff"),
    };
    rules::signals(&facts)
}

/// An HR officer's decision on a claim: the step, the reason (a rejection's), and whether the
/// officer confirms approving past the city's yearly budget.
pub struct Decision<'a> {
    pub step: Review,
    pub reason: Option<&'a str>,
    pub confirm_over_budget: bool,
}

/// An HR officer's step on a claim of their city (see `rules::review`): the claim's status,
/// its timeline and the claimant's inbox change together. Refused: another city's claim (404),
/// a step not possible now (409), a rejection without a reason (400), an approval past the
/// city's budget for the claim's year without the officer's confirmation (409 `budget`).
pub async fn review(
    portal: &Portal,
    actor: &Actor,
    claim: i64,
    decision: &Decision<'_>,
) -> AppResult<ClaimStatus> {
    let city = actor.city()?;
    let step_asked = decision.step;
    let reason = clipped(decision.reason, MAX_TEXT_CHARS);
    let at = portal.clock.stamp();
    let mut tx = portal.db.write_tx().await?;
    let row = store::for_review(&mut tx, claim)
        .await?
        .ok_or(AppError::NotFound)?;
    let (status, claimant, claim_city) = (row.status, row.user_id, row.city);
    if claim_city != city.code() {
        return Err(AppError::NotFound);
    }
    let from = ClaimStatus::from_code(&status)
        .ok_or_else(|| AppError::Internal(format!("unknown claim status {status}")))?;
    let disputed = store::disputed(&mut tx, claim).await?;
    let to = rules::review(from, step_asked, reason.as_deref(), disputed).map_err(|refusal| {
        let conflict = |problem| {
            let mut fields = FieldErrors::default();
            fields.add("status", problem);
            AppError::Conflict(fields)
        };
        match refusal {
            ReviewRefusal::ReasonRequired => AppError::field("reason", FieldProblem::Required),
            ReviewRefusal::NotNow => conflict(FieldProblem::BadTransition),
            ReviewRefusal::Disputed => conflict(FieldProblem::Disputed),
        }
    })?;
    if to == ClaimStatus::Approved {
        let year = i32::try_from(row.year).unwrap_or(0);
        let amount = Yuan::from_fen(row.amount_fen);
        let confirm = decision.confirm_over_budget;
        super::budget::within_budget(&mut tx, city, year, amount, confirm).await?;
    }
    let note = (to == ClaimStatus::Rejected)
        .then_some(reason.as_deref())
        .flatten();
    store::set_status(&mut tx, &at, claim, to, note).await?;
    let taken = Step {
        claim,
        claimant,
        city: &claim_city,
        from: Some(from),
        to,
    };
    step(&mut tx, &at, &taken, &Who::of(&portal.vault, actor), note).await?;
    tx.commit().await?;
    metrics::counter!("peixun_subsidy_claims_total", "status" => to.code()).increment(1);
    Ok(to)
}
