//! Text messages to people's phones (SMS): the templates the deployment's gateway knows, and
//! the rules of the outbox (how long a text is worth sending, when a failed one is tried
//! again). A text carries only what the person needs and a link: never an identity number.

#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;

use serde::{Deserialize, Serialize};

/// The texts Peixun sends. The gateway (or the operator's SMS provider) holds the wording of
/// each, registered with the carrier as Chinese rules require; Peixun sends the template's
/// name and its parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Template {
    /// `code`, `purpose` (register, reset, change_phone, sign_in) and `minutes`.
    Code,
    /// Someone asked for a sign-up code for a phone that has an account: the owner is told,
    /// with `link` to sign in or reset the password.
    AlreadyRegistered,
    /// Someone asked for a reset code for a phone that has no account: `link` to sign up.
    NoAccount,
    /// Notices, for those who asked (`title`: the class or the occupation, `link`): a place
    /// in a class (from the waiting list too) …
    EnrollmentApproved,
    /// … a certificate issued …
    CertificateIssued,
    /// … a subsidy claim approved, and paid.
    ClaimApproved,
    ClaimPaid,
}

impl Template {
    pub fn code(self) -> &'static str {
        match self {
            Template::Code => "code",
            Template::AlreadyRegistered => "already_registered",
            Template::NoAccount => "no_account",
            Template::EnrollmentApproved => "enrollment_approved",
            Template::CertificateIssued => "certificate_issued",
            Template::ClaimApproved => "claim_approved",
            Template::ClaimPaid => "claim_paid",
        }
    }

    /// The notice text an inbox message of `kind` and `status` is worth, if any.
    pub fn for_notice(kind: &str, status: &str) -> Option<Template> {
        match (kind, status) {
            ("enrollment", "approved") => Some(Template::EnrollmentApproved),
            ("certificate", "issued") => Some(Template::CertificateIssued),
            ("subsidy", "approved") => Some(Template::ClaimApproved),
            ("subsidy", "paid") => Some(Template::ClaimPaid),
            _ => None,
        }
    }

    /// How long after it is queued a text is still worth sending (in seconds): a code is
    /// useless once it has expired.
    pub fn worth_sending_for(self) -> i64 {
        match self {
            Template::Code | Template::AlreadyRegistered | Template::NoAccount => CODE_SECS,
            // A notice is worth a day: after that the inbox has said it.
            _ => 24 * 3600,
        }
    }
}

/// How long a texted code is good for.
pub const CODE_SECS: i64 = crate::accounts::phone_code::CODE_SECS;

/// Seconds to wait before trying a text again after `attempts` failed tries: 5, 10, 20 …
/// seconds, at most five minutes.
pub fn retry_in(attempts: u32) -> i64 {
    (5i64 << attempts.saturating_sub(1).min(6)).min(300)
}

/// What the outbox says of a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Not yet taken by the gateway (none configured, or it failed and will be tried again).
    Pending,
    /// The gateway took it.
    Sent,
    /// Not delivered while it still mattered.
    Expired,
}

impl Status {
    pub fn code(self) -> &'static str {
        match self {
            Status::Pending => "pending",
            Status::Sent => "sent",
            Status::Expired => "expired",
        }
    }

    pub fn from_code(code: &str) -> Option<Status> {
        match code {
            "pending" => Some(Status::Pending),
            "sent" => Some(Status::Sent),
            "expired" => Some(Status::Expired),
            _ => None,
        }
    }
}

/// A text as the outbox lists it (`peixun outbox --json`): for development and tests, never
/// shown on a web page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Listed {
    pub phone: String,
    pub template: String,
    pub params: serde_json::Map<String, serde_json::Value>,
    pub created_at: String,
    pub status: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_text_is_tried_again_sooner_first_and_at_most_every_five_minutes() {
        let waits: Vec<i64> = (1..=9).map(retry_in).collect();
        assert_eq!(waits, [5, 10, 20, 40, 80, 160, 300, 300, 300]);
        assert_eq!(retry_in(0), 5);
        assert_eq!(retry_in(u32::MAX), 300);
    }

    #[test]
    fn only_a_place_a_certificate_and_a_claim_approved_or_paid_are_texted() {
        assert_eq!(
            Template::for_notice("enrollment", "approved"),
            Some(Template::EnrollmentApproved)
        );
        assert_eq!(
            Template::for_notice("certificate", "issued"),
            Some(Template::CertificateIssued)
        );
        assert_eq!(
            Template::for_notice("subsidy", "approved"),
            Some(Template::ClaimApproved)
        );
        assert_eq!(
            Template::for_notice("subsidy", "paid"),
            Some(Template::ClaimPaid)
        );
        for (kind, status) in [
            ("enrollment", "waitlisted"),
            ("enrollment", "rejected"),
            ("certificate", "failed"),
            ("subsidy", "rejected"),
            ("account", "sign_in_failures"),
            ("dispute", "resolved"),
        ] {
            assert_eq!(Template::for_notice(kind, status), None, "{kind} {status}");
        }
    }

    #[test]
    fn statuses_read_back_what_they_write() {
        for s in [Status::Pending, Status::Sent, Status::Expired] {
            assert_eq!(Status::from_code(s.code()), Some(s));
        }
        assert_eq!(Status::from_code("lost"), None);
    }
}
