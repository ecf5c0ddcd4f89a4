//! The inbox: every change to a person's records (an enrolment, an assessment, a claim, a
//! dispute) lands there, written in the transaction of the change; its words are chosen when
//! it is read, in the reader's language.

pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;

use crate::enrollment::Status;
use crate::i18n::Locale;
use crate::reference::Enumeration;
use leptos_i18n::td_string;
use serde::{Deserialize, Serialize};

/// The kind of record a message is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Enrollment,
    /// An assessment: `issued` (its certificate) or `failed`.
    Certificate,
    /// A subsidy claim.
    Subsidy,
    Dispute,
    /// A group claim verified or rejected (the message never names the group).
    Group,
    /// Money due back on a claim (追回): `due`, `recovered`, `waived`.
    Recovery,
    /// The account itself: `sign_in_failures` (the title is how many, since the last sign-in).
    Account,
}

/// The status of an `Account` message telling of failed sign-ins.
pub const FAILED_SIGN_INS: &str = "sign_in_failures";

impl Kind {
    pub fn code(self) -> &'static str {
        match self {
            Kind::Enrollment => "enrollment",
            Kind::Certificate => "certificate",
            Kind::Subsidy => "subsidy",
            Kind::Dispute => "dispute",
            Kind::Group => "group",
            Kind::Recovery => "recovery",
            Kind::Account => "account",
        }
    }

    pub fn from_code(code: &str) -> Kind {
        match code {
            "certificate" => Kind::Certificate,
            "subsidy" => Kind::Subsidy,
            "dispute" => Kind::Dispute,
            "group" => Kind::Group,
            "recovery" => Kind::Recovery,
            "account" => Kind::Account,
            _ => Kind::Enrollment,
        }
    }
}

/// A message to write: the record, its new status, and what it is called.
#[derive(Debug, Clone, Copy)]
pub struct Notice<'a> {
    pub kind: Kind,
    pub subject: i64,
    /// The record's new status code (an enrolment's, a claim's, `issued`/`failed`,
    /// `resolved`).
    pub status: &'a str,
    /// The class, or the occupation and level.
    pub title: &'a str,
    pub reason: Option<&'a str>,
    /// A place on the waiting list.
    pub position: Option<u32>,
}

/// An inbox message: a change to one of the person's records, worded when shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Notification {
    pub id: i64,
    pub at: String,
    /// The record: `enrollment`, `certificate`, `subsidy` (a claim), `dispute`, `group`,
    /// `recovery` or `account` (failed sign-ins: `title` is how many).
    pub kind: String,
    pub subject_id: i64,
    /// The record's new status (an enrolment's, a claim's, `issued`/`failed` for an
    /// assessment, `resolved` for a dispute).
    pub status: String,
    /// The class, the certificate or the claim it is about.
    pub title: String,
    pub reason: Option<String>,
    pub waitlist_position: Option<u32>,
    pub read: bool,
    /// The message in Chinese and English.
    pub message: String,
    pub message_en: String,
}

impl Notification {
    pub fn text(&self, locale: Locale) -> String {
        notification_text(
            locale,
            Kind::from_code(&self.kind),
            &self.title,
            &self.status,
            self.waitlist_position,
            self.reason.as_deref(),
        )
    }

    /// The page that shows the record.
    pub fn link(&self) -> &'static str {
        Notification::link_of(&self.kind, &self.status)
    }

    /// The page a message of `kind` and `status` leads to.
    pub fn link_of(kind: &str, status: &str) -> &'static str {
        match Kind::from_code(kind) {
            // What a dispute's resolution did, told to the institution that ran the class.
            Kind::Dispute if status != "resolved" => "/staff/classes",
            Kind::Certificate => "/me/certificates",
            Kind::Subsidy | Kind::Dispute | Kind::Recovery => "/me/subsidies",
            Kind::Enrollment => "/me/enrollments",
            Kind::Group | Kind::Account => "/me",
        }
    }
}

/// A message's words.
pub fn notification_text(
    locale: Locale,
    kind: Kind,
    title: &str,
    status: &str,
    position: Option<u32>,
    reason: Option<&str>,
) -> String {
    if matches!(kind, Kind::Enrollment) && status == crate::catalog::changes::CLASS_CHANGED {
        return class_changed_text(locale, title, reason);
    }
    let status_words = match kind {
        Kind::Subsidy => crate::subsidy::status_label(status, locale),
        Kind::Certificate => match status {
            "issued" => td_string!(locale, assess.issued),
            "revoked" => td_string!(locale, assess.revoked),
            "corrected" => td_string!(locale, assess.corrected),
            _ => td_string!(locale, assess.failed),
        }
        .to_string(),
        Kind::Recovery => crate::subsidy::RecoveryStatus::from_code(status)
            .map(|s| s.label(locale))
            .unwrap_or_else(|| status.to_string()),
        Kind::Dispute if status == "resolved" => td_string!(locale, dispute.resolved).to_string(),
        Kind::Dispute => crate::dispute::Action::label(status, locale),
        Kind::Group => crate::groups::GroupStatus::from_code(status)
            .map(|s| s.label(locale).to_string())
            .unwrap_or_else(|| status.to_string()),
        Kind::Enrollment => Status::from_code(status)
            .map(|s| s.label(locale).to_string())
            .unwrap_or_else(|| status.to_string()),
        Kind::Account => String::new(),
    };
    let mut text = match kind {
        Kind::Subsidy => {
            td_string!(locale, claim.notice, title = title, status = status_words).to_string()
        }
        Kind::Certificate => {
            td_string!(locale, assess.notice, title = title, status = status_words).to_string()
        }
        Kind::Dispute => {
            td_string!(locale, dispute.notice, title = title, status = status_words).to_string()
        }
        Kind::Enrollment => {
            td_string!(locale, enrol.notice, title = title, status = status_words).to_string()
        }
        Kind::Group => td_string!(locale, groups.notice, status = status_words).to_string(),
        Kind::Account => td_string!(locale, account.failed_sign_ins, count = title).to_string(),
        Kind::Recovery => td_string!(
            locale,
            recovery.notice,
            title = title,
            status = status_words
        )
        .to_string(),
    };
    if let (Some(Status::Waitlisted), Some(p)) = (Status::from_code(status), position) {
        text.push_str(&td_string!(locale, enrol.notice_position, position = p).to_string());
    }
    if let Some(r) = reason.filter(|r| !r.is_empty()) {
        text.push_str(&td_string!(locale, enrol.notice_reason, reason = r).to_string());
    }
    text
}

/// "「电工（初级）」：班级信息有变化：培训日期改为 …": the change, worded in `locale`.
fn class_changed_text(locale: Locale, title: &str, reason: Option<&str>) -> String {
    let changed = td_string!(locale, class_change.changed);
    let mut text = td_string!(locale, enrol.notice, title = title, status = changed).to_string();
    let words = reason
        .and_then(crate::catalog::changes::ClassChange::from_reason)
        .map(|c| c.words(locale))
        .unwrap_or_default();
    if !words.is_empty() {
        text.push_str(match locale {
            Locale::en => ": ",
            _ => "：",
        });
        text.push_str(&words);
    }
    text
}

/// One page of the inbox, newest first, with the unread count of the whole inbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Inbox {
    pub unread: u32,
    pub items: Vec<Notification>,
    pub total: u64,
    pub page: u32,
    pub per_page: u32,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(kind: &str, status: &str) -> Notification {
        Notification {
            id: 1,
            at: String::new(),
            kind: kind.into(),
            subject_id: 1,
            status: status.into(),
            title: "焊工".into(),
            reason: None,
            waitlist_position: None,
            read: false,
            message: String::new(),
            message_en: String::new(),
        }
    }

    #[test]
    fn each_message_links_to_the_page_of_its_reader() {
        assert_eq!(message("dispute", "resolved").link(), "/me/subsidies");
        assert_eq!(
            message("dispute", "void_enrollment").link(),
            "/staff/classes"
        );
        assert_eq!(message("recovery", "due").link(), "/me/subsidies");
        assert_eq!(message("certificate", "revoked").link(), "/me/certificates");
    }
}
