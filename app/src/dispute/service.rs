//! Disputes in the database. Filing checks the record is the person's own (another person's
//! is "not found"); an HR officer sees and resolves those of their own city only.

use super::{Dispute, DisputeKind, MAX_NOTE_CHARS};
use crate::accounts::SignedIn;
use crate::error::{AppError, AppResult, FieldErrors, FieldProblem};
use crate::list::{Page, Paging};
use crate::portal::Portal;
use crate::reference::Enumeration;
use crate::subsidy::service::city_of;
use chrono::Utc;

fn text(note: Option<&str>) -> Option<String> {
    note.map(str::trim)
        .filter(|n| !n.is_empty())
        .map(|n| n.chars().take(MAX_NOTE_CHARS).collect())
}

fn conflict(field: &str, problem: FieldProblem) -> AppError {
    let mut fields = FieldErrors::default();
    fields.add(field, problem);
    AppError::Conflict(fields)
}

/// The person disputes one of the records in their name. One open dispute per record (409).
pub async fn file(
    portal: &Portal,
    user_id: i64,
    kind: DisputeKind,
    subject_id: i64,
    note: Option<&str>,
) -> AppResult<Dispute> {
    let mut tx = portal.db.write_tx().await?;
    let subject: Option<(String, String)> = match kind {
        DisputeKind::Enrollment => sqlx::query_as(
            "SELECT k.city, k.title FROM enrollments e JOIN courses k ON k.code = e.course_code \
                 WHERE e.id = $1 AND e.user_id = $2",
        )
        .bind(subject_id)
        .bind(user_id)
        .fetch_optional(&mut *tx)
        .await?,
        DisputeKind::Attendance => sqlx::query_as(
            "SELECT k.city, k.title FROM enrollments e JOIN courses k ON k.code = e.course_code \
                 WHERE e.id = $1 AND e.user_id = $2 \
                 AND EXISTS (SELECT 1 FROM attendance a WHERE a.enrollment_id = e.id)",
        )
        .bind(subject_id)
        .bind(user_id)
        .fetch_optional(&mut *tx)
        .await?,
        DisputeKind::Subsidy => {
            let claim: Option<(String, String, String)> = sqlx::query_as(
                "SELECT city, occupation, level FROM subsidy_claims WHERE id = $1 AND user_id = $2",
            )
            .bind(subject_id)
            .bind(user_id)
            .fetch_optional(&mut *tx)
            .await?;
            claim.map(|(city, occupation, level)| {
                let level = crate::reference::Level::from_code(&level)
                    .map(|l| l.label(crate::i18n::Locale::zh_CN).to_string())
                    .unwrap_or(level);
                (city, format!("{occupation}·{level}"))
            })
        }
    };
    let (city, title) = subject.ok_or(AppError::NotFound)?;
    let open: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM disputes WHERE user_id = $1 AND kind = $2 AND subject_id = $3 \
         AND status = 'open'",
    )
    .bind(user_id)
    .bind(kind.code())
    .bind(subject_id)
    .fetch_one(&mut *tx)
    .await?;
    if open > 0 {
        return Err(conflict("id", FieldProblem::AlreadyDisputed));
    }
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO disputes (user_id, kind, subject_id, city, title, note, status, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, 'open', $7) RETURNING id",
    )
    .bind(user_id)
    .bind(kind.code())
    .bind(subject_id)
    .bind(&city)
    .bind(&title)
    .bind(text(note))
    .bind(Utc::now().to_rfc3339())
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    one(portal, id).await
}

#[derive(Debug, sqlx::FromRow)]
struct Row {
    id: i64,
    kind: String,
    subject_id: i64,
    title: String,
    note: Option<String>,
    status: String,
    resolution: Option<String>,
    created_at: String,
    resolved_at: Option<String>,
    name: Option<String>,
    user_id: Option<i64>,
}

const SELECT: &str = "SELECT d.id, d.kind, d.subject_id, d.title, d.note, d.status, d.resolution, \
    d.created_at, d.resolved_at, u.name, d.user_id FROM disputes d \
    LEFT JOIN users u ON u.id = d.user_id";

impl Row {
    fn dispute(self, with_claimant: bool) -> AppResult<Dispute> {
        Ok(Dispute {
            id: self.id,
            kind: DisputeKind::from_code(&self.kind)
                .ok_or_else(|| AppError::Internal(format!("unknown dispute kind {}", self.kind)))?,
            subject_id: self.subject_id,
            title: self.title,
            note: self.note,
            status: self.status,
            resolution: self.resolution,
            created_at: self.created_at,
            resolved_at: self.resolved_at,
            claimant: with_claimant.then(|| {
                self.name
                    .as_deref()
                    .map(crate::certificate::mask_name)
                    .unwrap_or_else(|| "—".into())
            }),
        })
    }
}

async fn one(portal: &Portal, id: i64) -> AppResult<Dispute> {
    let row: Row = sqlx::query_as(&format!("{SELECT} WHERE d.id = $1"))
        .bind(id)
        .fetch_one(portal.db.pool())
        .await?;
    row.dispute(false)
}

/// The person's own disputes, newest first.
pub async fn mine(portal: &Portal, user_id: i64) -> AppResult<Vec<Dispute>> {
    let rows: Vec<Row> =
        sqlx::query_as(&format!("{SELECT} WHERE d.user_id = $1 ORDER BY d.id DESC"))
            .bind(user_id)
            .fetch_all(portal.db.pool())
            .await?;
    rows.into_iter().map(|r| r.dispute(false)).collect()
}

/// One page of the disputes of the officer's city, open ones first, oldest first. The read is
/// written to the audit log of each person whose dispute is shown.
pub async fn for_city(
    portal: &Portal,
    officer: &SignedIn,
    open_only: bool,
    paging: Paging,
) -> AppResult<Page<Dispute>> {
    let city = city_of(officer)?;
    let total: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM disputes WHERE city = $1 AND ($2 = 0 OR status = 'open')",
    )
    .bind(city)
    .bind(i64::from(open_only))
    .fetch_one(portal.db.pool())
    .await?;
    let rows: Vec<(Row, Option<i64>)> = sqlx::query_as::<_, Row>(&format!(
        "{SELECT} WHERE d.city = $1 AND ($2 = 0 OR d.status = 'open') \
         ORDER BY CASE d.status WHEN 'open' THEN 0 ELSE 1 END, d.id LIMIT $3 OFFSET $4"
    ))
    .bind(city)
    .bind(i64::from(open_only))
    .bind(paging.limit())
    .bind(paging.offset())
    .fetch_all(portal.db.pool())
    .await?
    .into_iter()
    .map(|r| {
        let filer = r.user_id;
        (r, filer)
    })
    .collect();
    let mut filers: Vec<i64> = rows.iter().filter_map(|(_, f)| *f).collect();
    filers.sort_unstable();
    filers.dedup();
    crate::accounts::service::audit_each(portal, officer.id, "disputes_read", &filers, Some(city))
        .await?;
    let items = rows
        .into_iter()
        .map(|(r, _)| r.dispute(true))
        .collect::<AppResult<Vec<_>>>()?;
    Ok(paging.of(items, u64::try_from(total).unwrap_or(0)))
}

/// An HR officer resolves an open dispute of their city, saying what was done (required); the
/// person is told in their inbox.
pub async fn resolve(
    portal: &Portal,
    officer: &SignedIn,
    id: i64,
    resolution: Option<&str>,
) -> AppResult<Dispute> {
    let city = city_of(officer)?;
    let resolution =
        text(resolution).ok_or_else(|| AppError::field("resolution", FieldProblem::Required))?;
    let mut tx = portal.db.write_tx().await?;
    let (status, user_id, dispute_city, title): (String, Option<i64>, String, String) =
        sqlx::query_as("SELECT status, user_id, city, title FROM disputes WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(AppError::NotFound)?;
    if dispute_city != city {
        return Err(AppError::NotFound);
    }
    if status != "open" {
        return Err(conflict("status", FieldProblem::BadTransition));
    }
    sqlx::query(
        "UPDATE disputes SET status = 'resolved', resolution = $2, resolved_by = $3, \
         resolved_at = $4 WHERE id = $1",
    )
    .bind(id)
    .bind(&resolution)
    .bind(officer.id)
    .bind(Utc::now().to_rfc3339())
    .execute(&mut *tx)
    .await?;
    crate::enrollment::service::notify_of(
        &mut tx,
        user_id,
        "dispute",
        id,
        "resolved",
        &title,
        Some(&resolution),
        None,
    )
    .await?;
    tx.commit().await?;
    one(portal, id).await
}
