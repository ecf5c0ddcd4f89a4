//! Benchmarks and their data: a generator of realistic demand catalogues in the import format
//! (catalog-format.md): real occupations of the ten industry areas, all 21 cities with real
//! districts, Chinese titles, fictional institutions marked （示例）. Deterministic for a seed.

use chrono::{Duration, NaiveDate};
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::io::Write;

/// (occupation, occupation code, industry, certificate type, levels offered, hours, fee yuan)
type Occupation = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static [&'static str],
    u32,
    u32,
);

const OCCUPATIONS: &[Occupation] = &[
    (
        "电工",
        "6-31-01-03",
        "advanced_manufacturing",
        "skill_level",
        &["level5", "level4", "level3", "level2"],
        120,
        1800,
    ),
    (
        "焊工",
        "6-18-02-04",
        "advanced_manufacturing",
        "skill_level",
        &["level5", "level4", "level3"],
        160,
        2200,
    ),
    (
        "数控车工",
        "",
        "advanced_manufacturing",
        "skill_level",
        &["level5", "level4", "level3"],
        200,
        2600,
    ),
    (
        "工业机器人系统运维员",
        "",
        "advanced_manufacturing",
        "skill_level",
        &["level4", "level3"],
        160,
        3200,
    ),
    (
        "装配钳工",
        "",
        "advanced_manufacturing",
        "skill_level",
        &["level5", "level4"],
        120,
        1600,
    ),
    (
        "人工智能训练师",
        "4-04-05-05",
        "digital_economy",
        "skill_level",
        &["level5", "level4", "level3"],
        120,
        3000,
    ),
    (
        "电子商务师",
        "4-01-02-02",
        "digital_economy",
        "skill_level",
        &["level5", "level4"],
        80,
        1500,
    ),
    (
        "互联网营销师",
        "4-01-02-07",
        "digital_economy",
        "skill_level",
        &["level5", "level4"],
        80,
        1600,
    ),
    (
        "网络与信息安全管理员",
        "",
        "digital_economy",
        "skill_level",
        &["level4", "level3"],
        120,
        2800,
    ),
    (
        "数据标注员",
        "",
        "digital_economy",
        "special_ability",
        &["none"],
        60,
        900,
    ),
    (
        "无人机驾驶员",
        "",
        "low_altitude",
        "skill_level",
        &["level5", "level4", "level3"],
        200,
        6800,
    ),
    (
        "无人机装调检修工",
        "",
        "low_altitude",
        "skill_level",
        &["level5", "level4"],
        160,
        5200,
    ),
    (
        "植保无人机操作",
        "",
        "low_altitude",
        "special_ability",
        &["none"],
        60,
        2400,
    ),
    (
        "快递员",
        "",
        "transport",
        "skill_level",
        &["level5", "level4"],
        60,
        800,
    ),
    (
        "汽车维修工",
        "4-12-01-01",
        "transport",
        "skill_level",
        &["level5", "level4", "level3"],
        160,
        2400,
    ),
    (
        "新能源汽车维修",
        "",
        "transport",
        "special_ability",
        &["none"],
        80,
        1800,
    ),
    (
        "叉车司机",
        "",
        "transport",
        "special_operation",
        &["none"],
        48,
        1200,
    ),
    (
        "农艺工",
        "",
        "agriculture",
        "skill_level",
        &["level5", "level4"],
        80,
        600,
    ),
    (
        "茶叶加工工",
        "",
        "agriculture",
        "skill_level",
        &["level5", "level4"],
        80,
        900,
    ),
    (
        "家畜饲养员",
        "",
        "agriculture",
        "skill_level",
        &["level5", "level4"],
        60,
        600,
    ),
    (
        "农村电商运营",
        "",
        "agriculture",
        "special_ability",
        &["none"],
        40,
        500,
    ),
    (
        "中式烹调师",
        "4-03-02-01",
        "life_services",
        "skill_level",
        &["level5", "level4", "level3"],
        120,
        2000,
    ),
    (
        "中式面点师",
        "4-03-02-02",
        "life_services",
        "skill_level",
        &["level5", "level4"],
        100,
        1600,
    ),
    (
        "家政服务员",
        "4-10-01-06",
        "life_services",
        "skill_level",
        &["level5", "level4"],
        80,
        1200,
    ),
    (
        "美容师",
        "",
        "life_services",
        "skill_level",
        &["level5", "level4"],
        120,
        2400,
    ),
    (
        "养老护理员",
        "4-10-01-05",
        "elderly_childcare",
        "skill_level",
        &["level5", "level4", "level3"],
        160,
        2500,
    ),
    (
        "育婴员",
        "4-10-01-02",
        "elderly_childcare",
        "skill_level",
        &["level5", "level4", "level3"],
        120,
        1800,
    ),
    (
        "保育师",
        "4-10-01-03",
        "elderly_childcare",
        "skill_level",
        &["level5", "level4"],
        120,
        1800,
    ),
    (
        "健康管理师",
        "4-14-02-02",
        "elderly_childcare",
        "skill_level",
        &["level3", "level2"],
        160,
        3600,
    ),
    (
        "砌筑工",
        "6-29-01-01",
        "construction_property",
        "skill_level",
        &["level5", "level4"],
        80,
        1000,
    ),
    (
        "钢筋工",
        "",
        "construction_property",
        "skill_level",
        &["level5", "level4"],
        80,
        1000,
    ),
    (
        "电梯安装维修工",
        "",
        "construction_property",
        "skill_level",
        &["level5", "level4"],
        120,
        2400,
    ),
    (
        "物业管理员",
        "",
        "construction_property",
        "skill_level",
        &["level5", "level4"],
        60,
        900,
    ),
    (
        "高处作业",
        "",
        "construction_property",
        "special_operation",
        &["none"],
        40,
        1000,
    ),
    (
        "茶艺师",
        "4-03-02-07",
        "culture_tourism",
        "skill_level",
        &["level5", "level4", "level3"],
        100,
        1800,
    ),
    (
        "导游",
        "",
        "culture_tourism",
        "qualification",
        &["none"],
        80,
        1500,
    ),
    (
        "民宿管家",
        "",
        "culture_tourism",
        "skill_level",
        &["level5", "level4"],
        60,
        1200,
    ),
    (
        "川剧变脸表演（非遗技艺）",
        "",
        "culture_tourism",
        "special_ability",
        &["none"],
        60,
        1500,
    ),
    (
        "消防设施操作员",
        "4-07-05-04",
        "safety_emergency",
        "skill_level",
        &["level5", "level4", "level3"],
        120,
        1800,
    ),
    (
        "应急救援员",
        "",
        "safety_emergency",
        "skill_level",
        &["level5", "level4"],
        100,
        1600,
    ),
    (
        "保安员",
        "4-07-05-01",
        "safety_emergency",
        "skill_level",
        &["level5", "level4"],
        60,
        800,
    ),
    (
        "低压电工作业",
        "",
        "safety_emergency",
        "special_operation",
        &["none"],
        80,
        1300,
    ),
    (
        "焊接与热切割作业",
        "",
        "safety_emergency",
        "special_operation",
        &["none"],
        80,
        1400,
    ),
];

/// (city code, name, short name, area code, districts)
const CITIES: &[(&str, &str, &str, &str, &[&str])] = &[
    (
        "510100",
        "成都市",
        "成都",
        "028",
        &[
            "锦江区",
            "青羊区",
            "金牛区",
            "武侯区",
            "成华区",
            "龙泉驿区",
            "郫都区",
            "双流区",
            "新都区",
            "温江区",
        ],
    ),
    (
        "510300",
        "自贡市",
        "自贡",
        "0813",
        &["自流井区", "贡井区", "大安区", "沿滩区", "荣县", "富顺县"],
    ),
    (
        "510400",
        "攀枝花市",
        "攀枝花",
        "0812",
        &["东区", "西区", "仁和区", "米易县", "盐边县"],
    ),
    (
        "510500",
        "泸州市",
        "泸州",
        "0830",
        &[
            "江阳区",
            "纳溪区",
            "龙马潭区",
            "泸县",
            "合江县",
            "叙永县",
            "古蔺县",
        ],
    ),
    (
        "510600",
        "德阳市",
        "德阳",
        "0838",
        &["旌阳区", "罗江区", "广汉市", "什邡市", "绵竹市", "中江县"],
    ),
    (
        "510700",
        "绵阳市",
        "绵阳",
        "0816",
        &[
            "涪城区",
            "游仙区",
            "安州区",
            "江油市",
            "三台县",
            "盐亭县",
            "梓潼县",
            "北川羌族自治县",
        ],
    ),
    (
        "510800",
        "广元市",
        "广元",
        "0839",
        &[
            "利州区",
            "昭化区",
            "朝天区",
            "旺苍县",
            "青川县",
            "剑阁县",
            "苍溪县",
        ],
    ),
    (
        "510900",
        "遂宁市",
        "遂宁",
        "0825",
        &["船山区", "安居区", "射洪市", "蓬溪县", "大英县"],
    ),
    (
        "511000",
        "内江市",
        "内江",
        "0832",
        &["市中区", "东兴区", "隆昌市", "威远县", "资中县"],
    ),
    (
        "511100",
        "乐山市",
        "乐山",
        "0833",
        &[
            "市中区",
            "沙湾区",
            "五通桥区",
            "峨眉山市",
            "犍为县",
            "井研县",
            "夹江县",
        ],
    ),
    (
        "511300",
        "南充市",
        "南充",
        "0817",
        &[
            "顺庆区",
            "高坪区",
            "嘉陵区",
            "阆中市",
            "南部县",
            "营山县",
            "蓬安县",
            "仪陇县",
        ],
    ),
    (
        "511400",
        "眉山市",
        "眉山",
        "028",
        &["东坡区", "彭山区", "仁寿县", "洪雅县", "丹棱县", "青神县"],
    ),
    (
        "511500",
        "宜宾市",
        "宜宾",
        "0831",
        &[
            "翠屏区",
            "南溪区",
            "叙州区",
            "江安县",
            "长宁县",
            "高县",
            "珙县",
            "兴文县",
        ],
    ),
    (
        "511600",
        "广安市",
        "广安",
        "0826",
        &["广安区", "前锋区", "华蓥市", "岳池县", "武胜县", "邻水县"],
    ),
    (
        "511700",
        "达州市",
        "达州",
        "0818",
        &[
            "通川区",
            "达川区",
            "万源市",
            "宣汉县",
            "开江县",
            "大竹县",
            "渠县",
        ],
    ),
    (
        "511800",
        "雅安市",
        "雅安",
        "0835",
        &[
            "雨城区",
            "名山区",
            "荥经县",
            "汉源县",
            "石棉县",
            "天全县",
            "芦山县",
        ],
    ),
    (
        "511900",
        "巴中市",
        "巴中",
        "0827",
        &["巴州区", "恩阳区", "通江县", "南江县", "平昌县"],
    ),
    (
        "512000",
        "资阳市",
        "资阳",
        "028",
        &["雁江区", "安岳县", "乐至县"],
    ),
    (
        "513200",
        "阿坝藏族羌族自治州",
        "阿坝",
        "0837",
        &["马尔康市", "汶川县", "理县", "茂县", "松潘县", "九寨沟县"],
    ),
    (
        "513300",
        "甘孜藏族自治州",
        "甘孜",
        "0836",
        &["康定市", "泸定县", "丹巴县", "稻城县", "理塘县"],
    ),
    (
        "513400",
        "凉山彝族自治州",
        "凉山",
        "0834",
        &["西昌市", "会理市", "盐源县", "德昌县", "冕宁县", "昭觉县"],
    ),
];

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
pub fn generate_bytes(items: usize, seed: u64) -> Vec<u8> {
    let mut out = Vec::new();
    generate(items, seed, &mut out).expect("writing to memory does not fail");
    out
}

/// The fixed query mix of the catalogue benchmarks: (name, query string).
pub const QUERY_MIX: &[(&str, &str)] = &[
    ("one Chinese word", "q=电工"),
    ("two Chinese words", "q=养老 护理"),
    ("pinyin", "q=diangong"),
    ("initials", "q=dg"),
    (
        "facets only",
        "industry=low_altitude&city=510100&has_seats=true",
    ),
];

/// Courses as the catalogue would hold them, straight from checked import rows.
pub fn courses_of(items: Vec<app::catalog::import::CatalogItem>) -> Vec<app::catalog::Course> {
    items.into_iter().map(app::catalog::Course::from).collect()
}

/// The catalogue split into one CSV per city (column `city`), each with the header.
pub fn split_by_city(bytes: &[u8]) -> Result<Vec<Vec<u8>>, Box<dyn std::error::Error>> {
    let mut reader = csv::ReaderBuilder::new().from_reader(bytes);
    let header = reader.headers()?.clone();
    let city = header
        .iter()
        .position(|h| h == "city")
        .ok_or("no city column")?;
    let mut files: std::collections::BTreeMap<String, csv::Writer<Vec<u8>>> = Default::default();
    for record in reader.records() {
        let record = record?;
        let key = record.get(city).unwrap_or_default().to_string();
        let writer = match files.entry(key) {
            std::collections::btree_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::btree_map::Entry::Vacant(e) => {
                let mut w = csv::Writer::from_writer(Vec::new());
                w.write_record(&header)?;
                e.insert(w)
            }
        };
        writer.write_record(&record)?;
    }
    files
        .into_values()
        .map(|w| w.into_inner().map_err(|e| e.to_string().into()))
        .collect()
}

/// Every row of a generated catalogue, checked as the importer checks them (city by city,
/// as a file may hold at most 20 MB).
pub fn parse_all(bytes: &[u8]) -> Vec<app::catalog::import::CatalogItem> {
    use app::catalog::import::{self, FileKind};
    let files = split_by_city(bytes).expect("a generated catalogue splits");
    let mut items = Vec::new();
    for file in files {
        let parsed = import::parse(&file, FileKind::Csv);
        assert!(
            parsed.errors.is_empty(),
            "generated rows are valid: {:?}",
            parsed.errors.first()
        );
        items.extend(parsed.items);
    }
    items
}

/// The database a benchmark runs on: a fresh SQLite file in `dir`, or — when `BENCH_POSTGRES`
/// names a PostgreSQL server (`postgres://USER@HOST:PORT`) — a fresh database `peixun_bench_NAME`
/// there (dropped first if a previous run left it).
pub async fn bench_database(name: &str, dir: &std::path::Path) -> Result<String, String> {
    use sqlx::{Connection, Executor};
    let Some(base) = std::env::var("BENCH_POSTGRES")
        .ok()
        .filter(|v| !v.trim().is_empty())
    else {
        return Ok(format!(
            "sqlite://{}",
            dir.join(format!("{name}.db")).display()
        ));
    };
    let base = base.trim().trim_end_matches('/');
    let db = format!("peixun_bench_{name}");
    let mut conn = sqlx::PgConnection::connect(&format!("{base}/postgres"))
        .await
        .map_err(|e| format!("BENCH_POSTGRES={base}: {e}"))?;
    for sql in [
        format!("DROP DATABASE IF EXISTS {db} WITH (FORCE)"),
        format!("CREATE DATABASE {db}"),
    ] {
        conn.execute(sql.as_str())
            .await
            .map_err(|e| format!("{sql}: {e}"))?;
    }
    Ok(format!("{base}/{db}"))
}

/// "SQLite" or "PostgreSQL", for the reports' headings.
pub fn backend_name(url: &str) -> &'static str {
    match app::storage::Backend::of_url(url) {
        Some(app::storage::Backend::Postgres) => "PostgreSQL",
        _ => "SQLite",
    }
}

/// GET `url` and read its JSON body.
pub async fn get_json(client: &reqwest::Client, url: &str) -> Result<serde_json::Value, String> {
    client
        .get(url)
        .send()
        .await
        .map_err(|e| e.to_string())?
        .json()
        .await
        .map_err(|e| e.to_string())
}

/// The key every benchmark server holds (PostgreSQL has no key file beside the database).
pub const BENCH_KEY: &str =
    "BwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyAhIiMkJSYnKCkqKywtLi8wMTIzNDU2Nzg5Ojs8PT4/QEFCQ0RFRg==";

/// The release `peixun` serving a database for an HTTP benchmark (`PEIXUN_BIN` names another
/// binary); stopped when dropped.
pub struct ServerUnderTest {
    child: std::process::Child,
    pub base: String,
}

impl ServerUnderTest {
    pub fn start(database_url: &str, port: u16) -> Result<ServerUnderTest, String> {
        let bin = std::env::var("PEIXUN_BIN").unwrap_or_else(|_| "target/release/peixun".into());
        let child = std::process::Command::new(&bin)
            .args([
                "serve",
                "--addr",
                &format!("127.0.0.1:{port}"),
                "--database-url",
                database_url,
            ])
            .env("PEIXUN_LOG", "warn")
            .env("PEIXUN_SECRET_KEY", BENCH_KEY)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::inherit())
            .spawn()
            .map_err(|e| format!("cannot start {bin}: {e}"))?;
        Ok(ServerUnderTest {
            child,
            base: format!("http://127.0.0.1:{port}"),
        })
    }

    /// Waits (at most 20 s) until `path` answers with success.
    pub async fn ready(&self, client: &reqwest::Client, path: &str) -> bool {
        for _ in 0..200 {
            let answered = client
                .get(format!("{}{path}", self.base))
                .send()
                .await
                .is_ok_and(|r| r.status().is_success());
            if answered {
                return true;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        false
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for ServerUnderTest {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
