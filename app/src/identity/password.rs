//! The password policy (OWASP ASVS 5.0, V6.2): at least 8 and at most 128 characters, not a
//! common password, and no composition rules (any characters, spaces and Chinese included).

use std::collections::HashSet;
use std::sync::LazyLock;

pub const MIN_PASSWORD_CHARS: usize = 8;
pub const MAX_PASSWORD_CHARS: usize = 128;

static COMMON: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    include_str!("../../data/common-passwords.txt")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .collect()
});

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PasswordProblem {
    #[error("shorter than 8 characters")]
    TooShort,
    #[error("longer than 128 characters")]
    TooLong,
    #[error("one of the most common passwords")]
    Common,
}

pub fn check_password(password: &str) -> Result<(), PasswordProblem> {
    let chars = password.chars().count();
    if chars < MIN_PASSWORD_CHARS {
        return Err(PasswordProblem::TooShort);
    }
    if chars > MAX_PASSWORD_CHARS {
        return Err(PasswordProblem::TooLong);
    }
    if COMMON.contains(password.to_lowercase().as_str()) {
        return Err(PasswordProblem::Common);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length_limits_count_characters_not_bytes() {
        assert_eq!(check_password("短密码"), Err(PasswordProblem::TooShort));
        assert_eq!(check_password("我的培训密码很长了"), Ok(()));
        assert_eq!(check_password(&"a".repeat(128).replace('a', "象")), Ok(()));
        assert_eq!(
            check_password(&"象".repeat(129)),
            Err(PasswordProblem::TooLong)
        );
    }

    #[test]
    fn common_passwords_are_refused_whatever_their_case() {
        for common in [
            "password",
            "12345678",
            "PassWord1",
            "woaini1314",
            "qwertyuiop",
            "1qaz2wsx",
        ] {
            assert_eq!(
                check_password(common),
                Err(PasswordProblem::Common),
                "{common}"
            );
        }
    }

    #[test]
    fn no_composition_rules() {
        assert_eq!(check_password("correct horse battery staple"), Ok(()));
        assert_eq!(check_password("onlylowercaseletters"), Ok(()));
    }
}
