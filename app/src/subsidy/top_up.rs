//! A claim made before a job was recorded is topped up once to the employed share when a job
//! that counts (its evidence, a start within six months after the class) is recorded later:
//! a claim of its own for the difference, reviewed like any other, pointing at the claim it
//! completes. It is not another subsidy: the yearly cap and the once-rules skip it, and the
//! database holds one counting top-up per claim (`subsidy_claims_one_top_up`).

use super::rules::{self, ClaimStatus};
use super::service::{job_of, step, Step};
use super::store::{self, NewClaim};
use super::{policy_store, Breakdown, Claim};
use crate::accounts::vault::Vault;
use crate::audit::store::Who;
use crate::error::{AppError, AppResult};
use crate::money::Yuan;
use crate::reference::{CertificateType, City, Enumeration, Level};
use crate::storage::{Conn, WriteTx};
use chrono::{Datelike, NaiveDate};

/// A top-up that is due now.
pub struct Due {
    of: i64,
    user: i64,
    certificate: i64,
    city: City,
    occupation: String,
    level: Level,
    year: i32,
    percent: u32,
    amount: Yuan,
    breakdown: Breakdown,
}

/// The top-up due on the person's claim for a certificate, if any: the claim counts and paid
/// less than the employed share, a job that counts is recorded now, the certificate is within
/// the claim window, and no top-up of it counts yet.
pub async fn due(
    conn: &mut Conn,
    user_id: i64,
    certificate_id: i64,
    today: NaiveDate,
) -> AppResult<Option<Due>> {
    let Some((of, paid)) = store::original_claim(conn, certificate_id).await? else {
        return Ok(None);
    };
    if store::topped_up(conn, of).await? {
        return Ok(None);
    }
    let row = store::certificate(conn, certificate_id).await?;
    let Some(row) = row.filter(|r| r.user_id == Some(user_id)) else {
        return Ok(None);
    };
    let bad = |what: &str| AppError::Internal(format!("bad {what} in the database"));
    let kind = CertificateType::from_code(&row.certificate_type).ok_or_else(|| bad("type"))?;
    let level = Level::from_code(&row.level).ok_or_else(|| bad("level"))?;
    let city = City::from_code(&row.city).ok_or_else(|| bad("city"))?;
    let issued_on =
        NaiveDate::parse_from_str(&row.issued_on, "%Y-%m-%d").map_err(|_| bad("date"))?;
    let policy = policy_store::policy(conn, city).await?;
    if !job_of(&row)? || !rules::within_claim_window(issued_on, today, &policy) {
        return Ok(None);
    }
    let percent = rules::payout_percent(Some(kind), true, &policy);
    let standard = Yuan::from_fen(row.subsidy_fen);
    let paid = u32::try_from(paid).unwrap_or(u32::MAX);
    let Some(amount) = rules::top_up(standard, paid, percent) else {
        return Ok(None);
    };
    let breakdown = Breakdown {
        standard_yuan: standard,
        share_percent: percent,
        training_subsidy_yuan: amount,
        attended_days: 0,
        living_allowance_yuan: Yuan::ZERO,
        groups: Vec::new(),
        employed: true,
    };
    Ok(Some(Due {
        of,
        user: user_id,
        certificate: certificate_id,
        city,
        occupation: row.occupation,
        level,
        year: today.year(),
        percent,
        amount,
        breakdown,
    }))
}

impl Due {
    /// The top-up as the claimant is offered it (not yet claimed).
    pub fn offer(self, certificate_id: i64, year: i32) -> Claim {
        Claim {
            id: None,
            certificate_id,
            occupation: self.occupation,
            level: self.level.code().to_string(),
            year,
            percent: self.percent,
            amount_yuan: self.amount,
            status: "eligible".into(),
            reasons: Vec::new(),
            note: None,
            breakdown: Some(self.breakdown),
            top_up_of: Some(self.of),
            created_at: String::new(),
            timeline: Vec::new(),
            recovery: None,
            payee: None,
            batch_id: None,
            paid_on: None,
            payment_reference: None,
        }
    }
}

/// Stores the top-up as a submitted claim, with its first step, inside the caller's
/// transaction (which holds the writers' turn: the "once" is read and written in it).
pub async fn claim(
    conn: &mut WriteTx,
    vault: &Vault,
    at: &str,
    due: &Due,
    who: &Who,
    payee: &super::payee::Sealed,
) -> AppResult<i64> {
    let made_of = serde_json::to_string(&due.breakdown)
        .map(|json| super::kept::seal(vault, &json))
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let new = NewClaim {
        user: due.user,
        certificate: due.certificate,
        city: due.city,
        occupation: &due.occupation,
        level: due.level,
        year: due.year,
        percent: due.percent,
        amount: due.amount,
        verdicts: &super::kept::seal(vault, "[]"),
        breakdown: &made_of,
        top_up_of: Some(due.of),
        payee,
    };
    let id = store::insert_claim(conn, at, &new).await?;
    let submitted = Step {
        claim: id,
        claimant: Some(due.user),
        city: due.city.code(),
        from: None,
        to: ClaimStatus::Submitted,
    };
    step(conn, at, &submitted, who, None).await?;
    Ok(id)
}
