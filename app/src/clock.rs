//! The one clock. Instants are kept in UTC; every date the portal decides on (a deadline, a
//! start date, an age, a claim's year, "not in the future") is the date in Sichuan, Beijing
//! time (UTC+8), whatever the server's own time zone. Tests set the instant (`Clock::fixed`),
//! or, for a spawned server that must see days pass (a class starts, ends, a claim follows),
//! name a file holding the instant (`Clock::from_file`, `serve --clock-file`).

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use std::path::Path;

/// Beijing time has no daylight saving: always eight hours ahead of UTC.
const BEIJING_SECS: i32 = 8 * 3600;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Clock {
    /// `None`: the system's clock.
    fixed: Option<DateTime<Utc>>,
    /// A file holding an RFC 3339 instant, read at every reading; when it is missing or empty,
    /// the system's clock. Set once at start, so the path lives as long as the process.
    file: Option<&'static Path>,
}

impl Clock {
    /// The system's clock.
    pub fn system() -> Clock {
        Clock::default()
    }

    /// A clock that always answers `at` (for tests).
    pub fn fixed(at: DateTime<Utc>) -> Clock {
        Clock {
            fixed: Some(at),
            file: None,
        }
    }

    /// A clock that answers the instant written in `path` (for tests and drills: a spawned
    /// server sees the days its test chooses); the system's clock while the file is missing
    /// or empty. A file that does not hold an instant is refused at every reading, loudly,
    /// by falling back to the system's clock and logging it.
    pub fn from_file(path: &Path) -> Clock {
        Clock {
            fixed: None,
            file: Some(Box::leak(path.to_path_buf().into_boxed_path())),
        }
    }

    /// Whether the clock is not the system's (the server says so at start).
    pub fn is_set(&self) -> bool {
        self.fixed.is_some() || self.file.is_some()
    }

    pub fn now(&self) -> DateTime<Utc> {
        if let Some(at) = self.fixed {
            return at;
        }
        self.file.and_then(read_instant).unwrap_or_else(Utc::now)
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

fn read_instant(path: &Path) -> Option<DateTime<Utc>> {
    let text = std::fs::read_to_string(path).ok()?;
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    match DateTime::parse_from_rfc3339(text) {
        Ok(at) => Some(at.with_timezone(&Utc)),
        Err(_err) => {
            #[cfg(feature = "ssr")]
            tracing::error!(err = %_err, "the clock file does not hold an RFC 3339 instant");
            None
        }
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

    #[test]
    fn a_clock_file_is_read_at_every_reading() {
        let dir = std::env::temp_dir().join(format!("peixun-clock-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("now");
        let clock = Clock::from_file(&path);
        let before = Utc::now();
        assert!(clock.now() >= before, "no file: the system's clock");
        std::fs::write(&path, "2030-03-01T09:00:00+08:00\n").unwrap();
        assert_eq!(clock.now(), at("2030-03-01T01:00:00Z"));
        assert_eq!(clock.today(), NaiveDate::from_ymd_opt(2030, 3, 1).unwrap());
        std::fs::write(&path, "2030-05-01T09:00:00+08:00").unwrap();
        assert_eq!(clock.today(), NaiveDate::from_ymd_opt(2030, 5, 1).unwrap());
        std::fs::write(&path, "not a time").unwrap();
        assert!(clock.now() >= before, "unreadable: the system's clock");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
