//! Terms: where each word, character and pinyin spelling occurs (`Postings`), and how a
//! query's terms match and score a course (a title match counts most).

use super::text::{is_cjk, JIEBA};
use super::CatalogIndex;
use roaring::RoaringBitmap;
use std::collections::{BTreeMap, HashMap};

/// How much a match in each place counts towards relevance.
const TITLE_WEIGHT: f32 = 3.0;
const OCCUPATION_WEIGHT: f32 = 2.0;
const PINYIN_WEIGHT: f32 = 2.0;
const OTHER_WEIGHT: f32 = 1.0;
const CHARACTER_WEIGHT: f32 = 0.5;
/// Shortest pinyin (or initials) typed that is matched as a prefix.
const MIN_PINYIN_PREFIX: usize = 2;
/// Where a term was found in a course.
#[derive(Default)]
pub(super) struct Postings {
    pub title: HashMap<String, RoaringBitmap>,
    pub occupation: HashMap<String, RoaringBitmap>,
    pub other: HashMap<String, RoaringBitmap>,
    pub characters: HashMap<char, RoaringBitmap>,
    /// Full pinyin and initials, ordered so a typed prefix is a range.
    pub pinyin: BTreeMap<String, RoaringBitmap>,
}

/// How one term matched: the courses it found in each place, and how rare it is.
pub(super) struct Matcher {
    title: RoaringBitmap,
    occupation: RoaringBitmap,
    other: RoaringBitmap,
    pinyin: RoaringBitmap,
    any: RoaringBitmap,
    idf: f32,
}

pub(super) fn score(doc: u32, matchers: &[Matcher]) -> f32 {
    matchers
        .iter()
        .map(|m| {
            let weight = if m.title.contains(doc) {
                TITLE_WEIGHT
            } else if m.occupation.contains(doc) {
                OCCUPATION_WEIGHT
            } else if m.pinyin.contains(doc) {
                PINYIN_WEIGHT
            } else if m.other.contains(doc) {
                OTHER_WEIGHT
            } else {
                CHARACTER_WEIGHT
            };
            weight * m.idf
        })
        .sum()
}

impl CatalogIndex {
    fn idf(&self, df: u64) -> f32 {
        (1.0 + self.courses.len() as f32 / (1.0 + df as f32)).ln()
    }

    /// The courses matching every term of `q`, each with its relevance score.
    pub(super) fn text_matches(&self, q: &str) -> (RoaringBitmap, Vec<Matcher>) {
        let mut result = self.all.clone();
        let mut matchers = Vec::new();
        for part in q.split_whitespace() {
            let terms: Vec<String> = if part.chars().any(is_cjk) {
                JIEBA
                    .cut(part, true)
                    .into_iter()
                    .map(|t| t.word.trim().to_lowercase())
                    .filter(|w| w.chars().any(|c| c.is_alphanumeric()))
                    .collect()
            } else {
                vec![part.to_lowercase()]
            };
            for term in terms {
                let m = self.matcher(&term);
                result &= &m.any;
                matchers.push(m);
            }
        }
        (result, matchers)
    }

    fn matcher(&self, term: &str) -> Matcher {
        let get = |map: &HashMap<String, RoaringBitmap>| map.get(term).cloned().unwrap_or_default();
        let title = get(&self.postings.title);
        let occupation = get(&self.postings.occupation);
        let other = get(&self.postings.other);
        let mut pinyin = RoaringBitmap::new();
        let ascii = term.chars().all(|c| c.is_ascii_alphabetic());
        if ascii && term.len() >= MIN_PINYIN_PREFIX {
            for (_, docs) in self
                .postings
                .pinyin
                .range(term.to_string()..)
                .take_while(|(k, _)| k.starts_with(term))
            {
                pinyin |= docs;
            }
        } else if ascii {
            if let Some(docs) = self.postings.pinyin.get(term) {
                pinyin |= docs;
            }
        }
        // A Chinese term that no course has as a word (jieba may cut the course's text
        // differently) still finds the courses that have all its characters.
        let words = &(&title | &occupation) | &(&other | &pinyin);
        let mut characters = RoaringBitmap::new();
        if words.is_empty() && term.chars().all(is_cjk) {
            let mut chars = term.chars();
            if let Some(first) = chars.next() {
                characters = self
                    .postings
                    .characters
                    .get(&first)
                    .cloned()
                    .unwrap_or_default();
                for c in chars {
                    characters &= self
                        .postings
                        .characters
                        .get(&c)
                        .cloned()
                        .unwrap_or_default();
                }
            }
        }
        let any = &words | &characters;
        let idf = self.idf(any.len());
        Matcher {
            title,
            occupation,
            other,
            pinyin,
            any,
            idf,
        }
    }
}
