//! Money is held as a whole number of fen (分) so sums are exact; it is shown and exchanged
//! in yuan with two decimals (`"1500.00"`), as the API contract asks.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Yuan {
    fen: i64,
}

impl Yuan {
    pub const ZERO: Yuan = Yuan { fen: 0 };

    pub const fn from_fen(fen: i64) -> Self {
        Yuan { fen }
    }

    pub const fn fen(self) -> i64 {
        self.fen
    }

    pub const fn is_zero(self) -> bool {
        self.fen == 0
    }

    /// Parses a non-negative amount in yuan with at most two decimals (`"1800"`, `"1800.5"`,
    /// `"1,800.00"`). Returns `None` for anything else.
    pub fn parse(text: &str) -> Option<Yuan> {
        let text: String = text.trim().chars().filter(|c| *c != ',').collect();
        let (whole, frac) = match text.split_once('.') {
            Some((w, f)) => (w, f),
            None => (text.as_str(), ""),
        };
        if whole.is_empty()
            || whole.len() > 12
            || frac.len() > 2
            || !whole.bytes().all(|b| b.is_ascii_digit())
            || !frac.bytes().all(|b| b.is_ascii_digit())
        {
            return None;
        }
        let whole: i64 = whole.parse().ok()?;
        let frac: i64 = match frac.len() {
            0 => 0,
            1 => frac.parse::<i64>().ok()? * 10,
            _ => frac.parse().ok()?,
        };
        Some(Yuan {
            fen: whole * 100 + frac,
        })
    }
}

impl fmt::Display for Yuan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.fen < 0 { "-" } else { "" };
        let abs = self.fen.unsigned_abs();
        write!(f, "{sign}{}.{:02}", abs / 100, abs % 100)
    }
}

impl Serialize for Yuan {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Yuan {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Yuan::parse(&text).ok_or_else(|| serde::de::Error::custom("not an amount in yuan"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_what_a_spreadsheet_holds() {
        assert_eq!(Yuan::parse("1800.00"), Some(Yuan::from_fen(180_000)));
        assert_eq!(Yuan::parse("1800"), Some(Yuan::from_fen(180_000)));
        assert_eq!(Yuan::parse(" 1,800.5 "), Some(Yuan::from_fen(180_050)));
        assert_eq!(Yuan::parse("0"), Some(Yuan::ZERO));
        assert_eq!(Yuan::parse("0.07"), Some(Yuan::from_fen(7)));
    }

    #[test]
    fn refuses_what_is_not_money() {
        for bad in [
            "",
            "-1",
            "1.234",
            "abc",
            "1e3",
            ".5",
            "1.2.3",
            "１８００",
            "9999999999999",
        ] {
            assert_eq!(Yuan::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn shows_two_decimals() {
        assert_eq!(Yuan::from_fen(150_000).to_string(), "1500.00");
        assert_eq!(Yuan::from_fen(5).to_string(), "0.05");
        assert_eq!(
            serde_json::to_string(&Yuan::from_fen(99)).unwrap(),
            "\"0.99\""
        );
    }
}
