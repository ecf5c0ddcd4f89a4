//! "这不是我": a person disputes a record in their name (another person's record is "not
//! found"); the HR officer of the record's city sees and resolves it.

use super::store::{self, NewDispute, Row};
use super::{Dispute, DisputeKind};
use crate::access::Actor;
use crate::audit::store::{record_write, Who, Write};
use crate::error::{AppError, AppResult, FieldErrors, FieldProblem};
use crate::identity::mask_name;
use crate::inbox::{Kind, Notice};
use crate::list::{Page, Paging};
use crate::portal::Portal;
use crate::reference::{Enumeration, Level};
use crate::text::{clipped, MAX_NOTE_CHARS};

fn conflict(field: &str, problem: FieldProblem) -> AppError {
    let mut fields = FieldErrors::default();
    fields.add(field, problem);
    AppError::Conflict(fields)
}

fn dispute_of(row: Row, with_claimant: bool) -> AppResult<Dispute> {
    Ok(Dispute {
        id: row.id,
        kind: DisputeKind::from_code(&row.kind)
            .ok_or_else(|| AppError::Internal(format!("unknown dispute kind {}", row.kind)))?,
        subject_id: row.subject_id,
        title: row.title,
        note: row.note,
        status: row.status,
        resolution: row.resolution,
        created_at: row.created_at,
        resolved_at: row.resolved_at,
        claimant: with_claimant.then(|| {
            row.name
                .as_deref()
                .map(mask_name)
                .unwrap_or_else(|| "—".into())
        }),
    })
}

/// The actor disputes one of the records in their name. One open dispute per record (409).
pub async fn file(
    portal: &Portal,
    actor: &Actor,
    kind: DisputeKind,
    subject_id: i64,
    note: Option<&str>,
) -> AppResult<Dispute> {
    let at = portal.clock.stamp();
    let mut tx = portal.db.write_tx().await?;
    let subject = match kind {
        DisputeKind::Enrollment => store::enrollment(&mut tx, actor.id, subject_id, false).await?,
        DisputeKind::Attendance => store::enrollment(&mut tx, actor.id, subject_id, true).await?,
        DisputeKind::Subsidy => {
            store::claim(&mut tx, actor.id, subject_id)
                .await?
                .map(|(city, occupation, level)| {
                    let level = Level::from_code(&level)
                        .map(|l| l.label(crate::i18n::Locale::zh_CN).to_string())
                        .unwrap_or(level);
                    (city, format!("{occupation}·{level}"))
                })
        }
    };
    let (city, title) = subject.ok_or(AppError::NotFound)?;
    if store::open(&mut tx, actor.id, kind, subject_id).await? {
        return Err(conflict("id", FieldProblem::AlreadyDisputed));
    }
    let note = clipped(note, MAX_NOTE_CHARS);
    let new = NewDispute {
        user: actor.id,
        kind,
        subject: subject_id,
        city: &city,
        title: &title,
        note: note.as_deref(),
    };
    let id = store::insert(&mut tx, &at, &new).await?;
    let write = Write {
        record: format!("dispute:{id}"),
        action: "dispute",
        city: Some(&city),
        before: None,
        after: Some(format!("open ({}:{subject_id})", kind.code())),
    };
    record_write(&mut tx, &at, &Who::of(&portal.vault, actor), &write).await?;
    tx.commit().await?;
    dispute_of(store::one(&portal.db, id).await?, false)
}

/// The actor's own disputes, newest first.
pub async fn mine(portal: &Portal, actor: &Actor) -> AppResult<Vec<Dispute>> {
    store::of_person(&portal.db, actor.id)
        .await?
        .into_iter()
        .map(|r| dispute_of(r, false))
        .collect()
}

/// One page of the disputes of the actor's city (an HR officer's), open ones first, oldest
/// first. The read is written to the audit log of each person whose dispute is shown.
pub async fn for_city(
    portal: &Portal,
    actor: &Actor,
    open_only: bool,
    paging: Paging,
) -> AppResult<Page<Dispute>> {
    let city = actor.city()?;
    let (rows, total) = store::of_city(&portal.db, city, open_only, paging).await?;
    let mut filers: Vec<i64> = rows.iter().filter_map(|r| r.user_id).collect();
    filers.sort_unstable();
    filers.dedup();
    let at = portal.clock.stamp();
    let detail = Some(city.code());
    crate::audit::store::record_reads(&portal.db, &at, actor.id, "disputes_read", &filers, detail)
        .await?;
    let items = rows
        .into_iter()
        .map(|r| dispute_of(r, true))
        .collect::<AppResult<Vec<_>>>()?;
    Ok(paging.of(items, total))
}

/// The HR officer resolves an open dispute of their city, saying what was done (required);
/// the person is told in their inbox.
pub async fn resolve(
    portal: &Portal,
    actor: &Actor,
    id: i64,
    resolution: Option<&str>,
) -> AppResult<Dispute> {
    let city = actor.city()?;
    let resolution = clipped(resolution, MAX_NOTE_CHARS)
        .ok_or_else(|| AppError::field("resolution", FieldProblem::Required))?;
    let at = portal.clock.stamp();
    let mut tx = portal.db.write_tx().await?;
    let (status, user_id, dispute_city, title) = store::for_resolution(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if dispute_city != city.code() {
        return Err(AppError::NotFound);
    }
    if status != "open" {
        return Err(conflict("status", FieldProblem::BadTransition));
    }
    store::resolve(&mut tx, &at, id, &resolution, actor.id).await?;
    let write = Write {
        record: format!("dispute:{id}"),
        action: "dispute",
        city: Some(&dispute_city),
        before: Some(status),
        after: Some(format!("resolved ({resolution})")),
    };
    record_write(&mut tx, &at, &Who::of(&portal.vault, actor), &write).await?;
    let notice = Notice {
        kind: Kind::Dispute,
        subject: id,
        status: "resolved",
        title: &title,
        reason: Some(&resolution),
        position: None,
    };
    crate::inbox::store::notify(&mut tx, &at, user_id, &notice).await?;
    tx.commit().await?;
    dispute_of(store::one(&portal.db, id).await?, false)
}
