//! Group claims in the database (`group_claims`) and the city a person lives in
//! (`users.residence_city`). The group and its document are stored sealed; `group_mac` is the
//! keyed hash that keeps one open claim per person and group (partial unique index
//! `group_claims_open`).

use super::{rules, GroupStatus, HeldGroups};
use crate::accounts::vault::Vault;
use crate::error::{AppError, AppResult};
use crate::list::Paging;
use crate::reference::{Enumeration, Group};
use crate::storage::{Conn, Db};

/// Statuses as stored: the three the API speaks, and `removed` for a group the person ended.
pub const REMOVED: &str = "removed";

/// A claim as stored.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ClaimRow {
    pub id: i64,
    pub group_sealed: Vec<u8>,
    pub evidence_sealed: Option<Vec<u8>>,
    pub status: String,
    pub reason: Option<String>,
    pub ended_at: Option<String>,
    pub consent_version: Option<String>,
    pub declared_at: String,
    pub decided_at: Option<String>,
}

/// A person's claims but those they removed, oldest first.
pub async fn of_person(conn: &mut Conn, user: i64) -> AppResult<Vec<ClaimRow>> {
    Ok(sqlx::query_as(
        "SELECT id, group_sealed, evidence_sealed, status, reason, ended_at, consent_version, \
         declared_at, decided_at FROM group_claims \
         WHERE user_id = $1 AND status != $2 ORDER BY id",
    )
    .bind(user)
    .bind(REMOVED)
    .fetch_all(&mut *conn)
    .await?)
}

/// A sealed group read back.
pub fn group_of(vault: &Vault, sealed: &[u8]) -> AppResult<Group> {
    let code = vault.reveal(sealed)?;
    Group::from_code(&code).ok_or_else(|| AppError::Internal("unknown group in a claim".into()))
}

pub fn status_of(code: &str) -> AppResult<GroupStatus> {
    GroupStatus::from_code(code)
        .ok_or_else(|| AppError::Internal(format!("unknown group claim status: {code}")))
}

/// The groups that count for a person and those awaiting verification, read in the caller's
/// transaction (what the enrolment and subsidy rules need of them).
pub async fn held(conn: &mut Conn, vault: &Vault, user: i64) -> AppResult<HeldGroups> {
    let rows: Vec<(Vec<u8>, String)> = sqlx::query_as(
        "SELECT group_sealed, status FROM group_claims WHERE user_id = $1 \
         AND status IN ('declared', 'verified') ORDER BY id",
    )
    .bind(user)
    .fetch_all(&mut *conn)
    .await?;
    let mut claims = Vec::with_capacity(rows.len());
    for (sealed, status) in rows {
        claims.push((group_of(vault, &sealed)?, status_of(&status)?));
    }
    Ok(rules::held(&claims))
}

/// A new claim, sealed by the caller.
pub struct NewClaim<'a> {
    pub user: i64,
    pub group_mac: &'a [u8],
    pub group_sealed: &'a [u8],
    pub evidence_sealed: Option<&'a [u8]>,
    pub consent_version: Option<&'a str>,
}

pub async fn insert(conn: &mut Conn, at: &str, c: &NewClaim<'_>) -> AppResult<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO group_claims (user_id, group_mac, group_sealed, evidence_sealed, status, \
         consent_version, declared_at) VALUES ($1, $2, $3, $4, 'declared', $5, $6) RETURNING id",
    )
    .bind(c.user)
    .bind(c.group_mac)
    .bind(c.group_sealed)
    .bind(c.evidence_sealed)
    .bind(c.consent_version)
    .bind(at)
    .fetch_one(&mut *conn)
    .await?)
}

/// An open claim given another document: awaiting verification again.
pub async fn redeclare(
    conn: &mut Conn,
    at: &str,
    id: i64,
    evidence_sealed: &[u8],
    consent_version: &str,
) -> AppResult<()> {
    sqlx::query(
        "UPDATE group_claims SET evidence_sealed = $2, consent_version = $3, declared_at = $4, \
         status = 'declared', reason = NULL, decided_by = NULL, decided_at = NULL WHERE id = $1",
    )
    .bind(id)
    .bind(evidence_sealed)
    .bind(consent_version)
    .bind(at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// A claim's new status (`removed` ends it; a rejection keeps its reason).
pub async fn set_status(
    conn: &mut Conn,
    at: &str,
    id: i64,
    status: &str,
    reason: Option<&str>,
    decided_by: Option<i64>,
) -> AppResult<()> {
    let decided = decided_by.is_some().then_some(at);
    let ended = (status == REMOVED).then_some(at);
    sqlx::query(
        "UPDATE group_claims SET status = $2, reason = $3, decided_by = $4, decided_at = $5, \
         ended_at = COALESCE($6, ended_at) WHERE id = $1",
    )
    .bind(id)
    .bind(status)
    .bind(reason)
    .bind(decided_by)
    .bind(decided)
    .bind(ended)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// A rejected claim put out of the person's list (kept: its document is not taken again).
pub async fn set_aside(conn: &mut Conn, at: &str, id: i64) -> AppResult<()> {
    sqlx::query("UPDATE group_claims SET ended_at = $2 WHERE id = $1")
        .bind(id)
        .bind(at)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

pub async fn residence_city(conn: &mut Conn, user: i64) -> AppResult<Option<String>> {
    Ok(
        sqlx::query_scalar::<_, Option<String>>("SELECT residence_city FROM users WHERE id = $1")
            .bind(user)
            .fetch_optional(&mut *conn)
            .await?
            .flatten(),
    )
}

/// The city of residence, and the moment the person's groups changed (a claim made soon after
/// is flagged for the HR officer).
pub async fn set_residence(conn: &mut Conn, user: i64, city: Option<&str>) -> AppResult<()> {
    sqlx::query("UPDATE users SET residence_city = COALESCE($2, residence_city) WHERE id = $1")
        .bind(user)
        .bind(city)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

pub async fn groups_changed(conn: &mut Conn, at: &str, user: i64) -> AppResult<()> {
    sqlx::query("UPDATE users SET groups_changed_at = $2 WHERE id = $1")
        .bind(user)
        .bind(at)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// A claim in the HR officer's queue, with its person.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct QueueRow {
    pub id: i64,
    pub user_id: i64,
    pub name: String,
    pub id_sealed: Option<Vec<u8>>,
    pub group_sealed: Vec<u8>,
    pub evidence_sealed: Option<Vec<u8>>,
    pub status: String,
    pub reason: Option<String>,
    pub city: String,
    pub declared_at: String,
    pub consent_version: Option<String>,
    pub decided_at: Option<String>,
}

const QUEUE_COLUMNS: &str = "g.id, g.user_id, u.name, u.id_sealed, g.group_sealed, \
    g.evidence_sealed, g.status, g.reason, u.residence_city AS city, g.declared_at, \
    g.consent_version, g.decided_at";

/// One page of the claims of people living in `city` that need verification (those without a
/// document are never queued), of one status or any but removed; oldest first.
pub async fn queue(
    db: &Db,
    city: &str,
    status: Option<GroupStatus>,
    paging: Paging,
) -> AppResult<(Vec<QueueRow>, u64)> {
    let filter = "FROM group_claims g JOIN users u ON u.id = g.user_id \
        WHERE u.residence_city = $1 AND g.evidence_sealed IS NOT NULL AND g.status != 'removed' \
        AND ($2 IS NULL OR g.status = $2)";
    let status = status.map(Enumeration::code);
    let total: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) {filter}"))
        .bind(city)
        .bind(status)
        .fetch_one(db.pool())
        .await?;
    let rows = sqlx::query_as(&format!(
        "SELECT {QUEUE_COLUMNS} {filter} ORDER BY g.id LIMIT $3 OFFSET $4"
    ))
    .bind(city)
    .bind(status)
    .bind(paging.limit())
    .bind(paging.offset())
    .fetch_all(db.pool())
    .await?;
    Ok((rows, u64::try_from(total).unwrap_or(0)))
}

/// One claim with its person, in the caller's transaction.
pub async fn one(conn: &mut Conn, id: i64) -> AppResult<Option<QueueRow>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {QUEUE_COLUMNS} FROM group_claims g JOIN users u ON u.id = g.user_id \
         WHERE g.id = $1"
    ))
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?)
}

/// Accounts whose groups were saved in clear before claims existed.
pub async fn legacy(db: &Db) -> AppResult<Vec<(i64, String, String)>> {
    Ok(
        sqlx::query_as("SELECT id, groups, created_at FROM users WHERE groups != '' ORDER BY id")
            .fetch_all(db.pool())
            .await?,
    )
}

pub async fn clear_legacy(conn: &mut Conn, user: i64) -> AppResult<()> {
    sqlx::query("UPDATE users SET groups = '' WHERE id = $1")
        .bind(user)
        .execute(&mut *conn)
        .await?;
    Ok(())
}
