//! Lists and their pages: every list the API answers is `{"items", "total", "page",
//! "per_page"}` (api.md), `page` from 1, `per_page` at most 100 (default 20).

use crate::error::{AppError, FieldErrors, FieldProblem};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub const DEFAULT_PER_PAGE: u32 = 20;
pub const MAX_PER_PAGE: u32 = 100;
/// Far past any real list; keeps `page × per_page` well inside an `i64`.
pub const MAX_PAGE: u32 = 100_000;

/// Which page of a list is asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paging {
    pub page: u32,
    pub per_page: u32,
}

impl Default for Paging {
    fn default() -> Self {
        Paging {
            page: 1,
            per_page: DEFAULT_PER_PAGE,
        }
    }
}

impl Paging {
    /// The first `per_page` items (the pages that show a console at once).
    pub fn first(per_page: u32) -> Paging {
        Paging {
            page: 1,
            per_page: per_page.clamp(1, MAX_PER_PAGE),
        }
    }

    /// The first `n` items on one page, however many (a download).
    pub fn first_of(n: u32) -> Paging {
        Paging {
            page: 1,
            per_page: n.max(1),
        }
    }

    /// Every item on one page (a person's export of their own data).
    pub fn everything() -> Paging {
        Paging {
            page: 1,
            per_page: u32::MAX,
        }
    }

    /// How many items come before this page.
    pub fn offset(&self) -> i64 {
        i64::from(self.page.max(1) - 1) * i64::from(self.per_page)
    }

    pub fn limit(&self) -> i64 {
        i64::from(self.per_page)
    }

    /// This page of a list held whole (a person's own records: a few dozen at most).
    pub fn cut<T>(&self, all: Vec<T>) -> Page<T> {
        let total = all.len() as u64;
        let skip = usize::try_from(self.offset()).unwrap_or(usize::MAX);
        let items = all
            .into_iter()
            .skip(skip)
            .take(self.per_page as usize)
            .collect();
        self.of(items, total)
    }

    /// A page read from the database (`items` already this page's) out of `total`.
    pub fn of<T>(&self, items: Vec<T>, total: u64) -> Page<T> {
        Page {
            items,
            total,
            page: self.page,
            per_page: self.per_page,
        }
    }

    /// Reads `page` and `per_page` from a query's pairs; the other keys in `filters` are
    /// returned by name (each once), and any other key is refused as unknown. Every bad value
    /// is named (400).
    pub fn parse<'a, I>(
        pairs: I,
        filters: &[&str],
    ) -> Result<(Paging, BTreeMap<String, String>), AppError>
    where
        I: IntoIterator<Item = (&'a str, &'a str)>,
    {
        let mut errors = FieldErrors::default();
        let (mut page, mut per_page) = (None, None);
        let mut found = BTreeMap::new();
        for (key, value) in pairs {
            let value = value.trim();
            let slot = match key {
                "page" => Some((&mut page, MAX_PAGE)),
                "per_page" => Some((&mut per_page, MAX_PER_PAGE)),
                _ => None,
            };
            match slot {
                _ if value.is_empty() => {}
                Some((slot, _)) if slot.is_some() => errors.add(key, FieldProblem::Repeated),
                Some((slot, max)) => match bounded(value, 1, max) {
                    Ok(n) => *slot = Some(n),
                    Err(problem) => errors.add(key, problem),
                },
                None if filters.contains(&key) => {
                    if found.insert(key.to_string(), value.to_string()).is_some() {
                        errors.add(key, FieldProblem::Repeated);
                    }
                }
                None => errors.add(
                    key.chars().take(40).collect::<String>(),
                    FieldProblem::UnknownParameter,
                ),
            }
        }
        let paging = Paging {
            page: page.unwrap_or(1),
            per_page: per_page.unwrap_or(DEFAULT_PER_PAGE),
        };
        errors.into_result((paging, found))
    }
}

/// A whole number in `min..=max`, or why not.
pub fn bounded(value: &str, min: u32, max: u32) -> Result<u32, FieldProblem> {
    let n: u64 = value.parse().map_err(|_| FieldProblem::NotANumber)?;
    if n < u64::from(min) || n > u64::from(max) {
        return Err(FieldProblem::OutOfRange {
            min: min.into(),
            max: max.into(),
        });
    }
    u32::try_from(n).map_err(|_| FieldProblem::NotANumber)
}

/// One page of a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Page<T> {
    pub items: Vec<T>,
    /// Items over every page.
    pub total: u64,
    /// This page, from 1.
    pub page: u32,
    /// Items per page (at most 100).
    pub per_page: u32,
}

/// How many pages `total` items make, `per_page` a page (at least one).
pub fn pages(total: u64, per_page: u32) -> u32 {
    let per_page = u64::from(per_page.max(1));
    u32::try_from(total.div_ceil(per_page))
        .unwrap_or(u32::MAX)
        .max(1)
}

impl<T> Page<T> {
    /// How many pages the list has (at least one).
    pub fn pages(&self) -> u32 {
        pages(self.total, self.per_page)
    }

    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page {
            items: self.items.into_iter().map(f).collect(),
            total: self.total,
            page: self.page,
            per_page: self.per_page,
        }
    }
}

/// The page and per_page of a list, as the document names them.
#[cfg(feature = "ssr")]
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    /// The page, from 1.
    #[param(minimum = 1, maximum = 100000)]
    pub page: Option<u32>,
    /// Items per page (default 20).
    #[param(minimum = 1, maximum = 100)]
    pub per_page: Option<u32>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(
        query: &[(&str, &str)],
        filters: &[&str],
    ) -> Result<(Paging, BTreeMap<String, String>), AppError> {
        Paging::parse(query.iter().copied(), filters)
    }

    #[test]
    fn a_page_cuts_a_whole_list() {
        let paging = Paging {
            page: 2,
            per_page: 2,
        };
        let page = paging.cut(vec![1, 2, 3, 4, 5]);
        assert_eq!(page.items, [3, 4]);
        assert_eq!(
            (page.total, page.page, page.per_page, page.pages()),
            (5, 2, 2, 3)
        );
        let past = Paging {
            page: 9,
            per_page: 2,
        }
        .cut(vec![1, 2, 3]);
        assert!(past.items.is_empty());
        assert_eq!(past.total, 3);
    }

    #[test]
    fn the_defaults_and_the_bounds() {
        let (paging, filters) = parse(&[], &[]).unwrap();
        assert_eq!(paging, Paging::default());
        assert!(filters.is_empty());
        let (paging, _) = parse(&[("page", "3"), ("per_page", "100")], &[]).unwrap();
        assert_eq!((paging.page, paging.per_page), (3, 100));
        assert_eq!(paging.offset(), 200);
        for (key, value) in [
            ("per_page", "0"),
            ("per_page", "101"),
            ("page", "0"),
            ("page", "x"),
            ("page", "-1"),
        ] {
            let err = parse(&[(key, value)], &[]).unwrap_err();
            assert!(err.fields().unwrap().0.contains_key(key), "{key}={value}");
        }
    }

    #[test]
    fn filters_are_named_and_anything_else_refused() {
        let (_, filters) = parse(&[("status", "paid"), ("page", "")], &["status"]).unwrap();
        assert_eq!(filters.get("status").map(String::as_str), Some("paid"));
        let err = parse(&[("colour", "red")], &["status"]).unwrap_err();
        assert_eq!(
            err.fields().unwrap().0.get("colour"),
            Some(&FieldProblem::UnknownParameter)
        );
        let err = parse(&[("status", "a"), ("status", "b")], &["status"]).unwrap_err();
        assert_eq!(
            err.fields().unwrap().0.get("status"),
            Some(&FieldProblem::Repeated)
        );
    }
}
