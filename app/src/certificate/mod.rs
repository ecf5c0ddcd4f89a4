//! Certificates: an evaluator's pass on a completed enrolment issues the certificate the class
//! leads to; the holder keeps them in a wallet; anyone may verify one by number and name.

pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;

use crate::reference::{CertificateType, Enumeration, Level};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A certificate as its holder sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Certificate {
    pub id: i64,
    pub number: String,
    pub holder: String,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub certificate_type: CertificateType,
    pub occupation: String,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub level: Level,
    pub issuer: String,
    pub issued_on: NaiveDate,
    pub course: String,
    /// `valid`, or `revoked` (with `status_reason`).
    pub status: String,
    /// Why it was revoked.
    pub status_reason: Option<String>,
}

impl Certificate {
    pub fn revoked(&self) -> bool {
        self.status == REVOKED
    }
}

/// A certificate's status once revoked.
pub const REVOKED: &str = "revoked";

/// The public answer to "is this certificate real?". Unknown numbers and wrong names get the
/// same `{"valid": false}`, so the answer never tells whether a number exists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Verification {
    pub valid: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub holder: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub occupation: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ssr", schema(value_type = Option<String>))]
    pub level: Option<Level>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issued_on: Option<NaiveDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issuer: Option<String>,
    /// `valid`, or `revoked` for the right number and name of a revoked certificate.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
}

impl Verification {
    pub fn invalid() -> Verification {
        Verification {
            valid: false,
            holder: None,
            occupation: None,
            level: None,
            issued_on: None,
            issuer: None,
            status: None,
        }
    }

    /// The answer for a revoked certificate, to the person who has its number and name.
    pub fn revoked() -> Verification {
        Verification {
            status: Some(REVOKED.into()),
            ..Verification::invalid()
        }
    }
}

/// The characters of a number's random part and check character: digits and capitals without
/// I, L, O and U (Crockford's base 32), so a number read from paper is not mistaken.
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// Random characters in a certificate number (50 bits: never walked, never guessed).
pub const RANDOM_CHARS: usize = 10;

/// A certificate number: `PX`, the year of issue, ten random characters and a check
/// character, e.g. `PX2030K7Q2M9XD4RH`. Each random byte picks one of 32 characters (256 is a
/// multiple of 32: no character is likelier than another).
pub fn certificate_number(issued_on: NaiveDate, random: [u8; RANDOM_CHARS]) -> String {
    use chrono::Datelike;
    let mut body = format!("{}", issued_on.year());
    body.extend(
        random
            .iter()
            .map(|b| ALPHABET[usize::from(*b) % 32] as char),
    );
    let check = check_char(&body).unwrap_or('0');
    format!("PX{body}{check}")
}

/// The Luhn mod 32 check character of `body` (digits and the alphabet's capitals): it catches
/// every single changed character and every swap of two neighbours but `0Z` ↔ `Z0` (Luhn's
/// one blind spot). `None` for other characters.
pub fn check_char(body: &str) -> Option<char> {
    let n = ALPHABET.len() as u32;
    let mut sum = 0;
    for (i, c) in body.chars().rev().enumerate() {
        let code = ALPHABET.iter().position(|a| *a as char == c)? as u32;
        let addend = if i % 2 == 0 { code * 2 } else { code };
        sum += addend / n + addend % n;
    }
    Some(ALPHABET[((n - sum % n) % n) as usize] as char)
}

/// Whether `number` could be a certificate number: of the form above with its check
/// character right, or of the older sequential form (`PX` and twelve digits), which stays
/// valid for the certificates that carry it.
pub fn plausible_number(number: &str) -> bool {
    let Some(rest) = number.strip_prefix("PX") else {
        return false;
    };
    match rest.len() {
        12 => rest.chars().all(|c| c.is_ascii_digit()),
        15 => {
            let (body, check) = rest.split_at(14);
            check_char(body).is_some_and(|c| check.starts_with(c))
        }
        _ => false,
    }
}

/// A completed enrolment waiting for its assessment (the evaluator's console).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Candidate {
    pub enrollment_id: i64,
    /// Masked.
    pub name: String,
    pub course: String,
    pub course_title: String,
    pub end_date: String,
    /// The score of an earlier failed assessment.
    pub failed_score: Option<u32>,
}

/// The next level of the 新八级工 ladder (学徒工 → 五级 … 一级 → 特级技师 → 首席技师), if any.
pub fn next_level(level: Level) -> Option<Level> {
    use crate::subsidy::rules::rank;
    let mine = rank(level)?;
    Level::all()
        .iter()
        .copied()
        .find(|l| rank(*l) == Some(mine + 1))
}

/// One occupation of a person's ladder: the highest level held and the next one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rung {
    pub occupation: String,
    pub held: Level,
    pub next: Option<Level>,
}

/// The person's ladder: per occupation (in order of first appearance), the highest level held.
/// Certificates without a level (special ability) have no ladder.
pub fn ladder(certificates: &[Certificate]) -> Vec<Rung> {
    use crate::subsidy::rules::rank;
    let mut rungs: Vec<Rung> = Vec::new();
    for c in certificates
        .iter()
        .filter(|c| !c.revoked() && rank(c.level).is_some())
    {
        match rungs.iter_mut().find(|r| r.occupation == c.occupation) {
            Some(r) if rank(c.level) > rank(r.held) => {
                r.held = c.level;
                r.next = next_level(c.level);
            }
            Some(_) => {}
            None => rungs.push(Rung {
                occupation: c.occupation.clone(),
                held: c.level,
                next: next_level(c.level),
            }),
        }
    }
    rungs
}

/// One occupation of the ladder with catalogue courses leading to its next level.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LadderStep {
    pub rung: Rung,
    /// (code, title) of upcoming courses for the next level.
    pub courses: Vec<(String, String)>,
}

/// A QR code (SVG, black on white) that opens `url`; `None` if the text cannot be encoded.
#[cfg(feature = "ssr")]
pub fn qr_svg(url: &str) -> Option<String> {
    use qrcode::render::svg;
    let code = qrcode::QrCode::new(url.as_bytes()).ok()?;
    let svg = code
        .render::<svg::Color>()
        .min_dimensions(160, 160)
        .quiet_zone(true)
        .build();
    // Inline in the page: without the XML declaration.
    Some(match svg.find("<svg") {
        Some(i) => svg[i..].to_string(),
        None => svg,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_carry_the_year_random_characters_and_a_check() {
        let d = NaiveDate::from_ymd_opt(2027, 5, 1).unwrap();
        let n = certificate_number(d, [0, 1, 2, 3, 4, 31, 32, 200, 254, 255]);
        assert_eq!(&n[..16], "PX202701234Z08YZ");
        assert_eq!(n.len(), 17);
        assert!(plausible_number(&n), "{n}");
        assert_ne!(
            n,
            certificate_number(d, [1, 1, 2, 3, 4, 31, 32, 200, 254, 255])
        );
    }

    #[test]
    fn every_single_change_and_neighbour_swap_fails_the_check() {
        let d = NaiveDate::from_ymd_opt(2030, 5, 15).unwrap();
        for seed in 0u8..40 {
            let random: [u8; RANDOM_CHARS] =
                std::array::from_fn(|i| seed.wrapping_mul(37).wrapping_add(i as u8 * 11));
            let n = certificate_number(d, random);
            assert!(plausible_number(&n), "{n}");
            let chars: Vec<char> = n.chars().collect();
            for i in 2..chars.len() {
                for a in ALPHABET.iter().map(|a| *a as char) {
                    if a == chars[i] {
                        continue;
                    }
                    let mut changed = chars.clone();
                    changed[i] = a;
                    let changed: String = changed.into_iter().collect();
                    assert!(!plausible_number(&changed), "{n} → {changed}");
                }
                let pair = [chars[i], *chars.get(i + 1).unwrap_or(&' ')];
                let blind_spot = pair == ['0', 'Z'] || pair == ['Z', '0'];
                if i + 1 < chars.len() && chars[i] != chars[i + 1] && !blind_spot {
                    let mut swapped = chars.clone();
                    swapped.swap(i, i + 1);
                    let swapped: String = swapped.into_iter().collect();
                    assert!(!plausible_number(&swapped), "{n} → {swapped}");
                }
            }
        }
    }

    #[test]
    fn old_sequential_numbers_stay_plausible_and_nonsense_is_not() {
        assert!(plausible_number("PX202700000042"));
        for bad in [
            "",
            "PX",
            "PX2027",
            "AB202700000042",
            "PX20270000004A",
            "PX2027ILOU0000000",
        ] {
            assert!(!plausible_number(bad), "{bad}");
        }
    }

    fn held(occupation: &str, level: Level) -> Certificate {
        Certificate {
            id: 1,
            number: "PX1".into(),
            holder: "张三".into(),
            certificate_type: CertificateType::SkillLevel,
            occupation: occupation.into(),
            level,
            issuer: "评价中心".into(),
            issued_on: chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
            course: "C".into(),
            status: "valid".into(),
            status_reason: None,
        }
    }

    #[test]
    fn the_ladder_climbs_the_eight_levels_in_order() {
        let mut level = Level::Apprentice;
        let mut climbed = vec![level];
        while let Some(next) = next_level(level) {
            climbed.push(next);
            level = next;
        }
        assert_eq!(
            climbed,
            [
                Level::Apprentice,
                Level::Level5,
                Level::Level4,
                Level::Level3,
                Level::Level2,
                Level::Level1,
                Level::SpecialTechnician,
                Level::ChiefTechnician
            ]
        );
        assert_eq!(next_level(Level::None), None);
    }

    #[test]
    fn the_ladder_shows_the_highest_level_held_per_occupation() {
        let rungs = ladder(&[
            held("电工", Level::Level5),
            held("焊工", Level::Level4),
            held("电工", Level::Level3),
            held("电工", Level::Level4),
            held("无人机驾驶员", Level::None),
        ]);
        assert_eq!(
            rungs,
            vec![
                Rung {
                    occupation: "电工".into(),
                    held: Level::Level3,
                    next: Some(Level::Level2)
                },
                Rung {
                    occupation: "焊工".into(),
                    held: Level::Level4,
                    next: Some(Level::Level3)
                },
            ]
        );
        let top = ladder(&[held("电工", Level::ChiefTechnician)]);
        assert_eq!(top[0].next, None);
    }
}
