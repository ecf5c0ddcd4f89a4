//! Codes texted to a phone to prove it is the person's: what each is for, how long it is
//! good, how often it may be asked for and tried.

use crate::error::{FieldErrors, FieldProblem};
use crate::identity::parse_mobile;
use serde::{Deserialize, Serialize};

/// What a code proves the phone for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Purpose {
    /// Signing up with this phone.
    Register,
    /// A new password for the account of this phone.
    Reset,
    /// This phone in place of the signed-in person's.
    ChangePhone,
    /// Signing in to a phone many failed sign-ins were collected for: asked for like the
    /// others (a phone without an account is texted nothing).
    SignIn,
    /// Deleting an account that has no password (one the unified identity service made):
    /// texted to the signed-in person's own phone.
    DeleteAccount,
}

impl Purpose {
    pub fn code(self) -> &'static str {
        match self {
            Purpose::Register => "register",
            Purpose::Reset => "reset",
            Purpose::ChangePhone => "change_phone",
            Purpose::SignIn => "sign_in",
            Purpose::DeleteAccount => "delete_account",
        }
    }

    /// A purpose a client may ask a code for.
    pub fn askable(text: &str) -> Option<Purpose> {
        match text.trim() {
            "register" => Some(Purpose::Register),
            "reset" => Some(Purpose::Reset),
            "change_phone" => Some(Purpose::ChangePhone),
            "sign_in" => Some(Purpose::SignIn),
            "delete_account" => Some(Purpose::DeleteAccount),
            _ => None,
        }
    }
}

/// How long a code is good for, in seconds (as long as its text is worth sending).
pub const CODE_SECS: i64 = 5 * 60;
/// Wrong tries a code takes before it is dead.
pub const TRIES: i64 = 5;
/// A phone is texted a code at most once in this many seconds.
pub const RESEND_SECS: i64 = 60;

/// A phone as typed, checked; a problem is added to `errors` under `phone`.
pub fn phone_field(text: &str, errors: &mut FieldErrors) -> Option<String> {
    match parse_mobile(text) {
        Ok(phone) => Some(phone),
        Err(_) if text.trim().is_empty() => {
            errors.add("phone", FieldProblem::Required);
            None
        }
        Err(_) => {
            errors.add("phone", FieldProblem::NotMobile);
            None
        }
    }
}

/// The code as typed: six digits (spaces around them forgiven), else none.
pub fn typed(text: &str) -> Option<String> {
    let t = text.trim();
    (t.len() == 6 && t.bytes().all(|b| b.is_ascii_digit())).then(|| t.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_six_digits_are_a_code() {
        assert_eq!(typed(" 012345 ").as_deref(), Some("012345"));
        for bad in ["", "12345", "1234567", "12345a", "１２３４５６"] {
            assert_eq!(typed(bad), None, "{bad}");
        }
    }

    #[test]
    fn purposes_read_back_what_they_write() {
        for p in [
            Purpose::Register,
            Purpose::Reset,
            Purpose::ChangePhone,
            Purpose::SignIn,
        ] {
            assert_eq!(Purpose::askable(p.code()), Some(p));
        }
        assert_eq!(Purpose::askable("lottery"), None);
    }
}
