//! The trainee's payee: kept on the profile for later claims, named with a claim, or changed
//! on a claim not yet in a batch. The account number is sealed; the write trail names only
//! the kind and the masked account.

use super::batch_store as store;
use super::payee::{self, PayeeInput, PayeeView, Sealed};
use crate::access::Actor;
use crate::audit::store::{record_write, Who, Write};
use crate::error::{AppError, AppResult, FieldProblem};
use crate::portal::Portal;
use crate::storage::Conn;

fn masked_view(portal: &Portal, p: &Sealed, institution: &str) -> AppResult<Option<PayeeView>> {
    payee::view(
        &portal.vault,
        Some(p.kind.code()),
        p.bank.as_deref(),
        p.account.as_deref(),
        institution,
        false,
    )
}

/// What a claim is paid to: `given` (checked already; kept on the profile too when `keep`),
/// else the payee the person keeps; refused (400 `payee`) when there is neither.
pub(super) async fn for_claim(
    conn: &mut Conn,
    portal: &Portal,
    user: i64,
    given: Option<&payee::Payee>,
    keep: bool,
) -> AppResult<Sealed> {
    match given {
        Some(p) => {
            let sealed = p.seal(&portal.vault);
            if keep {
                store::keep_payee(conn, user, &sealed).await?;
            }
            Ok(sealed)
        }
        None => store::kept_payee(conn, user)
            .await?
            .ok_or_else(|| AppError::field("payee", FieldProblem::Required)),
    }
}

/// The payee the actor (a trainee) keeps for their claims, masked.
pub async fn kept(portal: &Portal, actor: &Actor) -> AppResult<Option<PayeeView>> {
    let user = actor.trainee()?;
    let mut conn = portal.db.pool().acquire().await?;
    match store::kept_payee(&mut conn, user).await? {
        Some(p) => masked_view(portal, &p, ""),
        None => Ok(None),
    }
}

/// The actor keeps `input` as the payee of their later claims (the write trail names the
/// kind and the masked account, never the number).
pub async fn keep(portal: &Portal, actor: &Actor, input: &PayeeInput) -> AppResult<PayeeView> {
    let user = actor.trainee()?;
    let checked = payee::check(input)?;
    let sealed = checked.seal(&portal.vault);
    let at = portal.clock.stamp();
    let mut tx = portal.db.write_tx().await?;
    let before = store::kept_payee(&mut tx, user).await?;
    store::keep_payee(&mut tx, user, &sealed).await?;
    let shown = |p: Option<&Sealed>| -> AppResult<Option<String>> {
        Ok(match p {
            Some(p) => {
                masked_view(portal, p, "")?.map(|v| payee::describe(&v, crate::i18n::Locale::en))
            }
            None => None,
        })
    };
    let write = Write {
        record: format!("user:{user}"),
        action: "payee",
        city: None,
        before: shown(before.as_ref())?,
        after: shown(Some(&sealed))?,
    };
    record_write(&mut tx, &at, &Who::of(&portal.vault, actor), &write).await?;
    tx.commit().await?;
    masked_view(portal, &sealed, "")?.ok_or(AppError::NotFound)
}

/// The actor names another payee for one of their claims not yet paid and in no batch (after
/// a bank return, say). Another person's claim is "not found"; a paid, batched, rejected or
/// stopped one 409.
pub async fn change_claim_payee(
    portal: &Portal,
    actor: &Actor,
    claim: i64,
    input: &PayeeInput,
) -> AppResult<()> {
    let user = actor.trainee()?;
    let checked = payee::check(input)?;
    let sealed = checked.seal(&portal.vault);
    let at = portal.clock.stamp();
    let mut tx = portal.db.write_tx().await?;
    let c = store::candidate(&mut tx, claim)
        .await?
        .filter(|c| c.user_id == Some(user))
        .ok_or(AppError::NotFound)?;
    let open = matches!(c.status.as_str(), "submitted" | "under_review" | "approved");
    if !open || c.batch_id.is_some() {
        return Err(AppError::conflict("status", FieldProblem::BadTransition));
    }
    store::set_claim_payee(&mut tx, &at, claim, &sealed).await?;
    let write = Write {
        record: format!("claim:{claim}"),
        action: "payee",
        city: Some(&c.city),
        before: c
            .payee()
            .map(|p| masked_view(portal, &p, ""))
            .transpose()?
            .flatten()
            .map(|v| payee::describe(&v, crate::i18n::Locale::en)),
        after: masked_view(portal, &sealed, "")?
            .map(|v| payee::describe(&v, crate::i18n::Locale::en)),
    };
    record_write(&mut tx, &at, &Who::of(&portal.vault, actor), &write).await?;
    tx.commit().await?;
    Ok(())
}
