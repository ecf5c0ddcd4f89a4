//! The demand catalogue (职业技能培训需求指导目录): what a course is (`Course`, the one shape
//! of a catalogue item), how it is asked for (`query`), read from a city's file (`import`),
//! searched (`search`, `index`), stored (`store`) and shown (`pages`, `course_page`,
//! `upload_page`), and its directories of institutions and evaluation organisations
//! (`directory`). Everything but the types and pages runs on the server only.

mod query;
pub use query::{CourseQuery, DirectoryQuery, Facet, Sort, Strictness, MAX_PER_PAGE};

pub mod changes;
pub mod course_page;
pub mod directory;
pub mod directory_pages;
mod live;
pub mod pages;
pub mod upload_page;

#[cfg(feature = "ssr")]
pub mod directory_service;
#[cfg(feature = "ssr")]
pub mod directory_store;
#[cfg(feature = "ssr")]
pub mod import;
#[cfg(feature = "ssr")]
pub mod index;
#[cfg(feature = "ssr")]
pub mod search;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;
#[cfg(feature = "ssr")]
pub mod understanding;

use crate::money::Yuan;
use crate::reference::{
    Accessibility, CertificateType, City, ClassFormat, ClassType, Group, Industry, Level,
};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Who a course is open to: everyone (`["all"]` in the API) or the listed groups.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OpenTo {
    All,
    Groups(Vec<Group>),
}

impl OpenTo {
    pub fn admits(&self, group: Group) -> bool {
        match self {
            OpenTo::All => true,
            OpenTo::Groups(groups) => groups.contains(&group),
        }
    }
}

impl Serialize for OpenTo {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            OpenTo::All => ["all"].serialize(s),
            OpenTo::Groups(groups) => groups.serialize(s),
        }
    }
}

impl<'de> Deserialize<'de> for OpenTo {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let codes: Vec<String> = Vec::deserialize(d)?;
        if codes.iter().any(|c| c == "all") {
            return Ok(OpenTo::All);
        }
        codes
            .iter()
            .map(|c| c.parse::<Group>().map_err(serde::de::Error::custom))
            .collect::<Result<_, _>>()
            .map(OpenTo::Groups)
    }
}

/// A course as an institution's list names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CourseRef {
    pub code: String,
    pub title: String,
    pub start_date: String,
}

/// A training institution as the catalogue lists it: its number of courses and outcomes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct InstitutionSummary {
    pub code: String,
    pub name: String,
    pub city: String,
    pub courses: i64,
    /// The occupations of its catalogue courses (of the cities and industries asked for, if any).
    pub occupations: Vec<String>,
    pub outcomes: crate::outcomes::Outcomes,
}

/// A training institution: its catalogue courses and what became of the people it trained.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Institution {
    pub code: String,
    pub name: String,
    pub city: String,
    /// The institution's catalogue courses, by start date.
    pub course_list: Vec<CourseRef>,
    pub outcomes: crate::outcomes::Outcomes,
}

/// One catalogue item: a class that a person can enrol in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Course {
    pub code: String,
    pub title: String,
    pub occupation: String,
    pub occupation_code: Option<String>,
    pub industry: Industry,
    pub city: City,
    pub district: Option<String>,
    pub institution_code: String,
    pub institution: String,
    pub evaluation_org: Option<String>,
    /// The evaluation organisation's identifier: the catalogue file's, else one derived from
    /// its name (see `directory`); none without an organisation.
    pub evaluation_org_code: Option<String>,
    pub level: Level,
    pub certificate_type: CertificateType,
    pub class_format: ClassFormat,
    pub class_type: ClassType,
    /// Group codes the course is open to, or `["all"]`.
    #[cfg_attr(feature = "ssr", schema(value_type = Vec<String>, example = json!(["veteran", "graduate"])))]
    pub groups: OpenTo,
    pub min_age: Option<u8>,
    pub max_age: Option<u8>,
    pub hours: u32,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub enroll_deadline: NaiveDate,
    pub capacity: u32,
    pub seats_left: u32,
    /// Yuan, two decimals.
    #[cfg_attr(feature = "ssr", schema(value_type = String, example = "1800.00"))]
    pub fee_yuan: Yuan,
    /// The subsidy standard in yuan, two decimals.
    #[cfg_attr(feature = "ssr", schema(value_type = String, example = "1000.00"))]
    pub subsidy_yuan: Yuan,
    pub accessibility: Vec<Accessibility>,
    pub address: String,
    pub contact_phone: Option<String>,
    pub description: Option<String>,
    /// Demo data shipped with the app, not a real class.
    pub demo: bool,
    /// What became of the people trained (one course's page and API answer only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcomes: Option<crate::outcomes::Outcomes>,
}

impl Course {
    pub fn is_free(&self) -> bool {
        self.fee_yuan.is_zero()
    }
}

/// Facet counts: facet name → value code → number of courses.
pub type Facets = BTreeMap<String, BTreeMap<String, u64>>;

/// One page of search results, shaped as the API's list envelope.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CourseList {
    pub items: Vec<Course>,
    pub total: u64,
    pub page: u32,
    pub per_page: u32,
    /// Facet name → value code → number of courses, counted with every filter but the
    /// facet's own.
    pub facets: Facets,
    /// How the words (`q`) were read; absent without words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub understood: Option<Understanding>,
}

/// How the search read the words of a query: said back on the page ("按「焊工」搜索"), and the
/// way on when nothing matched.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Understanding {
    /// What was searched for: each word as typed, or the occupation an everyday name means
    /// (电焊 → 焊工); words of asking (学, 怎么, 报名 …) are left out.
    pub searched: Vec<String>,
    /// Cities read from the words and used as a filter.
    pub city: Vec<City>,
    /// Districts or counties read from the words (full names) and used as a filter.
    pub district: Vec<String>,
    /// Class formats read from the words (周末, 夜校, 线上 …) and used as a filter.
    pub class_format: Vec<ClassFormat>,
    /// Filters read from the words but dropped because no course matched with them
    /// (`district`, `class_format`, `city`).
    pub relaxed: Vec<String>,
    /// When no course matched: occupations of the catalogue to try instead.
    pub suggestions: Vec<String>,
}

impl CourseList {
    pub fn pages(&self) -> u32 {
        let per_page = u64::from(self.per_page.max(1));
        u32::try_from(self.total.div_ceil(per_page))
            .unwrap_or(u32::MAX)
            .max(1)
    }
}

/// Courses for tests.
#[cfg(test)]
pub mod testing {
    use super::*;

    pub fn course(
        code: &str,
        title: &str,
        occupation: &str,
        city: City,
        industry: Industry,
    ) -> Course {
        let date = NaiveDate::from_ymd_opt(2027, 3, 1).unwrap();
        Course {
            code: code.into(),
            title: title.into(),
            occupation: occupation.into(),
            occupation_code: None,
            industry,
            city,
            district: Some("武侯区".into()),
            institution_code: "X1".into(),
            institution: "示例职业技能培训学校".into(),
            evaluation_org: None,
            evaluation_org_code: None,
            level: Level::Level5,
            certificate_type: CertificateType::SkillLevel,
            class_format: ClassFormat::Night,
            class_type: ClassType::Regular,
            groups: OpenTo::All,
            min_age: None,
            max_age: None,
            hours: 100,
            start_date: date,
            end_date: date,
            enroll_deadline: date,
            capacity: 30,
            seats_left: 30,
            fee_yuan: Yuan::from_fen(100_000),
            subsidy_yuan: Yuan::from_fen(50_000),
            accessibility: Vec::new(),
            address: "示例路".into(),
            contact_phone: None,
            description: None,
            demo: true,
            outcomes: None,
        }
    }

    /// 电工（初级）in Chengdu, open to all aged 18–60, starting (and closing) on 2027-03-01.
    pub fn sample_course() -> Course {
        let mut c = course(
            "S",
            "电工（初级）",
            "电工",
            City::Chengdu,
            Industry::AdvancedManufacturing,
        );
        c.min_age = Some(18);
        c.max_age = Some(60);
        c
    }
}

/// How many whole years the dates of a demo class move on so that it is open on `today`:
/// enrolment not yet closed and the class not yet started (0 when it is open already).
pub fn years_to_open(start: NaiveDate, deadline: NaiveDate, today: NaiveDate) -> u32 {
    let mut years = 0;
    while add_years(deadline, years) < today || add_years(start, years) <= today {
        years += 1;
        if years > 1000 {
            break;
        }
    }
    years
}

/// `date` `years` later (29 February becomes 28 February in a common year).
pub fn add_years(date: NaiveDate, years: u32) -> NaiveDate {
    date.checked_add_months(chrono::Months::new(12 * years))
        .unwrap_or(date)
}

#[cfg(test)]
mod demo_tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn a_demo_class_moves_on_by_whole_years_until_it_is_open() {
        let (start, deadline) = (d("2027-03-10"), d("2027-02-20"));
        assert_eq!(
            years_to_open(start, deadline, d("2026-12-01")),
            0,
            "open already"
        );
        assert_eq!(
            years_to_open(start, deadline, d("2027-02-20")),
            0,
            "the deadline's own day"
        );
        assert_eq!(years_to_open(start, deadline, d("2027-02-21")), 1);
        assert_eq!(years_to_open(start, deadline, d("2030-12-01")), 4);
        // A class with no time to enrol (deadline on its first day) waits for the start too.
        assert_eq!(
            years_to_open(d("2027-03-10"), d("2027-03-10"), d("2027-03-10")),
            1
        );
        assert_eq!(add_years(d("2028-02-29"), 1), d("2029-02-28"));
        assert_eq!(add_years(d("2028-02-29"), 4), d("2032-02-29"));
    }
}
