//! Half-made sessions (the second step owed) and the authenticator-app secret, in the tables
//! `sessions` and `users`.

use crate::error::AppResult;
use crate::storage::{Conn, Db};

pub struct NewPending<'a> {
    pub token_hash: &'a [u8],
    pub user: i64,
    pub now: i64,
    /// `sms` or `totp`.
    pub factor: &'a str,
    pub code_hash: Option<&'a [u8]>,
    pub code_ref: Option<&'a str>,
}

pub async fn insert_pending(conn: &mut Conn, p: &NewPending<'_>) -> AppResult<()> {
    sqlx::query(
        "INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, pending, code_hash, \
         code_ref) VALUES ($1, $2, $3, $3, $4, $5, $6)",
    )
    .bind(p.token_hash)
    .bind(p.user)
    .bind(p.now)
    .bind(p.factor)
    .bind(p.code_hash)
    .bind(p.code_ref)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// A half-made session with what its second step needs.
#[derive(Debug, sqlx::FromRow)]
pub struct Pending {
    pub user_id: i64,
    pub created_at: i64,
    pub pending: String,
    pub code_hash: Option<Vec<u8>>,
    pub code_ref: Option<String>,
    pub tries: i64,
    pub phone_sealed: Vec<u8>,
    pub totp_sealed: Option<Vec<u8>>,
    pub totp_last_step: Option<i64>,
}

pub async fn pending(db: &Db, token_hash: &[u8]) -> AppResult<Option<Pending>> {
    Ok(sqlx::query_as(
        "SELECT s.user_id, s.created_at, s.pending, s.code_hash, s.code_ref, s.tries, \
         u.phone_sealed, u.totp_sealed, u.totp_last_step \
         FROM sessions s JOIN users u ON u.id = s.user_id \
         WHERE s.token_hash = $1 AND s.pending IN ('sms', 'totp')",
    )
    .bind(token_hash)
    .fetch_optional(db.pool())
    .await?)
}

/// One more wrong code; the count after it.
pub async fn wrong_try(db: &Db, token_hash: &[u8]) -> AppResult<i64> {
    Ok(sqlx::query_scalar(
        "UPDATE sessions SET tries = tries + 1 WHERE token_hash = $1 \
         AND pending IN ('sms', 'totp') RETURNING tries",
    )
    .bind(token_hash)
    .fetch_optional(db.pool())
    .await?
    .unwrap_or(i64::MAX))
}

/// A new code for a half-made session (the text was sent again).
pub async fn new_code(
    db: &Db,
    token_hash: &[u8],
    code_hash: &[u8],
    code_ref: &str,
) -> AppResult<()> {
    sqlx::query(
        "UPDATE sessions SET code_hash = $2, code_ref = $3 WHERE token_hash = $1 \
         AND pending IN ('sms', 'totp')",
    )
    .bind(token_hash)
    .bind(code_hash)
    .bind(code_ref)
    .execute(db.pool())
    .await?;
    Ok(())
}

/// Ends a half-made session; true when this call did (one conditional delete: a second step
/// is finished once).
pub async fn end_pending(conn: &mut Conn, token_hash: &[u8]) -> AppResult<bool> {
    let done =
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1 AND pending IN ('sms', 'totp')")
            .bind(token_hash)
            .execute(&mut *conn)
            .await?;
    Ok(done.rows_affected() == 1)
}

/// Marks the app's time step used; false when it (or a later one) was used already.
pub async fn use_totp_step(conn: &mut Conn, user: i64, step: i64) -> AppResult<bool> {
    let done = sqlx::query(
        "UPDATE users SET totp_last_step = $2 \
         WHERE id = $1 AND (totp_last_step IS NULL OR totp_last_step < $2)",
    )
    .bind(user)
    .bind(step)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The app being set up (sealed), in place of any earlier one not confirmed.
pub async fn set_totp_pending(db: &Db, user: i64, sealed: &[u8]) -> AppResult<()> {
    sqlx::query("UPDATE users SET totp_pending_sealed = $2 WHERE id = $1")
        .bind(user)
        .bind(sealed)
        .execute(db.pool())
        .await?;
    Ok(())
}

pub async fn totp_pending(db: &Db, user: i64) -> AppResult<Option<Vec<u8>>> {
    Ok(
        sqlx::query_scalar("SELECT totp_pending_sealed FROM users WHERE id = $1")
            .bind(user)
            .fetch_optional(db.pool())
            .await?
            .flatten(),
    )
}

/// The app confirmed: its secret signs in from now on.
pub async fn confirm_totp(conn: &mut Conn, user: i64, sealed: &[u8], step: i64) -> AppResult<()> {
    sqlx::query(
        "UPDATE users SET totp_sealed = $2, totp_pending_sealed = NULL, totp_last_step = $3 \
         WHERE id = $1",
    )
    .bind(user)
    .bind(sealed)
    .bind(step)
    .execute(&mut *conn)
    .await?;
    Ok(())
}
