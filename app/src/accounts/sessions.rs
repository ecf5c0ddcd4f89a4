//! Signing in and out, and the session behind a cookie. A session is a random 256-bit token;
//! only its SHA-256 is stored, so any instance serves any request and a stolen database holds
//! no usable token. Sessions end after 30 minutes idle or 12 hours in all.

use super::phone_code::Purpose;
use super::{hashing, store};
use crate::access::{Actor, Role, SignedIn};
use crate::audit::events::{self, Failure};
use crate::error::{AppError, AppResult};
use crate::identity::parse_mobile;
use crate::inbox::{Kind, Notice};
use crate::portal::Portal;
use crate::throttle;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rand_core::{OsRng, RngCore};
use sha2::{Digest, Sha256};

/// A session ends after this long without a request…
pub const IDLE_TIMEOUT_SECS: i64 = 30 * 60;
/// …and this long after sign-in, whatever happens.
pub const ABSOLUTE_TIMEOUT_SECS: i64 = 12 * 60 * 60;
/// `last_seen_at` is written at most this often per session.
const TOUCH_EVERY_SECS: i64 = 60;

pub(crate) const PHONE_DOMAIN: &str = "phone";
const CLIENT_DOMAIN: &str = "client";
const PHONE_CLIENT_DOMAIN: &str = "phone-client";
const FAILED_DOMAIN: &str = "phone-failed";
/// The phone's reference in the security log (its own domain: never the key of a lookup).
const PHONE_REF_DOMAIN: &str = "security-phone";

/// A new session's secret, to be put in the cookie; only its hash is stored.
#[derive(Debug, Clone)]
pub struct SessionToken(pub String);

pub(crate) fn token_hash(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

/// A new random session token (256 bits).
pub(crate) fn new_token() -> SessionToken {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    SessionToken(URL_SAFE_NO_PAD.encode(bytes))
}

/// Ends the session of `token`, in the caller's transaction.
pub(crate) async fn end_in(conn: &mut crate::storage::Conn, token: &str) -> AppResult<()> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
        .bind(token_hash(token))
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Starts a session for a person who has just proved who they are (signed up, say), ending
/// the session the browser carried until then (`replacing`): a session planted before
/// sign-in, or another person's on a shared phone, never lives on beside the new one.
pub async fn start_replacing(
    portal: &Portal,
    user_id: i64,
    replacing: Option<&str>,
) -> AppResult<SessionToken> {
    if let Some(old) = replacing {
        store::delete_session(&portal.db, &token_hash(old)).await?;
    }
    start(portal, user_id).await
}

/// Starts a session for a person who has just proved who they are.
pub async fn start(portal: &Portal, user_id: i64) -> AppResult<SessionToken> {
    let token = new_token();
    store::insert_session(
        &portal.db,
        &token_hash(&token.0),
        user_id,
        portal.clock.seconds(),
    )
    .await?;
    Ok(token)
}

/// Where a right password leads.
#[derive(Debug, Clone)]
pub enum SignIn {
    /// Signed in.
    Done(SessionToken),
    /// Staff: the second step is owed (`second_factor`).
    SecondStep(super::second_factor::Owed),
}

/// Signs in with phone and password. `client` is the caller's address as `throttle`
/// counts it (`throttle::client_key`): the per-address limit, and the lock on one phone from
/// one client (see `throttle`). A guesser elsewhere never locks the owner out; the owner is
/// told of the failures at the next sign-in. The session the browser carried (`replacing`)
/// ends when the new one starts.
pub async fn login(
    portal: &Portal,
    phone: &str,
    password: &str,
    code: Option<&str>,
    client: &str,
    replacing: Option<&str>,
) -> AppResult<SignIn> {
    // No password is longer than sign-up allows: refused before argon2 spends time on it.
    if password.chars().count() > crate::identity::MAX_PASSWORD_CHARS {
        let max = crate::identity::MAX_PASSWORD_CHARS;
        return Err(AppError::field(
            "password",
            crate::error::FieldProblem::PasswordTooLong { max },
        ));
    }
    let now = portal.clock.seconds();
    let (db, vault) = (&portal.db, &portal.vault);
    let client_key = vault.mac(CLIENT_DOMAIN, client);
    let limit = portal.settings.login_attempts_per_minute;
    let over_limit = match throttle::check(&throttle::store::load(db, &client_key).await?, now) {
        Ok(()) => {
            let counted = throttle::store::record(db, &client_key, now, limit, false).await?;
            throttle::check(&counted, now)
        }
        refused => refused,
    };
    if let Err(refused) = over_limit {
        if let AppError::TooManyRequests { retry_after_secs } = &refused {
            events::client_throttled(client, *retry_after_secs);
        }
        return Err(refused);
    }

    let digits = parse_mobile(phone).unwrap_or_else(|_| phone.trim().to_string());
    let phone_key = vault.mac(PHONE_DOMAIN, &digits);
    let phone_ref = hex_prefix(&vault.mac(PHONE_REF_DOMAIN, &digits));
    let pair_key = vault.mac(PHONE_CLIENT_DOMAIN, &format!("{digits}\n{client}"));
    let tally_key = vault.mac(FAILED_DOMAIN, &digits);
    let user = store::by_phone(db, &phone_key).await?;
    let account = user.as_ref().map(|(id, _, _)| *id);
    if let Err(locked) = throttle::check(&throttle::store::load(db, &pair_key).await?, now) {
        throttle::store::tally(db, &tally_key, now).await?;
        events::sign_in_failed(account, &phone_ref, client, Failure::Locked);
        return Err(locked);
    }
    // A phone many failures were collected for (from anywhere) asks for a texted code before
    // the password is looked at: a guesser learns nothing, and the owner is not locked out.
    let mut step_up = None;
    if throttle::store::tally_count(db, &tally_key).await? >= throttle::STEP_UP_FAILURES {
        let checked = match code {
            Some(code) => super::phone_codes::check(portal, &digits, Purpose::SignIn, code).await,
            None => Err(AppError::CodeRequired),
        };
        match checked {
            Ok(checked) => step_up = Some(checked),
            Err(refused) => {
                throttle::store::tally(db, &tally_key, now).await?;
                events::sign_in_failed(account, &phone_ref, client, Failure::CodeRequired);
                return Err(refused);
            }
        }
    }
    let hash = user.as_ref().map(|(_, h, _)| h.clone());
    let ok = hashing::verify(password.to_string(), hash).await?;
    match user {
        Some((id, _, role)) if ok => {
            throttle::store::clear(db, &pair_key).await?;
            if store::frozen(db, id).await? {
                return Err(AppError::Frozen);
            }
            if let Some(checked) = step_up {
                let mut tx = db.write_tx().await?;
                super::phone_codes::take(portal, &mut tx, checked).await?;
                tx.commit().await?;
            }
            let failed = throttle::store::take_tally(db, &tally_key).await?;
            if failed > 0 {
                tell_of_failures(portal, id, failed).await?;
            }
            let second = Role::from_code(&role).is_some_and(Role::needs_second_factor);
            // A texted code already taken for the step-up is that second step.
            if second && step_up.is_none() {
                let owed = super::second_factor::begin(portal, id, replacing).await?;
                return Ok(SignIn::SecondStep(owed));
            }
            let token = start_replacing(portal, id, replacing).await?;
            events::signed_in(id, &role, client);
            Ok(SignIn::Done(token))
        }
        _ => {
            let why = match account {
                Some(_) => Failure::Password,
                None => Failure::NoAccount,
            };
            events::sign_in_failed(account, &phone_ref, client, why);
            throttle::store::tally(db, &tally_key, now).await?;
            let failures = throttle::PHONE_FAILURES;
            let next = throttle::store::record(db, &pair_key, now, failures, true).await?;
            match throttle::retry_after(&next, now) {
                Some(retry_after_secs) => {
                    events::sign_in_locked(account, &phone_ref, client, retry_after_secs);
                    Err(AppError::TooManyRequests { retry_after_secs })
                }
                None => Err(AppError::Unauthorized),
            }
        }
    }
}

/// The first six bytes of a keyed hash, in hex: a reference for the log.
fn hex_prefix(mac: &[u8]) -> String {
    mac.iter().take(6).map(|b| format!("{b:02x}")).collect()
}

/// A message in the owner's inbox: `failed` sign-ins (a wrong password, or refused while
/// locked) since the last one.
async fn tell_of_failures(portal: &Portal, user: i64, failed: u32) -> AppResult<()> {
    let count = failed.to_string();
    let notice = Notice {
        kind: Kind::Account,
        subject: user,
        status: crate::inbox::FAILED_SIGN_INS,
        title: &count,
        reason: None,
        position: None,
    };
    let mut tx = portal.db.write_tx().await?;
    crate::inbox::store::notify(&mut tx, &portal.clock.stamp(), Some(user), &notice).await?;
    tx.commit().await?;
    Ok(())
}

/// The signed-in person behind a session token, if the session is still valid (not idle for
/// 30 minutes, not older than 12 hours).
pub async fn signed_in(portal: &Portal, token: &str) -> AppResult<Option<SignedIn>> {
    let hash = token_hash(token);
    let Some(row) = store::session(&portal.db, &hash).await? else {
        return Ok(None);
    };
    let now = portal.clock.seconds();
    if now - row.last_seen_at > IDLE_TIMEOUT_SECS || now - row.created_at > ABSOLUTE_TIMEOUT_SECS {
        store::delete_session(&portal.db, &hash).await?;
        return Ok(None);
    }
    if now - row.last_seen_at > TOUCH_EVERY_SECS {
        store::touch_session(&portal.db, &hash, now).await?;
    }
    let role = Role::from_code(&row.role)
        .ok_or_else(|| AppError::Internal(format!("unknown role {}", row.role)))?;
    Ok(Some(SignedIn {
        actor: Actor::new(row.id, role, row.scope.as_deref()),
        name: row.name,
        unread: u32::try_from(row.unread).unwrap_or(0),
    }))
}

pub async fn logout(portal: &Portal, token: &str) -> AppResult<()> {
    store::delete_session(&portal.db, &token_hash(token)).await
}
