//! What a re-imported catalogue changed of a class that people are enrolled in: its dates,
//! its format or its address — what they would travel, take leave or rearrange for. Each
//! enrolled person is told (an inbox message, texted to those who asked for texts).

use super::Course;
use crate::i18n::Locale;
use crate::reference::{ClassFormat, Enumeration};
use chrono::NaiveDate;
use leptos_i18n::td_string;
use serde::{Deserialize, Serialize};

/// The inbox status of such a message (kind `enrollment`).
pub const CLASS_CHANGED: &str = "class_changed";

/// The new values of what changed (none of what did not).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClassChange {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dates: Option<(NaiveDate, NaiveDate)>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub class_format: Option<ClassFormat>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
}

impl ClassChange {
    /// What of `new` an enrolled person must hear of, against `old`; `None` when nothing they
    /// must act on changed (a fee, a description, the seats).
    pub fn between(old: &Course, new: &Course) -> Option<ClassChange> {
        let change = ClassChange {
            dates: (old.start_date != new.start_date || old.end_date != new.end_date)
                .then_some((new.start_date, new.end_date)),
            class_format: (old.class_format != new.class_format).then_some(new.class_format),
            address: (old.address != new.address).then(|| new.address.clone()),
        };
        (change != ClassChange::default()).then_some(change)
    }

    /// As kept with the message (its `reason`), to be worded in each language when shown.
    pub fn to_reason(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    pub fn from_reason(reason: &str) -> Option<ClassChange> {
        serde_json::from_str(reason).ok()
    }

    /// The change in words: "培训日期改为 2027-03-17 至 2027-04-14；班型改为周末班".
    pub fn words(&self, locale: Locale) -> String {
        let mut parts = Vec::new();
        if let Some((start, end)) = self.dates {
            parts
                .push(td_string!(locale, class_change.dates, start = start, end = end).to_string());
        }
        if let Some(format) = self.class_format {
            parts.push(
                td_string!(
                    locale,
                    class_change.class_format,
                    format = format.label(locale)
                )
                .to_string(),
            );
        }
        if let Some(address) = &self.address {
            parts.push(td_string!(locale, class_change.address, address = address).to_string());
        }
        let sep = match locale {
            Locale::en => "; ",
            _ => "；",
        };
        parts.join(sep)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::testing::sample_course;

    #[test]
    fn only_what_an_enrolled_person_acts_on_is_told() {
        let old = sample_course();
        let mut new = old.clone();
        new.fee_yuan = crate::money::Yuan::ZERO;
        new.description = Some("新的简介".into());
        assert_eq!(ClassChange::between(&old, &new), None);
        new.start_date = old.start_date + chrono::Days::new(7);
        new.class_format = ClassFormat::Weekend;
        let change = ClassChange::between(&old, &new).unwrap();
        assert_eq!(change.dates, Some((new.start_date, new.end_date)));
        assert_eq!(change.class_format, Some(ClassFormat::Weekend));
        assert_eq!(change.address, None);
        assert_eq!(
            ClassChange::from_reason(&change.to_reason()),
            Some(change.clone())
        );
        let words = change.words(Locale::zh_CN);
        assert!(
            words.contains("培训日期改为") && words.contains("周末班"),
            "{words}"
        );
        assert!(change.words(Locale::en).contains("Weekend classes"));
    }
}
