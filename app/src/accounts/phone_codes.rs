//! Codes texted to a phone. Asking answers the same whatever the phone's account: a phone
//! that has one is told so by text instead of given a sign-up code, one without gets no reset
//! code. A code is good for `CODE_SECS` and `TRIES` wrong tries, kept as a keyed hash, used
//! once (one conditional update). Limits: one code a phone and purpose a minute, a few texts a
//! phone an hour (`texts::service::queue`), `codes_per_address_per_hour` a client.

use super::phone_code::phone_field;
use super::phone_code::{typed, Purpose, CODE_SECS, RESEND_SECS, TRIES};
use super::phone_code_store as store;
use super::sessions::PHONE_DOMAIN;
use crate::access::Actor;
use crate::error::{AppError, AppResult, FieldErrors, FieldProblem};
use crate::portal::Portal;
use crate::storage::Conn;
use crate::texts::Template;
use rand_core::{OsRng, RngCore};
use serde_json::{json, Map, Value};

const CODE_PHONE_DOMAIN: &str = "code-phone";
const CODE_CLIENT_DOMAIN: &str = "code-client";
const CODE_DOMAIN: &str = "phone-code";
/// Requests are kept this long (the per-address limit looks back an hour).
const KEEP_SECS: i64 = 24 * 3600;

fn code_hash(portal: &Portal, phone: &str, purpose: Purpose, code: &str) -> Vec<u8> {
    let what = format!("{phone}\n{}\n{code}", purpose.code());
    portal.vault.mac(CODE_DOMAIN, &what)
}

/// `POST /api/v1/auth/phone-code`: texts `phone` a code for `purpose` (or, for a phone that
/// has an account, word that it has one). `actor` is who is signed in (a new phone needs
/// someone). 429 past a limit, with when to try again.
pub async fn request(
    portal: &Portal,
    phone: &str,
    purpose: &str,
    client: &str,
    actor: Option<&Actor>,
) -> AppResult<()> {
    let mut errors = FieldErrors::default();
    let purpose = Purpose::askable(purpose);
    let phone = match purpose {
        // Texted to the account's own phone (below), whatever was typed.
        Some(Purpose::DeleteAccount) => Some(String::new()),
        _ => phone_field(phone, &mut errors),
    };
    if purpose.is_none() {
        errors.add("purpose", FieldProblem::UnknownCode);
    }
    let (Some(phone), Some(purpose)) = (phone, purpose) else {
        return Err(AppError::Invalid(errors));
    };
    if matches!(purpose, Purpose::ChangePhone | Purpose::DeleteAccount) && actor.is_none() {
        return Err(AppError::Unauthorized);
    }
    // Deleting an account is confirmed on the account's own phone, whatever phone was typed.
    let phone = match (purpose, actor) {
        (Purpose::DeleteAccount, Some(actor)) => {
            let row = super::store::user(&portal.db, actor.id).await?;
            portal.vault.reveal(&row.phone_sealed)?
        }
        _ => phone,
    };
    let account = super::store::by_phone(&portal.db, &portal.vault.mac(PHONE_DOMAIN, &phone))
        .await?
        .is_some();
    let (template, code) = match (purpose, account) {
        (Purpose::Register | Purpose::ChangePhone, true) => {
            (Some(Template::AlreadyRegistered), None)
        }
        (Purpose::Reset, false) => (Some(Template::NoAccount), None),
        // No account to sign in to: nothing is texted (and the answer is the same).
        (Purpose::SignIn, false) => (None, None),
        _ => (
            Some(Template::Code),
            Some(format!("{:06}", OsRng.next_u32() % 1_000_000)),
        ),
    };
    let now = portal.clock.seconds();
    let phone_mac = portal.vault.mac(CODE_PHONE_DOMAIN, &phone);
    let client_mac = portal.vault.mac(CODE_CLIENT_DOMAIN, client);
    let mut tx = portal.db.write_tx().await?;
    let limit = i64::from(portal.settings.codes_per_address_per_hour);
    let (asked, first) = store::from_client(&mut tx, &client_mac, now - 3600).await?;
    if asked >= limit {
        let retry_after_secs = first.map_or(3600, |f| f + 3600 - now).max(1) as u64;
        return Err(AppError::TooManyRequests { retry_after_secs });
    }
    if let Some(last) = store::last_for_phone(&mut tx, &phone_mac, purpose.code()).await? {
        if now - last < RESEND_SECS {
            let retry_after_secs = (RESEND_SECS - (now - last)).max(1) as u64;
            return Err(AppError::TooManyRequests { retry_after_secs });
        }
    }
    let hash = code
        .as_deref()
        .map(|c| code_hash(portal, &phone, purpose, c));
    let row = store::NewRequest {
        phone_mac: &phone_mac,
        client_mac: &client_mac,
        purpose: purpose.code(),
        code_hash: hash.as_deref(),
        now,
        expires_at: now + CODE_SECS,
    };
    store::insert(&mut tx, &row).await?;
    let mut params = Map::new();
    let link = &portal.settings.public_url;
    match &code {
        Some(code) => {
            params.insert("code".into(), json!(code));
            params.insert("purpose".into(), json!(purpose.code()));
            params.insert("minutes".into(), json!((CODE_SECS / 60).to_string()));
        }
        None if template == Some(Template::NoAccount) => {
            params.insert("link".into(), Value::String(format!("{link}/register")));
        }
        None => {
            params.insert("link".into(), Value::String(format!("{link}/reset")));
        }
    }
    if let Some(template) = template {
        crate::texts::service::queue(&mut tx, portal, &phone, template, params).await?;
    }
    tx.commit().await?;
    portal.texts_ready.notify_one();
    Ok(())
}

/// A code that checked out, to be used with what it allows (`take`).
#[derive(Debug, Clone, Copy)]
pub struct Checked(i64);

/// Whether `code` is the one texted to `phone` for `purpose`. A wrong code counts as a try
/// (so does any code for a phone that was told it has an account, which answers exactly as a
/// wrong code does); each refusal names the field `code`.
pub async fn check(
    portal: &Portal,
    phone: &str,
    purpose: Purpose,
    code: &str,
) -> AppResult<Checked> {
    let refuse = |p| Err(AppError::field("code", p));
    let Some(code) = typed(code) else {
        return match code.trim().is_empty() {
            true => refuse(FieldProblem::Required),
            false => refuse(FieldProblem::CodeWrong),
        };
    };
    let now = portal.clock.seconds();
    let phone_mac = portal.vault.mac(CODE_PHONE_DOMAIN, phone);
    let mut conn = portal.db.pool().acquire().await?;
    let Some(latest) = store::latest(&mut conn, &phone_mac, purpose.code()).await? else {
        return refuse(FieldProblem::CodeExpired);
    };
    if latest.used_at.is_some() || latest.expires_at <= now {
        return refuse(FieldProblem::CodeExpired);
    }
    if latest.tries >= TRIES {
        return refuse(FieldProblem::CodeTries);
    }
    if latest.code_hash.as_deref() != Some(&code_hash(portal, phone, purpose, &code)[..]) {
        drop(conn);
        let mut tx = portal.db.write_tx().await?;
        store::wrong_try(&mut tx, latest.id).await?;
        tx.commit().await?;
        return refuse(FieldProblem::CodeWrong);
    }
    Ok(Checked(latest.id))
}

/// Uses a checked code, in the caller's transaction; a code another request used meanwhile
/// (or that died since) is refused.
pub async fn take(portal: &Portal, conn: &mut Conn, checked: Checked) -> AppResult<()> {
    match store::take(conn, checked.0, portal.clock.seconds(), TRIES).await? {
        true => Ok(()),
        false => Err(AppError::field("code", FieldProblem::CodeExpired)),
    }
}

/// Forgets old requests (the server's sweep).
pub async fn purge(portal: &Portal) -> AppResult<()> {
    let mut tx = portal.db.write_tx().await?;
    store::purge(&mut tx, portal.clock.seconds() - KEEP_SECS).await?;
    tx.commit().await?;
    Ok(())
}
