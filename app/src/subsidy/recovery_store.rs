//! Recoveries (追回) in the database: table `recoveries`, one row a paid claim that was undone.

use super::RecoveryStatus;
use crate::error::AppResult;
use crate::list::Paging;
use crate::storage::{Conn, Db};

/// A claim to undo, with what a recovery of it keeps.
#[derive(Debug, sqlx::FromRow)]
pub struct ToUndo {
    pub id: i64,
    pub status: String,
    pub user_id: Option<i64>,
    pub city: String,
    pub institution: String,
    pub amount_fen: i64,
}

const TO_UNDO: &str =
    "SELECT s.id, s.status, s.user_id, s.city, k.institution_code AS institution, \
    s.amount_fen FROM subsidy_claims s JOIN certificates c ON c.id = s.certificate_id \
    JOIN enrollments e ON e.id = c.enrollment_id JOIN courses k ON k.code = e.course_code";

/// Every claim on a certificate (its top-ups too), oldest first.
pub async fn claims_of_certificate(conn: &mut Conn, certificate: i64) -> AppResult<Vec<ToUndo>> {
    Ok(sqlx::query_as(&format!(
        "{TO_UNDO} WHERE s.certificate_id = $1 ORDER BY s.id"
    ))
    .bind(certificate)
    .fetch_all(&mut *conn)
    .await?)
}

/// One claim and its top-ups, oldest first.
pub async fn claim_and_top_ups(conn: &mut Conn, claim: i64) -> AppResult<Vec<ToUndo>> {
    Ok(sqlx::query_as(&format!(
        "{TO_UNDO} WHERE s.id = $1 OR s.top_up_of = $1 ORDER BY s.id"
    ))
    .bind(claim)
    .fetch_all(&mut *conn)
    .await?)
}

/// Whether a certificate was revoked, and whether a claim on it was stopped: either way it is
/// not claimed again.
pub async fn undone(conn: &mut Conn, certificate: i64) -> AppResult<(bool, bool)> {
    let (revoked, stopped): (i64, i64) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM certificates WHERE id = $1 AND status = 'revoked'), \
         (SELECT COUNT(*) FROM subsidy_claims WHERE certificate_id = $1 AND status = 'stopped')",
    )
    .bind(certificate)
    .fetch_one(&mut *conn)
    .await?;
    Ok((revoked > 0, stopped > 0))
}

/// A recovery to open.
pub struct NewRecovery<'a> {
    pub claim: &'a ToUndo,
    pub cause: &'a str,
    pub reason: &'a str,
    pub by: Option<i64>,
}

/// Opens the recovery of a paid claim; `None` when it has one already (nothing is due twice:
/// `claim_id` is unique).
pub async fn open(conn: &mut Conn, at: &str, r: &NewRecovery<'_>) -> AppResult<Option<i64>> {
    let has: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM recoveries WHERE claim_id = $1")
        .bind(r.claim.id)
        .fetch_one(&mut *conn)
        .await?;
    if has > 0 {
        return Ok(None);
    }
    let id = sqlx::query_scalar(
        "INSERT INTO recoveries (claim_id, user_id, person_mac, city, institution, amount_fen, \
         cause, cause_reason, status, opened_by, created_at) \
         VALUES ($1, $2, (SELECT person_mac FROM subsidy_claims WHERE id = $1), $3, $4, $5, $6, \
         $7, 'due', $8, $9) RETURNING id",
    )
    .bind(r.claim.id)
    .bind(r.claim.user_id)
    .bind(&r.claim.city)
    .bind(&r.claim.institution)
    .bind(r.claim.amount_fen)
    .bind(r.cause)
    .bind(r.reason)
    .bind(r.by)
    .bind(at)
    .fetch_one(&mut *conn)
    .await?;
    Ok(Some(id))
}

/// A recovery as the consoles and the claimant see it.
#[derive(Debug, sqlx::FromRow)]
pub struct Row {
    pub id: i64,
    pub claim_id: i64,
    pub user_id: Option<i64>,
    pub status: String,
    pub amount_fen: i64,
    pub cause: String,
    pub cause_reason: String,
    pub reason: Option<String>,
    pub name: Option<String>,
    pub number: String,
    pub occupation: String,
    pub level: String,
    pub course_code: String,
    pub institution: String,
    pub created_at: String,
    pub decided_at: Option<String>,
    pub decider: Option<String>,
}

const SELECT: &str = "SELECT r.id, r.claim_id, r.user_id, r.status, r.amount_fen, r.cause, \
    r.cause_reason, r.reason, u.name, c.number, s.occupation, s.level, e.course_code, \
    k.institution, r.created_at, r.decided_at, d.name AS decider \
    FROM recoveries r JOIN subsidy_claims s ON s.id = r.claim_id \
    JOIN certificates c ON c.id = s.certificate_id JOIN enrollments e ON e.id = c.enrollment_id \
    JOIN courses k ON k.code = e.course_code LEFT JOIN users u ON u.id = r.user_id \
    LEFT JOIN users d ON d.id = r.decided_by";

/// Whose recoveries a console lists.
#[derive(Debug, Clone, Copy)]
pub enum Of<'a> {
    City(&'a str),
    Institution(&'a str),
}

/// One page of a city's or an institution's recoveries, due ones first, oldest first, and how
/// many there are.
pub async fn list(
    db: &Db,
    of: Of<'_>,
    status: Option<RecoveryStatus>,
    paging: Paging,
) -> AppResult<(Vec<Row>, u64)> {
    let (column, value) = match of {
        Of::City(city) => ("r.city", city),
        Of::Institution(code) => ("r.institution", code),
    };
    let filter = format!("WHERE {column} = $1 AND ($2 IS NULL OR r.status = $2)");
    let status = status.map(RecoveryStatus::code);
    let total: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM recoveries r {filter}"))
        .bind(value)
        .bind(status)
        .fetch_one(db.pool())
        .await?;
    let rows = sqlx::query_as(&format!(
        "{SELECT} {filter} ORDER BY CASE WHEN r.status = 'due' THEN 0 ELSE 1 END, r.id \
         LIMIT $3 OFFSET $4"
    ))
    .bind(value)
    .bind(status)
    .bind(paging.limit())
    .bind(paging.offset())
    .fetch_all(db.pool())
    .await?;
    Ok((rows, u64::try_from(total).unwrap_or(0)))
}

/// One recovery.
pub async fn one(db: &Db, id: i64) -> AppResult<Row> {
    Ok(sqlx::query_as(&format!("{SELECT} WHERE r.id = $1"))
        .bind(id)
        .fetch_one(db.pool())
        .await?)
}

/// A person's recoveries (by claim).
pub async fn of_person(db: &Db, user: i64) -> AppResult<Vec<Row>> {
    Ok(
        sqlx::query_as(&format!("{SELECT} WHERE r.user_id = $1 ORDER BY r.id"))
            .bind(user)
            .fetch_all(db.pool())
            .await?,
    )
}

/// How many recoveries of a person are still due.
pub async fn due_of(conn: &mut Conn, user: i64) -> AppResult<u32> {
    let n: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM recoveries WHERE user_id = $1 AND status = 'due'")
            .bind(user)
            .fetch_one(&mut *conn)
            .await?;
    Ok(u32::try_from(n).unwrap_or(u32::MAX))
}

/// A recovery's status, city, claimant and claim, read in the decision's transaction.
pub async fn for_decision(
    conn: &mut Conn,
    id: i64,
) -> AppResult<Option<(String, String, Option<i64>, i64)>> {
    Ok(
        sqlx::query_as("SELECT status, city, user_id, claim_id FROM recoveries WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?,
    )
}

/// Marks a due recovery recovered or waived; false when it was not due (decided by someone
/// else first: the condition on `status` makes the second decision change nothing).
pub async fn decide(
    conn: &mut Conn,
    at: &str,
    id: i64,
    to: RecoveryStatus,
    note: &str,
    by: i64,
) -> AppResult<bool> {
    let done = sqlx::query(
        "UPDATE recoveries SET status = $1, reason = $2, decided_by = $3, decided_at = $4 \
         WHERE id = $5 AND status = 'due'",
    )
    .bind(to.code())
    .bind(note)
    .bind(by)
    .bind(at)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}
