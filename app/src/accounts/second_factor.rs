//! The second step of a staff sign-in. Once the password is right, the browser holds a
//! half-made session (`pending`): it signs nobody in. The step is a code texted to the
//! person's phone (bound to this half-made session, named by a four-digit reference the page
//! and the text both show, so two sign-ins under way at once never mix), or, once set up, a
//! code from an authenticator app (`totp`). Five minutes, five wrong codes; then the
//! half-made session ends and the whole sign-in starts again. Done, the half-made session is
//! replaced by a new one (a new token).

use super::phone_code::{CODE_SECS, TRIES};
use super::second_factor_store as store;
use super::sessions::{self, token_hash, SessionToken};
use super::OwedView;
use crate::access::Actor;
use crate::error::{AppError, AppResult, FieldProblem};
use crate::identity::mask_phone;
use crate::portal::Portal;
use crate::texts::Template;
use rand_core::{OsRng, RngCore};
use serde::Serialize;
use serde_json::{json, Map};

const CODE_DOMAIN: &str = "sign-in-code";

/// The second step owed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Factor {
    /// A code texted to the phone.
    Sms,
    /// A code from the authenticator app set up for the account.
    Totp,
}

impl Factor {
    fn code(self) -> &'static str {
        match self {
            Factor::Sms => "sms",
            Factor::Totp => "totp",
        }
    }
}

/// A sign-in that owes its second step.
#[derive(Debug, Clone)]
pub struct Owed {
    pub token: SessionToken,
    pub factor: Factor,
    /// The texted code's reference (`sms`).
    pub reference: Option<String>,
}

fn code_hash(portal: &Portal, token: &str, code: &str) -> Vec<u8> {
    portal.vault.mac(CODE_DOMAIN, &format!("{token}\n{code}"))
}

fn six_digits() -> String {
    format!("{:06}", OsRng.next_u32() % 1_000_000)
}

fn four_digits() -> String {
    format!("{:04}", OsRng.next_u32() % 10_000)
}

/// Queues the text of a sign-in code, in the caller's transaction.
async fn text_code(
    portal: &Portal,
    conn: &mut crate::storage::Conn,
    phone: &str,
    code: &str,
    reference: &str,
) -> AppResult<()> {
    let mut params = Map::new();
    params.insert("code".into(), json!(code));
    params.insert("purpose".into(), json!("sign_in"));
    params.insert("minutes".into(), json!((CODE_SECS / 60).to_string()));
    params.insert("ref".into(), json!(reference));
    crate::texts::service::queue(conn, portal, phone, Template::Code, params).await
}

/// After a right password: a half-made session for `user`, the browser's old session ended,
/// and the code texted (unless an app is set up).
pub async fn begin(portal: &Portal, user: i64, replacing: Option<&str>) -> AppResult<Owed> {
    let row = super::store::user(&portal.db, user).await?;
    let has_app = store_has_app(portal, user).await?;
    let token = sessions::new_token();
    let hash = token_hash(&token.0);
    let mut tx = portal.db.write_tx().await?;
    if let Some(old) = replacing {
        sessions::end_in(&mut tx, old).await?;
    }
    let (factor, code, reference) = match has_app {
        true => (Factor::Totp, None, None),
        false => (Factor::Sms, Some(six_digits()), Some(four_digits())),
    };
    let code_hash = code.as_deref().map(|c| code_hash(portal, &token.0, c));
    let pending = store::NewPending {
        token_hash: &hash,
        user,
        now: portal.clock.seconds(),
        factor: factor.code(),
        code_hash: code_hash.as_deref(),
        code_ref: reference.as_deref(),
    };
    store::insert_pending(&mut tx, &pending).await?;
    if let (Some(code), Some(reference)) = (&code, &reference) {
        let phone = portal.vault.reveal(&row.phone_sealed)?;
        text_code(portal, &mut tx, &phone, code, reference).await?;
    }
    tx.commit().await?;
    portal.texts_ready.notify_one();
    Ok(Owed {
        token,
        factor,
        reference,
    })
}

async fn store_has_app(portal: &Portal, user: i64) -> AppResult<bool> {
    let found: Option<Option<Vec<u8>>> =
        sqlx::query_scalar("SELECT totp_sealed FROM users WHERE id = $1")
            .bind(user)
            .fetch_optional(portal.db.pool())
            .await?;
    Ok(found.flatten().is_some())
}

/// The half-made session behind `token`, still in time (401 otherwise).
async fn owed(portal: &Portal, token: &str) -> AppResult<store::Pending> {
    let row = store::pending(&portal.db, &token_hash(token)).await?;
    let now = portal.clock.seconds();
    match row {
        Some(p) if now - p.created_at < CODE_SECS && p.tries < TRIES => Ok(p),
        Some(_) => {
            let mut conn = portal.db.pool().acquire().await?;
            store::end_pending(&mut conn, &token_hash(token)).await?;
            Err(AppError::Unauthorized)
        }
        None => Err(AppError::Unauthorized),
    }
}

/// What the second step's page shows for `token` (401 when there is no step owed).
pub async fn view(portal: &Portal, token: &str) -> AppResult<OwedView> {
    let p = owed(portal, token).await?;
    Ok(OwedView {
        totp: p.pending == "totp",
        phone: mask_phone(&portal.vault.reveal(&p.phone_sealed)?),
        reference: p.code_ref,
    })
}

/// The second step: `code` for the half-made session `token`. Right, it is replaced by a
/// session; wrong, a try is counted (400 `code`); late or tried out, 401.
pub async fn finish(
    portal: &Portal,
    token: &str,
    code: &str,
    client: &str,
) -> AppResult<SessionToken> {
    let p = owed(portal, token).await?;
    let hash = token_hash(token);
    let typed = super::phone_code::typed(code);
    let now = portal.clock.seconds();
    let step = match (&typed, p.pending.as_str()) {
        (None, _) => None,
        (Some(code), "totp") => {
            let secret = p
                .totp_sealed
                .as_deref()
                .map(|s| portal.vault.reveal_bytes(s));
            let secret = secret.transpose()?.unwrap_or_default();
            let last = p.totp_last_step.and_then(|s| u64::try_from(s).ok());
            super::totp::matching_step(&secret, code, now as u64, last).map(|s| s as i64)
        }
        (Some(code), _) => {
            (p.code_hash.as_deref() == Some(&code_hash(portal, token, code)[..])).then_some(0)
        }
    };
    let Some(step) = step else {
        store::wrong_try(&portal.db, &hash).await?;
        let problem = match typed {
            None if code.trim().is_empty() => FieldProblem::Required,
            _ => FieldProblem::CodeWrong,
        };
        return Err(AppError::field("code", problem));
    };
    let mut tx = portal.db.write_tx().await?;
    let used = p.pending != "totp" || store::use_totp_step(&mut tx, p.user_id, step).await?;
    if !used || !store::end_pending(&mut tx, &hash).await? {
        return Err(AppError::field("code", FieldProblem::CodeWrong));
    }
    tx.commit().await?;
    let session = sessions::start(portal, p.user_id).await?;
    let role = super::store::user(&portal.db, p.user_id).await?.role;
    crate::audit::events::signed_in(p.user_id, &role, client);
    Ok(session)
}

/// A new texted code for the half-made session `token` (its text named by a new reference).
pub async fn resend(portal: &Portal, token: &str) -> AppResult<()> {
    let p = owed(portal, token).await?;
    if p.pending != "sms" {
        return Ok(());
    }
    let (code, reference) = (six_digits(), four_digits());
    let phone = portal.vault.reveal(&p.phone_sealed)?;
    let mut tx = portal.db.write_tx().await?;
    text_code(portal, &mut tx, &phone, &code, &reference).await?;
    tx.commit().await?;
    store::new_code(
        &portal.db,
        &token_hash(token),
        &code_hash(portal, token, &code),
        &reference,
    )
    .await?;
    portal.texts_ready.notify_one();
    Ok(())
}

/// An authenticator app being set up for the actor: its secret and the address for a QR code.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema, serde::Deserialize, PartialEq, Eq)]
pub struct AppSetup {
    /// Base32, for typing into the app.
    pub secret: String,
    pub otpauth_url: String,
}

/// Starts setting up an authenticator app (staff only); in force once `confirm_app` took a
/// code from it.
pub async fn set_up_app(portal: &Portal, actor: &Actor) -> AppResult<AppSetup> {
    if !actor.role.needs_second_factor() {
        return Err(AppError::Forbidden);
    }
    let mut secret = vec![0u8; super::totp::SECRET_BYTES];
    OsRng.fill_bytes(&mut secret);
    store::set_totp_pending(&portal.db, actor.id, &portal.vault.seal(&secret)).await?;
    let row = super::store::user(&portal.db, actor.id).await?;
    let account = mask_phone(&portal.vault.reveal(&row.phone_sealed)?);
    Ok(AppSetup {
        secret: super::totp::encoded(&secret),
        otpauth_url: super::totp::otpauth_url(&secret, &account),
    })
}

/// Confirms the app being set up with a code from it: from now on sign-in asks the app.
pub async fn confirm_app(portal: &Portal, actor: &Actor, code: &str) -> AppResult<()> {
    if !actor.role.needs_second_factor() {
        return Err(AppError::Forbidden);
    }
    let Some(sealed) = store::totp_pending(&portal.db, actor.id).await? else {
        return Err(AppError::field("code", FieldProblem::CodeExpired));
    };
    let secret = portal.vault.reveal_bytes(&sealed)?;
    let now = portal.clock.seconds() as u64;
    let Some(step) = super::totp::matching_step(&secret, code, now, None) else {
        return Err(AppError::field("code", FieldProblem::CodeWrong));
    };
    let mut tx = portal.db.write_tx().await?;
    store::confirm_totp(&mut tx, actor.id, &sealed, step as i64).await?;
    let write = crate::audit::store::Write {
        record: format!("user:{}", actor.id),
        action: "authenticator_app_set_up",
        city: None,
        before: None,
        after: None,
    };
    let who = crate::audit::store::Who::of(&portal.vault, actor);
    crate::audit::store::record_write(&mut tx, &portal.clock.stamp(), &who, &write).await?;
    tx.commit().await?;
    Ok(())
}
