//! Text as the index reads it: jieba's words (with the query lexicon's), and the pinyin (full and initials) of Chinese
//! words, every reading of a polyphonic character.

pub(super) use crate::catalog::understanding::is_cjk;
use crate::catalog::understanding::SEGMENTER;
use pinyin::ToPinyinMulti;
use std::collections::HashMap;
use std::sync::Arc;

/// Polyphonic characters read every way only up to this many readings per word.
const MAX_READINGS: usize = 8;

/// The words of a text as jieba's search mode cuts it (long words and the words inside them),
/// lower-cased, without punctuation.
fn words(text: &str) -> Vec<String> {
    let mut out: Vec<String> = SEGMENTER
        .cut_for_search(text, true)
        .into_iter()
        .map(|t| t.word.trim().to_lowercase())
        .filter(|w| w.chars().any(|c| c.is_alphanumeric()))
        .collect();
    out.sort();
    out.dedup();
    out
}

/// The pinyin spellings of a Chinese word, full (`diangong`) and initials (`dg`), every
/// reading of its polyphonic characters (烹调 is `pengtiao`, not only `pengdiao`).
pub(super) fn pinyin_forms(word: &str) -> Vec<String> {
    if word.is_empty() || !word.chars().all(is_cjk) {
        return Vec::new();
    }
    let mut full: Vec<String> = vec![String::new()];
    let mut initials: Vec<String> = vec![String::new()];
    for reading in word.to_pinyin_multi() {
        let Some(multi) = reading else {
            return Vec::new();
        };
        let mut plains: Vec<&str> = multi.into_iter().map(|p| p.plain()).collect();
        plains.dedup();
        let mut firsts: Vec<&str> = multi.into_iter().map(|p| p.first_letter()).collect();
        firsts.sort_unstable();
        firsts.dedup();
        full = extend(full, &plains);
        initials = extend(initials, &firsts);
    }
    full.append(&mut initials);
    full.sort();
    full.dedup();
    full
}

fn extend(prefixes: Vec<String>, endings: &[&str]) -> Vec<String> {
    let mut out = Vec::with_capacity(prefixes.len() * endings.len());
    for p in &prefixes {
        for e in endings {
            if out.len() < MAX_READINGS {
                out.push(format!("{p}{e}"));
            }
        }
    }
    out
}

/// Text analysis is memoised while building: institutions and occupations repeat a lot.
#[derive(Default)]
pub(super) struct AnalysisCache {
    words: HashMap<String, Arc<Vec<String>>>,
}

impl AnalysisCache {
    pub(super) fn words(&mut self, text: &str) -> Arc<Vec<String>> {
        if let Some(w) = self.words.get(text) {
            return w.clone();
        }
        let w = Arc::new(words(text));
        self.words.insert(text.to_string(), w.clone());
        w
    }
}
