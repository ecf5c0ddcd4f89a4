//! 冒用身份: an identity number used by an account that was not its owner's — found when the
//! owner reclaimed it through the unified identity service, or reported by someone whose
//! number was taken. The city's HR officer sees what was made under the account, may freeze
//! it pending an in-person check, and closes the case.

pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;

use serde::{Deserialize, Serialize};

/// How a case came to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// The owner reclaimed the number with the unified identity service.
    Reclaimed,
    /// Someone reported their number taken (no identity service, or before signing in).
    Reported,
}

impl Source {
    pub fn code(self) -> &'static str {
        match self {
            Source::Reclaimed => "reclaimed",
            Source::Reported => "reported",
        }
    }
}

/// Where a case stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Open,
    /// The account signs nobody in until the officer unfreezes it.
    Frozen,
    Closed,
}

impl Status {
    pub fn code(self) -> &'static str {
        match self {
            Status::Open => "open",
            Status::Frozen => "frozen",
            Status::Closed => "closed",
        }
    }

    pub fn from_code(code: &str) -> Option<Status> {
        [Status::Open, Status::Frozen, Status::Closed]
            .into_iter()
            .find(|s| s.code() == code)
    }
}

/// What the officer does with a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Freeze,
    Unfreeze,
    Close,
}

impl Action {
    pub fn parse(code: &str) -> Option<Action> {
        match code.trim() {
            "freeze" => Some(Action::Freeze),
            "unfreeze" => Some(Action::Unfreeze),
            "close" => Some(Action::Close),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Action::Freeze => "freeze",
            Action::Unfreeze => "unfreeze",
            Action::Close => "close",
        }
    }

    /// Where a case in `status` goes: an open case is frozen or closed, a frozen one
    /// unfrozen (back to open: the account signs in again) — closed only once it is not
    /// frozen, so a closed case never leaves an account frozen for no one to see.
    pub fn next(self, status: Status) -> Option<Status> {
        match (status, self) {
            (Status::Open, Action::Freeze) => Some(Status::Frozen),
            (Status::Frozen, Action::Unfreeze) => Some(Status::Open),
            (Status::Open, Action::Close) => Some(Status::Closed),
            _ => None,
        }
    }
}

/// A case as the city's HR officer sees it (every personal number masked).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Case {
    pub id: i64,
    /// `reclaimed` or `reported`.
    pub source: String,
    /// `open`, `frozen` or `closed`.
    pub status: String,
    /// The account the number is on (none once it was deleted).
    pub account: Option<i64>,
    pub account_name: Option<String>,
    pub id_number: Option<String>,
    /// Who reported it (`reported`), to call back.
    pub reporter_name: Option<String>,
    pub reporter_phone: Option<String>,
    /// What was made under the account when the case opened.
    pub enrollments: i64,
    pub claims: i64,
    pub certificates: i64,
    pub created_at: String,
    pub decided_at: Option<String>,
    pub note: Option<String>,
}

/// What someone reports (`POST /api/v1/identity-reports`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Report {
    /// The reporter's real name.
    #[serde(default)]
    pub name: String,
    /// A phone to call them back on.
    #[serde(default)]
    pub phone: String,
    /// The identity number someone else registered.
    #[serde(default)]
    pub id_number: String,
    /// The city they live in (its HR officer takes the case); else where the account lives.
    #[serde(default)]
    pub city: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_case_is_frozen_unfrozen_and_closed_in_order() {
        use Action::*;
        use Status::*;
        assert_eq!(Freeze.next(Open), Some(Frozen));
        assert_eq!(Unfreeze.next(Frozen), Some(Open));
        assert_eq!(Close.next(Open), Some(Closed));
        for (action, status) in [
            (Close, Frozen),
            (Freeze, Frozen),
            (Unfreeze, Open),
            (Freeze, Closed),
            (Unfreeze, Closed),
            (Close, Closed),
        ] {
            assert_eq!(action.next(status), None, "{action:?} on {status:?}");
        }
        for a in [Freeze, Unfreeze, Close] {
            assert_eq!(Action::parse(a.code()), Some(a));
        }
        assert_eq!(Action::parse("delete"), None);
        for s in [Open, Frozen, Closed] {
            assert_eq!(Status::from_code(s.code()), Some(s));
        }
    }
}
