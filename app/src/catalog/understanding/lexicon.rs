//! The reviewed word lists of `app/data/search/`, read once: what each word means to a search.

use crate::reference::{City, ClassFormat, Enumeration};
use std::collections::HashMap;
use std::sync::LazyLock;

pub(super) const SYNONYMS_FILE: &str = include_str!("../../../data/search/synonyms.csv");
pub(super) const WORDS_FILE: &str = include_str!("../../../data/search/words.csv");
pub(super) const PLACES_FILE: &str = include_str!("../../../data/search/places.csv");
pub(super) const OCCUPATIONS_FILE: &str = include_str!("../../../data/search/occupations.csv");

/// Substrings of an occupation's profile phrases at most this long are looked up.
const MAX_PART_CHARS: usize = 8;

/// What one word means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Meaning {
    /// How people ask (学, 怎么, 报名 …): not matched.
    Filler,
    /// They want a certificate (证, 执照 …): not matched; certificate-bearing classes first.
    Certificate,
    /// When or how they want to learn (周末, 夜校, 线上 …).
    Format(ClassFormat),
    /// A city (成都, 绵阳市 …).
    City(City),
    /// A district or county, with its full name (武侯 → 武侯区) and city.
    District { city: City, name: String },
    /// An everyday name of these occupations (电焊 → 焊工).
    Occupation(Vec<String>),
}

/// The words of the data files, and the occupations' profiles.
pub struct Lexicon {
    words: HashMap<String, Meaning>,
    /// Every part (2 to `MAX_PART_CHARS` characters) of every profile phrase → occupations.
    profile_parts: HashMap<String, Vec<u16>>,
    /// Whole profile phrases → occupations.
    profile_phrases: HashMap<String, Vec<u16>>,
    occupations: Vec<String>,
}

/// The data lines of a reviewed CSV file: without comments, blank lines and the header.
pub(super) fn rows_of(text: &'static str) -> impl Iterator<Item = Vec<&'static str>> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .skip(1)
        .map(|l| l.split(',').map(str::trim).collect())
}

fn lower(word: &str) -> String {
    word.trim().to_lowercase()
}

impl Lexicon {
    /// The lexicon the search uses, read from the data files at first use.
    pub fn get() -> &'static Lexicon {
        static LEXICON: LazyLock<Lexicon> = LazyLock::new(|| {
            Lexicon::from_files(SYNONYMS_FILE, WORDS_FILE, PLACES_FILE, OCCUPATIONS_FILE)
        });
        &LEXICON
    }

    /// Reads the four files (the format of `app/data/search/README.md`). A malformed line is
    /// skipped: the files are checked by the tests, and a search must never fail to start.
    pub fn from_files(
        synonyms: &'static str,
        words: &'static str,
        places: &'static str,
        occupations: &'static str,
    ) -> Lexicon {
        let mut lexicon = Lexicon {
            words: HashMap::new(),
            profile_parts: HashMap::new(),
            profile_phrases: HashMap::new(),
            occupations: Vec::new(),
        };
        for city in City::all() {
            for name in std::iter::once(city.zh()).chain(city.aliases().iter().copied()) {
                lexicon.words.insert(name.into(), Meaning::City(*city));
            }
        }
        let districts: Vec<(City, &str)> = rows_of(places)
            .filter_map(|r| Some((City::from_code(r.get(1)?)?, *r.first()?)))
            .collect();
        for (city, name) in &districts {
            // A short form (武侯) names the district whose full name it begins (武侯区).
            let full = districts
                .iter()
                .filter(|(c, n)| c == city && n.starts_with(name) && n.len() > name.len())
                .map(|(_, n)| *n)
                .next()
                .unwrap_or(name);
            lexicon
                .words
                .entry((*name).into())
                .or_insert(Meaning::District {
                    city: *city,
                    name: full.into(),
                });
        }
        for row in rows_of(words) {
            let meaning = match (row.get(1).copied(), row.get(2).copied()) {
                (Some("filler"), _) => Meaning::Filler,
                (Some("certificate"), _) => Meaning::Certificate,
                (Some("format"), Some(code)) => match ClassFormat::from_code(code) {
                    Some(f) => Meaning::Format(f),
                    None => continue,
                },
                _ => continue,
            };
            if let Some(word) = row.first() {
                lexicon.words.insert(lower(word), meaning);
            }
        }
        for row in rows_of(synonyms) {
            let (Some(alias), Some(occupation)) = (row.first(), row.get(1)) else {
                continue;
            };
            let entry = lexicon
                .words
                .entry(lower(alias))
                .or_insert_with(|| Meaning::Occupation(Vec::new()));
            if let Meaning::Occupation(list) = entry {
                if !list.iter().any(|o| o == occupation) {
                    list.push((*occupation).into());
                }
            }
        }
        for row in rows_of(occupations) {
            let (Some(occupation), Some(profile)) = (row.first(), row.get(2)) else {
                continue;
            };
            let id = lexicon.occupations.len() as u16;
            lexicon.occupations.push((*occupation).into());
            for phrase in profile.split('、').map(lower) {
                let chars: Vec<char> = phrase.chars().collect();
                if chars.len() < 2 {
                    continue;
                }
                add_id(
                    lexicon.profile_phrases.entry(phrase.clone()).or_default(),
                    id,
                );
                for start in 0..chars.len() {
                    for end in (start + 2)..=chars.len().min(start + MAX_PART_CHARS) {
                        let part: String = chars[start..end].iter().collect();
                        add_id(lexicon.profile_parts.entry(part).or_default(), id);
                    }
                }
            }
        }
        lexicon
    }

    /// What `word` means, if a data file says.
    pub fn meaning(&self, word: &str) -> Option<&Meaning> {
        self.words.get(&lower(word))
    }

    /// The words the segmenter should keep whole (not the profiles' phrases: they are
    /// matched within what was typed, and would hide the ways of asking in them).
    pub fn words(&self) -> impl Iterator<Item = &str> {
        self.words
            .keys()
            .chain(self.occupations.iter())
            .map(String::as_str)
    }

    /// The occupations whose profile speaks of `term`: a phrase of the profile contains it,
    /// or it contains a whole phrase (给图片打标签 ⊃ 打标签). Single characters say too little.
    pub fn related(&self, term: &str) -> Vec<String> {
        let term = lower(term);
        let chars: Vec<char> = term.chars().collect();
        if chars.len() < 2 {
            return Vec::new();
        }
        let mut ids: Vec<u16> = Vec::new();
        if let Some(found) = self.profile_parts.get(&term) {
            ids.extend(found);
        }
        for start in 0..chars.len() {
            for end in (start + 2)..=chars.len() {
                let part: String = chars[start..end].iter().collect();
                if let Some(found) = self.profile_phrases.get(&part) {
                    ids.extend(found);
                }
            }
        }
        ids.sort_unstable();
        ids.dedup();
        ids.into_iter()
            .filter_map(|id| self.occupations.get(usize::from(id)).cloned())
            .collect()
    }

    /// Every everyday name (`true`) and profile phrase (`false`) with its occupations, for
    /// matching them by pinyin.
    pub fn spoken(&self) -> Vec<(&str, Vec<&str>, bool)> {
        let mut out: Vec<(&str, Vec<&str>, bool)> = self
            .words
            .iter()
            .filter_map(|(w, m)| match m {
                Meaning::Occupation(names) => {
                    Some((w.as_str(), names.iter().map(String::as_str).collect(), true))
                }
                _ => None,
            })
            .collect();
        for (phrase, ids) in &self.profile_phrases {
            let names = ids
                .iter()
                .filter_map(|id| self.occupations.get(usize::from(*id)))
                .map(String::as_str)
                .collect();
            out.push((phrase.as_str(), names, false));
        }
        out
    }

    /// Every alias of the synonym file (for the relevance test's held-out check).
    pub fn aliases(&self) -> impl Iterator<Item = &str> {
        self.words
            .iter()
            .filter(|(_, m)| matches!(m, Meaning::Occupation(_)))
            .map(|(w, _)| w.as_str())
    }
}

fn add_id(ids: &mut Vec<u16>, id: u16) {
    if !ids.contains(&id) {
        ids.push(id);
    }
}
