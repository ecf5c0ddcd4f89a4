//! Who is acting, and what they may do. Every signed-in person is an `Actor`: a role, and for
//! staff the one institution, evaluation organisation or city they work for (`Scope`). The
//! services check each request against these rules; pages and handlers only find the actor.

use crate::error::{AppError, AppResult};
use crate::reference::{City, Enumeration};
use serde::{Deserialize, Serialize};

/// What a signed-in person may do. Staff roles are scoped (see `Scope`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Trainee,
    /// Staff of one training institution.
    InstitutionStaff,
    /// Staff of one evaluation organisation.
    Evaluator,
    /// An officer of one city's HR bureau.
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

    /// Staff approve money and see personal data: they sign in with a second step after the
    /// password (a texted code, or an authenticator app's).
    pub fn needs_second_factor(self) -> bool {
        self != Role::Trainee
    }
}

/// What a staff member works for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Scope {
    /// A training institution, by its code.
    Institution(String),
    /// An evaluation organisation, by its name.
    EvaluationOrg(String),
    /// A city's HR bureau.
    City(City),
}

impl Scope {
    /// The scope a role's stored text names (`None` for roles without one, or a stored value
    /// that names nothing: such an account may act for nobody).
    pub fn of(role: Role, text: Option<&str>) -> Option<Scope> {
        let text = text.map(str::trim).filter(|t| !t.is_empty())?;
        match role {
            Role::InstitutionStaff => Some(Scope::Institution(text.to_string())),
            Role::Evaluator => Some(Scope::EvaluationOrg(text.to_string())),
            Role::HrOfficer => City::from_code(text).map(Scope::City),
            Role::Trainee | Role::Admin => None,
        }
    }

    /// As stored with the account.
    pub fn text(&self) -> &str {
        match self {
            Scope::Institution(code) => code,
            Scope::EvaluationOrg(name) => name,
            Scope::City(city) => city.code(),
        }
    }
}

/// The person a request acts for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    pub id: i64,
    pub role: Role,
    pub scope: Option<Scope>,
}

impl Actor {
    pub fn new(id: i64, role: Role, scope: Option<&str>) -> Actor {
        Actor {
            id,
            role,
            scope: Scope::of(role, scope),
        }
    }

    /// Trainees enrol, claim subsidies and keep certificates; nobody else does (403).
    pub fn trainee(&self) -> AppResult<i64> {
        match self.role {
            Role::Trainee => Ok(self.id),
            _ => Err(AppError::Forbidden),
        }
    }

    /// The institution a member of its staff works for (403 for anyone else).
    pub fn institution(&self) -> AppResult<&str> {
        match (self.role, &self.scope) {
            (Role::InstitutionStaff, Some(Scope::Institution(code))) => Ok(code),
            _ => Err(AppError::Forbidden),
        }
    }

    /// The organisation an evaluator assesses for (403 for anyone else).
    pub fn evaluation_org(&self) -> AppResult<&str> {
        match (self.role, &self.scope) {
            (Role::Evaluator, Some(Scope::EvaluationOrg(name))) => Ok(name),
            _ => Err(AppError::Forbidden),
        }
    }

    /// The city an HR officer works for (403 for anyone else).
    pub fn city(&self) -> AppResult<City> {
        match (self.role, &self.scope) {
            (Role::HrOfficer, Some(Scope::City(city))) => Ok(*city),
            _ => Err(AppError::Forbidden),
        }
    }

    /// What of the write trail an actor may read: an admin all of it (`None`), an HR officer
    /// their city's (403 for anyone else).
    pub fn auditor(&self) -> AppResult<Option<City>> {
        match self.role {
            Role::Admin => Ok(None),
            _ => self.city().map(Some),
        }
    }
}

/// The signed-in person, as pages need to know them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedIn {
    pub actor: Actor,
    pub name: String,
    /// Unread inbox messages, for the header.
    pub unread: u32,
}

/// The request extension the server's session layer sets.
#[derive(Debug, Clone, Default)]
pub struct CurrentUser(pub Option<SignedIn>);

/// The person signed in on this request (always `None` in the browser: pages render on the
/// server).
#[cfg(feature = "ssr")]
pub fn current_user() -> Option<SignedIn> {
    leptos::prelude::use_context::<http::request::Parts>()
        .and_then(|p| p.extensions.get::<CurrentUser>().cloned())
        .and_then(|c| c.0)
}

#[cfg(not(feature = "ssr"))]
pub fn current_user() -> Option<SignedIn> {
    None
}

/// The actor signed in on this request, or 401.
pub fn signed_in_actor() -> AppResult<Actor> {
    current_user()
        .map(|u| u.actor)
        .ok_or(AppError::Unauthorized)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actor(role: Role, scope: Option<&str>) -> Actor {
        Actor::new(7, role, scope)
    }

    #[test]
    fn each_role_has_its_own_scope_and_only_it() {
        let staff = actor(Role::InstitutionStaff, Some("INST-A"));
        assert_eq!(staff.institution().unwrap(), "INST-A");
        assert_eq!(staff.city(), Err(AppError::Forbidden));
        assert_eq!(staff.trainee(), Err(AppError::Forbidden));
        let hr = actor(Role::HrOfficer, Some("510100"));
        assert_eq!(hr.city().unwrap(), City::Chengdu);
        assert_eq!(hr.institution(), Err(AppError::Forbidden));
        let evaluator = actor(Role::Evaluator, Some("成都测试评价中心"));
        assert_eq!(evaluator.evaluation_org().unwrap(), "成都测试评价中心");
        assert_eq!(actor(Role::Trainee, None).trainee().unwrap(), 7);
        assert_eq!(actor(Role::Admin, None).trainee(), Err(AppError::Forbidden));
    }

    #[test]
    fn a_scope_that_names_nothing_allows_nothing() {
        assert_eq!(
            actor(Role::HrOfficer, Some("chengdu")).city(),
            Err(AppError::Forbidden)
        );
        assert_eq!(
            actor(Role::HrOfficer, None).city(),
            Err(AppError::Forbidden)
        );
        assert_eq!(
            actor(Role::InstitutionStaff, Some(" ")).institution(),
            Err(AppError::Forbidden)
        );
        // A trainee's stored scope (there should be none) gives no staff rights.
        assert_eq!(actor(Role::Trainee, Some("INST-A")).scope, None);
    }

    #[test]
    fn a_scope_is_stored_as_it_reads() {
        for (role, text) in [
            (Role::InstitutionStaff, "INST-A"),
            (Role::Evaluator, "评价中心"),
            (Role::HrOfficer, "510700"),
        ] {
            assert_eq!(Scope::of(role, Some(text)).unwrap().text(), text);
        }
    }
}
