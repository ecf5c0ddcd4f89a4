//! The audit trails' SQL. The read log (`audit_log`): which staff member looked at whose
//! personal data, when, and why; a person downloads their entries with their data. The write
//! trail (`audit_writes`, append-only by the database's own triggers): see `super`. When an
//! account is deleted the entries stay, without the link to the person.

use super::{TrailEntry, TrailFilter};
use crate::access::Actor;
use crate::accounts::vault::Vault;
use crate::error::AppResult;
use crate::identity::mask_name;
use crate::list::Paging;
use crate::storage::{Conn, Db, WriteTx};
use chrono::{Days, FixedOffset, NaiveDate, TimeZone, Utc};
use serde::Serialize;

/// Who made a write: their account while it exists, a pseudonymous reference that stays when
/// it is deleted, and the role they acted in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Who {
    pub id: Option<i64>,
    pub reference: String,
    pub role: String,
}

impl Who {
    /// A signed-in person.
    pub fn of(vault: &Vault, actor: &Actor) -> Who {
        Who {
            id: Some(actor.id),
            reference: reference(vault, actor.id),
            role: actor.role.code().to_string(),
        }
    }

    /// The portal itself (a seat handed on to the waiting list).
    pub fn portal() -> Who {
        Who {
            id: None,
            reference: "portal".into(),
            role: "system".into(),
        }
    }

    /// Whoever runs the command line on the server.
    pub fn operator() -> Who {
        Who {
            id: None,
            reference: "cli".into(),
            role: "operator".into(),
        }
    }
}

impl Default for Who {
    fn default() -> Self {
        Who::operator()
    }
}

/// An account's pseudonymous reference: a keyed hash of its id, so that the trail of a
/// deleted account still reads as one person's without naming them.
pub fn reference(vault: &Vault, id: i64) -> String {
    let mac = vault.mac("audit-actor", &id.to_string());
    let hex: String = mac.iter().take(6).map(|b| format!("{b:02X}")).collect();
    format!("P-{hex}")
}

/// One write to keep: the record (`claim:3`), what was done, the record's city, and the
/// values before and after.
#[derive(Debug, Clone, Default)]
pub struct Write<'a> {
    pub record: String,
    pub action: &'a str,
    pub city: Option<&'a str>,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// Keeps a write in the trail, in the transaction of the write itself: both or neither. The
/// security log hears of it once the transaction commits.
pub async fn record_write(
    tx: &mut WriteTx,
    at: &str,
    who: &Who,
    write: &Write<'_>,
) -> AppResult<()> {
    sqlx::query(
        "INSERT INTO audit_writes (at, actor_id, actor_ref, actor_role, city, record, action, \
         before_value, after_value) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(at)
    .bind(who.id)
    .bind(&who.reference)
    .bind(&who.role)
    .bind(write.city)
    .bind(&write.record)
    .bind(write.action)
    .bind(write.before.as_deref())
    .bind(write.after.as_deref())
    .execute(&mut **tx)
    .await?;
    let (record, action) = (write.record.clone(), write.action.to_string());
    let city = write.city.map(str::to_string);
    let (actor_ref, actor_role) = (who.reference.clone(), who.role.clone());
    tx.on_commit(move || {
        super::events::record_changed(&record, &action, city.as_deref(), &actor_ref, &actor_role)
    });
    Ok(())
}

#[derive(Debug, sqlx::FromRow)]
struct TrailRow {
    id: i64,
    at: String,
    actor_ref: String,
    actor_role: String,
    name: Option<String>,
    city: Option<String>,
    record: String,
    action: String,
    before_value: Option<String>,
    after_value: Option<String>,
}

/// The stamp (as stored, RFC 3339 UTC) of 00:00 in Beijing on `day`.
fn start_of(day: NaiveDate) -> Option<String> {
    let beijing = FixedOffset::east_opt(8 * 3600)?;
    let midnight = beijing
        .from_local_datetime(&day.and_hms_opt(0, 0, 0)?)
        .single()?;
    Some(midnight.with_timezone(&Utc).to_rfc3339())
}

/// One page of the write trail, newest first, within `city` when given.
pub async fn trail(
    db: &Db,
    city: Option<&str>,
    filter: &TrailFilter,
    paging: Paging,
) -> AppResult<(Vec<TrailEntry>, u64)> {
    let from = filter.from.and_then(start_of);
    let until = filter
        .to
        .and_then(|d| d.checked_add_days(Days::new(1)))
        .and_then(start_of);
    const WHERE: &str = "FROM audit_writes w LEFT JOIN users u ON u.id = w.actor_id \
         WHERE ($1 IS NULL OR w.city = $1) AND ($2 IS NULL OR w.actor_ref = $2) \
         AND ($3 IS NULL OR w.record = $3) AND ($4 IS NULL OR w.at >= $4) \
         AND ($5 IS NULL OR w.at < $5)";
    let total: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) {WHERE}"))
        .bind(city)
        .bind(filter.actor.as_deref())
        .bind(filter.record.as_deref())
        .bind(from.as_deref())
        .bind(until.as_deref())
        .fetch_one(db.pool())
        .await?;
    let rows: Vec<TrailRow> = sqlx::query_as(&format!(
        "SELECT w.id, w.at, w.actor_ref, w.actor_role, u.name, w.city, w.record, w.action, \
         w.before_value, w.after_value {WHERE} ORDER BY w.id DESC LIMIT $6 OFFSET $7"
    ))
    .bind(city)
    .bind(filter.actor.as_deref())
    .bind(filter.record.as_deref())
    .bind(from.as_deref())
    .bind(until.as_deref())
    .bind(paging.limit())
    .bind(paging.offset())
    .fetch_all(db.pool())
    .await?;
    let entries = rows
        .into_iter()
        .map(|r| TrailEntry {
            id: r.id,
            at: r.at,
            actor_ref: r.actor_ref,
            actor_role: r.actor_role,
            actor_name: r.name.as_deref().map(mask_name),
            city: r.city,
            record: r.record,
            action: r.action,
            before: r.before_value,
            after: r.after_value,
        })
        .collect();
    Ok((entries, u64::try_from(total).unwrap_or(0)))
}

/// One entry, as the person it concerns downloads it.
#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct AuditEntry {
    pub at: String,
    pub action: String,
    pub actor_id: Option<i64>,
    /// What was looked at (a class code for a roster, a city for a queue).
    pub detail: Option<String>,
}

/// Writes that `actor` looked at several people's data (`action`), one entry per person, in
/// one transaction: one commit however long the list.
pub async fn record_reads(
    db: &Db,
    at: &str,
    actor: i64,
    action: &str,
    subjects: &[i64],
    detail: Option<&str>,
) -> AppResult<()> {
    if subjects.is_empty() {
        return Ok(());
    }
    let mut tx = db.write_tx().await?;
    for subject in subjects {
        sqlx::query(
            "INSERT INTO audit_log (at, actor_id, action, subject_id, detail) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(at)
        .bind(actor)
        .bind(action)
        .bind(subject)
        .bind(detail)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Every entry about `person`, oldest first.
pub async fn of_person(db: &Db, person: i64) -> AppResult<Vec<AuditEntry>> {
    Ok(sqlx::query_as(
        "SELECT at, action, actor_id, detail FROM audit_log WHERE subject_id = $1 ORDER BY id",
    )
    .bind(person)
    .fetch_all(db.pool())
    .await?)
}

/// Inside an account's deletion: the deletion is written down, and every entry about the
/// person or by them stays without the link to them.
pub async fn forget(conn: &mut Conn, at: &str, person: i64) -> AppResult<()> {
    sqlx::query(
        "INSERT INTO audit_log (at, actor_id, action, subject_id) \
         VALUES ($1, NULL, 'account_deleted', NULL)",
    )
    .bind(at)
    .execute(&mut *conn)
    .await?;
    sqlx::query("UPDATE audit_log SET subject_id = NULL WHERE subject_id = $1")
        .bind(person)
        .execute(&mut *conn)
        .await?;
    sqlx::query("UPDATE audit_log SET actor_id = NULL WHERE actor_id = $1")
        .bind(person)
        .execute(&mut *conn)
        .await?;
    // Their writes stay under their pseudonymous reference (the triggers allow only this).
    sqlx::query("UPDATE audit_writes SET actor_id = NULL WHERE actor_id = $1")
        .bind(person)
        .execute(&mut *conn)
        .await?;
    Ok(())
}
