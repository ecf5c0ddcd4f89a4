//! Trainees' ratings of the classes they completed (product.md's average rating): one rating
//! an enrolment, 1 to 5 stars and an optional comment, changeable for `EDIT_DAYS` days. The
//! average is published per course and institution only from `MIN_RATINGS` ratings (the
//! outcomes' privacy rule); comments are never published: the institution and the city's HR
//! officers read them, the rater shown by family name only.

pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;

use crate::error::{AppError, FieldErrors, FieldProblem};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// How many days after the first rating it may be changed.
pub const EDIT_DAYS: u32 = 30;
/// The fewest ratings an average is published for.
pub const MIN_RATINGS: u32 = 10;
/// The longest comment kept (characters).
pub const MAX_COMMENT: usize = 500;

/// What a trainee sends: `POST /api/v1/me/enrollments/{id}/rating`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RatingInput {
    /// 1 to 5.
    pub stars: i64,
    /// At most 500 characters; read by the institution and the HR bureau only.
    #[serde(default)]
    pub comment: Option<String>,
}

/// A trainee's rating of one of their enrolments.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Rating {
    pub enrollment_id: i64,
    pub stars: u8,
    pub comment: Option<String>,
    /// When it was first given and last changed (RFC 3339).
    pub rated_at: String,
    pub updated_at: String,
    /// The last day it may be changed.
    pub editable_until: NaiveDate,
}

/// A rating as the institution and the HR officers read it: the rater masked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RatingNote {
    pub stars: u8,
    pub comment: Option<String>,
    /// The rater's family name only (`张*`).
    pub author: String,
    pub updated_at: String,
}

/// A checked rating: its stars and its comment (trimmed, none when empty, without the
/// direction and format marks that can make a line read as something else).
pub fn check(input: &RatingInput) -> Result<(u8, Option<String>), AppError> {
    let mut errors = FieldErrors::default();
    let stars = match u8::try_from(input.stars) {
        Ok(s @ 1..=5) => s,
        _ => {
            errors.add("stars", FieldProblem::OutOfRange { min: 1, max: 5 });
            0
        }
    };
    // A browser sends a line break as "\r\n" and counts it as one character, as this does.
    let typed = input.comment.as_deref().map(|c| c.replace("\r\n", "\n"));
    let comment = match crate::text::checked("comment", typed.as_deref(), false, MAX_COMMENT) {
        Ok(c) => c
            .map(|c| {
                c.lines()
                    .map(crate::text::plain_line)
                    .collect::<Vec<_>>()
                    .join("\n")
                    .trim()
                    .to_string()
            })
            .filter(|c| !c.is_empty()),
        Err(_) => {
            errors.add("comment", FieldProblem::TooLong { max: MAX_COMMENT });
            None
        }
    };
    errors.into_result((stars, comment))
}

/// The last day a rating first given on `first` may be changed.
pub fn editable_until(first: NaiveDate) -> NaiveDate {
    first + chrono::Days::new(u64::from(EDIT_DAYS))
}

/// An average of `count` ratings summing to `stars`, in tenths of a star (4.3 → 43), when
/// enough people gave one to publish it.
pub fn published_average(count: u32, stars: u32) -> Option<u32> {
    (count >= MIN_RATINGS).then(|| (stars * 20 + count) / (count * 2))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(stars: i64, comment: Option<&str>) -> RatingInput {
        RatingInput {
            stars,
            comment: comment.map(str::to_string),
        }
    }

    #[test]
    fn one_to_five_stars_and_a_short_plain_comment() {
        assert_eq!(check(&input(5, None)).unwrap(), (5, None));
        assert_eq!(
            check(&input(1, Some("  老师讲得很清楚 "))).unwrap(),
            (1, Some("老师讲得很清楚".to_string()))
        );
        assert_eq!(
            check(&input(3, Some("   "))).unwrap(),
            (3, None),
            "blank: none"
        );
        for bad in [0, 6, -1, 300] {
            let err = check(&input(bad, None)).unwrap_err();
            assert_eq!(
                err.fields().unwrap().0.keys().collect::<Vec<_>>(),
                ["stars"]
            );
        }
        let long = "好".repeat(MAX_COMMENT + 1);
        assert!(check(&input(4, Some(&long))).is_err());
        assert!(check(&input(4, Some(&"好".repeat(MAX_COMMENT)))).is_ok());
        let lines = format!("{}\r\n{}", "好".repeat(249), "好".repeat(250));
        assert!(
            check(&input(4, Some(&lines))).is_ok(),
            "a line break is one character"
        );
        assert_eq!(check(&input(4, Some("\u{202E}\u{200F}"))).unwrap().1, None);
        assert_eq!(
            check(&input(4, Some("好\u{202E}评\n第二行")))
                .unwrap()
                .1
                .as_deref(),
            Some("好评\n第二行"),
            "no direction tricks; lines kept"
        );
    }

    #[test]
    fn a_rating_is_changeable_for_thirty_days() {
        let first = NaiveDate::from_ymd_opt(2027, 5, 1).unwrap();
        assert_eq!(
            editable_until(first),
            NaiveDate::from_ymd_opt(2027, 5, 31).unwrap()
        );
    }

    #[test]
    fn the_average_is_published_from_ten_ratings_in_tenths() {
        assert_eq!(published_average(9, 45), None);
        assert_eq!(published_average(10, 43), Some(43));
        assert_eq!(published_average(10, 50), Some(50));
        // 4.25 rounds half up to 4.3.
        assert_eq!(published_average(12, 51), Some(43));
        assert_eq!(published_average(11, 11), Some(10));
    }
}
