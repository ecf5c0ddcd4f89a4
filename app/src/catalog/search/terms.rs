//! Terms: where each word, character and pinyin spelling occurs (`Postings`), and how a
//! query's terms match and score a course: any term may match, and a course counts each
//! term by the strongest place it matched (a title match counts most).

use super::text::{is_cjk, pinyin_forms};
use super::CatalogIndex;
use crate::catalog::understanding::{Term, Understood};
use roaring::RoaringBitmap;
use std::collections::{BTreeMap, HashMap};

/// How much a match in each place counts towards relevance: the words as typed first, then
/// an everyday name's occupation, then a homophone, then a profile's hint, then characters.
/// The occupation itself (电工 is 电工 before 低压电工作业).
const EXACT_OCCUPATION_WEIGHT: f32 = 3.5;
const TITLE_WEIGHT: f32 = 3.0;
const OCCUPATION_WEIGHT: f32 = 2.0;
const NAME_WEIGHT: f32 = 2.0;
const PINYIN_WEIGHT: f32 = 2.0;
const HOMOPHONE_OCCUPATION_WEIGHT: f32 = 1.75;
const HOMOPHONE_WEIGHT: f32 = 1.5;
const OTHER_WEIGHT: f32 = 1.0;
const RELATED_WEIGHT: f32 = 1.0;
const CHARACTER_WEIGHT: f32 = 0.5;
/// A word matched by its characters needs this share of them (by rarity)…
const MIN_CHARACTER_SHARE: f32 = 0.5;
/// …and at most this many characters (every combination of them is tried).
const MAX_CHARACTER_TERM: usize = 8;
/// Shortest pinyin (or initials) typed that is matched as a prefix.
const MIN_PINYIN_PREFIX: usize = 2;
/// Where a term was found in a course.
#[derive(Default)]
pub(super) struct Postings {
    pub title: HashMap<String, RoaringBitmap>,
    pub occupation: HashMap<String, RoaringBitmap>,
    pub other: HashMap<String, RoaringBitmap>,
    /// Courses by their whole occupation (焊工), for everyday names and profiles.
    pub occupations: HashMap<String, RoaringBitmap>,
    pub characters: HashMap<char, RoaringBitmap>,
    /// The full pinyin of everyday names (dianshang: 电商 → 电子商务师) and of profile
    /// phrases (chaocai: 炒菜 → 中式烹调师): the courses of their occupations.
    pub pinyin_names: HashMap<String, RoaringBitmap>,
    /// Whole occupations by their full pinyin (dianggong: 电工, not 低压电工作业).
    pub pinyin_occupations: HashMap<String, RoaringBitmap>,
    pub pinyin_related: HashMap<String, RoaringBitmap>,
    /// Full pinyin and initials, ordered so a typed prefix is a range.
    pub pinyin: BTreeMap<String, RoaringBitmap>,
}

/// How one term matched: the courses it found, each set with the weight of finding a course
/// there, characters of an unknown word with their share of it, and how rare it is.
pub(super) struct Matcher {
    /// (courses, weight), strongest first: a course counts with the first set holding it.
    fields: Vec<(RoaringBitmap, f32)>,
    /// Courses holding some characters of a word found nowhere else, and each one's share.
    characters: Vec<(RoaringBitmap, f32)>,
    any: RoaringBitmap,
    idf: f32,
    strong: bool,
}

impl Matcher {
    /// Found as typed in a title or occupation, by pinyin, or as an everyday name.
    fn strong(&self) -> bool {
        self.strong
    }
}

pub(super) fn score(doc: u32, matchers: &[Matcher]) -> f32 {
    matchers
        .iter()
        .map(|m| {
            let field = m
                .fields
                .iter()
                .find(|(docs, _)| docs.contains(doc))
                .map(|(_, weight)| *weight);
            let weight = field.unwrap_or_else(|| {
                CHARACTER_WEIGHT
                    * m.characters
                        .iter()
                        .filter(|(docs, _)| docs.contains(doc))
                        .map(|(_, share)| share)
                        .sum::<f32>()
            });
            weight * m.idf
        })
        .sum()
}

impl CatalogIndex {
    fn idf(&self, df: u64) -> f32 {
        (1.0 + self.courses.len() as f32 / (1.0 + df as f32)).ln()
    }

    /// The courses matching any term of what was understood (more terms, and stronger
    /// matches, rank higher), and a matcher per term to score them.
    pub(super) fn text_matches(&self, understood: &Understood) -> (RoaringBitmap, Vec<Matcher>) {
        let mut result = RoaringBitmap::new();
        let mut matchers = Vec::new();
        for part in &understood.parts {
            let mut found: Vec<Matcher> = part.terms.iter().map(|t| self.matcher(t)).collect();
            // A Chinese part none of whose words is found as typed may be a homophone typo
            // of a pinyin input method (叉车斯机, 养老护里员): matched by its sound whole.
            // (Not a part read whole as a place, a format or a way of asking.)
            if !found.is_empty()
                && !found.iter().any(|m| m.strong())
                && part.text.chars().count() >= 2
            {
                let (whole, words) = self.homophones(&part.text);
                if !(whole.is_empty() && words.is_empty()) {
                    let fields = vec![
                        (whole, HOMOPHONE_OCCUPATION_WEIGHT),
                        (words, HOMOPHONE_WEIGHT),
                    ];
                    found = vec![self.finish(fields, Vec::new())];
                }
            }
            for m in found {
                result |= &m.any;
                matchers.push(m);
            }
        }
        (result, matchers)
    }

    fn by_occupation(&self, names: &[String]) -> RoaringBitmap {
        let mut out = RoaringBitmap::new();
        for name in names {
            if let Some(docs) = self.postings.occupations.get(name) {
                out |= docs;
            }
        }
        out
    }

    /// Courses whose whole occupation, and those whose title or occupation words, sound like
    /// `text` (every reading of its characters), when it is all Chinese: 电功 is the
    /// occupation 电工 before it is the word 电工 in 低压电工作业.
    fn homophones(&self, text: &str) -> (RoaringBitmap, RoaringBitmap) {
        let (mut whole, mut words) = (RoaringBitmap::new(), RoaringBitmap::new());
        if text.chars().count() < 2 || !text.chars().all(is_cjk) {
            return (whole, words);
        }
        let syllables = text.chars().count();
        for form in pinyin_forms(text) {
            // Initials (dg) would find far too much; only full spellings.
            if form.len() > syllables {
                if let Some(docs) = self.postings.pinyin_occupations.get(&form) {
                    whole |= docs;
                }
                if let Some(docs) = self.postings.pinyin.get(&form) {
                    words |= docs;
                }
            }
        }
        (whole, words)
    }

    fn matcher(&self, term: &Term) -> Matcher {
        let text = term.text.as_str();
        let get = |map: &HashMap<String, RoaringBitmap>| map.get(text).cloned().unwrap_or_default();
        let mut fields = vec![
            (get(&self.postings.occupations), EXACT_OCCUPATION_WEIGHT),
            (get(&self.postings.title), TITLE_WEIGHT),
            (get(&self.postings.occupation), OCCUPATION_WEIGHT),
            (self.by_occupation(&term.names), NAME_WEIGHT),
        ];
        let mut pinyin = RoaringBitmap::new();
        let ascii = text.chars().all(|c| c.is_ascii_alphabetic());
        if ascii && text.len() >= MIN_PINYIN_PREFIX {
            for (_, docs) in self
                .postings
                .pinyin
                .range(text.to_string()..)
                .take_while(|(k, _)| k.starts_with(text))
            {
                pinyin |= docs;
            }
        } else if ascii {
            if let Some(docs) = self.postings.pinyin.get(text) {
                pinyin |= docs;
            }
        }
        fields.push((pinyin, PINYIN_WEIGHT));
        if ascii {
            fields.push((get(&self.postings.pinyin_names), NAME_WEIGHT));
        }
        fields.push((get(&self.postings.other), OTHER_WEIGHT));
        let typed = fields.iter().any(|(docs, _)| !docs.is_empty());
        // Title, occupation, everyday name, pinyin (of either).
        let strong = fields[..5]
            .iter()
            .chain(fields.get(5).filter(|_| ascii))
            .any(|(docs, _)| !docs.is_empty());
        if !typed {
            // Never by sound for a word found as typed.
            let (whole, words) = self.homophones(text);
            fields.push((whole, HOMOPHONE_OCCUPATION_WEIGHT));
            fields.push((words, HOMOPHONE_WEIGHT));
        }
        // A profile's hint only for a word not found in titles or occupations as typed:
        // 电工 finds electricians, not every trade whose profile speaks of electricians.
        if !strong {
            fields.push((self.by_occupation(&term.related), RELATED_WEIGHT));
            if ascii {
                fields.push((get(&self.postings.pinyin_related), RELATED_WEIGHT));
            }
        }
        let found = fields.iter().any(|(docs, _)| !docs.is_empty());
        let characters = if found {
            Vec::new()
        } else {
            self.by_characters(text)
        };
        let mut m = self.finish(fields, characters);
        m.strong = strong;
        m
    }

    /// A Chinese word found nowhere still finds the courses holding at least half of it,
    /// counting each character by its rarity (a character no course has counts most):
    /// 氩弧焊 is not 焊工 by 焊 alone, but 焊接工 is. Each set of courses with the share of
    /// the word its character carries.
    fn by_characters(&self, text: &str) -> Vec<(RoaringBitmap, f32)> {
        let chars: Vec<char> = text.chars().filter(|c| is_cjk(*c)).collect();
        if chars.is_empty() || chars.len() > MAX_CHARACTER_TERM {
            return Vec::new();
        }
        let sets: Vec<(Option<&RoaringBitmap>, f32)> = chars
            .iter()
            .map(|c| {
                let docs = self.postings.characters.get(c);
                (docs, self.idf(docs.map_or(0, |d| d.len())))
            })
            .collect();
        let total: f32 = sets.iter().map(|(_, idf)| idf).sum();
        if total <= 0.0 {
            return Vec::new();
        }
        // Every set of characters carrying half the word: the courses holding all of them.
        let mut enough = RoaringBitmap::new();
        for mask in 1u32..(1 << sets.len()) {
            let chosen: Vec<&(Option<&RoaringBitmap>, f32)> = sets
                .iter()
                .enumerate()
                .filter(|(i, _)| mask & (1 << i) != 0)
                .map(|(_, s)| s)
                .collect();
            let share: f32 = chosen.iter().map(|(_, idf)| idf).sum::<f32>() / total;
            if share < MIN_CHARACTER_SHARE || chosen.iter().any(|(d, _)| d.is_none()) {
                continue;
            }
            let mut docs = self.all.clone();
            for (d, _) in chosen {
                if let Some(d) = d {
                    docs &= *d;
                }
            }
            enough |= docs;
        }
        sets.into_iter()
            .filter_map(|(docs, idf)| docs.map(|d| (d & &enough, idf / total)))
            .filter(|(d, _)| !d.is_empty())
            .collect()
    }

    fn finish(
        &self,
        fields: Vec<(RoaringBitmap, f32)>,
        characters: Vec<(RoaringBitmap, f32)>,
    ) -> Matcher {
        let mut any = RoaringBitmap::new();
        for (docs, _) in fields.iter().chain(characters.iter()) {
            any |= docs;
        }
        let mut fields: Vec<(RoaringBitmap, f32)> =
            fields.into_iter().filter(|(d, _)| !d.is_empty()).collect();
        fields.sort_by(|a, b| b.1.total_cmp(&a.1));
        let idf = self.idf(any.len());
        Matcher {
            fields,
            characters,
            any,
            idf,
            strong: false,
        }
    }
}
