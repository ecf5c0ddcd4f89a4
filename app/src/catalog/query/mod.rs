//! The catalogue search request, parsed from `key=value` pairs (URL query or GET form).
//! The same parser serves the JSON API and the pages, so both accept exactly the same input.

use crate::error::{AppError, FieldErrors, FieldProblem};
use crate::reference::{
    Accessibility, City, ClassFormat, ClassType, Enumeration, Group, Industry, Level,
};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

mod directory;
pub use directory::DirectoryQuery;

pub const DEFAULT_PER_PAGE: u32 = 20;
pub const MAX_PER_PAGE: u32 = 100;
pub const MAX_QUERY_CHARS: usize = 100;
pub const MAX_DISTRICT_CHARS: usize = 50;
/// A filter takes at most this many values (a person picks a few districts, never hundreds).
pub const MAX_VALUES: usize = 20;
const MAX_PAGE: u32 = 100_000;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Sort {
    #[default]
    Relevance,
    StartDate,
    Subsidy,
    /// The enrolment deadline: the soonest of the courses still open first, then the closed
    /// ones, the most recently closed first.
    Deadline,
}

impl Sort {
    pub const ALL: [Sort; 4] = [
        Sort::Relevance,
        Sort::StartDate,
        Sort::Subsidy,
        Sort::Deadline,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Sort::Relevance => "relevance",
            Sort::StartDate => "start_date",
            Sort::Subsidy => "subsidy",
            Sort::Deadline => "deadline",
        }
    }
}

/// The facets whose counts a search returns (value code → number of courses).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Facet {
    Industry,
    City,
    District,
    ClassFormat,
    ClassType,
    Level,
    Accessibility,
    Free,
    HasSeats,
}

impl Facet {
    pub const ALL: [Facet; 9] = [
        Facet::Industry,
        Facet::City,
        Facet::District,
        Facet::ClassFormat,
        Facet::ClassType,
        Facet::Level,
        Facet::Accessibility,
        Facet::Free,
        Facet::HasSeats,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Facet::Industry => "industry",
            Facet::City => "city",
            Facet::District => "district",
            Facet::ClassFormat => "class_format",
            Facet::ClassType => "class_type",
            Facet::Level => "level",
            Facet::Accessibility => "accessibility",
            Facet::Free => "free",
            Facet::HasSeats => "has_seats",
        }
    }
}

/// Whether parameters the parser does not know are refused (the API) or ignored (pages,
/// whose links may carry e.g. tracking parameters).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Strictness {
    Strict,
    Lenient,
}

/// A catalogue search. Repeated values of one facet are OR-ed; different facets are AND-ed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
pub struct CourseQuery {
    /// Keywords as people type them: Chinese words, everyday names (电焊), pinyin
    /// (`diangong`) or initials (`dg`), with ways of asking (学, 怎么, 证), places and class
    /// formats (成都, 周末) read as such; at most 100 characters. Any word may match; courses
    /// matching more of them rank first. `understood` in the answer says how they were read.
    pub q: Option<String>,
    #[cfg_attr(feature = "ssr", param(required = false))]
    pub industry: Vec<Industry>,
    #[cfg_attr(feature = "ssr", param(required = false))]
    pub city: Vec<City>,
    /// District or county name (区县), as the catalogue gives it.
    #[cfg_attr(feature = "ssr", param(required = false))]
    pub district: Vec<String>,
    /// Only courses open to one of these groups (or to all).
    #[cfg_attr(feature = "ssr", param(required = false))]
    pub group: Vec<Group>,
    #[cfg_attr(feature = "ssr", param(required = false))]
    pub level: Vec<Level>,
    #[cfg_attr(feature = "ssr", param(required = false))]
    pub class_format: Vec<ClassFormat>,
    #[cfg_attr(feature = "ssr", param(required = false))]
    pub class_type: Vec<ClassType>,
    #[cfg_attr(feature = "ssr", param(required = false))]
    pub accessibility: Vec<Accessibility>,
    /// Only courses without a fee (`true`) or with one (`false`).
    pub free: Option<bool>,
    /// Only courses with seats left (`true`) or full ones (`false`).
    pub has_seats: Option<bool>,
    /// `true`: only courses still open for enrolment (the deadline not passed); `false` or
    /// absent: open and closed alike.
    pub open: Option<bool>,
    /// Start date on or after (YYYY-MM-DD).
    pub starts_after: Option<NaiveDate>,
    /// Start date on or before (YYYY-MM-DD).
    pub starts_before: Option<NaiveDate>,
    #[cfg_attr(feature = "ssr", param(inline, required = false))]
    pub sort: Sort,
    /// Page number, from 1.
    #[cfg_attr(feature = "ssr", param(required = false, default = 1, minimum = 1))]
    pub page: u32,
    /// Items per page, at most 100.
    #[cfg_attr(
        feature = "ssr",
        param(required = false, default = 20, minimum = 1, maximum = 100)
    )]
    pub per_page: u32,
    /// Only courses the signed-in trainee may join now, decided by the eligibility engine
    /// (groups, age, deadline, start, enrolments held); ignored when not signed in as a trainee.
    #[cfg_attr(feature = "ssr", param(required = false))]
    pub eligible: Option<bool>,
}

impl Default for CourseQuery {
    fn default() -> Self {
        CourseQuery {
            q: None,
            industry: Vec::new(),
            city: Vec::new(),
            district: Vec::new(),
            group: Vec::new(),
            level: Vec::new(),
            class_format: Vec::new(),
            class_type: Vec::new(),
            accessibility: Vec::new(),
            free: None,
            has_seats: None,
            open: None,
            starts_after: None,
            starts_before: None,
            sort: Sort::default(),
            page: 1,
            per_page: DEFAULT_PER_PAGE,
            eligible: None,
        }
    }
}

fn push_code<E: Enumeration + PartialEq>(
    list: &mut Vec<E>,
    key: &str,
    value: &str,
    errors: &mut FieldErrors,
) {
    match E::from_code(value) {
        Some(v) if !list.contains(&v) => push_bounded(list, key, v, errors),
        Some(_) => {}
        None => errors.add(key, FieldProblem::UnknownCode),
    }
}

/// Adds a new value to a filter unless it has all it takes. With at most `MAX_VALUES` in a
/// list, the check for repeats stays cheap however many a request sends.
fn push_bounded<T>(list: &mut Vec<T>, key: &str, value: T, errors: &mut FieldErrors) {
    if list.len() < MAX_VALUES {
        list.push(value);
    } else {
        errors.add(key, FieldProblem::TooMany { max: MAX_VALUES });
    }
}

fn set_once<T>(
    slot: &mut Option<T>,
    key: &str,
    value: Option<T>,
    problem: FieldProblem,
    errors: &mut FieldErrors,
) {
    match value {
        None => errors.add(key, problem),
        Some(_) if slot.is_some() => errors.add(key, FieldProblem::Repeated),
        Some(v) => *slot = Some(v),
    }
}

fn parse_bool(value: &str) -> Option<bool> {
    match value {
        "true" | "1" | "on" => Some(true),
        "false" | "0" | "off" => Some(false),
        _ => None,
    }
}

/// The values a boolean facet was given: repeated keys are OR-ed like every facet's, so
/// `free=true&free=false` asks for either (no filter).
#[derive(Debug, Default, Clone, Copy)]
struct Either {
    yes: bool,
    no: bool,
}

impl Either {
    fn add(&mut self, key: &str, value: &str, errors: &mut FieldErrors) {
        match parse_bool(value) {
            Some(true) => self.yes = true,
            Some(false) => self.no = true,
            None => errors.add(key, FieldProblem::NotABool),
        }
    }

    fn value(self) -> Option<bool> {
        match (self.yes, self.no) {
            (true, false) => Some(true),
            (false, true) => Some(false),
            _ => None,
        }
    }
}

fn parse_date(value: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(value, "%Y-%m-%d").ok()
}

fn parse_bounded(value: &str, min: u32, max: u32) -> Result<u32, FieldProblem> {
    let n: u64 = value.parse().map_err(|_| FieldProblem::NotANumber)?;
    if n < u64::from(min) || n > u64::from(max) {
        return Err(FieldProblem::OutOfRange {
            min: min.into(),
            max: max.into(),
        });
    }
    Ok(n as u32)
}

/// The page asked for and its size (`page`, `per_page`): each at most once and in bounds.
#[derive(Debug, Default)]
struct PageAsked {
    page: Option<u32>,
    per_page: Option<u32>,
}

impl PageAsked {
    /// Takes `key=value` when `key` is `page` or `per_page` (true), its problem in `errors`.
    fn take(&mut self, key: &str, value: &str, errors: &mut FieldErrors) -> bool {
        let (slot, max) = match key {
            "page" => (&mut self.page, MAX_PAGE),
            "per_page" => (&mut self.per_page, MAX_PER_PAGE),
            _ => return false,
        };
        match parse_bounded(value, 1, max) {
            Ok(n) => set_once(slot, key, Some(n), FieldProblem::NotANumber, errors),
            Err(p) => errors.add(key, p),
        }
        true
    }

    /// The page and its size, the first page of `DEFAULT_PER_PAGE` unless asked otherwise.
    fn get(&self) -> (u32, u32) {
        (
            self.page.unwrap_or(1),
            self.per_page.unwrap_or(DEFAULT_PER_PAGE),
        )
    }
}

impl CourseQuery {
    /// Parses a search from its `key=value` pairs. Empty values (a form's "any" option) are
    /// ignored; every bad value is reported with its field name.
    pub fn parse<'a, I>(pairs: I, strictness: Strictness) -> Result<CourseQuery, AppError>
    where
        I: IntoIterator<Item = (&'a str, &'a str)>,
    {
        let mut query = CourseQuery::default();
        let mut errors = FieldErrors::default();
        let (mut sort, mut paging) = (None, PageAsked::default());
        let (mut free, mut eligible, mut has_seats, mut open): (Either, Either, Either, Either) =
            Default::default();
        for (key, value) in pairs {
            let value = value.trim();
            if value.is_empty() {
                continue;
            }
            match key {
                // Repeated `q`s are one query, its length counted in all.
                "q" => {
                    let so_far = query.q.as_ref().map_or(0, |q| q.chars().count() + 1);
                    if so_far + value.chars().count() > MAX_QUERY_CHARS {
                        errors.add(
                            key,
                            FieldProblem::TooLong {
                                max: MAX_QUERY_CHARS,
                            },
                        );
                    } else {
                        let joined = match query.q.take() {
                            Some(prev) => format!("{prev} {value}"),
                            None => value.to_string(),
                        };
                        query.q = Some(joined);
                    }
                }
                "industry" => push_code(&mut query.industry, key, value, &mut errors),
                "city" => push_code(&mut query.city, key, value, &mut errors),
                "district" => {
                    if value.chars().count() > MAX_DISTRICT_CHARS {
                        errors.add(
                            key,
                            FieldProblem::TooLong {
                                max: MAX_DISTRICT_CHARS,
                            },
                        );
                    } else if !query.district.iter().any(|d| d == value) {
                        push_bounded(&mut query.district, key, value.to_string(), &mut errors);
                    }
                }
                "group" => push_code(&mut query.group, key, value, &mut errors),
                "level" => push_code(&mut query.level, key, value, &mut errors),
                "class_format" => push_code(&mut query.class_format, key, value, &mut errors),
                "class_type" => push_code(&mut query.class_type, key, value, &mut errors),
                "accessibility" => push_code(&mut query.accessibility, key, value, &mut errors),
                "free" => free.add(key, value, &mut errors),
                "eligible" => eligible.add(key, value, &mut errors),
                "has_seats" => has_seats.add(key, value, &mut errors),
                "open" => open.add(key, value, &mut errors),
                "starts_after" => set_once(
                    &mut query.starts_after,
                    key,
                    parse_date(value),
                    FieldProblem::NotADate,
                    &mut errors,
                ),
                "starts_before" => set_once(
                    &mut query.starts_before,
                    key,
                    parse_date(value),
                    FieldProblem::NotADate,
                    &mut errors,
                ),
                "sort" => {
                    let parsed = Sort::ALL.into_iter().find(|s| s.code() == value);
                    set_once(
                        &mut sort,
                        key,
                        parsed,
                        FieldProblem::UnknownCode,
                        &mut errors,
                    )
                }
                _ if paging.take(key, value, &mut errors) => {}
                _ if strictness == Strictness::Strict => errors.add(
                    key.chars().take(40).collect::<String>(),
                    FieldProblem::UnknownParameter,
                ),
                _ => {}
            }
        }
        query.free = free.value();
        query.eligible = eligible.value();
        query.has_seats = has_seats.value();
        query.open = open.value();
        query.sort = sort.unwrap_or_default();
        (query.page, query.per_page) = paging.get();
        errors.into_result(query)
    }

    /// The search as `key=value` pairs, the inverse of [`CourseQuery::parse`] (defaults left out).
    pub fn to_pairs(&self) -> Vec<(&'static str, String)> {
        fn codes<E: Enumeration>(
            out: &mut Vec<(&'static str, String)>,
            key: &'static str,
            list: &[E],
        ) {
            out.extend(list.iter().map(|v| (key, v.code().to_string())));
        }
        let mut out = Vec::new();
        if let Some(q) = &self.q {
            out.push(("q", q.clone()));
        }
        codes(&mut out, "industry", &self.industry);
        codes(&mut out, "city", &self.city);
        out.extend(self.district.iter().map(|d| ("district", d.clone())));
        codes(&mut out, "group", &self.group);
        codes(&mut out, "level", &self.level);
        codes(&mut out, "class_format", &self.class_format);
        codes(&mut out, "class_type", &self.class_type);
        codes(&mut out, "accessibility", &self.accessibility);
        if let Some(b) = self.free {
            out.push(("free", b.to_string()));
        }
        if let Some(b) = self.has_seats {
            out.push(("has_seats", b.to_string()));
        }
        if let Some(b) = self.open {
            out.push(("open", b.to_string()));
        }
        if let Some(b) = self.eligible {
            out.push(("eligible", b.to_string()));
        }
        if let Some(d) = self.starts_after {
            out.push(("starts_after", d.to_string()));
        }
        if let Some(d) = self.starts_before {
            out.push(("starts_before", d.to_string()));
        }
        if self.sort != Sort::default() {
            out.push(("sort", self.sort.code().to_string()));
        }
        if self.page != 1 {
            out.push(("page", self.page.to_string()));
        }
        if self.per_page != DEFAULT_PER_PAGE {
            out.push(("per_page", self.per_page.to_string()));
        }
        out
    }

    /// The search as the catalogue page runs it: only courses still open for enrolment unless
    /// "包括已截止" (`open=false`) was ticked, and without words, the soonest deadline first.
    /// The API keeps the contract's defaults (all courses, by start date).
    pub fn with_page_defaults(&self) -> CourseQuery {
        let mut asked = self.clone();
        asked.open = Some(self.open.unwrap_or(true));
        if self.q.is_none() && self.sort == Sort::Relevance {
            asked.sort = Sort::Deadline;
        }
        asked
    }

    /// How many filters the page's "筛选 (N)" counts: each value chosen, each box ticked.
    pub fn active_filters(&self) -> usize {
        self.industry.len()
            + self.city.len()
            + self.district.len()
            + self.group.len()
            + self.level.len()
            + self.class_format.len()
            + self.class_type.len()
            + self.accessibility.len()
            + usize::from(self.free.is_some())
            + usize::from(self.has_seats.is_some())
            + usize::from(self.open == Some(false))
            + usize::from(self.eligible == Some(true))
            + usize::from(self.starts_after.is_some())
            + usize::from(self.starts_before.is_some())
    }

    /// A `/courses?…` link for this search (the page number given).
    pub fn href(&self, page: u32) -> String {
        let mut q = self.clone();
        q.page = page;
        let pairs = q.to_pairs();
        if pairs.is_empty() {
            return "/courses".to_string();
        }
        let encoded = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(pairs.iter().map(|(k, v)| (*k, v.as_str())))
            .finish();
        format!("/courses?{encoded}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(pairs: &[(&str, &str)]) -> Result<CourseQuery, AppError> {
        CourseQuery::parse(pairs.iter().copied(), Strictness::Strict)
    }

    fn fields(err: AppError) -> Vec<String> {
        err.fields().unwrap().0.keys().cloned().collect()
    }

    #[test]
    fn repeated_facet_values_are_collected() {
        let q = parse(&[
            ("industry", "transport"),
            ("industry", "agriculture"),
            ("city", "510100"),
        ])
        .unwrap();
        assert_eq!(q.industry, vec![Industry::Transport, Industry::Agriculture]);
        assert_eq!(q.city, vec![City::Chengdu]);
        assert_eq!(q.page, 1);
        assert_eq!(q.per_page, DEFAULT_PER_PAGE);
    }

    #[test]
    fn the_page_shows_open_courses_by_deadline_unless_asked_otherwise() {
        let page = |pairs: &[(&str, &str)]| parse(pairs).unwrap().with_page_defaults();
        let plain = page(&[]);
        assert_eq!((plain.open, plain.sort), (Some(true), Sort::Deadline));
        let closed_too = page(&[("open", "false")]);
        assert_eq!(closed_too.open, Some(false), "包括已截止");
        assert_eq!(
            page(&[("q", "电工")]).sort,
            Sort::Relevance,
            "words: relevance"
        );
        assert_eq!(page(&[("sort", "subsidy")]).sort, Sort::Subsidy);
        // The API's own defaults stay as the contract says.
        let api = parse(&[]).unwrap();
        assert_eq!((api.open, api.sort), (None, Sort::Relevance));
        assert_eq!(parse(&[("sort", "deadline")]).unwrap().sort, Sort::Deadline);
        assert_eq!(parse(&[("open", "true")]).unwrap().open, Some(true));
        assert_eq!(fields(parse(&[("open", "soon")]).unwrap_err()), ["open"]);
    }

    #[test]
    fn the_filter_count_counts_each_choice() {
        let q = |pairs: &[(&str, &str)]| parse(pairs).unwrap().active_filters();
        assert_eq!(q(&[("q", "电工"), ("sort", "subsidy"), ("page", "2")]), 0);
        assert_eq!(q(&[("city", "510100"), ("city", "510700")]), 2);
        assert_eq!(
            q(&[
                ("accessibility", "captions"),
                ("free", "true"),
                ("open", "false")
            ]),
            3
        );
        assert_eq!(q(&[("open", "true")]), 0, "the page's default is no choice");
    }

    #[test]
    fn a_repeated_boolean_facet_means_either_value() {
        let q = |pairs: &[(&str, &str)]| parse(pairs).unwrap();
        assert_eq!(q(&[("free", "true"), ("free", "false")]).free, None);
        assert_eq!(q(&[("free", "0"), ("free", "on")]).free, None);
        assert_eq!(q(&[("free", "true"), ("free", "1")]).free, Some(true));
        assert_eq!(q(&[("has_seats", "false")]).has_seats, Some(false));
        assert_eq!(
            q(&[("has_seats", "true"), ("has_seats", "false")]).has_seats,
            None
        );
        assert_eq!(
            q(&[("eligible", "true"), ("eligible", "true")]).eligible,
            Some(true)
        );
        assert_eq!(
            fields(parse(&[("free", "true"), ("free", "maybe")]).unwrap_err()),
            ["free"]
        );
    }

    #[test]
    fn empty_values_mean_any() {
        assert_eq!(
            parse(&[("industry", ""), ("q", "  ")]).unwrap(),
            CourseQuery::default()
        );
    }

    #[test]
    fn every_bad_field_is_named() {
        let err = parse(&[
            ("industry", "mining"),
            ("page", "0"),
            ("per_page", "101"),
            ("free", "maybe"),
            ("starts_after", "2026-13-01"),
            ("sort", "price"),
            ("colour", "red"),
        ])
        .unwrap_err();
        assert_eq!(err.status(), 400);
        assert_eq!(
            fields(err),
            [
                "colour",
                "free",
                "industry",
                "page",
                "per_page",
                "sort",
                "starts_after"
            ]
        );
    }

    #[test]
    fn lenient_parsing_ignores_unknown_parameters_only() {
        let q = CourseQuery::parse(
            [("utm_source", "x"), ("city", "510700")],
            Strictness::Lenient,
        )
        .unwrap();
        assert_eq!(q.city, vec![City::Mianyang]);
        assert!(CourseQuery::parse([("city", "绵阳")], Strictness::Lenient).is_err());
    }

    #[test]
    fn a_search_survives_a_round_trip_through_its_link() {
        let q = parse(&[
            ("q", "电工 夜校"),
            ("industry", "transport"),
            ("sort", "subsidy"),
            ("page", "3"),
        ])
        .unwrap();
        let href = q.href(3);
        assert_eq!(href, "/courses?q=%E7%94%B5%E5%B7%A5+%E5%A4%9C%E6%A0%A1&industry=transport&sort=subsidy&page=3");
        let pairs = q.to_pairs();
        let again = CourseQuery::parse(
            pairs.iter().map(|(k, v)| (*k, v.as_str())),
            Strictness::Strict,
        )
        .unwrap();
        assert_eq!(again, q);
    }

    #[test]
    fn overlong_search_text_is_refused() {
        let long = "电".repeat(MAX_QUERY_CHARS + 1);
        assert_eq!(fields(parse(&[("q", &long)]).unwrap_err()), ["q"]);
    }
}
