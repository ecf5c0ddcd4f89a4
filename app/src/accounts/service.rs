//! The accounts service: sign-up, sign-in and sessions, the profile, data export and deletion,
//! staff accounts and the audit log. The API, the pages and the CLI all call these functions.

use super::{throttle, GroupMembership, Profile, Role, SignedIn};
use crate::error::{AppError, AppResult, FieldErrors, FieldProblem};
use crate::identity::{check_password, mask_id, mask_phone, parse_mobile, ResidentId, Sex};
use crate::portal::Portal;
use crate::reference::{City, Enumeration, Group};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::NaiveDate;
use rand_core::{OsRng, RngCore};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::sync::LazyLock;
use tokio::sync::Semaphore;

/// A session ends after this long without a request…
pub const IDLE_TIMEOUT_SECS: i64 = 30 * 60;
/// …and this long after sign-in, whatever happens.
pub const ABSOLUTE_TIMEOUT_SECS: i64 = 12 * 60 * 60;
/// `last_seen_at` is written at most this often per session.
const TOUCH_EVERY_SECS: i64 = 60;

const PHONE_DOMAIN: &str = "phone";
const ID_DOMAIN: &str = "resident-id";
const CLIENT_DOMAIN: &str = "client";

/// Password hashing is deliberately slow (argon2id, 19 MiB, 2 passes); at most one hash per
/// core runs at a time, so a burst of sign-ins queues here instead of starving page requests.
static HASHING: LazyLock<Semaphore> =
    LazyLock::new(|| Semaphore::new(std::thread::available_parallelism().map_or(1, |n| n.get())));

fn argon2() -> Argon2<'static> {
    // OWASP: argon2id, m = 19 456 KiB, t = 2, p = 1.
    let params = Params::new(19_456, 2, 1, None).expect("valid argon2 parameters");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

async fn on_hashing_pool<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> AppResult<T> {
    let _permit = HASHING
        .acquire()
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?;
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| AppError::Internal(e.to_string()))
}

pub async fn hash_password(password: String) -> AppResult<String> {
    on_hashing_pool(move || {
        let salt = SaltString::generate(&mut OsRng);
        argon2()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| AppError::Internal(e.to_string()))
    })
    .await?
}

/// Verifies `password` against `hash`; with no hash (unknown phone) a dummy is checked so the
/// answer takes as long and tells nothing.
async fn verify_password(password: String, hash: Option<String>) -> AppResult<bool> {
    static DUMMY: LazyLock<String> = LazyLock::new(|| {
        let salt = SaltString::generate(&mut OsRng);
        argon2()
            .hash_password(b"not a real password", &salt)
            .map(|h| h.to_string())
            .unwrap_or_default()
    });
    on_hashing_pool(move || {
        let known = hash.is_some();
        let hash = hash.unwrap_or_else(|| DUMMY.clone());
        let ok = PasswordHash::new(&hash)
            .is_ok_and(|h| argon2().verify_password(password.as_bytes(), &h).is_ok());
        ok && known
    })
    .await
}

fn join_groups(groups: &[Group]) -> String {
    if groups.is_empty() {
        String::new()
    } else {
        format!(
            ";{};",
            groups
                .iter()
                .map(|g| g.code())
                .collect::<Vec<_>>()
                .join(";")
        )
    }
}

pub(crate) fn split_groups(text: &str) -> Vec<Group> {
    text.split(';').filter_map(Group::from_code).collect()
}

/// What a person types to sign up.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Registration {
    pub phone: String,
    pub password: String,
    pub name: String,
    /// 身份证号 (18 characters).
    pub id_number: String,
}

/// A checked registration.
struct Checked {
    phone: String,
    name: String,
    id: ResidentId,
}

fn check_name(name: &str, errors: &mut FieldErrors) -> Option<String> {
    let name = name.trim();
    if name.is_empty() {
        errors.add("name", FieldProblem::Required);
        return None;
    }
    if name.chars().count() > 50 || name.chars().any(char::is_control) {
        errors.add("name", FieldProblem::TooLong { max: 50 });
        return None;
    }
    Some(name.to_string())
}

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

/// Signs a trainee up. The identity number gives the birth date and sex; it and the phone are
/// stored sealed, with keyed hashes that keep each unique.
pub async fn register(portal: &Portal, r: Registration) -> AppResult<i64> {
    let checked = check_registration(&r, portal.clock.today())?;
    let vault = &portal.vault;
    let phone_mac = vault.mac(PHONE_DOMAIN, &checked.phone);
    let id_mac = vault.mac(ID_DOMAIN, checked.id.as_str());
    let mut taken = FieldErrors::default();
    if exists(portal, "phone_mac", &phone_mac).await? {
        taken.add("phone", FieldProblem::AlreadyRegistered);
    }
    if exists(portal, "id_mac", &id_mac).await? {
        taken.add("id_number", FieldProblem::AlreadyRegistered);
    }
    if !taken.is_empty() {
        return Err(AppError::Conflict(taken));
    }
    let hash = hash_password(r.password).await?;
    insert_user(
        portal,
        NewUser {
            role: Role::Trainee,
            scope: None,
            name: checked.name,
            phone: checked.phone,
            id: Some(checked.id),
            password_hash: hash,
        },
    )
    .await
}

async fn exists(portal: &Portal, column: &str, mac: &[u8]) -> AppResult<bool> {
    let sql = format!("SELECT COUNT(*) FROM users WHERE {column} = $1");
    let n: i64 = sqlx::query_scalar(&sql)
        .bind(mac)
        .fetch_one(portal.db.pool())
        .await?;
    Ok(n > 0)
}

struct NewUser {
    role: Role,
    scope: Option<String>,
    name: String,
    phone: String,
    id: Option<ResidentId>,
    password_hash: String,
}

async fn insert_user(portal: &Portal, u: NewUser) -> AppResult<i64> {
    let vault = &portal.vault;
    let now = portal.clock.stamp();
    let sex = u.id.as_ref().map(|id| match id.sex {
        Sex::Male => "male",
        Sex::Female => "female",
    });
    let result = sqlx::query_scalar(
        "INSERT INTO users (role, scope, name, phone_mac, phone_sealed, id_mac, id_sealed, birth_date, \
         sex, password_hash, created_at, password_changed_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING id",
    )
    .bind(u.role.code())
    .bind(&u.scope)
    .bind(&u.name)
    .bind(vault.mac(PHONE_DOMAIN, &u.phone))
    .bind(vault.seal(u.phone.as_bytes()))
    .bind(u.id.as_ref().map(|id| vault.mac(ID_DOMAIN, id.as_str())))
    .bind(u.id.as_ref().map(|id| vault.seal(id.as_str().as_bytes())))
    .bind(u.id.as_ref().map(|id| id.birth_date.to_string()))
    .bind(sex)
    .bind(&u.password_hash)
    .bind(&now)
    .fetch_one(portal.db.pool())
    .await;
    match result {
        Ok(id) => Ok(id),
        // Two sign-ups of the same phone at the same moment: the unique index decides.
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
            let field = if e.message().contains("id_mac") {
                "id_number"
            } else {
                "phone"
            };
            let mut taken = FieldErrors::default();
            taken.add(field, FieldProblem::AlreadyRegistered);
            Err(AppError::Conflict(taken))
        }
        Err(e) => Err(e.into()),
    }
}

/// A new session's secret, to be put in the cookie; only its hash is stored.
#[derive(Debug, Clone)]
pub struct SessionToken(pub String);

fn token_hash(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

/// Starts a session for a person who has just proved who they are (signed up, say).
pub async fn start_session(portal: &Portal, user_id: i64) -> AppResult<SessionToken> {
    new_session(portal, user_id).await
}

async fn new_session(portal: &Portal, user_id: i64) -> AppResult<SessionToken> {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    let token = URL_SAFE_NO_PAD.encode(bytes);
    let now = portal.clock.seconds();
    sqlx::query("INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at) VALUES ($1, $2, $3, $3)")
        .bind(token_hash(&token))
        .bind(user_id)
        .bind(now)
        .execute(portal.db.pool())
        .await?;
    Ok(SessionToken(token))
}

/// Signs in with phone and password. `client` identifies the caller's address for the
/// per-address limit. Failures are throttled per phone number (see `throttle`).
pub async fn login(
    portal: &Portal,
    phone: &str,
    password: &str,
    client: &str,
) -> AppResult<SessionToken> {
    let now = portal.clock.seconds();
    let vault = &portal.vault;
    let client_key = vault.mac(CLIENT_DOMAIN, client);
    let client_state = throttle::load(&portal.db, &client_key).await?;
    throttle::check(&client_state, now)?;
    let counted = throttle::record(
        &portal.db,
        &client_key,
        now,
        portal.settings.login_attempts_per_minute,
        false,
    )
    .await?;
    throttle::check(&counted, now)?;

    let digits = parse_mobile(phone).unwrap_or_else(|_| phone.trim().to_string());
    let phone_key = vault.mac(PHONE_DOMAIN, &digits);
    let state = throttle::load(&portal.db, &phone_key).await?;
    throttle::check(&state, now)?;
    let user: Option<(i64, String)> =
        sqlx::query_as("SELECT id, password_hash FROM users WHERE phone_mac = $1")
            .bind(&phone_key)
            .fetch_optional(portal.db.pool())
            .await?;
    let ok = verify_password(password.to_string(), user.as_ref().map(|(_, h)| h.clone())).await?;
    match user {
        Some((id, _)) if ok => {
            throttle::clear(&portal.db, &phone_key).await?;
            new_session(portal, id).await
        }
        _ => {
            let next =
                throttle::record(&portal.db, &phone_key, now, throttle::PHONE_FAILURES, true)
                    .await?;
            match throttle::retry_after(&next, now) {
                Some(retry_after_secs) => Err(AppError::TooManyRequests { retry_after_secs }),
                None => Err(AppError::Unauthorized),
            }
        }
    }
}

/// The signed-in person behind a session token, if the session is still valid (not idle for
/// 30 minutes, not older than 12 hours).
pub async fn session_user(portal: &Portal, token: &str) -> AppResult<Option<SignedIn>> {
    let hash = token_hash(token);
    #[derive(sqlx::FromRow)]
    struct Row {
        created_at: i64,
        last_seen_at: i64,
        id: i64,
        role: String,
        scope: Option<String>,
        name: String,
        unread: i64,
    }
    let row: Option<Row> = sqlx::query_as(
        "SELECT s.created_at, s.last_seen_at, u.id, u.role, u.scope, u.name, \
         (SELECT COUNT(*) FROM notifications n WHERE n.user_id = u.id AND n.read_at IS NULL) AS unread \
         FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1",
    )
    .bind(&hash)
    .fetch_optional(portal.db.pool())
    .await?;
    let Some(Row {
        created_at: created,
        last_seen_at: seen,
        id,
        role,
        scope,
        name,
        unread,
    }) = row
    else {
        return Ok(None);
    };
    let now = portal.clock.seconds();
    if now - seen > IDLE_TIMEOUT_SECS || now - created > ABSOLUTE_TIMEOUT_SECS {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(&hash)
            .execute(portal.db.pool())
            .await?;
        return Ok(None);
    }
    if now - seen > TOUCH_EVERY_SECS {
        sqlx::query("UPDATE sessions SET last_seen_at = $2 WHERE token_hash = $1")
            .bind(&hash)
            .bind(now)
            .execute(portal.db.pool())
            .await?;
    }
    let role =
        Role::from_code(&role).ok_or_else(|| AppError::Internal(format!("unknown role {role}")))?;
    Ok(Some(SignedIn {
        id,
        role,
        scope,
        name,
        unread: u32::try_from(unread).unwrap_or(0),
    }))
}

pub async fn logout(portal: &Portal, token: &str) -> AppResult<()> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
        .bind(token_hash(token))
        .execute(portal.db.pool())
        .await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct UserRow {
    id: i64,
    role: String,
    scope: Option<String>,
    name: String,
    phone_sealed: Vec<u8>,
    id_sealed: Option<Vec<u8>>,
    birth_date: Option<String>,
    sex: Option<String>,
    groups: String,
    created_at: String,
}

async fn user_row(portal: &Portal, user_id: i64) -> AppResult<UserRow> {
    sqlx::query_as(
        "SELECT id, role, scope, name, phone_sealed, id_sealed, birth_date, sex, groups, created_at \
         FROM users WHERE id = $1",
    )
    .bind(user_id)
    .fetch_optional(portal.db.pool())
    .await?
    .ok_or(AppError::NotFound)
}

pub(crate) fn unseal(portal: &Portal, sealed: &[u8]) -> AppResult<String> {
    portal
        .vault
        .open_text(sealed)
        .ok_or_else(|| AppError::Internal("cannot open a sealed value (wrong key?)".into()))
}

fn profile_of(portal: &Portal, row: &UserRow) -> AppResult<Profile> {
    let birth_date = row
        .birth_date
        .as_deref()
        .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
    let id_number = match &row.id_sealed {
        Some(sealed) => Some(mask_id(&unseal(portal, sealed)?)),
        None => None,
    };
    Ok(Profile {
        id: row.id,
        role: Role::from_code(&row.role)
            .ok_or_else(|| AppError::Internal("unknown role".into()))?,
        scope: row.scope.clone(),
        name: row.name.clone(),
        phone: mask_phone(&unseal(portal, &row.phone_sealed)?),
        id_number,
        birth_date,
        age: birth_date.map(|b| crate::identity::age_on(b, portal.clock.today())),
        sex: match row.sex.as_deref() {
            Some("male") => Some(Sex::Male),
            Some("female") => Some(Sex::Female),
            _ => None,
        },
        groups: split_groups(&row.groups)
            .into_iter()
            .map(GroupMembership::of)
            .collect(),
    })
}

pub async fn profile(portal: &Portal, user_id: i64) -> AppResult<Profile> {
    profile_of(portal, &user_row(portal, user_id).await?)
}

pub async fn set_groups(portal: &Portal, user_id: i64, groups: &[Group]) -> AppResult<Profile> {
    let mut unique: Vec<Group> = Vec::new();
    for g in groups {
        if !unique.contains(g) {
            unique.push(*g);
        }
    }
    sqlx::query("UPDATE users SET groups = $2 WHERE id = $1")
        .bind(user_id)
        .bind(join_groups(&unique))
        .execute(portal.db.pool())
        .await?;
    profile(portal, user_id).await
}

/// Changes the password after checking the current one; every session of the person ends,
/// and a new one is returned for the device that made the change.
pub async fn change_password(
    portal: &Portal,
    user_id: i64,
    current: &str,
    new: &str,
) -> AppResult<SessionToken> {
    if let Err(p) = check_password(new) {
        return Err(AppError::field("new_password", p.into()));
    }
    let hash: String = sqlx::query_scalar("SELECT password_hash FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_one(portal.db.pool())
        .await?;
    if !verify_password(current.to_string(), Some(hash)).await? {
        return Err(AppError::field(
            "current_password",
            FieldProblem::WrongPassword,
        ));
    }
    let new_hash = hash_password(new.to_string()).await?;
    let mut tx = portal.db.write_tx().await?;
    sqlx::query("UPDATE users SET password_hash = $2, password_changed_at = $3 WHERE id = $1")
        .bind(user_id)
        .bind(new_hash)
        .bind(portal.clock.stamp())
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    new_session(portal, user_id).await
}

/// Checks a person's password (before deleting their account, say).
pub async fn check_own_password(portal: &Portal, user_id: i64, password: &str) -> AppResult<()> {
    let hash: Option<String> = sqlx::query_scalar("SELECT password_hash FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_optional(portal.db.pool())
        .await?;
    if verify_password(password.to_string(), hash).await? {
        Ok(())
    } else {
        Err(AppError::field("password", FieldProblem::WrongPassword))
    }
}

/// Everything Peixun holds about a person, for them to download (PIPL art. 45).
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Export {
    pub exported_at: String,
    pub account: ExportedAccount,
    pub sessions: Vec<ExportedSession>,
    pub audit: Vec<ExportedAudit>,
    pub enrollments: Vec<crate::enrollment::Enrollment>,
    pub certificates: Vec<crate::certificate::Certificate>,
    pub subsidy_claims: Vec<crate::subsidy::Claim>,
    pub disputes: Vec<crate::dispute::Dispute>,
    pub notifications: Vec<crate::enrollment::Notification>,
}

#[derive(Debug, Serialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ExportedAccount {
    pub id: i64,
    pub role: Role,
    pub name: String,
    /// In full: this is the person's own copy.
    pub phone: String,
    pub id_number: Option<String>,
    pub birth_date: Option<String>,
    pub sex: Option<String>,
    pub groups: Vec<Group>,
    pub created_at: String,
}

#[derive(Debug, Serialize, sqlx::FromRow)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ExportedSession {
    pub created_at: i64,
    pub last_seen_at: i64,
}

#[derive(Debug, Serialize, sqlx::FromRow)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ExportedAudit {
    pub at: String,
    pub action: String,
    pub actor_id: Option<i64>,
    /// What was looked at (a class code for a roster).
    pub detail: Option<String>,
}

pub async fn export(portal: &Portal, user_id: i64) -> AppResult<Export> {
    let row = user_row(portal, user_id).await?;
    let id_number = match &row.id_sealed {
        Some(sealed) => Some(unseal(portal, sealed)?),
        None => None,
    };
    let sessions = sqlx::query_as(
        "SELECT created_at, last_seen_at FROM sessions WHERE user_id = $1 ORDER BY created_at",
    )
    .bind(user_id)
    .fetch_all(portal.db.pool())
    .await?;
    let audit = sqlx::query_as(
        "SELECT at, action, actor_id, detail FROM audit_log WHERE subject_id = $1 ORDER BY id",
    )
    .bind(user_id)
    .fetch_all(portal.db.pool())
    .await?;
    Ok(Export {
        exported_at: portal.clock.stamp(),
        account: ExportedAccount {
            id: row.id,
            role: Role::from_code(&row.role).unwrap_or(Role::Trainee),
            name: row.name.clone(),
            phone: unseal(portal, &row.phone_sealed)?,
            id_number,
            birth_date: row.birth_date.clone(),
            sex: row.sex.clone(),
            groups: split_groups(&row.groups),
            created_at: row.created_at.clone(),
        },
        sessions,
        audit,
        enrollments: crate::enrollment::service::mine(portal, user_id).await?,
        certificates: crate::certificate::service::wallet(portal, user_id).await?,
        // Claims made (not the certificates that could still be claimed for).
        subsidy_claims: crate::subsidy::service::mine(portal, user_id)
            .await?
            .into_iter()
            .filter(|c| c.id.is_some())
            .collect(),
        disputes: crate::dispute::service::mine(portal, user_id).await?,
        notifications: crate::enrollment::service::inbox(
            portal,
            user_id,
            crate::list::Paging::everything(),
        )
        .await?
        .items,
    })
}

/// Deletes an account: the person's row and sessions go. Records the law requires to keep
/// (enrolments, certificates, subsidy claims, the audit log) are kept without the person's
/// identity (their link to the account is cut).
pub async fn delete_account(portal: &Portal, user_id: i64) -> AppResult<()> {
    // The write lock first: the deletion gives seats back (see `enrollment::service`).
    let mut tx = portal.db.write_tx().await?;
    crate::enrollment::service::withdraw_all(&mut tx, user_id, portal.clock.today()).await?;
    sqlx::query("INSERT INTO audit_log (at, actor_id, action, subject_id) VALUES ($1, NULL, 'account_deleted', NULL)")
        .bind(portal.clock.stamp())
        .execute(&mut *tx)
        .await?;
    sqlx::query("UPDATE audit_log SET subject_id = NULL WHERE subject_id = $1")
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    sqlx::query("UPDATE audit_log SET actor_id = NULL WHERE actor_id = $1")
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    let deleted = sqlx::query("DELETE FROM users WHERE id = $1")
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    if deleted.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    tx.commit().await?;
    portal.catalog.seats_changed();
    Ok(())
}

/// Writes that a staff member (`actor`) looked at several people's data: one entry per person,
/// in one transaction (one commit however long the list).
pub async fn audit_each(
    portal: &Portal,
    actor: i64,
    action: &str,
    subjects: &[i64],
    detail: Option<&str>,
) -> AppResult<()> {
    if subjects.is_empty() {
        return Ok(());
    }
    let at = portal.clock.stamp();
    let mut tx = portal.db.write_tx().await?;
    for subject in subjects {
        sqlx::query("INSERT INTO audit_log (at, actor_id, action, subject_id, detail) VALUES ($1, $2, $3, $4, $5)")
            .bind(&at)
            .bind(actor)
            .bind(action)
            .bind(subject)
            .bind(detail)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// A staff (or any) account created from the command line.
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

/// Creates an account of any role. Each staff role needs its scope, and only it; a trainee
/// needs an identity number.
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
    let password_hash = hash_password(a.password.clone()).await?;
    insert_user(
        portal,
        NewUser {
            role: a.role,
            scope,
            name,
            phone,
            id,
            password_hash,
        },
    )
    .await
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
            },
            NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(),
        )
        .err()
        .unwrap();
        let fields: Vec<String> = err.fields().unwrap().0.keys().cloned().collect();
        assert_eq!(fields, ["id_number", "name", "password", "phone"]);
    }

    #[test]
    fn groups_are_stored_as_delimited_codes() {
        let text = join_groups(&[Group::Veteran, Group::Disabled]);
        assert_eq!(text, ";veteran;disabled;");
        assert_eq!(split_groups(&text), [Group::Veteran, Group::Disabled]);
        assert!(split_groups("").is_empty());
    }
}
