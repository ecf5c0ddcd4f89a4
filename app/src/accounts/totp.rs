//! Codes of an authenticator app (TOTP, RFC 6238: HMAC-SHA-1, six digits, 30-second steps,
//! as every common app makes them), checked with totp-rs. A code of the step before or after
//! is accepted (a phone's clock drifts); a step once used is never accepted again.

use totp_rs::{Algorithm, Secret, TOTP};

/// Seconds a code lasts.
pub const STEP_SECS: u64 = 30;
/// A new secret's bytes (160 bits, as RFC 4226 recommends).
pub const SECRET_BYTES: usize = 20;

fn totp(secret: &[u8]) -> Option<TOTP> {
    TOTP::new(Algorithm::SHA1, 6, 0, STEP_SECS, secret.to_vec()).ok()
}

/// The secret as an app takes it typed in: base32.
pub fn encoded(secret: &[u8]) -> String {
    Secret::Raw(secret.to_vec()).to_encoded().to_string()
}

/// The address an app reads from a QR code.
pub fn otpauth_url(secret: &[u8], account: &str) -> String {
    let label: String =
        form_urlencoded::byte_serialize(format!("Peixun:{account}").as_bytes()).collect();
    format!(
        "otpauth://totp/{label}?secret={}&issuer=Peixun&algorithm=SHA1&digits=6&period={STEP_SECS}",
        encoded(secret)
    )
}

/// The time step `code` belongs to at Unix time `now` (the one before, now, or after), if it
/// is right and newer than `last_used`.
pub fn matching_step(secret: &[u8], code: &str, now: u64, last_used: Option<u64>) -> Option<u64> {
    let totp = totp(secret)?;
    let step = now / STEP_SECS;
    [step.saturating_sub(1), step, step + 1]
        .into_iter()
        .filter(|s| last_used.is_none_or(|last| *s > last))
        .find(|s| {
            constant_eq(
                totp.generate(s * STEP_SECS).as_bytes(),
                code.trim().as_bytes(),
            )
        })
}

fn constant_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    // RFC 6238, appendix B: the SHA-1 secret "12345678901234567890", eight digits there; the
    // last six of each are what a six-digit app shows.
    const SECRET: &[u8] = b"12345678901234567890";

    #[test]
    fn codes_are_those_of_the_rfc() {
        for (at, eight) in [
            (59, "94287082"),
            (1_111_111_109, "07081804"),
            (1_234_567_890, "89005924"),
            (2_000_000_000, "69279037"),
        ] {
            assert_eq!(
                matching_step(SECRET, &eight[2..], at, None),
                Some(at / 30),
                "{at}"
            );
        }
    }

    #[test]
    fn a_code_is_taken_once_and_only_near_its_time() {
        let at = 1_234_567_890;
        let code = &"89005924"[2..];
        let step = at / 30;
        assert_eq!(
            matching_step(SECRET, code, at + 30, None),
            Some(step),
            "a step late"
        );
        assert_eq!(matching_step(SECRET, code, at + 90, None), None, "too late");
        assert_eq!(matching_step(SECRET, code, at, Some(step)), None, "used");
        assert_eq!(matching_step(SECRET, "000000", at, None), None);
    }

    #[test]
    fn the_app_is_given_base32_and_an_otpauth_address() {
        assert_eq!(encoded(SECRET), "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
        let url = otpauth_url(SECRET, "131****0401");
        assert!(
            url.starts_with("otpauth://totp/Peixun%3A131****0401?secret=GEZD"),
            "{url}"
        );
    }
}
