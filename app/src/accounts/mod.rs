//! Accounts: trainees who sign up with their mobile number and real-name identity, and staff
//! with a role scoped to one institution, evaluation organisation or city.

pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
mod session;
pub use session::{current_user, CurrentUser, FormState, SignedIn};
#[cfg(feature = "ssr")]
pub mod throttle;
#[cfg(feature = "ssr")]
pub mod vault;

use crate::identity::Sex;
use crate::reference::{Enumeration, Group};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// What a signed-in person may do. Staff roles are scoped (see `Profile::scope`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Trainee,
    /// Staff of one training institution (scope: its code).
    InstitutionStaff,
    /// Staff of one evaluation organisation (scope: its name).
    Evaluator,
    /// An officer of one city's HR bureau (scope: the city code).
    HrOfficer,
    Admin,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::Trainee,
        Role::InstitutionStaff,
        Role::Evaluator,
        Role::HrOfficer,
        Role::Admin,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Role::Trainee => "trainee",
            Role::InstitutionStaff => "institution_staff",
            Role::Evaluator => "evaluator",
            Role::HrOfficer => "hr_officer",
            Role::Admin => "admin",
        }
    }

    pub fn from_code(code: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.code() == code)
    }
}

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
