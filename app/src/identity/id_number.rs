//! The resident identity number (居民身份证号码, GB 11643-1999): 6-digit address code,
//! 8-digit birth date, 3-digit sequence (odd for men, even for women) and a check character.
//! Pure functions: no storage, no HTTP.

use chrono::{Datelike, NaiveDate};

/// Weights of the 17 digits in the check sum (2^(18-i) mod 11).
const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/// The check character for each value of the weighted sum mod 11.
const CHECK: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];
/// First two digits of the address code: the provinces, and 81/82/83 for the residence
/// permits of Hong Kong, Macao and Taiwan residents, which use the same format.
const PROVINCES: [u8; 34] = [
    11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52,
    53, 54, 61, 62, 63, 64, 65, 81, 82, 83,
];
/// Nobody registering is older than this.
const MAX_AGE_YEARS: i32 = 120;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sex {
    Male,
    Female,
}

/// Why a text is not a valid identity number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum IdProblem {
    #[error("must be 18 characters")]
    Length,
    #[error("must be 17 digits and a digit or X")]
    Characters,
    #[error("the address code is not a province of China")]
    Region,
    #[error("the birth date is not a real date")]
    BirthDate,
    #[error("the birth date is in the future or too long ago")]
    BirthDateRange,
    #[error("the check digit does not match")]
    Checksum,
}

/// A checked identity number and what it tells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResidentId {
    number: String,
    pub birth_date: NaiveDate,
    pub sex: Sex,
}

/// The check character of the first 17 digits.
pub fn check_character(first17: &[u8; 17]) -> char {
    let sum: u32 = first17
        .iter()
        .zip(WEIGHTS)
        .map(|(d, w)| u32::from(*d) * w)
        .sum();
    CHECK[(sum % 11) as usize]
}

impl ResidentId {
    /// Checks `text` (spaces around it ignored, a lower-case x accepted) as of `today`.
    pub fn parse(text: &str, today: NaiveDate) -> Result<ResidentId, IdProblem> {
        let text = text.trim().to_ascii_uppercase();
        if text.chars().count() != 18 {
            return Err(IdProblem::Length);
        }
        let bytes = text.as_bytes();
        if !bytes[..17].iter().all(u8::is_ascii_digit)
            || !(bytes[17].is_ascii_digit() || bytes[17] == b'X')
        {
            return Err(IdProblem::Characters);
        }
        let mut digits = [0u8; 17];
        for (d, b) in digits.iter_mut().zip(bytes) {
            *d = b - b'0';
        }
        if !PROVINCES.contains(&(digits[0] * 10 + digits[1])) {
            return Err(IdProblem::Region);
        }
        let number = |range: std::ops::Range<usize>| {
            digits[range]
                .iter()
                .fold(0u32, |n, d| n * 10 + u32::from(*d))
        };
        let birth_date =
            NaiveDate::from_ymd_opt(number(6..10) as i32, number(10..12), number(12..14))
                .ok_or(IdProblem::BirthDate)?;
        if birth_date > today || today.year() - birth_date.year() > MAX_AGE_YEARS {
            return Err(IdProblem::BirthDateRange);
        }
        if check_character(&digits) != char::from(bytes[17]) {
            return Err(IdProblem::Checksum);
        }
        let sex = if digits[16] % 2 == 1 {
            Sex::Male
        } else {
            Sex::Female
        };
        Ok(ResidentId {
            number: text,
            birth_date,
            sex,
        })
    }

    pub fn as_str(&self) -> &str {
        &self.number
    }

    /// The only way the number is ever shown: first 4 and last 4 characters.
    pub fn masked(&self) -> String {
        mask_id(&self.number)
    }

    /// Age in whole years on `date`.
    pub fn age_on(&self, date: NaiveDate) -> u32 {
        age_on(self.birth_date, date)
    }
}

/// Age in whole years on `date` of someone born on `birth`.
pub fn age_on(birth: NaiveDate, date: NaiveDate) -> u32 {
    let mut years = date.year() - birth.year();
    if (date.month(), date.day()) < (birth.month(), birth.day()) {
        years -= 1;
    }
    u32::try_from(years).unwrap_or(0)
}

/// `5101**********123X`: the first and last four characters, the rest hidden.
pub fn mask_id(number: &str) -> String {
    let chars: Vec<char> = number.chars().collect();
    if chars.len() <= 8 {
        return "*".repeat(chars.len());
    }
    let head: String = chars[..4].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}{}{tail}", "*".repeat(chars.len() - 8))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 27).unwrap()
    }

    /// Builds a valid number from its first 17 digits.
    fn with_check(first17: &str) -> String {
        let mut d = [0u8; 17];
        for (i, b) in first17.bytes().enumerate() {
            d[i] = b - b'0';
        }
        format!("{first17}{}", check_character(&d))
    }

    #[test]
    fn the_standards_worked_example() {
        // GB 11643-1999 appendix: 11010519491231002X.
        let id = ResidentId::parse("11010519491231002X", today()).unwrap();
        assert_eq!(
            id.birth_date,
            NaiveDate::from_ymd_opt(1949, 12, 31).unwrap()
        );
        assert_eq!(id.sex, Sex::Female);
        assert_eq!(id.masked(), "1101**********002X");
    }

    #[test]
    fn every_check_character_is_computed() {
        // One number for each value of the sum mod 11, X included.
        let mut seen = std::collections::BTreeSet::new();
        for seq in 100..400u32 {
            let n = with_check(&format!("510104199003{:02}{seq:03}", 1 + seq % 28));
            seen.insert(n.chars().last().unwrap());
            assert!(ResidentId::parse(&n, today()).is_ok(), "{n}");
        }
        assert_eq!(seen.len(), 11, "{seen:?}");
    }

    #[test]
    fn a_wrong_check_character_is_refused() {
        let good = with_check("51010419900307123");
        let last = good.chars().last().unwrap();
        for c in ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'X'] {
            if c != last {
                let bad = format!("{}{c}", &good[..17]);
                assert_eq!(
                    ResidentId::parse(&bad, today()),
                    Err(IdProblem::Checksum),
                    "{bad}"
                );
            }
        }
    }

    #[test]
    fn lower_case_x_and_spaces_are_accepted() {
        let id = ResidentId::parse(" 11010519491231002x ", today()).unwrap();
        assert_eq!(id.as_str(), "11010519491231002X");
    }

    #[test]
    fn shape_region_and_date_are_checked() {
        assert_eq!(
            ResidentId::parse("1101051949123100", today()),
            Err(IdProblem::Length)
        );
        assert_eq!(
            ResidentId::parse("1101051949123100２X", today()),
            Err(IdProblem::Characters)
        );
        assert_eq!(
            ResidentId::parse("11010519491231002Y", today()),
            Err(IdProblem::Characters)
        );
        assert_eq!(
            ResidentId::parse(&with_check("99010519900101123"), today()),
            Err(IdProblem::Region)
        );
        assert_eq!(
            ResidentId::parse(&with_check("51010419900230123"), today()),
            Err(IdProblem::BirthDate)
        );
        assert_eq!(
            ResidentId::parse(&with_check("51010420300101123"), today()),
            Err(IdProblem::BirthDateRange)
        );
        assert_eq!(
            ResidentId::parse(&with_check("51010418800101123"), today()),
            Err(IdProblem::BirthDateRange)
        );
        // 29 February exists in leap years only.
        assert!(ResidentId::parse(&with_check("51010420000229123"), today()).is_ok());
        assert_eq!(
            ResidentId::parse(&with_check("51010420010229123"), today()),
            Err(IdProblem::BirthDate)
        );
    }

    #[test]
    fn sex_and_age_are_derived() {
        let man = ResidentId::parse(&with_check("51010419900307123"), today()).unwrap();
        assert_eq!(man.sex, Sex::Male);
        assert_eq!(man.age_on(NaiveDate::from_ymd_opt(2026, 3, 6).unwrap()), 35);
        assert_eq!(man.age_on(NaiveDate::from_ymd_opt(2026, 3, 7).unwrap()), 36);
        let woman = ResidentId::parse(&with_check("51010419900307124"), today()).unwrap();
        assert_eq!(woman.sex, Sex::Female);
    }

    proptest::proptest! {
        #[test]
        fn the_parser_never_panics(text in "\\PC{0,40}") {
            let _ = ResidentId::parse(&text, today());
            let _ = mask_id(&text);
        }

        #[test]
        fn digit_strings_never_panic_and_checksums_decide(first17 in "[0-9]{17}", last in "[0-9X]") {
            let text = format!("{first17}{last}");
            if let Ok(id) = ResidentId::parse(&text, today()) {
                proptest::prop_assert_eq!(id.as_str(), text.as_str());
                proptest::prop_assert!(id.birth_date <= today());
            }
        }

        #[test]
        fn every_valid_number_parses(region in 0usize..31, days in 0i64..40_000, seq in 0u32..1000) {
            let provinces = [11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65];
            let birth = today() - chrono::Duration::days(days);
            let first17 = format!("{}0104{}{seq:03}", provinces[region], birth.format("%Y%m%d"));
            let id = ResidentId::parse(&with_check(&first17), today()).unwrap();
            proptest::prop_assert_eq!(id.birth_date, birth);
        }
    }

    #[test]
    fn masking_never_shows_the_middle() {
        assert_eq!(mask_id("51010419900307123X"), "5101**********123X");
        assert_eq!(mask_id("1234"), "****");
    }
}
