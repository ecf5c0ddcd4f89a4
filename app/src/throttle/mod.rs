//! Throttling of sign-in attempts (and of certificate verifications). The state lives in the
//! database (`store`) so every server instance sees the same counts. The rules are pure
//! functions over that state:
//! - per phone number *and client*: 5 failures within a minute lock sign-in to that phone from
//!   that client for a minute, and each further lock-out doubles (2, 4, 8 … minutes, at most an
//!   hour) until a sign-in succeeds. A guesser elsewhere never locks the owner out;
//! - per phone number: a tally of failures since the last sign-in, told to the owner when
//!   they next sign in; past `STEP_UP_FAILURES` the phone signs in only with a code texted to
//!   it besides the password (asked for before the password is looked at);
//! - per client address: a generous cap on attempts per minute (carrier-grade NAT puts many
//!   people behind one address), configurable. An IPv6 client is its /64: a home or a phone
//!   is given a whole /64 and may use any address in it.
//!
//! Every count carries when it stops mattering (`expires_at`); the server's sweep purges it.

#[cfg(feature = "ssr")]
pub mod store;

use crate::error::{AppError, AppResult};
use std::net::IpAddr;

pub const PHONE_FAILURES: u32 = 5;
/// Failed sign-ins (from any client) since the phone's last sign-in, past which signing in to
/// it also takes a code texted to it: many guessers are stopped, the owner never locked out.
pub const STEP_UP_FAILURES: u32 = 10;
pub const WINDOW_SECS: i64 = 60;
pub const FIRST_LOCK_SECS: i64 = 60;
pub const MAX_LOCK_SECS: i64 = 3600;
/// A count is kept this long after its lock and window are over (so a lock-out's doubling
/// survives a short pause).
pub const KEEP_SECS: i64 = 24 * 3600;
/// The failures since the last sign-in are kept this long for the owner to be told.
pub const TALLY_KEEP_SECS: i64 = 30 * 24 * 3600;

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

/// When `state`, counted at `now`, stops mattering.
pub fn expires_at(state: &State, now: i64) -> i64 {
    state.locked_until.max(now + WINDOW_SECS) + KEEP_SECS
}

/// The client that limits count: an IPv4 address as it is, an IPv6 address by its /64 (an
/// IPv4 address mapped into IPv6 as the IPv4 address).
pub fn client_key(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
    }
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
    fn an_ipv6_client_is_its_64_and_a_mapped_ipv4_is_the_ipv4() {
        let key = |s: &str| client_key(s.parse().unwrap());
        assert_eq!(key("203.0.113.9"), "203.0.113.9");
        assert_eq!(key("2001:db8:77:1:a::b"), "2001:db8:77:1::/64");
        assert_eq!(key("2001:db8:77:1:ffff::1"), key("2001:db8:77:1::2"));
        assert_ne!(key("2001:db8:77:1::1"), key("2001:db8:77:2::1"));
        assert_eq!(key("::ffff:198.51.100.4"), "198.51.100.4");
    }

    #[test]
    fn a_count_expires_a_day_after_its_lock_or_window() {
        let open = State::default();
        assert_eq!(expires_at(&open, 1000), 1000 + WINDOW_SECS + KEEP_SECS);
        let locked = State {
            locked_until: 5000,
            ..State::default()
        };
        assert_eq!(expires_at(&locked, 1000), 5000 + KEEP_SECS);
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
