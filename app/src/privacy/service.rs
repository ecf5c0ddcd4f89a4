//! Export and deletion of a person's data.

use crate::access::{Actor, Role};
use crate::accounts::store as accounts;
use crate::accounts::store::SessionEntry;
use crate::audit::store::AuditEntry;
use crate::certificate::Certificate;
use crate::dispute::Dispute;
use crate::enrollment::Enrollment;
use crate::error::{AppError, AppResult};
use crate::inbox::Notification;
use crate::list::Paging;
use crate::portal::Portal;
use crate::subsidy::Claim;
use serde::Serialize;

/// Everything Peixun holds about a person, for them to download (PIPL art. 45).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Export {
    pub exported_at: String,
    pub account: ExportedAccount,
    pub sessions: Vec<SessionEntry>,
    pub audit: Vec<AuditEntry>,
    pub enrollments: Vec<Enrollment>,
    /// Their ratings of the classes they completed, comments included.
    pub ratings: Vec<crate::ratings::Rating>,
    pub certificates: Vec<Certificate>,
    pub subsidy_claims: Vec<Claim>,
    pub disputes: Vec<Dispute>,
    pub notifications: Vec<Notification>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ExportedAccount {
    pub id: i64,
    pub role: Role,
    pub name: String,
    /// In full: this is the person's own copy.
    pub phone: String,
    pub id_number: Option<String>,
    pub birth_date: Option<String>,
    pub sex: Option<String>,
    /// The city they live in (its HR officer verifies their groups).
    pub residence_city: Option<String>,
    /// Their group claims, each with its document and consent.
    pub groups: Vec<crate::groups::ExportedGroup>,
    pub created_at: String,
}

/// Everything held about the actor, their numbers in full.
pub async fn export(portal: &Portal, actor: &Actor) -> AppResult<Export> {
    let row = accounts::user(&portal.db, actor.id).await?;
    let id_number = match &row.id_sealed {
        Some(sealed) => Some(portal.vault.reveal(sealed)?),
        None => None,
    };
    let inbox = crate::inbox::service::inbox(portal, actor, Paging::everything()).await?;
    Ok(Export {
        exported_at: portal.clock.stamp(),
        account: ExportedAccount {
            id: row.id,
            role: Role::from_code(&row.role).unwrap_or(Role::Trainee),
            name: row.name.clone(),
            phone: portal.vault.reveal(&row.phone_sealed)?,
            id_number,
            birth_date: row.birth_date.clone(),
            sex: row.sex.clone(),
            residence_city: row.residence_city.clone(),
            groups: crate::groups::service::exported(portal, actor).await?,
            created_at: row.created_at.clone(),
        },
        sessions: accounts::sessions_of(&portal.db, actor.id).await?,
        audit: crate::audit::store::of_person(&portal.db, actor.id).await?,
        enrollments: crate::enrollment::service::mine(portal, actor).await?,
        ratings: match actor.role {
            Role::Trainee => crate::ratings::service::mine(portal, actor).await?,
            _ => Vec::new(),
        },
        certificates: crate::certificate::service::wallet(portal, actor).await?,
        // Claims made (not the certificates that could still be claimed for).
        subsidy_claims: crate::subsidy::service::made(portal, actor).await?,
        disputes: crate::dispute::service::mine(portal, actor).await?,
        notifications: inbox.items,
    })
}

/// Deletes the actor's account: the person's row and sessions go, their active enrolments end
/// (seats go to the waiting lists). Records the law requires to keep (enrolments,
/// certificates, subsidy claims, the audit log) are kept without the person's identity: their
/// link to the account is cut, and the identity number's keyed hash stays with them (history
/// follows the person). Not while a claim, a dispute or a recovery of theirs is open (409, saying so).
/// (The page asks for the password first; the API does not yet.)
pub async fn delete_account(portal: &Portal, actor: &Actor) -> AppResult<()> {
    let at = portal.clock.stamp();
    // The write lock first: the deletion gives seats back (see `enrollment::service`).
    let mut tx = portal.db.write_tx().await?;
    let claims = crate::subsidy::store::open_claims(&mut tx, actor.id).await?;
    let disputes = crate::dispute::store::open_of(&mut tx, actor.id).await?;
    let recoveries = crate::subsidy::recovery_store::due_of(&mut tx, actor.id).await?;
    if claims + disputes + recoveries > 0 {
        let mut fields = crate::error::FieldErrors::default();
        let open = crate::error::FieldProblem::OpenCases {
            claims,
            disputes,
            recoveries,
        };
        fields.add("account", open);
        return Err(AppError::Conflict(fields));
    }
    let who = crate::audit::store::Who::of(&portal.vault, actor);
    let today = portal.clock.today();
    crate::enrollment::service::withdraw_all(&mut tx, &who, actor.id, today, &at).await?;
    crate::audit::store::forget(&mut tx, &at, actor.id).await?;
    if !accounts::delete(&mut tx, actor.id).await? {
        return Err(AppError::NotFound);
    }
    tx.commit().await?;
    crate::audit::events::account_deleted(actor.id, actor.role.code());
    portal.catalog.seats_changed();
    Ok(())
}

/// Seals what older versions kept in clear: groups become claims awaiting verification, and
/// the facts claims keep (which groups their amount rests on) are sealed. Run at start; each
/// step finds nothing once done.
pub async fn seal_what_was_clear(portal: &Portal) -> AppResult<()> {
    let accounts = crate::groups::service::seal_legacy(portal).await?;
    let claims = crate::subsidy::store::seal_kept_facts(&portal.db, &portal.vault).await?;
    if accounts + claims > 0 {
        tracing::info!(
            accounts,
            claims,
            "sealed personal data kept in clear by an older version"
        );
    }
    Ok(())
}
