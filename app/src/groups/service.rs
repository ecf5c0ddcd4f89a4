//! Group claims: the trainee declares (`declare`), the HR officer of the city they live in
//! verifies or rejects (`queue`, `decide`). Every change is in the write trail, named and
//! without the group itself (it is sensitive); the person is told in the inbox, and any
//! application waiting for verification is decided in the same transaction.
//!
//! **Why a claim is decided once.** Declaring and deciding both run in one write transaction
//! (`Db::write_tx`: writers take turns), and a decision is taken only on a claim still
//! `declared` read inside it; the partial unique index `group_claims_open` keeps one open
//! claim per person and group whatever the timing.

use super::rules::{self, Document, Existing, Step};
use super::store::{self, ClaimRow, NewClaim, QueueRow, REMOVED};
use super::{
    evidence_for, mask_number, Decision, Declaration, Evidence, ExportedGroup, GroupMembership,
    GroupStatus, StaffGroupClaim, CONSENT_VERSION,
};
use crate::access::Actor;
use crate::accounts::vault::Vault;
use crate::audit::store::{record_write, Who, Write};
use crate::error::{AppError, AppResult, FieldErrors, FieldProblem};
use crate::identity::{mask_id, mask_name};
use crate::inbox::{Kind, Notice};
use crate::list::{Page, Paging};
use crate::portal::Portal;
use crate::reference::{City, Enumeration, Group};
use crate::storage::WriteTx;
use crate::text::{checked, MAX_TEXT_CHARS};

const GROUP_DOMAIN: &str = "group-claim";

fn seal_document(vault: &Vault, d: &Document) -> Vec<u8> {
    vault.seal(format!("{}:{}", d.kind.code(), d.number).as_bytes())
}

fn open_document(vault: &Vault, sealed: Option<&[u8]>) -> AppResult<Option<Document>> {
    let Some(sealed) = sealed else {
        return Ok(None);
    };
    let text = vault.reveal(sealed)?;
    let (kind, number) = text
        .split_once(':')
        .ok_or_else(|| AppError::Internal("a sealed document without its kind".into()))?;
    let kind = Evidence::from_code(kind)
        .ok_or_else(|| AppError::Internal("unknown document kind".into()))?;
    Ok(Some(Document {
        kind,
        number: number.to_string(),
    }))
}

/// A person's groups as they see them: open claims, and rejected ones not put aside.
pub fn memberships(vault: &Vault, rows: &[ClaimRow]) -> AppResult<Vec<GroupMembership>> {
    let mut out = Vec::new();
    for r in rows {
        let status = store::status_of(&r.status)?;
        if status == GroupStatus::Rejected && r.ended_at.is_some() {
            continue;
        }
        let group = store::group_of(vault, &r.group_sealed)?;
        let document = open_document(vault, r.evidence_sealed.as_deref())?;
        out.push(GroupMembership {
            group,
            status,
            reason: r.reason.clone(),
            evidence: document.as_ref().map(|d| d.kind),
            evidence_number: document.map(|d| mask_number(&d.number)),
            needs_verification: evidence_for(group).is_some(),
        });
    }
    Ok(out)
}

/// The actor's group claims for their own download, document numbers in full.
pub async fn exported(portal: &Portal, actor: &Actor) -> AppResult<Vec<ExportedGroup>> {
    let vault = &portal.vault;
    let mut conn = portal.db.pool().acquire().await?;
    let rows = store::of_person(&mut conn, actor.id).await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let document = open_document(vault, r.evidence_sealed.as_deref())?;
        out.push(ExportedGroup {
            group: store::group_of(vault, &r.group_sealed)?,
            status: store::status_of(&r.status)?,
            reason: r.reason,
            evidence: document.as_ref().map(|d| d.kind),
            evidence_number: document.map(|d| d.number),
            consent_version: r.consent_version,
            declared_at: r.declared_at,
            decided_at: r.decided_at,
        });
    }
    Ok(out)
}

/// The actor's groups (a trainee's).
pub async fn mine(portal: &Portal, actor: &Actor) -> AppResult<Vec<GroupMembership>> {
    let user = actor.trainee()?;
    let mut conn = portal.db.pool().acquire().await?;
    let rows = store::of_person(&mut conn, user).await?;
    memberships(&portal.vault, &rows)
}

/// One write of a claim's status in the trail.
async fn written(
    conn: &mut WriteTx,
    at: &str,
    who: &Who,
    id: i64,
    action: &str,
    city: Option<&str>,
    change: (Option<&str>, &str),
) -> AppResult<()> {
    let write = Write {
        record: format!("group_claim:{id}"),
        action,
        city,
        before: change.0.map(str::to_string),
        after: Some(change.1.to_string()),
    };
    record_write(conn, at, who, &write).await
}

/// The actor (a trainee) declares their groups: the whole list, a document for each new one
/// that needs it, their city, their consent. 400 naming each field that stops it; nothing is
/// saved then.
pub async fn declare(
    portal: &Portal,
    actor: &Actor,
    d: &Declaration,
) -> AppResult<Vec<GroupMembership>> {
    let user = actor.trainee()?;
    let wanted = rules::read(d).map_err(AppError::Invalid)?;
    let vault = &portal.vault;
    let (at, today) = (portal.clock.stamp(), portal.clock.today());
    let who = Who::of(vault, actor);
    let mut tx = portal.db.write_tx().await?;
    let rows = store::of_person(&mut tx, user).await?;
    let mut existing = Vec::with_capacity(rows.len());
    for r in &rows {
        existing.push(Existing {
            id: r.id,
            group: store::group_of(vault, &r.group_sealed)?,
            status: store::status_of(&r.status)?,
            document: open_document(vault, r.evidence_sealed.as_deref())?,
            set_aside: r.ended_at.is_some(),
        });
    }
    let residence = store::residence_city(&mut tx, user).await?;
    let plan = rules::plan(
        &existing,
        residence.as_deref().and_then(City::from_code),
        &wanted,
    )
    .map_err(AppError::Invalid)?;
    let city = plan.moved_to.map(|c| c.code()).or(residence.as_deref());
    let status_of = |id: i64| {
        existing
            .iter()
            .find(|e| e.id == id)
            .map(|e| e.status.code())
    };
    let mut changed = false;
    for step in &plan.steps {
        changed |= !matches!(step, Step::SetAside { .. });
        match step {
            Step::Declare { group, document } => {
                let group_mac = vault.mac(GROUP_DOMAIN, &format!("{user}:{}", group.code()));
                let evidence = document.as_ref().map(|d| seal_document(vault, d));
                let claim = NewClaim {
                    user,
                    group_mac: &group_mac,
                    group_sealed: &vault.seal(group.code().as_bytes()),
                    evidence_sealed: evidence.as_deref(),
                    consent_version: document.as_ref().map(|_| CONSENT_VERSION),
                };
                let id = store::insert(&mut tx, &at, &claim).await?;
                let change = (None, GroupStatus::Declared.code());
                written(&mut tx, &at, &who, id, "group_declared", city, change).await?;
            }
            Step::Redeclare { id, document } => {
                let sealed = seal_document(vault, document);
                store::redeclare(&mut tx, &at, *id, &sealed, CONSENT_VERSION).await?;
                let change = (status_of(*id), GroupStatus::Declared.code());
                written(&mut tx, &at, &who, *id, "group_declared", city, change).await?;
            }
            Step::Remove { id } => {
                store::set_status(&mut tx, &at, *id, REMOVED, None, None).await?;
                let change = (status_of(*id), REMOVED);
                written(&mut tx, &at, &who, *id, "group_removed", city, change).await?;
            }
            Step::SetAside { id } => store::set_aside(&mut tx, &at, *id).await?,
            Step::Reverify { id } => {
                let declared = GroupStatus::Declared.code();
                store::set_status(&mut tx, &at, *id, declared, None, None).await?;
                let change = (status_of(*id), declared);
                written(&mut tx, &at, &who, *id, "residence_city", city, change).await?;
            }
        }
    }
    if let Some(moved) = plan.moved_to {
        store::set_residence(&mut tx, user, Some(moved.code())).await?;
        let write = Write {
            record: format!("user:{user}"),
            action: "residence_city",
            city: Some(moved.code()),
            before: residence.clone(),
            after: Some(moved.code().to_string()),
        };
        record_write(&mut tx, &at, &who, &write).await?;
    }
    if changed {
        store::groups_changed(&mut tx, &at, user).await?;
    }
    let seats =
        crate::enrollment::service::decide_waiting(&mut tx, vault, &at, today, user, &who).await?;
    let rows = store::of_person(&mut tx, user).await?;
    tx.commit().await?;
    if seats {
        portal.catalog.seats_changed();
    }
    memberships(vault, &rows)
}

fn staff_view(vault: &Vault, r: &QueueRow) -> AppResult<StaffGroupClaim> {
    let document = open_document(vault, r.evidence_sealed.as_deref())?;
    Ok(StaffGroupClaim {
        id: r.id,
        person: mask_name(&r.name),
        id_number: match &r.id_sealed {
            Some(sealed) => mask_id(&vault.reveal(sealed)?),
            None => String::new(),
        },
        group: store::group_of(vault, &r.group_sealed)?,
        evidence_type: document.as_ref().map(|d| d.kind),
        evidence_number: document.map(|d| mask_number(&d.number)),
        status: store::status_of(&r.status)?,
        reason: r.reason.clone(),
        city: r.city.clone(),
        declared_at: r.declared_at.clone(),
        consent_version: r.consent_version.clone(),
        decided_at: r.decided_at.clone(),
    })
}

/// One page of the group claims of people living in the actor's city (an HR officer's),
/// oldest first, optionally of one status. The people shown are written to the read log.
pub async fn queue(
    portal: &Portal,
    actor: &Actor,
    status: Option<GroupStatus>,
    paging: Paging,
) -> AppResult<Page<StaffGroupClaim>> {
    let city = actor.city()?;
    let (rows, total) = store::queue(&portal.db, city.code(), status, paging).await?;
    let list = rows
        .iter()
        .map(|r| staff_view(&portal.vault, r))
        .collect::<AppResult<Vec<_>>>()?;
    let subjects: Vec<i64> = rows.iter().map(|r| r.user_id).collect();
    let at = portal.clock.stamp();
    let detail = Some(city.code());
    crate::audit::store::record_reads(&portal.db, &at, actor.id, "groups_read", &subjects, detail)
        .await?;
    Ok(paging.of(list, total))
}

/// The HR officer verifies or rejects (with a reason) a claim of a person living in their
/// city. Another city's claim is "not found"; a claim already decided is 409.
pub async fn decide(
    portal: &Portal,
    actor: &Actor,
    id: i64,
    decision: Decision,
    reason: Option<&str>,
) -> AppResult<StaffGroupClaim> {
    let city = actor.city()?;
    let reject = decision == Decision::Reject;
    let reason = checked("reason", reason, reject, MAX_TEXT_CHARS)?.filter(|_| reject);
    let vault = &portal.vault;
    let (at, today) = (portal.clock.stamp(), portal.clock.today());
    let who = Who::of(vault, actor);
    let mut tx = portal.db.write_tx().await?;
    let mut row = store::one(&mut tx, id)
        .await?
        .filter(|r| r.city == city.code() && r.evidence_sealed.is_some())
        .ok_or(AppError::NotFound)?;
    if store::status_of(&row.status)? != GroupStatus::Declared {
        let mut fields = FieldErrors::default();
        fields.add("status", FieldProblem::BadTransition);
        return Err(AppError::Conflict(fields));
    }
    let to = if reject {
        GroupStatus::Rejected
    } else {
        GroupStatus::Verified
    };
    store::set_status(
        &mut tx,
        &at,
        id,
        to.code(),
        reason.as_deref(),
        Some(actor.id),
    )
    .await?;
    let change = (Some(GroupStatus::Declared.code()), to.code());
    written(
        &mut tx,
        &at,
        &who,
        id,
        "group_verification",
        Some(city.code()),
        change,
    )
    .await?;
    // The inbox names no group: its rows are not sealed.
    let notice = Notice {
        kind: Kind::Group,
        subject: id,
        status: to.code(),
        title: "",
        reason: reason.as_deref(),
        position: None,
    };
    crate::inbox::store::notify(&mut tx, &at, Some(row.user_id), &notice).await?;
    let seats =
        crate::enrollment::service::decide_waiting(&mut tx, vault, &at, today, row.user_id, &who)
            .await?;
    tx.commit().await?;
    if seats {
        portal.catalog.seats_changed();
    }
    row.status = to.code().to_string();
    row.reason = reason;
    row.decided_at = Some(at);
    staff_view(vault, &row)
}

/// Groups saved in clear before group claims existed become claims awaiting verification
/// (sealed), and the clear column is emptied; run at start, once per account.
pub async fn seal_legacy(portal: &Portal) -> AppResult<usize> {
    let vault = &portal.vault;
    let legacy = store::legacy(&portal.db).await?;
    for (user, text, created_at) in &legacy {
        let mut tx = portal.db.write_tx().await?;
        let mut seen: Vec<Group> = Vec::new();
        for group in text.split(';').filter_map(Group::from_code) {
            if seen.contains(&group) {
                continue;
            }
            seen.push(group);
            let group_mac = vault.mac(GROUP_DOMAIN, &format!("{user}:{}", group.code()));
            let claim = NewClaim {
                user: *user,
                group_mac: &group_mac,
                group_sealed: &vault.seal(group.code().as_bytes()),
                // No document was ever given: the officer sees none until the person adds it.
                evidence_sealed: None,
                consent_version: None,
            };
            store::insert(&mut tx, created_at, &claim).await?;
        }
        store::clear_legacy(&mut tx, *user).await?;
        tx.commit().await?;
    }
    Ok(legacy.len())
}
