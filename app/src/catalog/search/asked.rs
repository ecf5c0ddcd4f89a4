//! A search as asked: the words read by `understanding`, the places and formats in them as
//! filters that give way when nothing matches, and the way on when nothing does.

use super::terms::Matcher;
use super::text::is_cjk;
use super::{CatalogIndex, Hits};
use crate::catalog::understanding::{understand, Lexicon, Understood};
use crate::catalog::{CourseQuery, Sort, Understanding};
use chrono::NaiveDate;
use roaring::RoaringBitmap;

/// Suggested occupations on a page that found nothing.
const SUGGESTIONS: usize = 5;
/// What a certificate asked for (电工证) adds to a course that leads to one.
pub(super) const CERTIFICATE_BONUS: f32 = 0.25;

/// How one page of results is ordered.
pub(super) struct Order<'a> {
    pub sort: Sort,
    pub matchers: &'a [Matcher],
    pub today: NaiveDate,
    pub certificate: bool,
    /// The courses with no seat left now (for `has_seats`).
    pub full: &'a RoaringBitmap,
}

impl CatalogIndex {
    /// Searches: the words as understood (any may match), the understood places and formats
    /// as filters where the query sets none of its own — dropped, most specific first, when
    /// nothing matches with them — and the query's own filters.
    pub fn search(&self, query: &CourseQuery, today: NaiveDate) -> Hits {
        self.search_seats(query, today, &self.full_when_built)
    }

    /// The same, with the courses that are full now (`full`, course numbers: see
    /// `docs_of`) rather than when the index was built: `has_seats` filters and counts by them.
    pub fn search_seats(
        &self,
        query: &CourseQuery,
        today: NaiveDate,
        full: &RoaringBitmap,
    ) -> Hits {
        let Some(understood) = query.q.as_deref().map(|q| understand(q, Lexicon::get())) else {
            let order = Order {
                sort: query.sort,
                matchers: &[],
                today,
                certificate: false,
                full,
            };
            return self.filtered(query, &self.all, &order);
        };
        // Words that were all place, format or asking (成都, 周末班, 怎么报名) search the
        // whole catalogue through those filters.
        let (text, matchers) = if understood.terms().next().is_none() {
            (self.all.clone(), Vec::new())
        } else {
            self.text_matches(&understood)
        };
        let order = Order {
            sort: query.sort,
            matchers: &matchers,
            today,
            certificate: understood.certificate,
            full,
        };
        let mut implied = Implied::read(&understood, query);
        let mut relaxed: Vec<String> = Vec::new();
        let mut hits = self.filtered(&implied.apply(query), &text, &order);
        while hits.total == 0 && !text.is_empty() {
            let Some(dropped) = implied.relax() else {
                break;
            };
            relaxed.push(dropped.into());
            hits = self.filtered(&implied.apply(query), &text, &order);
        }
        let suggestions = if hits.total == 0 {
            self.suggestions(&understood)
        } else {
            Vec::new()
        };
        hits.understood = Some(Understanding {
            searched: understood.searched(),
            city: implied.cities.clone(),
            district: implied.districts.clone(),
            class_format: implied.formats.clone(),
            relaxed,
            suggestions,
        });
        hits
    }

    /// Occupations of the catalogue to try when nothing matched: those sharing the most
    /// characters with the words, else the most offered; not what was just searched (电工 in
    /// a city without electricians is the "without the filters" link's to offer).
    fn suggestions(&self, understood: &Understood) -> Vec<String> {
        let searched = understood.searched();
        let typed: Vec<char> = understood
            .parts
            .iter()
            .flat_map(|p| p.text.chars())
            .filter(|c| is_cjk(*c))
            .collect();
        let mut offered: Vec<(usize, u64, &String)> = self
            .postings
            .occupations
            .iter()
            .filter(|(name, _)| !searched.contains(name))
            .map(|(name, docs)| {
                let shared = name.chars().filter(|c| typed.contains(c)).count();
                (shared, docs.len(), name)
            })
            .collect();
        offered.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)).then(a.2.cmp(b.2)));
        offered
            .into_iter()
            .take(SUGGESTIONS)
            .map(|(_, _, name)| name.clone())
            .collect()
    }
}

/// Places and formats read from the words, as filters the query did not set itself.
struct Implied {
    cities: Vec<crate::reference::City>,
    districts: Vec<String>,
    formats: Vec<crate::reference::ClassFormat>,
}

impl Implied {
    fn read(understood: &Understood, query: &CourseQuery) -> Implied {
        let mut cities = Vec::new();
        let mut districts = Vec::new();
        if query.city.is_empty() && query.district.is_empty() {
            cities = understood.cities.clone();
            for (city, name) in &understood.districts {
                if !cities.contains(city) && understood.cities.is_empty() {
                    cities.push(*city);
                }
                districts.push(name.clone());
            }
        }
        let formats = if query.class_format.is_empty() {
            understood.formats.clone()
        } else {
            Vec::new()
        };
        Implied {
            cities,
            districts,
            formats,
        }
    }

    fn apply(&self, query: &CourseQuery) -> CourseQuery {
        let mut q = query.clone();
        q.city.extend(self.cities.iter().copied());
        q.district.extend(self.districts.iter().cloned());
        q.class_format.extend(self.formats.iter().copied());
        q
    }

    /// Drops the most specific filter left; which one, or none.
    fn relax(&mut self) -> Option<&'static str> {
        if !self.districts.is_empty() {
            self.districts.clear();
            Some("district")
        } else if !self.formats.is_empty() {
            self.formats.clear();
            Some("class_format")
        } else if !self.cities.is_empty() {
            self.cities.clear();
            Some("city")
        } else {
            None
        }
    }
}
