//! Query understanding: what a person typed into the search, read the way they meant it.
//!
//! 「成都 学电焊 周末班」 is a place (成都, a filter), a way of asking (学, dropped), an everyday
//! name of an occupation (电焊 → 焊工) and a class format (周末班, a filter). The words come
//! from reviewed data files (`app/data/search/`); the functions here are pure.

mod lexicon;

pub use lexicon::{Lexicon, Meaning};

use crate::reference::{City, ClassFormat};
use jieba_rs::Jieba;
use std::sync::LazyLock;

/// jieba's dictionary and the lexicon's words, so that 周末班, 电焊工 and 开网店 stay whole.
pub static SEGMENTER: LazyLock<Jieba> = LazyLock::new(|| {
    let mut jieba = Jieba::new();
    for word in Lexicon::get().words() {
        if word.chars().count() >= 2 {
            jieba.add_word(word, None, None);
        }
    }
    jieba
});

/// One thing to match: a word as typed, and the occupations it names or is related to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    pub text: String,
    /// Occupations this is an everyday name of (the synonym file).
    pub names: Vec<String>,
    /// Occupations whose profile speaks of it (a weaker hint).
    pub related: Vec<String>,
}

/// One whitespace-separated part of the query, and the terms read from it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    pub text: String,
    pub terms: Vec<Term>,
}

/// What a query was understood as.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Understood {
    pub parts: Vec<Part>,
    pub cities: Vec<City>,
    /// Districts by full name (武侯区), with their cities.
    pub districts: Vec<(City, String)>,
    pub formats: Vec<ClassFormat>,
    /// Asked for a certificate (电工证, 考证).
    pub certificate: bool,
    /// Words of asking that were not matched (学, 怎么, 报名 …).
    pub dropped: Vec<String>,
}

impl Understood {
    /// Every term, in the order typed.
    pub fn terms(&self) -> impl Iterator<Item = &Term> {
        self.parts.iter().flat_map(|p| p.terms.iter())
    }

    /// What is searched for as text, as the page says it back ("按「电工」搜索").
    pub fn searched(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for term in self.terms() {
            let said = term
                .names
                .first()
                .cloned()
                .unwrap_or_else(|| term.text.clone());
            if !out.contains(&said) {
                out.push(said);
            }
        }
        out
    }
}

/// A Chinese character (the CJK unified ideographs, extension A and the compatibility ones).
pub fn is_cjk(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}')
}

/// Reads a query: each part is segmented (jieba with the lexicon's words), and each word is
/// a way of asking, a certificate, a format, a place, an occupation's everyday name, or text.
pub fn understand(q: &str, lexicon: &Lexicon) -> Understood {
    let mut out = Understood::default();
    for part in q.split_whitespace() {
        let words: Vec<String> = if lexicon.meaning(part).is_some() || !part.chars().any(is_cjk) {
            vec![part.to_string()]
        } else {
            SEGMENTER
                .cut(part, true)
                .into_iter()
                .map(|t| t.word.trim().to_string())
                .filter(|w| w.chars().any(char::is_alphanumeric))
                .collect()
        };
        let mut terms: Vec<Term> = Vec::new();
        for word in &words {
            // 电工证 is one word to jieba: the certificate asked for, and the occupation.
            let word = match certificate_of(word, lexicon) {
                Some(rest) => {
                    out.certificate = true;
                    rest
                }
                None => word.as_str(),
            };
            let word = &word.to_string();
            match lexicon.meaning(word) {
                Some(Meaning::Filler) => out.dropped.push(word.clone()),
                Some(Meaning::Certificate) => {
                    out.certificate = true;
                    out.dropped.push(word.clone());
                }
                Some(Meaning::Format(f)) => push_new(&mut out.formats, *f),
                Some(Meaning::City(c)) => push_new(&mut out.cities, *c),
                Some(Meaning::District { city, name }) => {
                    push_new(&mut out.districts, (*city, name.clone()))
                }
                Some(Meaning::Occupation(names)) => terms.push(Term {
                    text: word.to_lowercase(),
                    names: names.clone(),
                    related: Vec::new(),
                }),
                None => terms.push(Term {
                    text: word.to_lowercase(),
                    names: Vec::new(),
                    related: lexicon.related(word),
                }),
            }
        }
        // A part none of whose words is known may still hold a phrase of an occupation's
        // profile across jieba's cut (包抄手: 包抄 + 手, yet 抄手).
        if !terms.is_empty()
            && terms
                .iter()
                .all(|t| t.names.is_empty() && t.related.is_empty())
        {
            let related = lexicon.related(part);
            if !related.is_empty() {
                terms.push(Term {
                    text: part.to_lowercase(),
                    names: Vec::new(),
                    related,
                });
            }
        }
        // A character alone says little beside longer words (护 in 养老护里员).
        if terms.iter().any(|t| t.text.chars().count() > 1) {
            terms.retain(|t| t.text.chars().count() > 1 || !t.text.chars().all(is_cjk));
        }
        out.parts.push(Part {
            text: part.to_lowercase(),
            terms,
        });
    }
    out
}

/// What is left of a word ending in a certificate (电工证 → 电工, 焊工资格证 → 焊工), when
/// that is at least two characters and the word is not itself a place, format or way of
/// asking (an everyday name may end in 证: 叉车证 is still 叉车).
fn certificate_of<'a>(word: &'a str, lexicon: &Lexicon) -> Option<&'a str> {
    if lexicon
        .meaning(word)
        .is_some_and(|m| !matches!(m, Meaning::Occupation(_)))
    {
        return None;
    }
    let chars: Vec<(usize, char)> = word.char_indices().collect();
    // The longest certificate word that ends it.
    for (at, _) in chars.iter().skip(2) {
        let (rest, tail) = word.split_at(*at);
        if matches!(lexicon.meaning(tail), Some(Meaning::Certificate)) {
            return Some(rest);
        }
    }
    None
}

fn push_new<T: PartialEq>(list: &mut Vec<T>, value: T) {
    if !list.contains(&value) {
        list.push(value);
    }
}

#[cfg(test)]
mod tests;
