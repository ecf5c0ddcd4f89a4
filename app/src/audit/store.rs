//! The audit log: which staff member looked at whose personal data, when, and why (a roster,
//! a review queue). A person downloads their entries with their data; when an account is
//! deleted the entries stay, without the link to the person.

use crate::error::AppResult;
use crate::storage::{Conn, Db};
use serde::Serialize;

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
    Ok(())
}
