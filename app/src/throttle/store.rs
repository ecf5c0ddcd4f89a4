//! Throttling counts in the database (table `login_throttle`), keyed by a keyed hash of what is
//! counted (a phone number, a client address), so no number is stored.

use super::{count, State};
use crate::error::{AppError, AppResult};
use crate::storage::Db;

pub async fn load(db: &Db, key: &[u8]) -> AppResult<State> {
    let row: Option<(i64, i64, i64, i64)> = sqlx::query_as(
        "SELECT failures, window_start, locked_until, lockouts FROM login_throttle WHERE key = $1",
    )
    .bind(key)
    .fetch_optional(db.pool())
    .await?;
    Ok(row.map_or_else(State::default, |(f, w, l, n)| State {
        failures: u32::try_from(f).unwrap_or(0),
        window_start: w,
        locked_until: l,
        lockouts: u32::try_from(n).unwrap_or(0),
    }))
}

/// Counts one event for `key` and returns the new state. Concurrent attempts must not lose
/// counts (an attacker would send them in parallel), so the update only applies if the row is
/// still as it was read (compare-and-swap), and is retried otherwise.
pub async fn record(db: &Db, key: &[u8], now: i64, limit: u32, escalate: bool) -> AppResult<State> {
    sqlx::query(
        "INSERT INTO login_throttle (key, failures, window_start, locked_until, lockouts) \
         VALUES ($1, 0, $2, 0, 0) ON CONFLICT (key) DO NOTHING",
    )
    .bind(key)
    .bind(now)
    .execute(db.pool())
    .await?;
    for _ in 0..20 {
        let old = load(db, key).await?;
        let next = count(old, now, limit, escalate);
        let swapped = sqlx::query(
            "UPDATE login_throttle SET failures = $2, window_start = $3, locked_until = $4, lockouts = $5 \
             WHERE key = $1 AND failures = $6 AND window_start = $7 AND locked_until = $8 AND lockouts = $9",
        )
        .bind(key)
        .bind(i64::from(next.failures))
        .bind(next.window_start)
        .bind(next.locked_until)
        .bind(i64::from(next.lockouts))
        .bind(i64::from(old.failures))
        .bind(old.window_start)
        .bind(old.locked_until)
        .bind(i64::from(old.lockouts))
        .execute(db.pool())
        .await?;
        if swapped.rows_affected() == 1 {
            return Ok(next);
        }
    }
    Err(AppError::TooManyRequests {
        retry_after_secs: 1,
    })
}

pub async fn clear(db: &Db, key: &[u8]) -> AppResult<()> {
    sqlx::query("DELETE FROM login_throttle WHERE key = $1")
        .bind(key)
        .execute(db.pool())
        .await?;
    Ok(())
}
