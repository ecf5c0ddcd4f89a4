//! Accounts: a trainee's sign-up, anyone's profile, groups and password, and staff accounts
//! made from the command line. Signing in and out is `sessions`.

use super::phone_code::Purpose;
use super::sessions::{self, SessionToken, PHONE_DOMAIN};
use super::store::{self, MacColumn, NewUser, Sealed};
use super::ID_DOMAIN;
use super::{hashing, phone_codes, NewAccount, Profile, Registration};
use crate::access::{Actor, Role};
use crate::audit::events::{self, Via};
use crate::error::{AppError, AppResult, FieldErrors, FieldProblem};
use crate::identity::{check_password, mask_id, mask_phone, parse_mobile, ResidentId, Sex};
use crate::portal::Portal;
use crate::reference::{City, Enumeration};
use chrono::NaiveDate;

/// A checked registration.
struct Checked {
    phone: String,
    name: String,
    id: ResidentId,
}

fn check_name(name: &str, errors: &mut FieldErrors) -> Option<String> {
    use crate::identity::{check_name, NameProblem, MAX_NAME_CHARS};
    let problem = match check_name(name) {
        Ok(name) => return Some(name),
        Err(NameProblem::Empty) => FieldProblem::Required,
        Err(NameProblem::TooLong) => FieldProblem::TooLong {
            max: MAX_NAME_CHARS,
        },
        Err(NameProblem::Characters) => FieldProblem::NameCharacters,
    };
    errors.add("name", problem);
    None
}

/// Every field of a sign-up checked as of `today` (the date in Beijing); each bad one named.
fn check_registration(r: &Registration, today: NaiveDate) -> Result<Checked, AppError> {
    let mut errors = FieldErrors::default();
    let phone = match parse_mobile(&r.phone) {
        Ok(p) => Some(p),
        Err(_) if r.phone.trim().is_empty() => {
            errors.add("phone", FieldProblem::Required);
            None
        }
        Err(_) => {
            errors.add("phone", FieldProblem::NotMobile);
            None
        }
    };
    if let Err(p) = check_password(&r.password) {
        errors.add("password", p.into());
    }
    let name = check_name(&r.name, &mut errors);
    if r.code.trim().is_empty() {
        errors.add("code", FieldProblem::Required);
    }
    let id = match ResidentId::parse(&r.id_number, today) {
        Ok(id) => Some(id),
        Err(_) if r.id_number.trim().is_empty() => {
            errors.add("id_number", FieldProblem::Required);
            None
        }
        Err(p) => {
            errors.add("id_number", p.into());
            None
        }
    };
    match (phone, name, id) {
        (Some(phone), Some(name), Some(id)) if errors.is_empty() => Ok(Checked { phone, name, id }),
        _ => Err(AppError::Invalid(errors)),
    }
}

/// The sealed and hashed forms of an account's numbers.
fn seal(portal: &Portal, phone: &str, id: Option<&ResidentId>) -> Sealed {
    let vault = &portal.vault;
    Sealed {
        phone_mac: vault.mac(PHONE_DOMAIN, phone),
        phone_sealed: vault.seal(phone.as_bytes()),
        id_mac: id.map(|id| vault.mac(ID_DOMAIN, id.as_str())),
        id_sealed: id.map(|id| vault.seal(id.as_str().as_bytes())),
    }
}

/// Signs a trainee up with the code texted to the phone (`phone_codes`). The identity number
/// gives the birth date and sex; it and the phone are stored sealed, with keyed hashes that
/// keep each unique. A phone that has an account is never texted a sign-up code, so it is
/// refused as a wrong code is; an identity number already registered is a 409, told only to
/// someone who proved their phone. The code is used only when the account is made.
pub async fn register(portal: &Portal, r: Registration) -> AppResult<i64> {
    let checked = check_registration(&r, portal.clock.today())?;
    let code = phone_codes::check(portal, &checked.phone, Purpose::Register, &r.code).await?;
    let sealed = seal(portal, &checked.phone, Some(&checked.id));
    if store::mac_taken(&portal.db, MacColumn::Phone, &sealed.phone_mac).await? {
        return Err(AppError::field("code", FieldProblem::CodeExpired));
    }
    if let Some(mac) = &sealed.id_mac {
        if store::mac_taken(&portal.db, MacColumn::Id, mac).await? {
            return Err(AppError::conflict(
                "id_number",
                FieldProblem::AlreadyRegistered,
            ));
        }
    }
    let hash = hashing::hash(r.password).await?;
    let user = NewUser {
        role: Role::Trainee,
        scope: None,
        name: &checked.name,
        phone: &checked.phone,
        id: Some(&checked.id),
        password_hash: &hash,
    };
    let mut tx = portal.db.write_tx().await?;
    phone_codes::take(portal, &mut tx, code).await?;
    let id = store::insert(&mut tx, &portal.clock.stamp(), &user, sealed).await?;
    super::real_name_store::phone_proved(&mut tx, id).await?;
    tx.commit().await?;
    events::account_created(id, Role::Trainee.code(), None, Via::SignUp);
    Ok(id)
}

/// Creates an account of any role (the command line). Each staff role needs its scope, and
/// only it; a trainee needs an identity number.
pub async fn create_account(portal: &Portal, a: NewAccount) -> AppResult<i64> {
    let mut errors = FieldErrors::default();
    let phone = parse_mobile(&a.phone)
        .map_err(|_| errors.add("phone", FieldProblem::NotMobile))
        .ok();
    if let Err(p) = check_password(&a.password) {
        errors.add("password", p.into());
    }
    let name = check_name(&a.name, &mut errors);
    let scope = match a.role {
        Role::InstitutionStaff => a.institution.clone().or_else(|| {
            errors.add("institution", FieldProblem::Required);
            None
        }),
        Role::Evaluator => a.evaluation_org.clone().or_else(|| {
            errors.add("evaluation_org", FieldProblem::Required);
            None
        }),
        Role::HrOfficer => match a.city.as_deref().map(City::parse_lenient) {
            Some(Some(city)) => Some(city.code().to_string()),
            Some(None) => {
                errors.add("city", FieldProblem::UnknownCode);
                None
            }
            None => {
                errors.add("city", FieldProblem::Required);
                None
            }
        },
        Role::Trainee | Role::Admin => None,
    };
    let id = match (&a.id_number, a.role) {
        (Some(text), _) => ResidentId::parse(text, portal.clock.today())
            .map_err(|p| errors.add("id_number", p.into()))
            .ok(),
        (None, Role::Trainee) => {
            errors.add("id_number", FieldProblem::Required);
            None
        }
        (None, _) => None,
    };
    let (Some(phone), Some(name)) = (phone, name) else {
        return Err(AppError::Invalid(errors));
    };
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let hash = hashing::hash(a.password.clone()).await?;
    let user = NewUser {
        role: a.role,
        scope: scope.as_deref(),
        name: &name,
        phone: &phone,
        id: id.as_ref(),
        password_hash: &hash,
    };
    let sealed = seal(portal, &phone, id.as_ref());
    let mut conn = portal.db.pool().acquire().await?;
    let account = store::insert(&mut conn, &portal.clock.stamp(), &user, sealed).await?;
    events::account_created(account, a.role.code(), scope.as_deref(), Via::CommandLine);
    Ok(account)
}

/// The actor's profile, the identity and phone numbers masked.
pub async fn profile(portal: &Portal, actor: &Actor) -> AppResult<Profile> {
    profile_of(portal, actor.id).await
}

/// A person's profile (just signed up or in, before a session is theirs).
pub async fn profile_of(portal: &Portal, id: i64) -> AppResult<Profile> {
    let row = store::user(&portal.db, id).await?;
    let mut conn = portal.db.pool().acquire().await?;
    let claims = crate::groups::store::of_person(&mut conn, id).await?;
    drop(conn);
    let groups = crate::groups::service::memberships(&portal.vault, &claims)?;
    let birth_date = row
        .birth_date
        .as_deref()
        .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
    let id_number = match &row.id_sealed {
        Some(sealed) => Some(mask_id(&portal.vault.reveal(sealed)?)),
        None => None,
    };
    Ok(Profile {
        id: row.id,
        role: Role::from_code(&row.role)
            .ok_or_else(|| AppError::Internal("unknown role".into()))?,
        scope: row.scope.clone(),
        name: row.name.clone(),
        phone: mask_phone(&portal.vault.reveal(&row.phone_sealed)?),
        id_number,
        birth_date,
        age: birth_date.map(|b| crate::identity::age_on(b, portal.clock.today())),
        sex: match row.sex.as_deref() {
            Some("male") => Some(Sex::Male),
            Some("female") => Some(Sex::Female),
            _ => None,
        },
        groups,
        residence_city: row.residence_city.clone(),
        real_name: match row.real_name_verified {
            0 => super::real_name::RealName::Unverified,
            _ => super::real_name::RealName::Verified,
        },
        text_notices: store::text_notices(&portal.db, row.id).await?,
        password: store::password_hash(&portal.db, row.id)
            .await?
            .is_some_and(|h| !h.is_empty()),
    })
}

/// Changes the actor's password after checking the current one; every session of theirs ends,
/// and a new one is returned for the device that made the change.
pub async fn change_password(
    portal: &Portal,
    actor: &Actor,
    current: &str,
    new: &str,
) -> AppResult<SessionToken> {
    if let Err(p) = check_password(new) {
        return Err(AppError::field("new_password", p.into()));
    }
    let hash = store::password_hash(&portal.db, actor.id).await?;
    if !hashing::verify(current.to_string(), hash).await? {
        return Err(AppError::field(
            "current_password",
            FieldProblem::WrongPassword,
        ));
    }
    let new_hash = hashing::hash(new.to_string()).await?;
    store::set_password(&portal.db, &portal.clock.stamp(), actor.id, &new_hash).await?;
    events::password_changed(actor.id, "change");
    sessions::start(portal, actor.id).await
}

/// Whether the actor gets notices by text.
pub async fn text_notices(portal: &Portal, actor: &Actor) -> AppResult<bool> {
    store::text_notices(&portal.db, actor.id).await
}

/// Notices by text on or off for the actor (trainees: the notices are theirs).
pub async fn set_text_notices(portal: &Portal, actor: &Actor, on: bool) -> AppResult<bool> {
    actor.trainee()?;
    let mut tx = portal.db.write_tx().await?;
    store::set_text_notices(&mut tx, actor.id, on).await?;
    tx.commit().await?;
    Ok(on)
}

/// Confirms that the actor deletes their own account: with its password, or — an account
/// with none (made by the unified identity service) — with a `delete_account` code texted to
/// its phone, used here.
pub async fn confirm_deletion(
    portal: &Portal,
    actor: &Actor,
    password: &str,
    code: &str,
) -> AppResult<()> {
    let hash = store::password_hash(&portal.db, actor.id).await?;
    if hash.as_deref().is_some_and(|h| !h.is_empty()) {
        if password.is_empty() {
            return Err(AppError::field("password", FieldProblem::Required));
        }
        return check_own_password(portal, actor, password).await;
    }
    let row = store::user(&portal.db, actor.id).await?;
    let phone = portal.vault.reveal(&row.phone_sealed)?;
    let checked = phone_codes::check(portal, &phone, Purpose::DeleteAccount, code).await?;
    let mut tx = portal.db.write_tx().await?;
    phone_codes::take(portal, &mut tx, checked).await?;
    tx.commit().await?;
    Ok(())
}

/// Checks the actor's own password (before deleting their account, say).
pub async fn check_own_password(portal: &Portal, actor: &Actor, password: &str) -> AppResult<()> {
    let hash = store::password_hash(&portal.db, actor.id).await?;
    if hashing::verify(password.to_string(), hash).await? {
        Ok(())
    } else {
        Err(AppError::field("password", FieldProblem::WrongPassword))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_registration_reports_every_bad_field() {
        let err = check_registration(
            &Registration {
                phone: "12345".into(),
                password: "password".into(),
                name: " ".into(),
                id_number: "11010519491231002Y".into(),
                code: String::new(),
            },
            NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(),
        )
        .err()
        .unwrap();
        let fields: Vec<String> = err.fields().unwrap().0.keys().cloned().collect();
        assert_eq!(fields, ["code", "id_number", "name", "password", "phone"]);
    }
}
