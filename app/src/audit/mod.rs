//! The audit trails. Reads: which staff member looked at whose personal data (a roster, a
//! review queue), which the person downloads with their data. Writes: every change that moves
//! money or changes a person's record (a status, attendance, employment, an assessment, a
//! claim step, a dispute, an import, a city's numbers): who acted (a pseudonymous reference
//! that outlives their account, their role and, while the account exists, their masked name),
//! when, on which record, from what to what. The database refuses to change or delete an
//! entry; deleting an account only cuts the link to it.

#[cfg(feature = "ssr")]
pub mod events;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;

use crate::error::{AppError, FieldErrors, FieldProblem};
use crate::i18n::Locale;
use chrono::NaiveDate;
use leptos_i18n::td_string;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::BTreeMap;

/// One write in the trail, as staff see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TrailEntry {
    pub id: i64,
    /// RFC 3339, UTC.
    pub at: String,
    /// Who acted, pseudonymously (`P-` and twelve hex digits): the same for all their writes
    /// and kept when their account is deleted; `cli` for the command line.
    pub actor_ref: String,
    /// The role they acted in (`trainee`, `institution_staff`, `evaluator`, `hr_officer`,
    /// `admin`, or `operator` for the command line).
    pub actor_role: String,
    /// Their name, masked; none once the account is deleted.
    pub actor_name: Option<String>,
    /// The city the record belongs to.
    pub city: Option<String>,
    /// The record: `enrollment:12`, `certificate:5`, `claim:3`, `dispute:2`,
    /// `policy:510100`, `catalog`.
    pub record: String,
    /// What was done (`status`, `attendance`, `employment`, `assessment`, `issued`, `claim`,
    /// `dispute`, `import`, `policy`).
    pub action: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// Which writes to list: by one actor (their reference), one record, and days (Beijing dates,
/// both ends included).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrailFilter {
    pub actor: Option<String>,
    pub record: Option<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

impl TrailFilter {
    /// The query keys besides paging.
    pub const KEYS: [&'static str; 4] = ["actor", "record", "from", "to"];

    /// Reads the filter from a query's values by key (dates `YYYY-MM-DD`); every bad value
    /// is named (400).
    pub fn parse(values: &BTreeMap<String, String>) -> Result<TrailFilter, AppError> {
        let mut errors = FieldErrors::default();
        let text = |key: &str, errors: &mut FieldErrors| {
            let value = values
                .get(key)
                .map(|v| v.trim())
                .filter(|v| !v.is_empty())?;
            if value.chars().count() > 64 {
                errors.add(key, FieldProblem::TooLong { max: 64 });
                return None;
            }
            Some(value.to_string())
        };
        let date = |key: &str, errors: &mut FieldErrors| {
            let value = values
                .get(key)
                .map(|v| v.trim())
                .filter(|v| !v.is_empty())?;
            let parsed = NaiveDate::parse_from_str(value, "%Y-%m-%d").ok();
            if parsed.is_none() {
                errors.add(key, FieldProblem::NotADate);
            }
            parsed
        };
        let filter = TrailFilter {
            actor: text("actor", &mut errors),
            record: text("record", &mut errors),
            from: date("from", &mut errors),
            to: date("to", &mut errors),
        };
        errors.into_result(filter)
    }
}

/// The role an entry names, in words (the code itself when unknown).
pub fn role_label(code: &str, locale: Locale) -> String {
    match code {
        "trainee" => td_string!(locale, audit.role_trainee).to_string(),
        "institution_staff" => td_string!(locale, audit.role_institution_staff).to_string(),
        "evaluator" => td_string!(locale, audit.role_evaluator).to_string(),
        "hr_officer" => td_string!(locale, audit.role_hr_officer).to_string(),
        "admin" => td_string!(locale, audit.role_admin).to_string(),
        "operator" => td_string!(locale, audit.role_operator).to_string(),
        "system" => td_string!(locale, audit.role_system).to_string(),
        other => other.to_string(),
    }
}

/// What an entry did, in words (the code itself when unknown).
pub fn action_label(code: &str, locale: Locale) -> String {
    match code {
        "status" => td_string!(locale, audit.action_status).to_string(),
        "attendance" => td_string!(locale, audit.action_attendance).to_string(),
        "employment" => td_string!(locale, audit.action_employment).to_string(),
        "assessment" => td_string!(locale, audit.action_assessment).to_string(),
        "issued" => td_string!(locale, audit.action_issued).to_string(),
        "claim" => td_string!(locale, audit.action_claim).to_string(),
        "dispute" => td_string!(locale, audit.action_dispute).to_string(),
        "import" => td_string!(locale, audit.action_import).to_string(),
        "policy" => td_string!(locale, audit.action_policy).to_string(),
        "payment_batch" => td_string!(locale, audit.action_payment_batch).to_string(),
        "payment_batch_paid" => td_string!(locale, audit.action_payment_batch_paid).to_string(),
        "claim_returned" => td_string!(locale, audit.action_claim_returned).to_string(),
        "payee" => td_string!(locale, audit.action_payee).to_string(),
        "budget" => td_string!(locale, audit.action_budget).to_string(),
        other => other.to_string(),
    }
}

/// A spreadsheet cell that cannot run as a formula: text starting with `=`, `+`, `-`, `@`, a
/// tab or a carriage return gets a leading apostrophe (OWASP's advice against CSV injection).
pub fn safe_cell(text: &str) -> Cow<'_, str> {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cell_never_starts_a_formula() {
        assert_eq!(safe_cell("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(safe_cell("+1"), "'+1");
        assert_eq!(safe_cell("-2+3"), "'-2+3");
        assert_eq!(safe_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(safe_cell("\tx"), "'\tx");
        assert_eq!(safe_cell("approved"), "approved");
        assert_eq!(safe_cell("测试"), "测试");
        assert_eq!(safe_cell(""), "");
    }

    #[test]
    fn the_filter_names_each_bad_value() {
        let values: BTreeMap<String, String> = [
            ("from", "2030-02-30"),
            ("to", "2030-05-01"),
            ("record", "claim:3"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        match TrailFilter::parse(&values) {
            Err(AppError::Invalid(fields)) => {
                assert_eq!(fields.0.keys().collect::<Vec<_>>(), ["from"]);
            }
            other => panic!("{other:?}"),
        }
        let good: BTreeMap<String, String> = [("record", " claim:3 "), ("actor", "")]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let filter = TrailFilter::parse(&good).unwrap();
        assert_eq!(filter.record.as_deref(), Some("claim:3"));
        assert_eq!(filter.actor, None);
    }
}
