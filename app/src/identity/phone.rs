//! Mainland China mobile numbers: 11 digits, starting 13–19. `+86` and spaces or dashes are
//! accepted and dropped.

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PhoneProblem {
    #[error("not a mainland mobile number")]
    NotMobile,
}

/// The 11 digits of a mainland mobile number.
pub fn parse_mobile(text: &str) -> Result<String, PhoneProblem> {
    let mut digits: String = text.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
    if let Some(rest) = digits.strip_prefix("+86") {
        digits = rest.to_string();
    }
    let ok = digits.len() == 11
        && digits.bytes().all(|b| b.is_ascii_digit())
        && digits.starts_with('1')
        && (b'3'..=b'9').contains(&digits.as_bytes()[1]);
    if ok {
        Ok(digits)
    } else {
        Err(PhoneProblem::NotMobile)
    }
}

/// `138****0002`: the first three and last four digits.
pub fn mask_phone(digits: &str) -> String {
    if digits.len() != 11 || !digits.is_ascii() {
        return "*".repeat(digits.chars().count());
    }
    format!("{}****{}", &digits[..3], &digits[7..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mobile_numbers() {
        assert_eq!(parse_mobile("13800000002"), Ok("13800000002".into()));
        assert_eq!(parse_mobile("+86 138-0000-0002"), Ok("13800000002".into()));
        for bad in [
            "",
            "1380000000",
            "138000000021",
            "12800000002",
            "23800000002",
            "1380000000a",
            "028-80000001",
        ] {
            assert_eq!(parse_mobile(bad), Err(PhoneProblem::NotMobile), "{bad}");
        }
    }

    #[test]
    fn masking() {
        assert_eq!(mask_phone("13800000002"), "138****0002");
        assert_eq!(mask_phone("123"), "***");
    }
}
