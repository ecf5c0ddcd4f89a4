//! A way back into an account and a new phone, both proved with a code texted to the phone
//! (`phone_codes`): a forgotten password is reset (every session ends), a phone is changed to
//! one the person shows they hold (the change kept in the trail, masked).

use super::phone_code::phone_field;
use super::phone_code::Purpose;
use super::phone_codes;
use super::sessions::PHONE_DOMAIN;
use super::{hashing, store};
use crate::access::Actor;
use crate::audit::events;
use crate::audit::store::{record_write, Who, Write};
use crate::error::{AppError, AppResult, FieldErrors, FieldProblem};
use crate::identity::{check_password, mask_phone};
use crate::portal::Portal;

/// `POST /api/v1/auth/reset`: a new password for the account of `phone`, with the code texted
/// to it. Every session of the account ends. A phone without an account was never sent a code,
/// so it is refused as a wrong code is.
pub async fn reset_password(
    portal: &Portal,
    phone: &str,
    code: &str,
    password: &str,
) -> AppResult<()> {
    let mut errors = FieldErrors::default();
    let phone = phone_field(phone, &mut errors);
    if let Err(p) = check_password(password) {
        errors.add("password", p.into());
    }
    if code.trim().is_empty() {
        errors.add("code", FieldProblem::Required);
    }
    let Some(phone) = phone.filter(|_| errors.is_empty()) else {
        return Err(AppError::Invalid(errors));
    };
    let checked = phone_codes::check(portal, &phone, Purpose::Reset, code).await?;
    let mac = portal.vault.mac(PHONE_DOMAIN, &phone);
    let Some((id, _, _)) = store::by_phone(&portal.db, &mac).await? else {
        return Err(AppError::field("code", FieldProblem::CodeExpired));
    };
    let hash = hashing::hash(password.to_string()).await?;
    let mut tx = portal.db.write_tx().await?;
    phone_codes::take(portal, &mut tx, checked).await?;
    store::set_password_in(&mut tx, &portal.clock.stamp(), id, &hash).await?;
    super::real_name_store::phone_proved(&mut tx, id).await?;
    tx.commit().await?;
    events::password_changed(id, "reset");
    Ok(())
}

/// `POST /api/v1/me/phone`: the signed-in person's phone becomes `phone`, proved with the code
/// texted to it. A phone another account holds was never sent a code (its owner was told), so
/// it is refused as a wrong code is. Who changed it, when, and from what to what (masked) go
/// to the trail in the same transaction.
pub async fn change_phone(
    portal: &Portal,
    actor: &Actor,
    phone: &str,
    code: &str,
) -> AppResult<()> {
    let mut errors = FieldErrors::default();
    let phone = phone_field(phone, &mut errors);
    if code.trim().is_empty() {
        errors.add("code", FieldProblem::Required);
    }
    let Some(phone) = phone.filter(|_| errors.is_empty()) else {
        return Err(AppError::Invalid(errors));
    };
    let checked = phone_codes::check(portal, &phone, Purpose::ChangePhone, code).await?;
    let vault = &portal.vault;
    let mut tx = portal.db.write_tx().await?;
    let before = mask_phone(&vault.reveal(&store::phone_sealed(&mut tx, actor.id).await?)?);
    phone_codes::take(portal, &mut tx, checked).await?;
    let mac = vault.mac(PHONE_DOMAIN, &phone);
    if !store::set_phone(&mut tx, actor.id, &mac, &vault.seal(phone.as_bytes())).await? {
        return Err(AppError::field("code", FieldProblem::CodeExpired));
    }
    super::real_name_store::phone_proved(&mut tx, actor.id).await?;
    let write = Write {
        record: format!("user:{}", actor.id),
        action: "phone_changed",
        city: None,
        before: Some(serde_json::json!({ "phone": before }).to_string()),
        after: Some(serde_json::json!({ "phone": mask_phone(&phone) }).to_string()),
    };
    record_write(
        &mut tx,
        &portal.clock.stamp(),
        &Who::of(vault, actor),
        &write,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
