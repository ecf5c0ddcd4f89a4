//! The search's relevance, measured on the relevance set of `app/data/search/` (see its
//! README): a fixed catalogue and the queries people type, each with the occupation meant.
//! The set was committed in a1e3493 (the README in 5f25553), before any change to the
//! search for issue 17; since then queries may only be added at the end, which the digests
//! below hold to.

use super::CatalogIndex;
use crate::catalog::import::{parse, FileKind};
use crate::catalog::understanding::{understand, Lexicon};
use crate::catalog::{CourseQuery, Strictness};
use chrono::NaiveDate;
use sha2::{Digest, Sha256};

const CATALOGUE: &str = include_str!("../../../data/search/relevance-catalog.csv");
const QUERIES: &str = include_str!("../../../data/search/relevance-queries.csv");
/// The catalogue as committed, and the header and first 405 queries.
const CATALOGUE_SHA256: &str = "4b5a5f316d9b0e1e26e9760080deff823d14db88172f2d8fe18bb71d7b5bc61a";
const FIRST_QUERIES_SHA256: &str =
    "b0d0d902fffd3b5ea72214aa0b65f4f0a0891468d32d87482bbeca0b0c85ebf0";
const FIRST_QUERIES: usize = 405;

/// Each half must find the occupation meant among the first three for this share of its
/// queries, and find nothing for at most this share.
const MIN_TOP_THREE: f64 = 0.90;
const MAX_ZERO: f64 = 0.02;

struct Query {
    text: &'static str,
    occupation: &'static str,
    held_out: bool,
}

fn queries() -> Vec<Query> {
    QUERIES
        .lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let cells: Vec<&str> = l.split(',').collect();
            Query {
                text: cells[0],
                occupation: cells[1],
                held_out: cells[3] == "yes",
            }
        })
        .collect()
}

fn sha256(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[test]
fn the_relevance_set_is_as_committed_before_the_search_changed() {
    assert_eq!(
        sha256(CATALOGUE),
        CATALOGUE_SHA256,
        "the catalogue is fixed"
    );
    let first: String = QUERIES
        .lines()
        .take(FIRST_QUERIES + 1)
        .map(|l| format!("{l}\n"))
        .collect();
    assert_eq!(
        sha256(&first),
        FIRST_QUERIES_SHA256,
        "queries are only ever added at the end"
    );
    let all = queries();
    assert!(all.len() >= 200);
    let held_out = all.iter().filter(|q| q.held_out).count();
    assert!(held_out * 2 >= all.len(), "at least half is held out");
}

/// No alias of the synonym file shares wording with a held-out query: neither holds the
/// other, once the occupations' own names (what the aliases point to) are taken out.
#[test]
fn the_held_out_half_shares_no_wording_with_the_synonym_file() {
    let index = relevance_index();
    let mut occupations: Vec<String> = index.postings.occupations.keys().cloned().collect();
    occupations.sort_by_key(|o| std::cmp::Reverse(o.chars().count()));
    let aliases: Vec<&str> = Lexicon::get().aliases().collect();
    let mut shared = Vec::new();
    for q in queries().iter().filter(|q| q.held_out) {
        let mut text = q.text.to_lowercase();
        for o in &occupations {
            text = text.replace(o.as_str(), " ");
        }
        for word in text.split_whitespace() {
            for alias in &aliases {
                if word.contains(alias) || (word.chars().count() >= 2 && alias.contains(word)) {
                    shared.push(format!("{} ~ {alias}", q.text));
                }
            }
        }
    }
    assert!(shared.is_empty(), "{shared:#?}");
}

fn relevance_index() -> CatalogIndex {
    let parsed = parse(CATALOGUE.as_bytes(), FileKind::Csv);
    assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
    CatalogIndex::build(parsed.items.into_iter().map(Into::into).collect())
}

#[derive(Default)]
struct Tally {
    queries: usize,
    top_three: usize,
    zero: usize,
    missed: Vec<String>,
}

impl Tally {
    fn share(n: usize, of: usize) -> f64 {
        n as f64 / of.max(1) as f64
    }

    fn report(&self, name: &str) -> String {
        format!(
            "{name}: {} queries, {:.1} % with the occupation in the first three, {:.1} % \
             without results; missed: {}",
            self.queries,
            100.0 * Tally::share(self.top_three, self.queries),
            100.0 * Tally::share(self.zero, self.queries),
            self.missed.join("; ")
        )
    }

    fn passes(&self) -> bool {
        Tally::share(self.top_three, self.queries) >= MIN_TOP_THREE
            && Tally::share(self.zero, self.queries) <= MAX_ZERO
    }
}

#[test]
fn people_find_the_occupation_they_mean() {
    let index = relevance_index();
    // Every class of the set is open on this day.
    let today = NaiveDate::from_ymd_opt(2030, 1, 1).unwrap();
    let (mut seen, mut held_out) = (Tally::default(), Tally::default());
    for q in queries() {
        let query = CourseQuery::parse([("q", q.text)], Strictness::Strict).unwrap();
        let hits = index.search(&query, today);
        let tally = if q.held_out { &mut held_out } else { &mut seen };
        tally.queries += 1;
        if hits.total == 0 {
            tally.zero += 1;
        }
        let first: Vec<&str> = hits
            .courses
            .iter()
            .take(3)
            .map(|c| c.occupation.as_str())
            .collect();
        if first.contains(&q.occupation) {
            tally.top_three += 1;
        } else {
            let u = understand(q.text, Lexicon::get());
            tally.missed.push(format!(
                "{} → {:?} (searched {:?})",
                q.text,
                first,
                u.searched()
            ));
        }
    }
    let report = format!(
        "{}\n{}",
        seen.report("in the synonym file's half"),
        held_out.report("held out")
    );
    println!("{report}");
    assert!(seen.passes() && held_out.passes(), "{report}");
}

/// Every example of issue 17 finds its occupation first.
#[test]
fn the_issues_examples_find_their_occupation() {
    let index = relevance_index();
    let today = NaiveDate::from_ymd_opt(2030, 1, 1).unwrap();
    for (q, occupation) in [
        ("电工证", "电工"),
        ("学电工", "电工"),
        ("考电工", "电工"),
        ("导游证", "导游"),
        ("叉车证", "叉车司机"),
        ("消防证", "消防设施操作员"),
        ("电焊", "焊工"),
        ("电焊工", "焊工"),
        ("厨师", "中式烹调师"),
        ("做饭", "中式烹调师"),
        ("保姆", "家政服务员"),
        ("护工", "养老护理员"),
        ("照顾老人", "养老护理员"),
        ("带孩子", "保育师"),
        ("外卖骑手", "网约配送员"),
        ("开网店", "电子商务师"),
        ("直播带货", "互联网营销师"),
        ("修车", "汽车维修工"),
        ("电功", "电工"),
        ("养老护里员", "养老护理员"),
        ("叉车斯机", "叉车司机"),
        ("茶义师", "茶艺师"),
        ("周末 学做饭", "中式烹调师"),
    ] {
        let query = CourseQuery::parse([("q", q)], Strictness::Strict).unwrap();
        let hits = index.search(&query, today);
        let first = hits.courses.first().map(|c| c.occupation.as_str());
        assert_eq!(first, Some(occupation), "{q}");
    }
}
