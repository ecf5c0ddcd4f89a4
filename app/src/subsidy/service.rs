//! Subsidy claims in the database: the person's history as the rules need it, and a claim
//! for a certificate decided by the same rules as the pre-check on the course page.

use super::rules::{self, History, OccupationLevel};
use super::{policy_for, verdicts, Claim, ClaimEvent};
use crate::clock::today;
use crate::error::{AppError, AppResult, FieldErrors, FieldProblem};
use crate::money::Yuan;
use crate::portal::Portal;
use crate::reference::{CertificateType, City, Enumeration, Group, Level};
use chrono::{Datelike, NaiveDate, Utc};
use sqlx::SqliteConnection;
use std::collections::HashMap;

/// Claims that count: every status but rejected.
const COUNTING: &str = "('submitted', 'under_review', 'approved', 'paid')";

/// The person's history: claims counted this year, occupations and levels claimed, and the
/// certificates held (`except` one: the certificate being claimed).
async fn history(
    conn: &mut SqliteConnection,
    user_id: i64,
    year: i32,
    except: Option<i64>,
) -> AppResult<History> {
    let (used,): (i64,) = sqlx::query_as(&format!(
        "SELECT COUNT(*) FROM subsidy_claims WHERE user_id = $1 AND year = $2 AND status IN {COUNTING}"
    ))
    .bind(user_id)
    .bind(year)
    .fetch_one(&mut *conn)
    .await?;
    let pairs = |rows: Vec<(String, String)>| -> Vec<OccupationLevel> {
        rows.into_iter()
            .filter_map(|(occupation, level)| {
                Level::from_code(&level).map(|level| OccupationLevel { occupation, level })
            })
            .collect()
    };
    let subsidised: Vec<(String, String)> = sqlx::query_as(&format!(
        "SELECT occupation, level FROM subsidy_claims WHERE user_id = $1 AND status IN {COUNTING}"
    ))
    .bind(user_id)
    .fetch_all(&mut *conn)
    .await?;
    let held: Vec<(String, String)> = sqlx::query_as(
        "SELECT occupation, level FROM certificates WHERE user_id = $1 AND id != COALESCE($2, -1)",
    )
    .bind(user_id)
    .bind(except)
    .fetch_all(&mut *conn)
    .await?;
    Ok(History {
        claims_this_year: u32::try_from(used).unwrap_or(u32::MAX),
        subsidised: pairs(subsidised),
        held: pairs(held),
    })
}

/// The history for the course page's pre-check (this year, every certificate held).
pub async fn history_of(portal: &Portal, user_id: i64) -> AppResult<History> {
    let mut conn = portal.db.pool().acquire().await?;
    history(&mut conn, user_id, today().year(), None).await
}

#[derive(Debug, sqlx::FromRow)]
struct ClaimedCertificate {
    user_id: Option<i64>,
    certificate_type: String,
    occupation: String,
    level: String,
    issued_on: String,
    city: String,
    subsidy_fen: i64,
    hours: i64,
    employed: Option<i64>,
    groups: Option<String>,
}

/// The person claims the subsidy for one of their certificates. Refused (422, every rule) when
/// the item has no subsidy standard, the certificate is past the claim window, or the history
/// rules refuse; the amount follows the outcome (certificate and job, certificate only,
/// special ability) plus the living allowance. Another person's certificate is "not found".
pub async fn claim(portal: &Portal, user_id: i64, certificate_id: i64) -> AppResult<Claim> {
    let mut tx = portal.db.pool().begin_with("BEGIN IMMEDIATE").await?;
    let row: ClaimedCertificate = sqlx::query_as(
        "SELECT c.user_id, c.certificate_type, c.occupation, c.level, c.issued_on, k.city, \
         k.subsidy_fen, k.hours, e.employed, u.groups \
         FROM certificates c JOIN enrollments e ON e.id = c.enrollment_id \
         JOIN courses k ON k.code = e.course_code LEFT JOIN users u ON u.id = c.user_id \
         WHERE c.id = $1",
    )
    .bind(certificate_id)
    .fetch_optional(&mut *tx)
    .await?
    .filter(|r: &ClaimedCertificate| r.user_id == Some(user_id))
    .ok_or(AppError::NotFound)?;
    let open: i64 = sqlx::query_scalar(&format!(
        "SELECT COUNT(*) FROM subsidy_claims WHERE certificate_id = $1 AND status IN {COUNTING}"
    ))
    .bind(certificate_id)
    .fetch_one(&mut *tx)
    .await?;
    if open > 0 {
        let mut fields = FieldErrors::default();
        fields.add("certificate_id", FieldProblem::AlreadyRegistered);
        return Err(AppError::Conflict(fields));
    }
    let bad = |what: &str| AppError::Internal(format!("bad {what} in the database"));
    let level = Level::from_code(&row.level).ok_or_else(|| bad("level"))?;
    let kind = CertificateType::from_code(&row.certificate_type).ok_or_else(|| bad("type"))?;
    let city = City::from_code(&row.city).ok_or_else(|| bad("city"))?;
    let issued_on =
        NaiveDate::parse_from_str(&row.issued_on, "%Y-%m-%d").map_err(|_| bad("date"))?;
    let today = today();
    let policy = policy_for(city);
    let target = OccupationLevel {
        occupation: row.occupation.clone(),
        level,
    };
    let past = history(&mut tx, user_id, today.year(), Some(certificate_id)).await?;
    let standard = Yuan::from_fen(row.subsidy_fen);
    let groups: Vec<Group> = row
        .groups
        .as_deref()
        .map(crate::accounts::service::split_groups)
        .unwrap_or_default();
    let hours = u32::try_from(row.hours).unwrap_or(0);
    let estimate = rules::estimate(&target, kind, standard, hours, &groups, &past, &policy);
    let mut all = estimate.verdicts.clone();
    all.push(rules::Verdict {
        rule: rules::Rule::ClaimWindow {
            months: policy.claim_window_months,
        },
        ok: rules::within_claim_window(issued_on, today, &policy),
    });
    if all.iter().any(|v| !v.ok) {
        return Err(AppError::NotEligible(verdicts(&all)));
    }
    let percent = rules::payout_percent(Some(kind), row.employed == Some(1), &policy);
    let amount =
        Yuan::from_fen(rules::share(standard, percent).fen() + estimate.living_allowance.fen());
    let now = Utc::now().to_rfc3339();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO subsidy_claims (user_id, certificate_id, city, occupation, level, year, \
         percent, amount_fen, status, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'submitted', $9, $9) RETURNING id",
    )
    .bind(user_id)
    .bind(certificate_id)
    .bind(city.code())
    .bind(&row.occupation)
    .bind(level.code())
    .bind(today.year())
    .bind(i64::from(percent))
    .bind(amount.fen())
    .bind(&now)
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO subsidy_claim_events (claim_id, at, status, actor) VALUES ($1, $2, 'submitted', 'trainee')",
    )
    .bind(id)
    .bind(&now)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    mine(portal, user_id)
        .await?
        .into_iter()
        .find(|c| c.id == id)
        .ok_or(AppError::NotFound)
}

#[derive(Debug, sqlx::FromRow)]
struct ClaimRow {
    id: i64,
    certificate_id: i64,
    occupation: String,
    level: String,
    year: i64,
    percent: i64,
    amount_fen: i64,
    status: String,
    reason: Option<String>,
    created_at: String,
}

/// The person's claims, newest first, each with its timeline.
pub async fn mine(portal: &Portal, user_id: i64) -> AppResult<Vec<Claim>> {
    let rows: Vec<ClaimRow> = sqlx::query_as(
        "SELECT id, certificate_id, occupation, level, year, percent, amount_fen, status, reason, \
         created_at FROM subsidy_claims WHERE user_id = $1 ORDER BY id DESC",
    )
    .bind(user_id)
    .fetch_all(portal.db.pool())
    .await?;
    let events: Vec<(i64, String, String, String, Option<String>)> = sqlx::query_as(
        "SELECT v.claim_id, v.at, v.status, v.actor, v.reason FROM subsidy_claim_events v \
         JOIN subsidy_claims c ON c.id = v.claim_id WHERE c.user_id = $1 ORDER BY v.id",
    )
    .bind(user_id)
    .fetch_all(portal.db.pool())
    .await?;
    let mut timelines: HashMap<i64, Vec<ClaimEvent>> = HashMap::new();
    for (id, at, status, actor, reason) in events {
        timelines.entry(id).or_default().push(ClaimEvent {
            at,
            status,
            actor,
            reason,
        });
    }
    Ok(rows
        .into_iter()
        .map(|r| Claim {
            id: r.id,
            certificate_id: r.certificate_id,
            occupation: r.occupation,
            level: r.level,
            year: i32::try_from(r.year).unwrap_or(0),
            percent: u32::try_from(r.percent).unwrap_or(0),
            amount_yuan: Yuan::from_fen(r.amount_fen),
            status: r.status,
            reason: r.reason,
            created_at: r.created_at,
            timeline: timelines.remove(&r.id).unwrap_or_default(),
        })
        .collect())
}
