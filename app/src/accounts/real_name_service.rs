//! Signing in with the province's unified identity service, once the server has checked the
//! service's answer (`server/src/oidc.rs`): the account is made, found, linked, or — when an
//! unverified account holds the person's identity number and may not be theirs — the person
//! chooses: its password proves it is theirs (linked), or they reclaim the number from it
//! (`reclaim`: its password and phone stop working, every session ends, the trail keeps it,
//! and the city's HR officer gets a 冒用身份 case).

use super::real_name::{decide, Asserted, ChoiceView, Decision, Holder};
use super::real_name_store as store;
use super::sessions::{self, new_token, token_hash, SessionToken, PHONE_DOMAIN};
use super::store::{NewUser, Sealed};
use crate::access::{Actor, Role};
use crate::audit::store::{record_write, Who, Write};
use crate::error::{AppError, AppResult, FieldProblem};
use crate::identity::{mask_id, mask_name, mask_phone, parse_mobile, ResidentId};
use crate::portal::Portal;
use rand_core::{OsRng, RngCore};

const SUBJECT_DOMAIN: &str = "oidc-subject";
const STATE_DOMAIN: &str = "oidc-state";
/// A sign-in with the service, and a person's choice after it, last this long.
pub const LOGIN_SECS: i64 = 10 * 60;

/// Keeps a sign-in under way (its state by keyed hash, the nonce, the PKCE verifier sealed).
pub async fn remember_login(
    portal: &Portal,
    state: &str,
    nonce: &str,
    verifier: &str,
) -> AppResult<()> {
    let mut tx = portal.db.write_tx().await?;
    let hash = portal.vault.mac(STATE_DOMAIN, state);
    let sealed = portal.vault.seal(verifier.as_bytes());
    store::insert_login(&mut tx, &hash, nonce, &sealed, portal.clock.seconds()).await?;
    tx.commit().await?;
    Ok(())
}

/// The nonce and PKCE verifier of the sign-in with this state, once; a state never issued,
/// used already, or older than ten minutes is refused (400 `state`).
pub async fn recall_login(portal: &Portal, state: &str) -> AppResult<(String, String)> {
    let hash = portal.vault.mac(STATE_DOMAIN, state);
    let mut tx = portal.db.write_tx().await?;
    let found = store::take_login(&mut tx, &hash).await?;
    tx.commit().await?;
    match found {
        Some((nonce, sealed, at)) if portal.clock.seconds() - at < LOGIN_SECS => {
            Ok((nonce, portal.vault.reveal(&sealed)?))
        }
        _ => Err(AppError::field("state", FieldProblem::CodeExpired)),
    }
}

/// What a sign-in with the service led to.
#[derive(Debug, Clone)]
pub enum Outcome {
    /// Signed in (a new, found or linked account).
    SignedIn(SessionToken),
    /// An account with their number may not be theirs: a half-made session while they choose
    /// (`link_with_password` or `reclaim`).
    Choose(SessionToken),
}

/// Signs in the person the service vouched for. `replacing`: the session the browser carried.
pub async fn sign_in(
    portal: &Portal,
    asserted: &Asserted,
    replacing: Option<&str>,
) -> AppResult<Outcome> {
    let today = portal.clock.today();
    let id = ResidentId::parse(&asserted.id_number, today)
        .map_err(|p| AppError::field("id_number", p.into()))?;
    let vault = &portal.vault;
    let subject_mac = vault.mac(SUBJECT_DOMAIN, &asserted.subject);
    let id_mac = vault.mac(super::ID_DOMAIN, id.as_str());
    let mut tx = portal.db.write_tx().await?;
    let by_subject = store::by_subject(&mut tx, &subject_mac).await?;
    let holder = match store::holder(&mut tx, &id_mac).await? {
        Some(row) => Some(Holder {
            id: row.id,
            verified: row.real_name_verified != 0,
            name: row.name.clone(),
            verified_phone: match row.phone_verified != 0 {
                true => Some(vault.reveal(&row.phone_sealed)?),
                false => None,
            },
        }),
        None => None,
    };
    let user = match decide(asserted, by_subject, holder.as_ref()) {
        Decision::Create => create(portal, &mut tx, asserted, &id, &subject_mac).await?,
        Decision::SignIn(user) => {
            store::mark_verified(&mut tx, user, &subject_mac, asserted.name.trim()).await?;
            user
        }
        Decision::Link(user) => {
            store::mark_verified(&mut tx, user, &subject_mac, asserted.name.trim()).await?;
            trail(portal, &mut tx, user, "real_name_linked").await?;
            user
        }
        Decision::Choose(user) => {
            let token = new_token();
            let claims =
                serde_json::to_string(asserted).map_err(|e| AppError::Internal(e.to_string()))?;
            let sealed = vault.seal(claims.as_bytes());
            let now = portal.clock.seconds();
            store::insert_choosing(&mut tx, &token_hash(&token.0), user, now, &sealed).await?;
            tx.commit().await?;
            return Ok(Outcome::Choose(token));
        }
    };
    if store::standing(&mut tx, user).await?.1 {
        return Err(AppError::Frozen);
    }
    tx.commit().await?;
    let token = sessions::start_replacing(portal, user, replacing).await?;
    crate::audit::events::signed_in(user, Role::Trainee.code(), "real_name");
    Ok(Outcome::SignedIn(token))
}

/// A new account for the person: verified, their phone proved by the service.
async fn create(
    portal: &Portal,
    conn: &mut crate::storage::WriteTx,
    asserted: &Asserted,
    id: &ResidentId,
    subject_mac: &[u8],
) -> AppResult<i64> {
    let vault = &portal.vault;
    let phone = asserted
        .phone
        .as_deref()
        .and_then(|p| parse_mobile(p).ok())
        .ok_or_else(|| AppError::field("phone", FieldProblem::Required))?;
    let user = NewUser {
        role: Role::Trainee,
        scope: None,
        name: asserted.name.trim(),
        phone: &phone,
        id: Some(id),
        // No password: this account signs in with the service (or a reset code).
        password_hash: "",
    };
    let sealed = Sealed {
        phone_mac: vault.mac(PHONE_DOMAIN, &phone),
        phone_sealed: vault.seal(phone.as_bytes()),
        id_mac: Some(vault.mac(super::ID_DOMAIN, id.as_str())),
        id_sealed: Some(vault.seal(id.as_str().as_bytes())),
    };
    let made = super::store::insert(conn, &portal.clock.stamp(), &user, sealed).await?;
    store::mark_verified(conn, made, subject_mac, asserted.name.trim()).await?;
    store::phone_proved(conn, made).await?;
    // Told once kept: the sign-in that makes it may still be refused (a frozen identity).
    conn.on_commit(move || {
        let via = crate::audit::events::Via::RealName;
        crate::audit::events::account_created(made, Role::Trainee.code(), None, via)
    });
    Ok(made)
}

async fn trail(
    portal: &Portal,
    conn: &mut crate::storage::WriteTx,
    user: i64,
    action: &str,
) -> AppResult<()> {
    let who = Who::of(&portal.vault, &Actor::new(user, Role::Trainee, None));
    let write = Write {
        record: format!("user:{user}"),
        action,
        city: None,
        before: None,
        after: None,
    };
    record_write(conn, &portal.clock.stamp(), &who, &write).await
}

/// The choice a half-made session holds: the account and what the service asserted.
async fn choosing(portal: &Portal, token: &str) -> AppResult<(i64, Asserted)> {
    let mut conn = portal.db.pool().acquire().await?;
    let Some((user, at, sealed)) = store::choosing(&mut conn, &token_hash(token)).await? else {
        return Err(AppError::Unauthorized);
    };
    if portal.clock.seconds() - at >= LOGIN_SECS {
        store::end_choosing(&mut conn, &token_hash(token)).await?;
        return Err(AppError::Unauthorized);
    }
    let asserted = serde_json::from_str(&portal.vault.reveal(&sealed)?)
        .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok((user, asserted))
}

pub async fn choice_view(portal: &Portal, token: &str) -> AppResult<ChoiceView> {
    let (user, asserted) = choosing(portal, token).await?;
    let row = super::store::user(&portal.db, user).await?;
    Ok(ChoiceView {
        id_number: mask_id(&asserted.id_number),
        account_name: mask_name(&row.name),
    })
}

/// "这是我的账号": the account's password proves it is the person's; linked and signed in.
pub async fn link_with_password(
    portal: &Portal,
    token: &str,
    password: &str,
) -> AppResult<SessionToken> {
    let (user, asserted) = choosing(portal, token).await?;
    let actor = Actor::new(user, Role::Trainee, None);
    super::service::check_own_password(portal, &actor, password).await?;
    let subject_mac = portal.vault.mac(SUBJECT_DOMAIN, &asserted.subject);
    let mut tx = portal.db.write_tx().await?;
    if !store::end_choosing(&mut tx, &token_hash(token)).await? {
        return Err(AppError::Unauthorized);
    }
    if store::standing(&mut tx, user).await?.1 {
        return Err(AppError::Frozen);
    }
    store::mark_verified(&mut tx, user, &subject_mac, asserted.name.trim()).await?;
    trail(portal, &mut tx, user, "real_name_linked").await?;
    tx.commit().await?;
    sessions::start(portal, user).await
}

/// "这个账号不是我注册的": the person reclaims their number from the account: it becomes
/// theirs (their name, their phone if no other account holds it), its password and phone stop
/// working, every session of it ends; the trail keeps the change (masked) and the city's HR
/// officer gets a 冒用身份 case listing what was made under it.
pub async fn reclaim(portal: &Portal, token: &str) -> AppResult<SessionToken> {
    let (user, asserted) = choosing(portal, token).await?;
    let vault = &portal.vault;
    let subject_mac = vault.mac(SUBJECT_DOMAIN, &asserted.subject);
    let mut tx = portal.db.write_tx().await?;
    if !store::end_choosing(&mut tx, &token_hash(token)).await? {
        return Err(AppError::Unauthorized);
    }
    let row = super::store::user(&portal.db, user).await?;
    let before_phone = mask_phone(&vault.reveal(&row.phone_sealed)?);
    let phone = asserted.phone.as_deref().and_then(|p| parse_mobile(p).ok());
    let mut phone_mac = None;
    if let Some(p) = &phone {
        let mac = vault.mac(PHONE_DOMAIN, p);
        if !store::phone_held_by_other(&mut tx, &mac, user).await? {
            phone_mac = Some((mac, vault.seal(p.as_bytes())));
        }
    }
    // No phone of theirs free to take: one no one can sign in with (they use the service).
    let (mac, sealed) = phone_mac.unwrap_or_else(|| {
        let mut random = [0u8; 32];
        OsRng.fill_bytes(&mut random);
        (random.to_vec(), vault.seal(b""))
    });
    store::reclaim(
        &mut tx,
        user,
        asserted.name.trim(),
        &mac,
        &sealed,
        &subject_mac,
    )
    .await?;
    let who = Who::of(vault, &Actor::new(user, Role::Trainee, None));
    let after_phone = phone.as_deref().map(mask_phone).unwrap_or_default();
    let write = Write {
        record: format!("user:{user}"),
        action: "identity_reclaimed",
        city: None,
        before: Some(
            serde_json::json!({"name": mask_name(&row.name), "phone": before_phone}).to_string(),
        ),
        after: Some(
            serde_json::json!({"name": mask_name(asserted.name.trim()), "phone": after_phone})
                .to_string(),
        ),
    };
    record_write(&mut tx, &portal.clock.stamp(), &who, &write).await?;
    let residence = row.residence_city.clone();
    crate::identity_cases::service::open_reclaimed(
        portal,
        &mut tx,
        user,
        residence.as_deref(),
        &asserted,
    )
    .await?;
    tx.commit().await?;
    sessions::start(portal, user).await
}

/// Forgets sign-ins and choices begun more than ten minutes ago and never finished.
pub async fn purge(portal: &Portal) -> AppResult<()> {
    let before = portal.clock.seconds() - LOGIN_SECS;
    store::purge_logins(&portal.db, before).await?;
    store::purge_choices(&portal.db, before).await
}
