//! What became of the people a course or an institution trained (enrolled, completed,
//! certified, employed, subsidy paid), published on the course page and in the open API.
//!
//! Privacy: a figure is shown only when at least `MIN_PEOPLE` people are behind it, so that no
//! figure can point at one person. The people behind each figure:
//! - `enrolled`: everyone admitted to the class (approved, in training, completed, dropped);
//! - `completion_rate`: those whose training ended (completed or dropped);
//! - `certificate_rate`, `employment_rate`: those who completed;
//! - `claims_paid`: the people paid (shown from 10 of them, among at least 10 completers).
//!
//! An institution's figures count only its courses that publish their own (10 or more
//! admitted), so that its totals minus its courses' never reveal a small class.

pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;

use serde::{Deserialize, Serialize};

/// The fewest people a published figure may stand for.
pub const MIN_PEOPLE: u32 = 10;

/// Raw counts, never published as they are.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub enrolled: u32,
    /// Completed or dropped.
    pub ended: u32,
    pub completed: u32,
    /// Completed and holding the class's certificate.
    pub certified: u32,
    /// Completed and with a job recorded.
    pub employed: u32,
    /// Completed and paid a subsidy for the class's certificate.
    pub claims_paid: u32,
    /// Ratings given, and their stars in all.
    pub ratings: u32,
    pub stars: u32,
}

/// Published outcomes: each figure `None` (hidden) below `MIN_PEOPLE` people. Rates are whole
/// percentages.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Outcomes {
    pub enrolled: Option<u32>,
    pub completion_rate: Option<u32>,
    pub certificate_rate: Option<u32>,
    pub employment_rate: Option<u32>,
    pub claims_paid: Option<u32>,
    /// How many trainees rated, and their average (1–5, one decimal): from 10 ratings.
    pub ratings: Option<u32>,
    #[cfg_attr(feature = "ssr", schema(value_type = Option<f64>))]
    pub average_rating: Option<Stars>,
    /// The threshold: figures standing for fewer people are hidden (null).
    pub min_people: u32,
}

/// An average of stars, kept in tenths (4.3 is 43), said as a number with one decimal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stars(pub u32);

impl Serialize for Stars {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_f64(f64::from(self.0) / 10.0)
    }
}

impl<'de> Deserialize<'de> for Stars {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let value = f64::deserialize(d)?;
        // Within 0..=5 stars by construction: the cast cannot lose a published average.
        Ok(Stars((value * 10.0).round().clamp(0.0, 50.0) as u32))
    }
}

impl std::fmt::Display for Stars {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}", self.0 / 10, self.0 % 10)
    }
}

/// `part` of `whole` as a rounded percentage.
fn percent(part: u32, whole: u32) -> u32 {
    let (part, whole) = (u64::from(part.min(whole)), u64::from(whole));
    u32::try_from((part * 200 + whole) / (whole * 2)).unwrap_or(100)
}

impl Outcomes {
    pub fn publish(c: Counts) -> Outcomes {
        let enough = |people: u32| people >= MIN_PEOPLE;
        let rate = |part: u32, whole: u32| enough(whole).then(|| percent(part, whole));
        Outcomes {
            enrolled: enough(c.enrolled).then_some(c.enrolled),
            completion_rate: rate(c.completed, c.ended),
            certificate_rate: rate(c.certified, c.completed),
            employment_rate: rate(c.employed, c.completed),
            claims_paid: (enough(c.completed) && enough(c.claims_paid)).then_some(c.claims_paid),
            ratings: (c.ratings >= crate::ratings::MIN_RATINGS).then_some(c.ratings),
            average_rating: crate::ratings::published_average(c.ratings, c.stars).map(Stars),
            min_people: MIN_PEOPLE,
        }
    }

    /// Whether any figure is shown.
    pub fn any(&self) -> bool {
        self.enrolled.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(enrolled: u32, ended: u32, completed: u32) -> Counts {
        Counts {
            enrolled,
            ended,
            completed,
            certified: completed / 2,
            employed: completed / 3,
            claims_paid: 1,
            ratings: 0,
            stars: 0,
        }
    }

    #[test]
    fn every_figure_is_hidden_below_ten_people() {
        let o = Outcomes::publish(counts(9, 9, 9));
        assert_eq!(o.enrolled, None);
        assert_eq!(o.completion_rate, None);
        assert_eq!(o.certificate_rate, None);
        assert_eq!(o.employment_rate, None);
        assert_eq!(o.claims_paid, None);
        assert!(!o.any());
        assert_eq!(o.min_people, 10);
    }

    #[test]
    fn figures_show_from_ten_people_each_by_its_own_base() {
        // 30 admitted, 12 ended training, 9 of them completed: the enrolment and completion
        // figures show; the rates among completers (9 people) stay hidden.
        let o = Outcomes::publish(counts(30, 12, 9));
        assert_eq!(o.enrolled, Some(30));
        assert_eq!(o.completion_rate, Some(75));
        assert_eq!(o.certificate_rate, None);
        assert_eq!(o.employment_rate, None);
        assert_eq!(o.claims_paid, None);

        let o = Outcomes::publish(Counts {
            enrolled: 10,
            ended: 10,
            completed: 10,
            certified: 8,
            employed: 3,
            claims_paid: 2,
            ratings: 9,
            stars: 45,
        });
        assert_eq!(o.enrolled, Some(10));
        assert_eq!(o.completion_rate, Some(100));
        assert_eq!(o.certificate_rate, Some(80));
        assert_eq!(o.employment_rate, Some(30));
        // Two people paid: a figure of fewer than 10 people, hidden; so are nine ratings.
        assert_eq!(o.claims_paid, None);
        assert_eq!((o.ratings, o.average_rating), (None, None));
        let paid = Counts {
            enrolled: 12,
            ended: 12,
            completed: 12,
            certified: 12,
            employed: 12,
            claims_paid: 10,
            ratings: 12,
            stars: 51,
        };
        let o = Outcomes::publish(paid);
        assert_eq!(o.claims_paid, Some(10));
        assert_eq!(o.ratings, Some(12));
        assert_eq!(
            o.average_rating.map(|s| s.to_string()).as_deref(),
            Some("4.3")
        );
        let json = serde_json::to_value(o).unwrap();
        assert_eq!(json["average_rating"], 4.3);
    }

    #[test]
    fn rates_round_to_whole_percent() {
        assert_eq!(percent(2, 3), 67);
        assert_eq!(percent(1, 3), 33);
        assert_eq!(percent(1, 8), 13);
        assert_eq!(percent(0, 10), 0);
        assert_eq!(percent(12, 10), 100);
    }
}
