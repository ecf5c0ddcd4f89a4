//! Codes texted to phones (table `phone_codes`): every request is a row, a code only as its
//! keyed hash.

use crate::error::AppResult;
use crate::storage::Conn;

pub struct NewRequest<'a> {
    pub phone_mac: &'a [u8],
    pub client_mac: &'a [u8],
    pub purpose: &'a str,
    pub code_hash: Option<&'a [u8]>,
    pub now: i64,
    pub expires_at: i64,
}

pub async fn insert(conn: &mut Conn, r: &NewRequest<'_>) -> AppResult<()> {
    sqlx::query(
        "INSERT INTO phone_codes (phone_mac, client_mac, purpose, code_hash, created_at, \
         expires_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(r.phone_mac)
    .bind(r.client_mac)
    .bind(r.purpose)
    .bind(r.code_hash)
    .bind(r.now)
    .bind(r.expires_at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Requests from this client after `since`: how many, and the first.
pub async fn from_client(
    conn: &mut Conn,
    client_mac: &[u8],
    since: i64,
) -> AppResult<(i64, Option<i64>)> {
    Ok(sqlx::query_as(
        "SELECT COUNT(*), MIN(created_at) FROM phone_codes WHERE client_mac = $1 AND created_at > $2",
    )
    .bind(client_mac)
    .bind(since)
    .fetch_one(&mut *conn)
    .await?)
}

/// When this phone was last sent a code for `purpose` (or told it has an account), if ever.
pub async fn last_for_phone(
    conn: &mut Conn,
    phone_mac: &[u8],
    purpose: &str,
) -> AppResult<Option<i64>> {
    Ok(sqlx::query_scalar(
        "SELECT MAX(created_at) FROM phone_codes WHERE phone_mac = $1 AND purpose = $2",
    )
    .bind(phone_mac)
    .bind(purpose)
    .fetch_one(&mut *conn)
    .await?)
}

#[derive(Debug, sqlx::FromRow)]
pub struct Latest {
    pub id: i64,
    pub code_hash: Option<Vec<u8>>,
    pub expires_at: i64,
    pub tries: i64,
    pub used_at: Option<i64>,
}

/// The newest request for this phone and purpose.
pub async fn latest(conn: &mut Conn, phone_mac: &[u8], purpose: &str) -> AppResult<Option<Latest>> {
    Ok(sqlx::query_as(
        "SELECT id, code_hash, expires_at, tries, used_at FROM phone_codes \
         WHERE phone_mac = $1 AND purpose = $2 ORDER BY id DESC LIMIT 1",
    )
    .bind(phone_mac)
    .bind(purpose)
    .fetch_optional(&mut *conn)
    .await?)
}

/// One more wrong try.
pub async fn wrong_try(conn: &mut Conn, id: i64) -> AppResult<()> {
    sqlx::query("UPDATE phone_codes SET tries = tries + 1 WHERE id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Uses code `id`: true when this call did (a code is used once, by one conditional update).
pub async fn take(conn: &mut Conn, id: i64, now: i64, tries: i64) -> AppResult<bool> {
    let done = sqlx::query(
        "UPDATE phone_codes SET used_at = $2 \
         WHERE id = $1 AND used_at IS NULL AND tries < $3 AND expires_at > $2",
    )
    .bind(id)
    .bind(now)
    .bind(tries)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Forgets requests older than `before` (their codes long dead, their limits long past).
pub async fn purge(conn: &mut Conn, before: i64) -> AppResult<()> {
    sqlx::query("DELETE FROM phone_codes WHERE created_at < $1")
        .bind(before)
        .execute(&mut *conn)
        .await?;
    Ok(())
}
