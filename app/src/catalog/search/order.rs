//! The order of a page of results: by relevance (the best-matching first and, as good, the
//! courses still open for enrolment first), by start date, by subsidy, or by the enrolment
//! deadline (the open ones soonest first, then the closed ones, the most recently closed first).

use super::asked::{Order, CERTIFICATE_BONUS};
use super::terms::score;
use super::CatalogIndex;
use crate::catalog::Sort;
use crate::reference::CertificateType;
use chrono::NaiveDate;
use roaring::RoaringBitmap;

impl CatalogIndex {
    /// How many courses closed for enrolment before `today` (the first of `by_deadline`).
    pub(super) fn closed_before(&self, today: NaiveDate) -> usize {
        self.deadlines.partition_point(|d| *d < today)
    }

    /// The course numbers of one page of results, in the order asked for: by relevance, the
    /// best-matching courses first and, as good, those still open for enrolment first.
    pub(super) fn page(
        &self,
        result: &RoaringBitmap,
        order: &Order,
        offset: usize,
        limit: usize,
    ) -> Vec<u32> {
        if offset >= result.len() as usize {
            return Vec::new();
        }
        let end = (offset + limit).min(result.len() as usize);
        let sort = order.sort;
        if sort == Sort::Relevance && !order.matchers.is_empty() {
            let mut scored: Vec<(f32, bool, u32, u32)> = result
                .iter()
                .map(|doc| {
                    let course = &self.courses[doc as usize];
                    let mut relevance = score(doc, order.matchers);
                    if order.certificate && course.certificate_type != CertificateType::Completion {
                        relevance += CERTIFICATE_BONUS;
                    }
                    let closed = course.enroll_deadline < order.today;
                    (-relevance, closed, self.start_rank[doc as usize], doc)
                })
                .collect();
            let by_score = |a: &(f32, bool, u32, u32), b: &(f32, bool, u32, u32)| {
                a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2))
            };
            if end < scored.len() {
                scored.select_nth_unstable_by(end, by_score);
                scored.truncate(end);
            }
            scored.sort_unstable_by(by_score);
            return scored[offset..].iter().map(|t| t.3).collect();
        }
        if sort == Sort::Deadline {
            // The open courses by deadline, soonest first, then the closed ones, the most
            // recently closed first: a position in that order for each course.
            let closed = self.closed_before(order.today) as u32;
            let open = self.courses.len() as u32 - closed;
            let mut keyed: Vec<(u32, u32)> = result
                .iter()
                .map(|doc| {
                    let r = self.deadline_rank[doc as usize];
                    let key = if r >= closed {
                        r - closed
                    } else {
                        open + (closed - 1 - r)
                    };
                    (key, doc)
                })
                .collect();
            if end < keyed.len() {
                keyed.select_nth_unstable(end);
                keyed.truncate(end);
            }
            keyed.sort_unstable();
            return keyed[offset..].iter().map(|k| k.1).collect();
        }
        let (rank, order) = match sort {
            Sort::Subsidy => (&self.subsidy_rank, &self.by_subsidy),
            Sort::Relevance | Sort::StartDate | Sort::Deadline => {
                (&self.start_rank, &self.by_start)
            }
        };
        let mut ranks: Vec<u32> = result.iter().map(|doc| rank[doc as usize]).collect();
        if end < ranks.len() {
            ranks.select_nth_unstable(end);
            ranks.truncate(end);
        }
        ranks.sort_unstable();
        ranks[offset..].iter().map(|r| order[*r as usize]).collect()
    }
}
