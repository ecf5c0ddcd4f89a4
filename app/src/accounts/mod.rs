//! Accounts: trainees who sign up with their mobile number and real-name identity, and staff
//! with a role scoped to one institution, evaluation organisation or city.

#[cfg(feature = "ssr")]
mod hashing;
pub mod pages;
pub mod phone_code;
#[cfg(feature = "ssr")]
pub mod phone_code_store;
#[cfg(feature = "ssr")]
pub mod phone_codes;
pub mod real_name;
pub mod real_name_pages;
#[cfg(feature = "ssr")]
pub mod real_name_service;
#[cfg(feature = "ssr")]
pub mod real_name_store;
#[cfg(feature = "ssr")]
pub mod recovery;
pub mod recovery_pages;
#[cfg(feature = "ssr")]
pub mod second_factor;
#[cfg(feature = "ssr")]
pub mod second_factor_store;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod sessions;
#[cfg(feature = "ssr")]
pub mod store;
#[cfg(feature = "ssr")]
pub mod totp;
#[cfg(feature = "ssr")]
pub mod vault;

use crate::access::Role;
use crate::identity::Sex;
use crate::reference::{Enumeration, Group};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

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
    /// The groups they declared, each with where it stands.
    pub groups: Vec<crate::groups::GroupMembership>,
    /// The city they live in (its HR officer verifies their groups).
    pub residence_city: Option<String>,
    /// Whether the unified identity service vouched for their name and identity number.
    pub real_name: real_name::RealName,
    /// Whether they are texted notices (`/api/v1/me/notices`).
    pub text_notices: bool,
    /// Whether the account has a password (one the unified identity service made has none:
    /// it is deleted with a texted code).
    pub password: bool,
}

/// The domain of the identity number's keyed hash (uniqueness, look-up).
pub const ID_DOMAIN: &str = "resident-id";

/// The groups that can be chosen on the profile page, in order.
pub fn choosable_groups() -> &'static [Group] {
    Group::all()
}

/// The second step a sign-in owes, as its page says it (the request's extensions hold it when
/// the browser carries a half-made session).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct OwedView {
    /// The authenticator app (else a texted code).
    pub totp: bool,
    /// The phone the code went to, masked.
    pub phone: String,
    /// The texted code's reference.
    pub reference: Option<String>,
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
    /// The six-digit code texted to the phone (`POST /api/v1/auth/phone-code`).
    #[serde(default)]
    pub code: String,
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
