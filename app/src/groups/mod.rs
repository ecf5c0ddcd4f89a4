//! Groups a person belongs to (面向群体). A group that brings money or entry — every group
//! with a document in `evidence_for` — is a *group claim*: the trainee declares it with its
//! document and the city where they live, with their separate consent to the processing of
//! sensitive personal information (PIPL 单独同意), and the HR officer of that city verifies or
//! rejects it with a reason. Only a verified claim counts for free training, the living
//! allowance or a group-only class (`rules::counts`); the others need no document and count
//! as declared. Groups and documents are sealed at rest (`store`).

pub mod pages;
pub mod rules;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;

use crate::reference::Group;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The version of the consent text a person agrees to; kept with each claim it covers.
pub const CONSENT_VERSION: &str = "2026-12-01";

/// The document that proves membership of a group, where one is needed.
pub fn evidence_for(group: Group) -> Option<Evidence> {
    match group {
        Group::Veteran => Some(Evidence::VeteranCertificate),
        Group::Disabled => Some(Evidence::DisabilityCertificate),
        Group::Graduate => Some(Evidence::Diploma),
        Group::Unemployed => Some(Evidence::UnemploymentRegistration),
        Group::EmploymentDifficulty => Some(Evidence::EmploymentDifficultyRecognition),
        Group::PovertyMonitored => Some(Evidence::PovertyMonitoringRecord),
        Group::HydroMigrant => Some(Evidence::MigrantRecord),
        Group::EnterpriseWorker => Some(Evidence::EmploymentContract),
        Group::Youth | Group::MigrantWorker | Group::General => None,
    }
}

crate::reference::enumeration! {
    /// Documents that prove a group membership.
    Evidence, "evidence" {
        VeteranCertificate = "veteran_certificate", "退役证", "Veteran's discharge certificate";
        DisabilityCertificate = "disability_certificate", "残疾人证", "Disability certificate";
        Diploma = "diploma", "毕业证", "Graduation certificate";
        UnemploymentRegistration = "unemployment_registration", "失业登记证明", "Unemployment registration";
        EmploymentDifficultyRecognition = "employment_difficulty_recognition", "就业困难人员认定证明", "Employment-difficulty recognition";
        PovertyMonitoringRecord = "poverty_monitoring_record", "防止返贫监测对象认定记录", "Poverty-monitoring record";
        MigrantRecord = "migrant_record", "水利水电移民身份证明", "Hydro-project migrant record";
        EmploymentContract = "employment_contract", "劳动合同或社保缴纳记录", "Employment contract or social insurance record";
    }
}

crate::reference::enumeration! {
    /// Where a group claim stands (api.md).
    GroupStatus, "group_status" {
        Declared = "declared", "待核验", "Awaiting verification";
        Verified = "verified", "已核验", "Verified";
        Rejected = "rejected", "未通过核验", "Not verified";
    }
}

/// One of a person's groups as they see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct GroupMembership {
    pub group: Group,
    pub status: GroupStatus,
    /// The HR officer's reason for a rejection.
    pub reason: Option<String>,
    /// The document given (the group's own kind).
    pub evidence: Option<Evidence>,
    /// Its number, masked: only the last four characters show.
    pub evidence_number: Option<String>,
    /// Whether the city's HR officer must verify it before it counts.
    pub needs_verification: bool,
}

/// A group claim in the person's own download: the document number in full.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ExportedGroup {
    pub group: Group,
    pub status: GroupStatus,
    pub reason: Option<String>,
    pub evidence: Option<Evidence>,
    pub evidence_number: Option<String>,
    /// The version of the consent text agreed to.
    pub consent_version: Option<String>,
    pub declared_at: String,
    pub decided_at: Option<String>,
}

/// What the rules know of a person's groups: those that count, and those declared that wait
/// for verification.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HeldGroups {
    pub counting: Vec<Group>,
    pub pending: Vec<Group>,
}

/// The document a person gives for a group.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct EvidenceGiven {
    /// The document's kind (an `evidence` code); the group's own kind when left out.
    #[serde(rename = "type", default)]
    pub kind: Option<String>,
    #[serde(default)]
    pub number: String,
}

/// A declaration of groups (`PUT /api/v1/me/groups` and the profile's form): the whole list of
/// groups, the documents of those that need one, the city of residence, and the consent.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Declaration {
    #[serde(default)]
    #[cfg_attr(feature = "ssr", schema(value_type = Vec<String>))]
    pub groups: Vec<Group>,
    /// By group code.
    #[serde(default)]
    pub evidence: BTreeMap<String, EvidenceGiven>,
    /// City code or name; needed with the first group that needs verification.
    #[serde(default)]
    pub city: Option<String>,
    /// Separate consent to the processing of sensitive personal information.
    #[serde(default)]
    pub consent: bool,
}

/// A group claim in the HR officer's queue: the person and the document masked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct StaffGroupClaim {
    pub id: i64,
    /// The person's name, masked.
    pub person: String,
    /// Their identity number, masked.
    pub id_number: String,
    pub group: Group,
    pub evidence_type: Option<Evidence>,
    /// Masked: only the last four characters show.
    pub evidence_number: Option<String>,
    pub status: GroupStatus,
    pub reason: Option<String>,
    /// The city of residence (the officer's own).
    pub city: String,
    pub declared_at: String,
    pub consent_version: Option<String>,
    pub decided_at: Option<String>,
}

/// The HR officer's decision on a claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    Verify,
    Reject,
}

impl Decision {
    pub fn parse(text: &str) -> Result<Decision, crate::error::AppError> {
        match text.trim() {
            "verify" => Ok(Decision::Verify),
            "reject" => Ok(Decision::Reject),
            _ => Err(crate::error::AppError::field(
                "decision",
                crate::error::FieldProblem::UnknownCode,
            )),
        }
    }
}

/// A document number as shown: every character but the last four hidden.
pub fn mask_number(number: &str) -> String {
    let n = number.chars().count();
    number
        .chars()
        .enumerate()
        .map(|(i, c)| if i + 4 < n { '*' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reference::Enumeration;

    #[test]
    fn document_numbers_show_their_last_four_characters() {
        assert_eq!(mask_number("TY-2019-000033"), "**********0033");
        assert_eq!(mask_number("残联0051"), "**0051");
        assert_eq!(mask_number("123"), "123");
    }

    #[test]
    fn every_group_that_brings_money_or_entry_needs_its_own_document() {
        for g in Group::all() {
            let needs = evidence_for(*g).is_some();
            let free = matches!(g, Group::Youth | Group::MigrantWorker | Group::General);
            assert_eq!(needs, !free, "{g}");
        }
    }
}
