//! 冒用身份 cases (table `identity_cases`) and what was made under an account.

use crate::error::AppResult;
use crate::list::Paging;
use crate::storage::{Conn, Db};

pub struct NewCase<'a> {
    pub user: Option<i64>,
    pub city: &'a str,
    pub source: &'a str,
    /// `open`, or `unmatched` for a report of a number no account holds (kept for the
    /// address's limit, never listed).
    pub status: &'a str,
    pub reporter_name_sealed: Option<&'a [u8]>,
    pub reporter_phone_sealed: Option<&'a [u8]>,
    pub reporter_client_mac: Option<&'a [u8]>,
    pub made: Made,
    pub at: &'a str,
    pub secs: i64,
}

/// What was made under an account: enrolments, subsidy claims, certificates.
#[derive(Debug, Clone, Copy, Default)]
pub struct Made {
    pub enrollments: i64,
    pub claims: i64,
    pub certificates: i64,
}

pub async fn made_under(conn: &mut Conn, user: i64) -> AppResult<Made> {
    let (enrollments, claims, certificates): (i64, i64, i64) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM enrollments WHERE user_id = $1), \
         (SELECT COUNT(*) FROM subsidy_claims WHERE user_id = $1), \
         (SELECT COUNT(*) FROM certificates WHERE user_id = $1)",
    )
    .bind(user)
    .fetch_one(&mut *conn)
    .await?;
    Ok(Made {
        enrollments,
        claims,
        certificates,
    })
}

pub async fn insert(conn: &mut Conn, c: &NewCase<'_>) -> AppResult<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO identity_cases (user_id, city, source, status, reporter_name_sealed, \
         reporter_phone_sealed, reporter_client_mac, enrollments, claims, certificates, \
         created_at, created_secs) VALUES ($1, $2, $3, $12, $4, $5, $6, $7, $8, $9, $10, $11) \
         RETURNING id",
    )
    .bind(c.user)
    .bind(c.city)
    .bind(c.source)
    .bind(c.reporter_name_sealed)
    .bind(c.reporter_phone_sealed)
    .bind(c.reporter_client_mac)
    .bind(c.made.enrollments)
    .bind(c.made.claims)
    .bind(c.made.certificates)
    .bind(c.at)
    .bind(c.secs)
    .bind(c.status)
    .fetch_one(&mut *conn)
    .await?)
}

/// Reports made from this client after `since`: how many, and the first.
pub async fn reports_from(
    conn: &mut Conn,
    client_mac: &[u8],
    since: i64,
) -> AppResult<(i64, Option<i64>)> {
    Ok(sqlx::query_as(
        "SELECT COUNT(*), MIN(created_secs) FROM identity_cases \
         WHERE reporter_client_mac = $1 AND created_secs > $2",
    )
    .bind(client_mac)
    .bind(since)
    .fetch_one(&mut *conn)
    .await?)
}

#[derive(Debug, sqlx::FromRow)]
pub struct Row {
    pub id: i64,
    pub user_id: Option<i64>,
    pub city: String,
    pub source: String,
    pub status: String,
    pub reporter_name_sealed: Option<Vec<u8>>,
    pub reporter_phone_sealed: Option<Vec<u8>>,
    pub enrollments: i64,
    pub claims: i64,
    pub certificates: i64,
    pub created_at: String,
    pub decided_at: Option<String>,
    pub note: Option<String>,
    pub name: Option<String>,
    pub id_sealed: Option<Vec<u8>>,
}

const SELECT: &str = "SELECT c.id, c.user_id, c.city, c.source, c.status, c.reporter_name_sealed, \
    c.reporter_phone_sealed, c.enrollments, c.claims, c.certificates, c.created_at, c.decided_at, \
    c.note, u.name, u.id_sealed FROM identity_cases c LEFT JOIN users u ON u.id = c.user_id";

/// A city's cases, newest first, and how many there are.
pub async fn list(db: &Db, city: &str, paging: Paging) -> AppResult<(Vec<Row>, u64)> {
    let total: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM identity_cases WHERE city = $1 AND status <> 'unmatched'",
    )
    .bind(city)
    .fetch_one(db.pool())
    .await?;
    let rows = sqlx::query_as(&format!(
        "{SELECT} WHERE c.city = $1 AND c.status <> 'unmatched' ORDER BY c.id DESC LIMIT $2 OFFSET $3"
    ))
    .bind(city)
    .bind(i64::from(paging.per_page))
    .bind(paging.offset())
    .fetch_all(db.pool())
    .await?;
    Ok((rows, u64::try_from(total).unwrap_or(0)))
}

pub async fn get(conn: &mut Conn, id: i64) -> AppResult<Option<Row>> {
    Ok(sqlx::query_as(&format!("{SELECT} WHERE c.id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?)
}

/// Moves case `id` from `from` to `to`; false when another officer moved it first.
pub async fn set_status(
    conn: &mut Conn,
    id: i64,
    from: &str,
    to: &str,
    by: i64,
    at: &str,
    note: Option<&str>,
) -> AppResult<bool> {
    let done = sqlx::query(
        "UPDATE identity_cases SET status = $3, decided_by = $4, decided_at = $5, note = $6 \
         WHERE id = $1 AND status = $2",
    )
    .bind(id)
    .bind(from)
    .bind(to)
    .bind(by)
    .bind(at)
    .bind(note)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}
