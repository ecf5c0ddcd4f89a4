//! Accounts: trainees who sign up with their mobile number and real-name identity, and staff
//! with a role scoped to one institution, evaluation organisation or city.

#[cfg(feature = "ssr")]
mod hashing;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod sessions;
#[cfg(feature = "ssr")]
pub mod store;
#[cfg(feature = "ssr")]
pub mod vault;

use crate::access::Role;
use crate::identity::Sex;
use crate::reference::{Enumeration, Group};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

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

/// One group a person says they belong to, with the proof it needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct GroupMembership {
    pub group: Group,
    pub evidence: Option<Evidence>,
}

impl GroupMembership {
    pub fn of(group: Group) -> GroupMembership {
        GroupMembership {
            group,
            evidence: evidence_for(group),
        }
    }
}

/// A person as they (and the API) see themselves: personal numbers masked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Profile {
    pub id: i64,
    pub role: Role,
    /// Institution code, evaluation organisation or city code of a staff role.
    pub scope: Option<String>,
    pub name: String,
    /// Masked: `138****0002`.
    pub phone: String,
    /// Masked: `5101**********123X`.
    pub id_number: Option<String>,
    pub birth_date: Option<NaiveDate>,
    pub age: Option<u32>,
    #[cfg_attr(feature = "ssr", schema(value_type = Option<String>))]
    pub sex: Option<Sex>,
    pub groups: Vec<GroupMembership>,
}

/// The groups that can be chosen on the profile page, in order.
pub fn choosable_groups() -> &'static [Group] {
    Group::all()
}

/// Groups as stored: codes joined with `;` and wrapped in `;` (`;veteran;disabled;`).
pub fn join_groups(groups: &[Group]) -> String {
    if groups.is_empty() {
        return String::new();
    }
    let codes: Vec<&str> = groups.iter().map(|g| g.code()).collect();
    format!(";{};", codes.join(";"))
}

/// Groups as stored, read back (unknown codes skipped).
pub fn split_groups(text: &str) -> Vec<Group> {
    text.split(';').filter_map(Group::from_code).collect()
}

/// What a person types to sign up.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Registration {
    pub phone: String,
    pub password: String,
    pub name: String,
    /// 身份证号 (18 characters).
    pub id_number: String,
}

/// An account of any role, created from the command line.
#[derive(Debug, Clone)]
pub struct NewAccount {
    pub role: Role,
    pub phone: String,
    pub password: String,
    pub name: String,
    pub institution: Option<String>,
    pub evaluation_org: Option<String>,
    pub city: Option<String>,
    pub id_number: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_are_stored_as_delimited_codes() {
        let text = join_groups(&[Group::Veteran, Group::Disabled]);
        assert_eq!(text, ";veteran;disabled;");
        assert_eq!(split_groups(&text), [Group::Veteran, Group::Disabled]);
        assert!(split_groups("").is_empty());
    }
}
