//! Throttling of sign-in attempts (and of certificate verifications). The state lives in the
//! database (`store`) so every server instance sees the same counts. The rules are pure
//! functions over that state:
//! - per phone number: 5 failures within a minute lock sign-in for a minute, and each further
//!   lock-out doubles (2, 4, 8 … minutes, at most an hour) until a sign-in succeeds;
//! - per client address: a generous cap on attempts per minute (carrier-grade NAT puts many
//!   people behind one address), configurable.

#[cfg(feature = "ssr")]
pub mod store;

use crate::error::{AppError, AppResult};

pub const PHONE_FAILURES: u32 = 5;
pub const WINDOW_SECS: i64 = 60;
pub const FIRST_LOCK_SECS: i64 = 60;
pub const MAX_LOCK_SECS: i64 = 3600;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct State {
    pub failures: u32,
    pub window_start: i64,
    pub locked_until: i64,
    pub lockouts: u32,
}

/// Seconds until `state` allows another attempt, if it is locked at `now`.
pub fn retry_after(state: &State, now: i64) -> Option<u64> {
    (state.locked_until > now).then(|| (state.locked_until - now) as u64)
}

/// The state after one more counted event at `now`; `limit` events in a window lock it,
/// for longer after each lock-out when `escalate`.
pub fn count(state: State, now: i64, limit: u32, escalate: bool) -> State {
    let mut next = state;
    if now - next.window_start >= WINDOW_SECS {
        next.window_start = now;
        next.failures = 0;
    }
    next.failures += 1;
    if next.failures >= limit {
        next.lockouts += 1;
        let lock = if escalate {
            FIRST_LOCK_SECS
                .saturating_mul(1 << (next.lockouts - 1).min(10))
                .min(MAX_LOCK_SECS)
        } else {
            WINDOW_SECS - (now - next.window_start)
        };
        next.locked_until = now + lock.max(1);
        next.failures = 0;
        next.window_start = now;
    }
    next
}

/// Refuses with 429 while `state` is locked.
pub fn check(state: &State, now: i64) -> AppResult<()> {
    match retry_after(state, now) {
        Some(retry_after_secs) => Err(AppError::TooManyRequests { retry_after_secs }),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_failures_in_a_minute_lock_for_a_minute() {
        let mut s = State::default();
        for i in 0..4 {
            s = count(s, 1000 + i, PHONE_FAILURES, true);
            assert_eq!(retry_after(&s, 1000 + i), None);
        }
        s = count(s, 1010, PHONE_FAILURES, true);
        assert_eq!(retry_after(&s, 1010), Some(60));
        assert_eq!(retry_after(&s, 1070), None);
    }

    #[test]
    fn failures_spread_over_minutes_never_lock() {
        let mut s = State::default();
        for i in 0..20 {
            s = count(s, 1000 + i * 20, PHONE_FAILURES, true);
            if i % 3 == 2 {
                // A window has passed since the window began: counting starts again.
                assert_eq!(retry_after(&s, 1000 + i * 20), None);
            }
        }
        assert!(s.lockouts <= 1);
    }

    #[test]
    fn each_lockout_doubles_up_to_an_hour() {
        let mut s = State::default();
        let mut now = 0;
        let mut locks = Vec::new();
        for _ in 0..8 {
            for _ in 0..PHONE_FAILURES {
                s = count(s, now, PHONE_FAILURES, true);
            }
            let lock = retry_after(&s, now).unwrap();
            locks.push(lock);
            now += lock as i64;
        }
        assert_eq!(locks, [60, 120, 240, 480, 960, 1920, 3600, 3600]);
    }

    #[test]
    fn per_address_limit_locks_until_the_window_ends() {
        let mut s = State::default();
        for i in 0..300 {
            s = count(s, 5000 + i / 10, 300, false);
        }
        assert_eq!(retry_after(&s, 5029), Some(31));
    }
}
