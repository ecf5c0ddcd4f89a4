//! Facets: for each, its values and the courses having each, and per course its values (so
//! counting within a small result touches one cache line a course).

use super::super::{Course, Facet};
use crate::reference::Enumeration;
use roaring::RoaringBitmap;
use std::collections::{BTreeMap, HashMap};

/// One facet: its values, the courses having each, and each course's values.
#[derive(Default)]
pub(super) struct FacetColumn {
    pub names: Vec<String>,
    ids: HashMap<String, usize>,
    bitmaps: Vec<RoaringBitmap>,
}

/// Facets counted course by course: per course, for each facet, the bit set of its value ids
/// (facets of at most 64 values), or the one value's id + 1 (districts; 0: none). One course's
/// values sit together, so a count touches one cache line per course.
pub(super) type CourseValues = [u64; Facet::ALL.len()];

pub(super) fn add_course(counts: &mut [u64], slot: u64, as_bits: bool) {
    if as_bits {
        let mut bits = slot;
        while bits != 0 {
            counts[bits.trailing_zeros() as usize] += 1;
            bits &= bits - 1;
        }
    } else if slot > 0 {
        counts[slot as usize - 1] += 1;
    }
}

impl FacetColumn {
    pub(super) fn add(&mut self, doc: u32, value: String) {
        let next = self.names.len();
        let id = *self.ids.entry(value.clone()).or_insert(next);
        if id == next {
            self.names.push(value);
            self.bitmaps.push(RoaringBitmap::new());
        }
        self.bitmaps[id].insert(doc);
    }

    pub(super) fn as_bits(&self) -> bool {
        self.names.len() <= 64
    }

    /// Writes this facet's values of every course into `values[..][position]`.
    pub(super) fn fill(&self, values: &mut [CourseValues], position: usize) {
        for (id, docs) in self.bitmaps.iter().enumerate() {
            for doc in docs {
                let slot = &mut values[doc as usize][position];
                if self.as_bits() {
                    *slot |= 1 << id;
                } else {
                    *slot = id as u64 + 1;
                }
            }
        }
    }

    pub(super) fn named(&self, counts: Vec<u64>) -> BTreeMap<String, u64> {
        self.names
            .iter()
            .cloned()
            .zip(counts)
            .filter(|(_, n)| *n > 0)
            .collect()
    }

    /// Courses per value within a (large) scope, by bitmap intersections.
    pub(super) fn count_by_bitmaps(&self, scope: &RoaringBitmap) -> BTreeMap<String, u64> {
        self.named(
            self.bitmaps
                .iter()
                .map(|b| scope.intersection_len(b))
                .collect(),
        )
    }

    pub(super) fn docs(&self, value: &str) -> Option<&RoaringBitmap> {
        self.ids.get(value).map(|id| &self.bitmaps[*id])
    }
}

pub(super) fn facet_values(course: &Course, facet: Facet) -> Vec<String> {
    match facet {
        Facet::Industry => vec![course.industry.code().into()],
        Facet::City => vec![course.city.code().into()],
        Facet::District => course.district.iter().cloned().collect(),
        Facet::ClassFormat => vec![course.class_format.code().into()],
        Facet::ClassType => vec![course.class_type.code().into()],
        Facet::Level => vec![course.level.code().into()],
        Facet::Accessibility => course
            .accessibility
            .iter()
            .map(|a| a.code().to_string())
            .collect(),
        Facet::Free => vec![course.is_free().to_string()],
        Facet::HasSeats => vec![(course.seats_left > 0).to_string()],
    }
}
