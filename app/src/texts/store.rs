//! The outbox (table `texts`).

use super::Status;
use crate::error::AppResult;
use crate::storage::{Conn, Db};

/// A text to queue, its phone and parameters already sealed.
pub struct NewText<'a> {
    pub phone_mac: &'a [u8],
    pub phone_sealed: &'a [u8],
    pub template: &'a str,
    pub params_sealed: &'a [u8],
    pub created_at: &'a str,
    pub now: i64,
    pub expires_at: i64,
}

/// How many texts were queued for this phone after `since` (seconds), and the first of them.
pub async fn queued_since(
    conn: &mut Conn,
    phone_mac: &[u8],
    since: i64,
) -> AppResult<(i64, Option<i64>)> {
    let found: (i64, Option<i64>) = sqlx::query_as(
        "SELECT COUNT(*), MIN(queued_at) FROM texts WHERE phone_mac = $1 AND queued_at > $2",
    )
    .bind(phone_mac)
    .bind(since)
    .fetch_one(&mut *conn)
    .await?;
    Ok(found)
}

pub async fn insert(conn: &mut Conn, t: &NewText<'_>) -> AppResult<i64> {
    let id = sqlx::query_scalar(
        "INSERT INTO texts (phone_mac, phone_sealed, template, params_sealed, created_at, \
         queued_at, status, next_attempt_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $6, $8) RETURNING id",
    )
    .bind(t.phone_mac)
    .bind(t.phone_sealed)
    .bind(t.template)
    .bind(t.params_sealed)
    .bind(t.created_at)
    .bind(t.now)
    .bind(Status::Pending.code())
    .bind(t.expires_at)
    .fetch_one(&mut *conn)
    .await?;
    Ok(id)
}

/// A text to hand to the gateway.
#[derive(Debug, sqlx::FromRow)]
pub struct Due {
    pub id: i64,
    pub phone_sealed: Vec<u8>,
    pub template: String,
    pub params_sealed: Vec<u8>,
    pub attempts: i64,
}

/// Takes up to `n` texts that are due, each for `lease` seconds: a text is leased by one
/// conditional update, so two instances never both send it.
pub async fn lease_due(db: &Db, now: i64, n: i64, lease: i64) -> AppResult<Vec<Due>> {
    let candidates: Vec<Due> = sqlx::query_as(
        "SELECT id, phone_sealed, template, params_sealed, attempts FROM texts \
         WHERE status = $1 AND next_attempt_at <= $2 AND leased_until <= $2 AND expires_at > $2 \
         ORDER BY id LIMIT $3",
    )
    .bind(Status::Pending.code())
    .bind(now)
    .bind(n)
    .fetch_all(db.pool())
    .await?;
    let mut leased = Vec::new();
    for due in candidates {
        let taken = sqlx::query(
            "UPDATE texts SET leased_until = $3 \
             WHERE id = $1 AND status = $2 AND leased_until <= $4",
        )
        .bind(due.id)
        .bind(Status::Pending.code())
        .bind(now + lease)
        .bind(now)
        .execute(db.pool())
        .await?;
        if taken.rows_affected() == 1 {
            leased.push(due);
        }
    }
    Ok(leased)
}

/// The gateway took the text: it is never sent again.
pub async fn sent(db: &Db, id: i64, at: &str) -> AppResult<()> {
    sqlx::query("UPDATE texts SET status = $2, sent_at = $3, leased_until = 0 WHERE id = $1")
        .bind(id)
        .bind(Status::Sent.code())
        .bind(at)
        .execute(db.pool())
        .await?;
    Ok(())
}

/// The gateway refused or could not be reached: tried again at `next`.
pub async fn failed(db: &Db, id: i64, next: i64, error: &str) -> AppResult<()> {
    sqlx::query(
        "UPDATE texts SET attempts = attempts + 1, next_attempt_at = $2, leased_until = 0, \
         last_error = $3 WHERE id = $1 AND status = $4",
    )
    .bind(id)
    .bind(next)
    .bind(error)
    .bind(Status::Pending.code())
    .execute(db.pool())
    .await?;
    Ok(())
}

/// Texts that were not delivered while they mattered are marked so; texts older than
/// `keep_before` are deleted (their codes long dead).
pub async fn sweep(db: &Db, now: i64, keep_before: i64) -> AppResult<()> {
    sqlx::query("UPDATE texts SET status = $1 WHERE status = $2 AND expires_at <= $3")
        .bind(Status::Expired.code())
        .bind(Status::Pending.code())
        .bind(now)
        .execute(db.pool())
        .await?;
    sqlx::query("DELETE FROM texts WHERE queued_at < $1")
        .bind(keep_before)
        .execute(db.pool())
        .await?;
    Ok(())
}

#[derive(Debug, sqlx::FromRow)]
pub struct Row {
    pub phone_sealed: Vec<u8>,
    pub template: String,
    pub params_sealed: Vec<u8>,
    pub created_at: String,
    pub status: String,
}

/// The outbox, oldest first; one phone's texts with `phone_mac`.
pub async fn list(db: &Db, phone_mac: Option<&[u8]>) -> AppResult<Vec<Row>> {
    let sql = "SELECT phone_sealed, template, params_sealed, created_at, status FROM texts";
    let rows = match phone_mac {
        Some(mac) => {
            sqlx::query_as(&format!("{sql} WHERE phone_mac = $1 ORDER BY id"))
                .bind(mac)
                .fetch_all(db.pool())
                .await?
        }
        None => {
            sqlx::query_as(&format!("{sql} ORDER BY id"))
                .fetch_all(db.pool())
                .await?
        }
    };
    Ok(rows)
}
