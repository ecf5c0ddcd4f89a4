//! One row of text into a catalogue course, every problem recorded with its line and column.

use super::read::Columns;
use super::{CatalogItem, Finding, Problem};
use crate::catalog::{Course, OpenTo};
use crate::money::Yuan;
use crate::reference::{
    Accessibility, CertificateType, City, ClassFormat, ClassType, Enumeration, Group, Industry,
    Level,
};
use chrono::NaiveDate;

/// Reads one row's cells, recording each problem with its line and column.
pub(super) struct RowReader<'a> {
    pub row: &'a [String],
    pub columns: &'a Columns,
    pub line: usize,
    pub errors: &'a mut Vec<Finding>,
}

impl RowReader<'_> {
    fn raw(&self, name: &'static str) -> Option<&str> {
        let i = *self.columns.index.get(name)?;
        let text = self.row.get(i)?.trim();
        (!text.is_empty()).then_some(text)
    }

    fn fail<T>(&mut self, name: &'static str, problem: Problem) -> Option<T> {
        self.errors.push(Finding {
            line: self.line,
            column: Some(self.columns.label(name)),
            problem,
        });
        None
    }

    /// An optional text cell of at most `max` characters.
    fn text(&mut self, name: &'static str, max: usize) -> Option<Option<String>> {
        match self.raw(name) {
            None => Some(None),
            Some(t) if t.chars().count() > max => self.fail(name, Problem::TooLong { max }),
            Some(t) => Some(Some(t.to_string())),
        }
    }

    /// A required text cell.
    fn required(&mut self, name: &'static str, max: usize) -> Option<String> {
        match self.text(name, max)? {
            Some(t) => Some(t),
            None => self.fail(name, Problem::Required),
        }
    }

    fn enumeration<E: Enumeration>(&mut self, name: &'static str, default: Option<E>) -> Option<E> {
        match self.raw(name) {
            None => match default {
                Some(d) => Some(d),
                None => self.fail(name, Problem::Required),
            },
            Some(t) => match E::parse_lenient(t) {
                Some(v) => Some(v),
                None => {
                    let value = t.chars().take(30).collect();
                    self.fail(name, Problem::UnknownValue { value })
                }
            },
        }
    }

    /// A list separated by `;` or `、` (full- or half-width).
    fn list<E: Enumeration + PartialEq>(&mut self, name: &'static str) -> Option<Vec<E>> {
        let Some(text) = self.raw(name) else {
            return Some(Vec::new());
        };
        let mut out = Vec::new();
        for part in text
            .split([';', '；', '、', ',', '，'])
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            match E::parse_lenient(part) {
                Some(v) if !out.contains(&v) => out.push(v),
                Some(_) => {}
                None => {
                    let value = part.chars().take(30).collect();
                    return self.fail(name, Problem::UnknownValue { value });
                }
            }
        }
        Some(out)
    }

    fn integer(&mut self, name: &'static str, min: i64, max: i64) -> Option<Option<i64>> {
        let Some(text) = self.raw(name) else {
            return Some(None);
        };
        // Spreadsheets may show whole numbers as "40.0".
        let text = text.strip_suffix(".0").unwrap_or(text);
        match text.parse::<i64>() {
            Err(_) => self.fail(name, Problem::NotAnInteger),
            Ok(n) if n < min || n > max => self.fail(name, Problem::OutOfRange { min, max }),
            Ok(n) => Some(Some(n)),
        }
    }

    fn required_integer(&mut self, name: &'static str, min: i64, max: i64) -> Option<i64> {
        match self.integer(name, min, max)? {
            Some(n) => Some(n),
            None => self.fail(name, Problem::Required),
        }
    }

    fn date(&mut self, name: &'static str) -> Option<Option<NaiveDate>> {
        let Some(text) = self.raw(name) else {
            return Some(None);
        };
        match parse_date(text) {
            Some(d) => Some(Some(d)),
            None => self.fail(name, Problem::NotADate),
        }
    }

    fn required_date(&mut self, name: &'static str) -> Option<NaiveDate> {
        match self.date(name)? {
            Some(d) => Some(d),
            None => self.fail(name, Problem::Required),
        }
    }

    fn money(&mut self, name: &'static str) -> Option<Yuan> {
        match self.raw(name) {
            None => self.fail(name, Problem::Required),
            Some(t) => match Yuan::parse(t) {
                Some(y) => Some(y),
                None => self.fail(name, Problem::NotMoney),
            },
        }
    }

    fn checked(
        &mut self,
        name: &'static str,
        max: usize,
        valid: fn(&str) -> bool,
        problem: Problem,
    ) -> Option<Option<String>> {
        match self.text(name, max)? {
            Some(t) if !valid(&t) => self.fail(name, problem),
            other => Some(other),
        }
    }
}

/// `YYYY-MM-DD`, `YYYY/M/D` or `YYYY-M-D`.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    let text = text.split([' ', 'T']).next().unwrap_or(text);
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(text, "%Y/%m/%d"))
        .ok()
}

/// Occupational classification code `X-XX-XX-XX` (GB/T 6565).
pub(super) fn is_occupation_code(text: &str) -> bool {
    let parts: Vec<&str> = text.split('-').collect();
    parts.len() == 4
        && [1, 2, 2, 2]
            .iter()
            .zip(&parts)
            .all(|(n, p)| p.len() == *n && p.bytes().all(|b| b.is_ascii_digit()))
}

/// A code made of ASCII letters, digits and `-`: a course code, or an institution's unified
/// social credit code (18 characters) or local code.
pub(super) fn is_plain_code(text: &str) -> bool {
    text.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// A mainland mobile (11 digits from 13–19) or a landline with area code (`028-80000001`).
pub fn is_phone(text: &str) -> bool {
    let digits: String = text.chars().filter(|c| *c != '-' && *c != ' ').collect();
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let mobile = digits.len() == 11
        && digits.starts_with('1')
        && (b'3'..=b'9').contains(&digits.as_bytes()[1]);
    let landline = digits.starts_with('0') && (10..=12).contains(&digits.len());
    mobile || landline
}

pub(super) fn read_item(r: &mut RowReader<'_>) -> Option<CatalogItem> {
    // Read every cell before giving up, so one pass reports all of a row's problems.
    let code = r.checked("code", 40, is_plain_code, Problem::BadCode);
    let code = code.and_then(|c| match c {
        Some(c) => Some(c),
        None => r.fail("code", Problem::Required),
    });
    let title = r.required("title", 100);
    let occupation = r.required("occupation", 50);
    let occupation_code = r.checked(
        "occupation_code",
        20,
        is_occupation_code,
        Problem::BadOccupationCode,
    );
    let industry = r.enumeration::<Industry>("industry", None);
    let city = r.enumeration::<City>("city", None);
    let district = r.text("district", 50);
    let institution_code = r
        .checked(
            "institution_code",
            32,
            is_plain_code,
            Problem::BadInstitutionCode,
        )
        .and_then(|c| match c {
            Some(c) => Some(c),
            None => r.fail("institution_code", Problem::Required),
        });
    let institution = r.required("institution", 100);
    let evaluation_org = r.text("evaluation_org", 100);
    let evaluation_org_code = r.checked(
        "evaluation_org_code",
        32,
        is_plain_code,
        Problem::BadEvaluationOrgCode,
    );
    let level = r.enumeration::<Level>("level", None);
    let certificate_type = r.enumeration::<CertificateType>("certificate_type", None);
    let class_format = r.enumeration::<ClassFormat>("class_format", None);
    let class_type = r.enumeration::<ClassType>("class_type", Some(ClassType::Regular));
    let groups = match r.raw("groups") {
        None => r.fail("groups", Problem::Required),
        Some(t) if matches!(t.to_ascii_lowercase().as_str(), "all" | "不限") => Some(None),
        Some(_) => r.list::<Group>("groups").map(Some),
    };
    let min_age = r.integer("min_age", 16, 70);
    let max_age = r.integer("max_age", 16, 70);
    let hours = r.required_integer("hours", 1, 2000);
    let start_date = r.required_date("start_date");
    let end_date = r.required_date("end_date");
    let enroll_deadline = r.date("enroll_deadline");
    let capacity = r.required_integer("capacity", 1, 10_000);
    let fee = r.money("fee_yuan");
    let subsidy = r.money("subsidy_yuan");
    let accessibility = r.list::<Accessibility>("accessibility");
    let address = r.required("address", 200);
    let contact_phone = r.checked("contact_phone", 30, is_phone, Problem::BadPhone);
    let description = r.text("description", 2000);

    let (min_age, max_age) = (min_age?, max_age?);
    if let (Some(lo), Some(hi)) = (min_age, max_age) {
        if lo > hi {
            return r.fail("min_age", Problem::MinAgeAboveMax);
        }
    }
    let (start_date, end_date) = (start_date?, end_date?);
    if end_date < start_date {
        return r.fail("end_date", Problem::EndBeforeStart);
    }
    let enroll_deadline = enroll_deadline?.unwrap_or(start_date);
    if enroll_deadline > start_date {
        return r.fail("enroll_deadline", Problem::DeadlineAfterStart);
    }
    let groups = match groups? {
        None => OpenTo::All,
        Some(list) if list.is_empty() => return r.fail("groups", Problem::Required),
        Some(list) => OpenTo::Groups(list),
    };
    let capacity = capacity? as u32;
    // An organisation's code names an organisation: none without its name.
    let evaluation_org = evaluation_org?;
    let evaluation_org_code = match (evaluation_org_code?, &evaluation_org) {
        (Some(_), None) => return r.fail("evaluation_org", Problem::Required),
        (code, name) => crate::catalog::directory::evaluation_org_code(code, name.as_deref()),
    };
    let course = Course {
        code: code?,
        title: title?,
        occupation: occupation?,
        occupation_code: occupation_code?,
        industry: industry?,
        city: city?,
        district: district?,
        institution_code: institution_code?,
        institution: institution?,
        evaluation_org_code,
        evaluation_org,
        level: level?,
        certificate_type: certificate_type?,
        class_format: class_format?,
        class_type: class_type?,
        groups,
        min_age: min_age.map(|n| n as u8),
        max_age: max_age.map(|n| n as u8),
        hours: hours? as u32,
        start_date,
        end_date,
        enroll_deadline,
        capacity,
        seats_left: capacity,
        fee_yuan: fee?,
        subsidy_yuan: subsidy?,
        accessibility: accessibility?,
        address: address?,
        contact_phone: contact_phone?,
        description: description?,
        demo: false,
        outcomes: None,
    };
    Some(CatalogItem {
        line: r.line,
        course,
    })
}
