//! The one clock. Instants are kept in UTC; every date the portal decides on (a deadline, a
//! start date, an age, a claim's year, "not in the future") is the date in Sichuan, Beijing
//! time (UTC+8), whatever the server's own time zone. Tests set the instant (`Clock::fixed`).

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};

/// Beijing time has no daylight saving: always eight hours ahead of UTC.
const BEIJING_SECS: i32 = 8 * 3600;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Clock {
    /// `None`: the system's clock.
    fixed: Option<DateTime<Utc>>,
}

impl Clock {
    /// The system's clock.
    pub fn system() -> Clock {
        Clock { fixed: None }
    }

    /// A clock that always answers `at` (for tests).
    pub fn fixed(at: DateTime<Utc>) -> Clock {
        Clock { fixed: Some(at) }
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.fixed.unwrap_or_else(Utc::now)
    }

    /// The date in Beijing now.
    pub fn today(&self) -> NaiveDate {
        beijing_date(self.now())
    }

    /// Now as stored in the database (RFC 3339, UTC).
    pub fn stamp(&self) -> String {
        self.now().to_rfc3339()
    }

    /// Now in whole seconds since 1970 (sessions, throttling).
    pub fn seconds(&self) -> i64 {
        self.now().timestamp()
    }
}

/// The date in Beijing at the instant `at`.
pub fn beijing_date(at: DateTime<Utc>) -> NaiveDate {
    FixedOffset::east_opt(BEIJING_SECS).map_or_else(
        || at.date_naive(),
        |beijing| at.with_timezone(&beijing).date_naive(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        text.parse().unwrap()
    }

    #[test]
    fn the_date_changes_at_midnight_in_beijing_not_in_utc() {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(beijing_date(at("2026-11-30T15:59:59Z")), day(2026, 11, 30));
        assert_eq!(beijing_date(at("2026-11-30T16:00:00Z")), day(2026, 12, 1));
        assert_eq!(beijing_date(at("2026-12-31T16:00:00Z")), day(2027, 1, 1));
        assert_eq!(beijing_date(at("2026-12-01T07:59:59Z")), day(2026, 12, 1));
    }

    #[test]
    fn a_fixed_clock_answers_its_instant() {
        let clock = Clock::fixed(at("2026-11-30T16:30:00Z"));
        assert_eq!(clock.now(), at("2026-11-30T16:30:00Z"));
        assert_eq!(clock.today(), NaiveDate::from_ymd_opt(2026, 12, 1).unwrap());
        assert_eq!(clock.seconds(), at("2026-11-30T16:30:00Z").timestamp());
    }
}
