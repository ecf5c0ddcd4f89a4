//! The generator of catalogue rows (catalog-format.md), deterministic for a seed.

use crate::cities::CITIES;
use crate::occupations::OCCUPATIONS;
use chrono::{Duration, NaiveDate};
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::io::Write;

const CODE_PREFIX: &[&str] = &[
    "CD", "ZG", "PZH", "LZ", "DY", "MY", "GY", "SN", "NJ", "LS", "NC", "MS", "YB", "GA", "DZ",
    "YA", "BZ", "ZY", "AB", "GZ", "LSZ",
];

const SCHOOL_KINDS: &[&str] = &[
    "职业技能培训学校",
    "技工学校",
    "职业培训中心",
    "技能实训基地",
    "职业技术学院培训部",
];
const FORMATS: &[&str] = &[
    "full_time",
    "night",
    "weekend",
    "holiday",
    "online",
    "blended",
];
const CLASS_TYPES: &[&str] = &[
    "provincial_demo",
    "enterprise_order",
    "county_brand",
    "community_public",
    "regular",
    "regular",
];
const GROUP_SETS: &[&str] = &[
    "all",
    "all",
    "all",
    "unemployed;migrant_worker;poverty_monitored",
    "graduate;youth",
    "veteran",
    "migrant_worker;hydro_migrant",
    "enterprise_worker",
    "disabled;employment_difficulty",
    "unemployed;employment_difficulty;general",
];
const ACCESS: &[&str] = &[
    "",
    "",
    "",
    "barrier_free_venue",
    "barrier_free_venue;sign_language",
    "captions;online_option",
    "large_print;barrier_free_venue",
    "online_option",
];

fn level_short(level: &str) -> &'static str {
    match level {
        "level5" => "初级",
        "level4" => "中级",
        "level3" => "高级",
        "level2" => "技师",
        _ => "",
    }
}

fn format_suffix(format: &str) -> &'static str {
    match format {
        "night" => "夜校班",
        "weekend" => "周末班",
        "holiday" => "假日班",
        "online" => "线上班",
        "blended" => "线上线下班",
        _ => "",
    }
}

/// Writes `items` catalogue rows (and the header) as CSV to `out`.
pub fn generate<W: Write>(
    items: usize,
    seed: u64,
    out: W,
) -> Result<(), Box<dyn std::error::Error>> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let first_start = NaiveDate::from_ymd_opt(2026, 12, 7).ok_or("bad date")?;
    let mut out = csv::Writer::from_writer(out);
    out.write_record([
        "code",
        "title",
        "occupation",
        "occupation_code",
        "industry",
        "city",
        "district",
        "institution_code",
        "institution",
        "evaluation_org",
        "level",
        "certificate_type",
        "class_format",
        "class_type",
        "groups",
        "min_age",
        "max_age",
        "hours",
        "start_date",
        "end_date",
        "enroll_deadline",
        "capacity",
        "fee_yuan",
        "subsidy_yuan",
        "accessibility",
        "address",
        "contact_phone",
        "description",
    ])?;
    for n in 0..items {
        // Walk the cities and occupations in turn so every city and every area appears early.
        let city_index = n % CITIES.len();
        let (city_code, city_name, city_short, area_code, districts) = CITIES[city_index];
        let occ = if n < OCCUPATIONS.len() * 2 {
            &OCCUPATIONS[n % OCCUPATIONS.len()]
        } else {
            OCCUPATIONS.choose(&mut rng).ok_or("empty")?
        };
        let (occupation, occ_code, industry, cert, levels, base_hours, base_fee) = *occ;
        let level = *levels.choose(&mut rng).ok_or("empty")?;
        let district = *districts.choose(&mut rng).ok_or("empty")?;
        let mut format = *FORMATS.choose(&mut rng).ok_or("empty")?;
        let class_type = *CLASS_TYPES.choose(&mut rng).ok_or("empty")?;
        let mut groups = *GROUP_SETS.choose(&mut rng).ok_or("empty")?;
        let mut accessibility = *ACCESS.choose(&mut rng).ok_or("empty")?;
        let school = rng.random_range(1..=6u32);
        let institution_code = format!("91{city_code}MA6C{:06}", city_index * 10 + school as usize);
        let kind = SCHOOL_KINDS[school as usize % SCHOOL_KINDS.len()];
        let institution = format!(
            "{city_short}{}{kind}（示例）",
            ["第一", "华西", "天府", "巴蜀", "蜀道", "锦程"][school as usize - 1]
        );
        let evaluation_org = if cert == "skill_level" {
            format!("{city_name}职业技能评价中心（示例）")
        } else {
            String::new()
        };
        let hours = base_hours + rng.random_range(0..=4) * 10;
        let mut fee = base_fee + rng.random_range(0..=6) * 100;
        let mut subsidy = (fee * rng.random_range(5..=9) / 10) / 100 * 100;
        let mut cert = cert;
        let mut level = level;
        let mut title = match level_short(level) {
            "" => occupation.to_string(),
            short => format!("{occupation}（{short}）"),
        };
        // Some classes are the plan's special programmes: free adaptive training for veterans,
        // sign-language classes for disabled trainees.
        match n % 17 {
            5 => {
                groups = "veteran";
                title = format!("退役军人适应性培训（{occupation}）");
                fee = 0;
                subsidy = 0;
                cert = "completion";
                level = "none";
                format = "blended";
            }
            11 => {
                groups = "disabled";
                title = format!("残疾人{occupation}技能培训");
                fee = 0;
                accessibility = "barrier_free_venue;sign_language;large_print";
            }
            _ => title.push_str(format_suffix(format)),
        }
        let start = first_start + Duration::days(rng.random_range(0..330));
        let weeks = i64::from(hours / 40).max(1);
        let end = start
            + Duration::weeks(if format == "full_time" {
                weeks
            } else {
                weeks * 3
            });
        let deadline = start - Duration::days(rng.random_range(2..=10));
        let capacity = [20, 25, 30, 40, 50, 60][rng.random_range(0..6)];
        let (min_age, max_age) = match groups {
            "graduate;youth" => ("16", "35"),
            "veteran" => ("", ""),
            _ => ("18", if rng.random_bool(0.5) { "60" } else { "55" }),
        };
        let phone = if rng.random_bool(0.7) {
            format!(
                "{area_code}-{}",
                rng.random_range(20_000_000..89_999_999u32)
                    .to_string()
                    .get(..if area_code.len() == 3 { 8 } else { 7 })
                    .unwrap_or("2000000")
            )
        } else {
            String::new()
        };
        let address = format!("{city_name}{district}示例路{}号", rng.random_range(1..300));
        let description = format!(
            "{occupation}{}培训，理论与实操结合，共 {hours} 课时。结业后{}。",
            if level_short(level).is_empty() {
                String::new()
            } else {
                format!("{}工", level_short(level))
            },
            match cert {
                "skill_level" => "参加职业技能等级认定",
                "special_operation" => "参加特种作业操作证考试",
                "special_ability" => "参加专项职业能力考核",
                "qualification" => "参加职业资格考试",
                _ => "颁发培训合格证明",
            }
        );
        let code = format!(
            "{}-2026-{:04}",
            CODE_PREFIX[city_index],
            n / CITIES.len() + 1
        );
        out.write_record([
            code.as_str(),
            &title,
            occupation,
            occ_code,
            industry,
            city_code,
            district,
            &institution_code,
            &institution,
            &evaluation_org,
            level,
            cert,
            format,
            class_type,
            groups,
            min_age,
            max_age,
            &hours.to_string(),
            &start.to_string(),
            &end.to_string(),
            &deadline.to_string(),
            &capacity.to_string(),
            &format!("{fee}.00"),
            &format!("{subsidy}.00"),
            accessibility,
            &address,
            &phone,
            &description,
        ])?;
    }
    out.flush()?;
    Ok(())
}

/// The catalogue as bytes.
pub fn generate_bytes(items: usize, seed: u64) -> Result<Vec<u8>, Box<dyn std::error::Error>> {
    let mut out = Vec::new();
    generate(items, seed, &mut out)?;
    Ok(out)
}
