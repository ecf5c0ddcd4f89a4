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
}

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
        }
    }
}

/// The certificate number: the year of issue and the assessment's sequence number.
pub fn certificate_number(issued_on: NaiveDate, sequence: i64) -> String {
    use chrono::Datelike;
    format!("PX{}{:08}", issued_on.year(), sequence)
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
    for c in certificates.iter().filter(|c| rank(c.level).is_some()) {
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
    fn numbers_carry_the_year() {
        let d = NaiveDate::from_ymd_opt(2027, 5, 1).unwrap();
        assert_eq!(certificate_number(d, 42), "PX202700000042");
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
