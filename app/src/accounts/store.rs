//! Accounts and sessions in the database (tables `users`, `sessions`). Identity and phone
//! numbers are stored sealed, with keyed hashes for uniqueness and look-up (see `vault`).

use crate::access::Role;
use crate::error::{AppError, AppResult, FieldErrors, FieldProblem};
use crate::identity::{ResidentId, Sex};
use crate::storage::{Conn, Db};

/// An account to store: the numbers in clear, sealed and hashed on the way in.
pub struct NewUser<'a> {
    pub role: Role,
    pub scope: Option<&'a str>,
    pub name: &'a str,
    pub phone: &'a str,
    pub id: Option<&'a ResidentId>,
    pub password_hash: &'a str,
}

/// The sealed and hashed forms of a new account's numbers.
pub struct Sealed {
    pub phone_mac: Vec<u8>,
    pub phone_sealed: Vec<u8>,
    pub id_mac: Option<Vec<u8>>,
    pub id_sealed: Option<Vec<u8>>,
}

/// Whether an account holds this keyed hash in `column` (`phone_mac` or `id_mac`).
pub async fn mac_taken(db: &Db, column: MacColumn, mac: &[u8]) -> AppResult<bool> {
    let sql = format!("SELECT COUNT(*) FROM users WHERE {} = $1", column.name());
    let n: i64 = sqlx::query_scalar(&sql)
        .bind(mac)
        .fetch_one(db.pool())
        .await?;
    Ok(n > 0)
}

/// The keyed-hash columns.
#[derive(Debug, Clone, Copy)]
pub enum MacColumn {
    Phone,
    Id,
}

impl MacColumn {
    fn name(self) -> &'static str {
        match self {
            MacColumn::Phone => "phone_mac",
            MacColumn::Id => "id_mac",
        }
    }
}

/// Stores a new account at `at`. Two sign-ups of the same phone at the same moment: the
/// unique index decides, and the second is a conflict on the field it repeats.
pub async fn insert(conn: &mut Conn, at: &str, u: &NewUser<'_>, sealed: Sealed) -> AppResult<i64> {
    let sex = u.id.map(|id| match id.sex {
        Sex::Male => "male",
        Sex::Female => "female",
    });
    let result = sqlx::query_scalar(
        "INSERT INTO users (role, scope, name, phone_mac, phone_sealed, id_mac, id_sealed, \
         birth_date, sex, password_hash, created_at, password_changed_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING id",
    )
    .bind(u.role.code())
    .bind(u.scope)
    .bind(u.name)
    .bind(sealed.phone_mac)
    .bind(sealed.phone_sealed)
    .bind(sealed.id_mac)
    .bind(sealed.id_sealed)
    .bind(u.id.map(|id| id.birth_date.to_string()))
    .bind(sex)
    .bind(u.password_hash)
    .bind(at)
    .fetch_one(&mut *conn)
    .await;
    match result {
        Ok(id) => Ok(id),
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

/// An account as stored.
#[derive(Debug, sqlx::FromRow)]
pub struct UserRow {
    pub id: i64,
    pub role: String,
    pub scope: Option<String>,
    pub name: String,
    pub phone_sealed: Vec<u8>,
    pub id_sealed: Option<Vec<u8>>,
    pub birth_date: Option<String>,
    pub sex: Option<String>,
    pub residence_city: Option<String>,
    pub created_at: String,
    pub real_name_verified: i64,
}

pub async fn user(db: &Db, id: i64) -> AppResult<UserRow> {
    sqlx::query_as(
        "SELECT id, role, scope, name, phone_sealed, id_sealed, birth_date, sex, \
         residence_city, created_at, real_name_verified FROM users WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(db.pool())
    .await?
    .ok_or(AppError::NotFound)
}

/// The account and password hash of a phone number's keyed hash.
/// The account with the phone: its id, password hash and role.
pub async fn by_phone(db: &Db, phone_mac: &[u8]) -> AppResult<Option<(i64, String, String)>> {
    Ok(
        sqlx::query_as("SELECT id, password_hash, role FROM users WHERE phone_mac = $1")
            .bind(phone_mac)
            .fetch_optional(db.pool())
            .await?,
    )
}

pub async fn password_hash(db: &Db, id: i64) -> AppResult<Option<String>> {
    Ok(
        sqlx::query_scalar("SELECT password_hash FROM users WHERE id = $1")
            .bind(id)
            .fetch_optional(db.pool())
            .await?,
    )
}

/// A person's birth date (`Some(None)` when none is known; `None` when there is no such
/// account), read in the caller's transaction.
pub async fn birth_date(conn: &mut Conn, id: i64) -> AppResult<Option<Option<String>>> {
    Ok(
        sqlx::query_scalar::<_, Option<String>>("SELECT birth_date FROM users WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?,
    )
}

/// A new password hash; every session of the account ends with it.
pub async fn set_password(db: &Db, at: &str, id: i64, hash: &str) -> AppResult<()> {
    let mut tx = db.write_tx().await?;
    set_password_in(&mut tx, at, id, hash).await?;
    tx.commit().await?;
    Ok(())
}

/// A new password, in the caller's transaction; every session of the account ends.
pub async fn set_password_in(conn: &mut Conn, at: &str, id: i64, hash: &str) -> AppResult<()> {
    sqlx::query("UPDATE users SET password_hash = $2, password_changed_at = $3 WHERE id = $1")
        .bind(id)
        .bind(hash)
        .bind(at)
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// The sealed phone of account `id` (for its masked form in the trail).
pub async fn phone_sealed(conn: &mut Conn, id: i64) -> AppResult<Vec<u8>> {
    sqlx::query_scalar("SELECT phone_sealed FROM users WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(AppError::NotFound)
}

/// A new phone for account `id`; false when another account holds it (its unique index).
pub async fn set_phone(conn: &mut Conn, id: i64, mac: &[u8], sealed: &[u8]) -> AppResult<bool> {
    let done = sqlx::query("UPDATE users SET phone_mac = $2, phone_sealed = $3 WHERE id = $1")
        .bind(id)
        .bind(mac)
        .bind(sealed)
        .execute(&mut *conn)
        .await;
    match done {
        Ok(d) => Ok(d.rows_affected() == 1),
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => Ok(false),
        Err(e) => Err(e.into()),
    }
}

/// Deletes the account's row (its sessions go with it); false when there was none.
pub async fn delete(conn: &mut Conn, id: i64) -> AppResult<bool> {
    let done = sqlx::query("DELETE FROM users WHERE id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected() > 0)
}

// Sessions: only a token's SHA-256 is stored.

pub async fn insert_session(db: &Db, token_hash: &[u8], user: i64, now: i64) -> AppResult<()> {
    sqlx::query(
        "INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at) \
         VALUES ($1, $2, $3, $3)",
    )
    .bind(token_hash)
    .bind(user)
    .bind(now)
    .execute(db.pool())
    .await?;
    Ok(())
}

/// A session with its person, and their unread messages (for the header).
#[derive(Debug, sqlx::FromRow)]
pub struct SessionRow {
    pub created_at: i64,
    pub last_seen_at: i64,
    pub id: i64,
    pub role: String,
    pub scope: Option<String>,
    pub name: String,
    pub unread: i64,
}

pub async fn session(db: &Db, token_hash: &[u8]) -> AppResult<Option<SessionRow>> {
    Ok(sqlx::query_as(
        "SELECT s.created_at, s.last_seen_at, u.id, u.role, u.scope, u.name, \
         (SELECT COUNT(*) FROM notifications n WHERE n.user_id = u.id AND n.read_at IS NULL) \
         AS unread FROM sessions s JOIN users u ON u.id = s.user_id \
         WHERE s.token_hash = $1 AND s.pending IS NULL AND u.frozen_at IS NULL",
    )
    .bind(token_hash)
    .fetch_optional(db.pool())
    .await?)
}

pub async fn touch_session(db: &Db, token_hash: &[u8], now: i64) -> AppResult<()> {
    sqlx::query("UPDATE sessions SET last_seen_at = $2 WHERE token_hash = $1")
        .bind(token_hash)
        .bind(now)
        .execute(db.pool())
        .await?;
    Ok(())
}

pub async fn delete_session(db: &Db, token_hash: &[u8]) -> AppResult<()> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
        .bind(token_hash)
        .execute(db.pool())
        .await?;
    Ok(())
}

/// A person's sessions, for their own download: when each began and was last used.
#[derive(Debug, Clone, serde::Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct SessionEntry {
    pub created_at: i64,
    pub last_seen_at: i64,
}

pub async fn sessions_of(db: &Db, user: i64) -> AppResult<Vec<SessionEntry>> {
    Ok(sqlx::query_as(
        "SELECT created_at, last_seen_at FROM sessions WHERE user_id = $1 AND pending IS NULL \
         ORDER BY created_at",
    )
    .bind(user)
    .fetch_all(db.pool())
    .await?)
}

/// Whether account `id` is frozen pending an identity check.
pub async fn frozen(db: &Db, id: i64) -> AppResult<bool> {
    let at: Option<Option<String>> =
        sqlx::query_scalar("SELECT frozen_at FROM users WHERE id = $1")
            .bind(id)
            .fetch_optional(db.pool())
            .await?;
    Ok(at.flatten().is_some())
}

/// Notices by text on (from the next message on) or off.
pub async fn set_text_notices(conn: &mut Conn, id: i64, on: bool) -> AppResult<()> {
    let sql = match on {
        true => {
            "UPDATE users SET text_notices_from = \
                 COALESCE(text_notices_from, (SELECT COALESCE(MAX(id), 0) FROM notifications)) \
                 WHERE id = $1"
        }
        false => "UPDATE users SET text_notices_from = NULL WHERE id = $1",
    };
    sqlx::query(sql).bind(id).execute(&mut *conn).await?;
    Ok(())
}

/// Whether the account gets notices by text.
pub async fn text_notices(db: &Db, id: i64) -> AppResult<bool> {
    let from: Option<Option<i64>> =
        sqlx::query_scalar("SELECT text_notices_from FROM users WHERE id = $1")
            .bind(id)
            .fetch_optional(db.pool())
            .await?;
    Ok(from.flatten().is_some())
}
