//! The inbox in the database (table `notifications`).

use super::Notice;
use crate::error::AppResult;
use crate::list::Paging;
use crate::storage::{Conn, Db};

/// Puts a message in `user`'s inbox (nobody's, when the account was deleted), in the
/// transaction of the change it tells of.
pub async fn notify(conn: &mut Conn, at: &str, user: Option<i64>, n: &Notice<'_>) -> AppResult<()> {
    let Some(user) = user else { return Ok(()) };
    sqlx::query(
        "INSERT INTO notifications (user_id, at, kind, subject_id, status, title, reason, position) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(user)
    .bind(at)
    .bind(n.kind.code())
    .bind(n.subject)
    .bind(n.status)
    .bind(n.title)
    .bind(n.reason)
    .bind(n.position.map(i64::from))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

#[derive(Debug, sqlx::FromRow)]
pub struct Row {
    pub id: i64,
    pub at: String,
    pub kind: String,
    pub subject_id: i64,
    pub status: String,
    pub title: String,
    pub reason: Option<String>,
    pub position: Option<i64>,
    pub read_at: Option<String>,
}

/// One page of `user`'s messages, newest first, and how many there are.
pub async fn page(db: &Db, user: i64, paging: Paging) -> AppResult<(Vec<Row>, u64)> {
    let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM notifications WHERE user_id = $1")
        .bind(user)
        .fetch_one(db.pool())
        .await?;
    let rows = sqlx::query_as(
        "SELECT id, at, kind, subject_id, status, title, reason, position, read_at \
         FROM notifications WHERE user_id = $1 ORDER BY id DESC LIMIT $2 OFFSET $3",
    )
    .bind(user)
    .bind(paging.limit())
    .bind(paging.offset())
    .fetch_all(db.pool())
    .await?;
    Ok((rows, u64::try_from(total).unwrap_or(0)))
}

pub async fn unread(db: &Db, user: i64) -> AppResult<u32> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND read_at IS NULL",
    )
    .bind(user)
    .fetch_one(db.pool())
    .await?;
    Ok(u32::try_from(n).unwrap_or(u32::MAX))
}

/// Marks `user`'s message `id` (or, with `None`, all of them) read at `at`; false when `id`
/// is none of theirs.
pub async fn mark_read(db: &Db, at: &str, user: i64, id: Option<i64>) -> AppResult<bool> {
    let done = sqlx::query(
        "UPDATE notifications SET read_at = $3 WHERE user_id = $1 AND read_at IS NULL \
         AND ($2 IS NULL OR id = $2)",
    )
    .bind(user)
    .bind(id)
    .bind(at)
    .execute(db.pool())
    .await?;
    if id.is_none() || done.rows_affected() > 0 {
        return Ok(true);
    }
    // Already read is fine; someone else's, or none, is not.
    let mine: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND id = $2")
            .bind(user)
            .bind(id)
            .fetch_one(db.pool())
            .await?;
    Ok(mine > 0)
}

/// A message owed as a text: for someone who asked for notices by text since before it came.
#[derive(Debug, sqlx::FromRow)]
pub struct OwedText {
    pub id: i64,
    pub kind: String,
    pub status: String,
    pub title: String,
    pub phone_sealed: Vec<u8>,
}

/// Up to `n` messages not yet looked at for a text, of people who asked for texts since.
pub async fn owed_texts(conn: &mut Conn, n: i64) -> AppResult<Vec<OwedText>> {
    Ok(sqlx::query_as(
        "SELECT n.id, n.kind, n.status, n.title, u.phone_sealed FROM users u \
         JOIN notifications n ON n.user_id = u.id AND n.id > u.text_notices_from \
         WHERE u.text_notices_from IS NOT NULL AND n.texted = 0 ORDER BY n.id LIMIT $1",
    )
    .bind(n)
    .fetch_all(&mut *conn)
    .await?)
}

/// Message `id` was looked at for a text (queued, or not worth one).
pub async fn texted(conn: &mut Conn, id: i64) -> AppResult<()> {
    sqlx::query("UPDATE notifications SET texted = 1 WHERE id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}
