//! Throttling counts in the database (table `login_throttle`), keyed by a keyed hash of what is
//! counted (a phone number, a client address), so no number is stored.

use super::{count, expires_at, State, TALLY_KEEP_SECS};
use crate::error::AppResult;
use crate::storage::Db;

pub async fn load(db: &Db, key: &[u8]) -> AppResult<State> {
    let row: Option<(i64, i64, i64, i64)> = sqlx::query_as(
        "SELECT failures, window_start, locked_until, lockouts FROM login_throttle WHERE key = $1",
    )
    .bind(key)
    .fetch_optional(db.pool())
    .await?;
    Ok(row.map_or_else(State::default, state_of))
}

fn state_of((f, w, l, n): (i64, i64, i64, i64)) -> State {
    State {
        failures: u32::try_from(f).unwrap_or(0),
        window_start: w,
        locked_until: l,
        lockouts: u32::try_from(n).unwrap_or(0),
    }
}

/// Counts one event for `key` and returns the new state. Parallel attempts (an attacker
/// sends them so) must neither lose counts nor be refused for colliding, so the count is read
/// and written under the database's write lock (`Db::write_tx`): they take turns.
pub async fn record(db: &Db, key: &[u8], now: i64, limit: u32, escalate: bool) -> AppResult<State> {
    let mut tx = db.write_tx().await?;
    let row: Option<(i64, i64, i64, i64)> = sqlx::query_as(
        "SELECT failures, window_start, locked_until, lockouts FROM login_throttle WHERE key = $1",
    )
    .bind(key)
    .fetch_optional(&mut *tx)
    .await?;
    let old = row.map_or_else(State::default, state_of);
    let next = count(old, now, limit, escalate);
    sqlx::query(
        "INSERT INTO login_throttle (key, failures, window_start, locked_until, lockouts, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (key) DO UPDATE SET failures = $2, window_start = $3, locked_until = $4, \
         lockouts = $5, expires_at = $6",
    )
    .bind(key)
    .bind(i64::from(next.failures))
    .bind(next.window_start)
    .bind(next.locked_until)
    .bind(i64::from(next.lockouts))
    .bind(expires_at(&next, now))
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(next)
}

pub async fn clear(db: &Db, key: &[u8]) -> AppResult<()> {
    sqlx::query("DELETE FROM login_throttle WHERE key = $1")
        .bind(key)
        .execute(db.pool())
        .await?;
    Ok(())
}

/// Adds one to the tally under `key` (failed sign-ins since the last one that succeeded); one
/// statement, so parallel failures all count.
pub async fn tally(db: &Db, key: &[u8], now: i64) -> AppResult<()> {
    let expires = now + TALLY_KEEP_SECS;
    sqlx::query(
        "INSERT INTO login_throttle (key, failures, window_start, locked_until, lockouts, expires_at) \
         VALUES ($1, 1, $2, 0, 0, $3) \
         ON CONFLICT (key) DO UPDATE SET failures = login_throttle.failures + 1, expires_at = $3",
    )
    .bind(key)
    .bind(now)
    .bind(expires)
    .execute(db.pool())
    .await?;
    Ok(())
}

/// The failures the tally under `key` holds (0 when none).
pub async fn tally_count(db: &Db, key: &[u8]) -> AppResult<u32> {
    let failures: Option<i64> =
        sqlx::query_scalar("SELECT failures FROM login_throttle WHERE key = $1")
            .bind(key)
            .fetch_optional(db.pool())
            .await?;
    Ok(failures.map_or(0, |f| u32::try_from(f).unwrap_or(u32::MAX)))
}

/// Takes the tally under `key`: how many failures it holds (0 when none), and clears it.
pub async fn take_tally(db: &Db, key: &[u8]) -> AppResult<u32> {
    let failures: Option<i64> =
        sqlx::query_scalar("DELETE FROM login_throttle WHERE key = $1 RETURNING failures")
            .bind(key)
            .fetch_optional(db.pool())
            .await?;
    Ok(failures.map_or(0, |f| u32::try_from(f).unwrap_or(u32::MAX)))
}

/// Deletes every count that no longer matters at `now`; returns how many.
pub async fn purge(db: &Db, now: i64) -> AppResult<u64> {
    let done = sqlx::query("DELETE FROM login_throttle WHERE expires_at < $1")
        .bind(now)
        .execute(db.pool())
        .await?;
    Ok(done.rows_affected())
}
