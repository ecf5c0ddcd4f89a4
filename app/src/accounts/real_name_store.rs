//! Real-name sign-ins in the database: sign-ins under way (`oidc_logins`), accounts the
//! service vouched for (`users`), and the choices under way (`real_name_choices`).

use crate::error::{AppError, AppResult};
use crate::storage::{Conn, Db};

pub async fn insert_login(
    conn: &mut Conn,
    state_hash: &[u8],
    nonce: &str,
    verifier_sealed: &[u8],
    now: i64,
) -> AppResult<()> {
    sqlx::query(
        "INSERT INTO oidc_logins (state_hash, nonce, verifier_sealed, created_at) \
         VALUES ($1, $2, $3, $4)",
    )
    .bind(state_hash)
    .bind(nonce)
    .bind(verifier_sealed)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Takes the sign-in under way with this state (once: the row goes): nonce, sealed verifier
/// and when it began.
pub async fn take_login(
    conn: &mut Conn,
    state_hash: &[u8],
) -> AppResult<Option<(String, Vec<u8>, i64)>> {
    Ok(sqlx::query_as(
        "DELETE FROM oidc_logins WHERE state_hash = $1 RETURNING nonce, verifier_sealed, created_at",
    )
    .bind(state_hash)
    .fetch_optional(&mut *conn)
    .await?)
}

/// Forgets sign-ins begun before `before` and never finished.
pub async fn purge_logins(db: &Db, before: i64) -> AppResult<()> {
    sqlx::query("DELETE FROM oidc_logins WHERE created_at < $1")
        .bind(before)
        .execute(db.pool())
        .await?;
    Ok(())
}

pub async fn by_subject(conn: &mut Conn, subject_mac: &[u8]) -> AppResult<Option<i64>> {
    Ok(
        sqlx::query_scalar("SELECT id FROM users WHERE oidc_subject_mac = $1")
            .bind(subject_mac)
            .fetch_optional(&mut *conn)
            .await?,
    )
}

/// The account holding an identity number (by its keyed hash), as a real-name sign-in sees it.
#[derive(Debug, sqlx::FromRow)]
pub struct HolderRow {
    pub id: i64,
    pub real_name_verified: i64,
    pub name: String,
    pub phone_sealed: Vec<u8>,
    pub phone_verified: i64,
}

pub async fn holder(conn: &mut Conn, id_mac: &[u8]) -> AppResult<Option<HolderRow>> {
    Ok(sqlx::query_as(
        "SELECT id, real_name_verified, name, phone_sealed, phone_verified FROM users \
         WHERE id_mac = $1",
    )
    .bind(id_mac)
    .fetch_optional(&mut *conn)
    .await?)
}

/// The account is the person the service vouched for: verified, found by its subject.
pub async fn mark_verified(
    conn: &mut Conn,
    user: i64,
    subject_mac: &[u8],
    name: &str,
) -> AppResult<()> {
    sqlx::query(
        "UPDATE users SET real_name_verified = 1, oidc_subject_mac = $2, name = $3 WHERE id = $1",
    )
    .bind(user)
    .bind(subject_mac)
    .bind(name)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Whether the account is verified, and whether it is frozen.
pub async fn standing(conn: &mut Conn, user: i64) -> AppResult<(bool, bool)> {
    let (verified, frozen): (i64, Option<String>) =
        sqlx::query_as("SELECT real_name_verified, frozen_at FROM users WHERE id = $1")
            .bind(user)
            .fetch_optional(&mut *conn)
            .await?
            .ok_or(AppError::NotFound)?;
    Ok((verified != 0, frozen.is_some()))
}

/// The number reclaimed by its owner: the name they are, the phone given (or none that signs
/// in), no password, every session ended.
pub async fn reclaim(
    conn: &mut Conn,
    user: i64,
    name: &str,
    phone_mac: &[u8],
    phone_sealed: &[u8],
    subject_mac: &[u8],
) -> AppResult<()> {
    sqlx::query(
        "UPDATE users SET name = $2, phone_mac = $3, phone_sealed = $4, password_hash = '', \
         phone_verified = 1, real_name_verified = 1, oidc_subject_mac = $5 WHERE id = $1",
    )
    .bind(user)
    .bind(name)
    .bind(phone_mac)
    .bind(phone_sealed)
    .bind(subject_mac)
    .execute(&mut *conn)
    .await?;
    sqlx::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(user)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Whether another account than `user` holds this phone.
pub async fn phone_held_by_other(conn: &mut Conn, phone_mac: &[u8], user: i64) -> AppResult<bool> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE phone_mac = $1 AND id <> $2")
        .bind(phone_mac)
        .bind(user)
        .fetch_one(&mut *conn)
        .await?;
    Ok(n > 0)
}

/// A phone proved (with a texted code, or by the service).
pub async fn phone_proved(conn: &mut Conn, user: i64) -> AppResult<()> {
    sqlx::query("UPDATE users SET phone_verified = 1 WHERE id = $1")
        .bind(user)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Freezes the account (every session ends) or, with `None`, lets it sign in again.
pub async fn set_frozen(conn: &mut Conn, user: i64, at: Option<&str>) -> AppResult<()> {
    sqlx::query("UPDATE users SET frozen_at = $2 WHERE id = $1")
        .bind(user)
        .bind(at)
        .execute(&mut *conn)
        .await?;
    if at.is_some() {
        sqlx::query("DELETE FROM sessions WHERE user_id = $1")
            .bind(user)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

pub async fn insert_choosing(
    conn: &mut Conn,
    token_hash: &[u8],
    user: i64,
    now: i64,
    claims_sealed: &[u8],
) -> AppResult<()> {
    sqlx::query(
        "INSERT INTO real_name_choices (token_hash, user_id, claims_sealed, created_at) \
         VALUES ($1, $2, $3, $4)",
    )
    .bind(token_hash)
    .bind(user)
    .bind(claims_sealed)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// A person's choice under way: the account, when it began, the assertion (sealed).
pub async fn choosing(
    conn: &mut Conn,
    token_hash: &[u8],
) -> AppResult<Option<(i64, i64, Vec<u8>)>> {
    Ok(sqlx::query_as(
        "SELECT user_id, created_at, claims_sealed FROM real_name_choices WHERE token_hash = $1",
    )
    .bind(token_hash)
    .fetch_optional(&mut *conn)
    .await?)
}

/// Ends a choice; true when this call did (a choice is made once).
pub async fn end_choosing(conn: &mut Conn, token_hash: &[u8]) -> AppResult<bool> {
    let done = sqlx::query("DELETE FROM real_name_choices WHERE token_hash = $1")
        .bind(token_hash)
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Forgets choices begun before `before` and never made.
pub async fn purge_choices(db: &Db, before: i64) -> AppResult<()> {
    sqlx::query("DELETE FROM real_name_choices WHERE created_at < $1")
        .bind(before)
        .execute(db.pool())
        .await?;
    Ok(())
}
