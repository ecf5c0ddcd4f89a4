//! The HR officer's queue of their city's claims in the database: one page with what is
//! shown beside each claim (timeline, when attendance was entered, the job's recorder, an
//! open dispute, the payee sealed).

use super::rules::ClaimStatus;
use super::store::{EventRow, PAYMENT_COLUMNS};
use crate::error::AppResult;
use crate::list::Paging;
use crate::reference::{City, Enumeration};
use crate::storage::Db;

/// A claim in the HR officer's queue, the claimant's number sealed.
#[derive(Debug, sqlx::FromRow)]
pub struct QueueRow {
    pub id: i64,
    pub user_id: Option<i64>,
    pub status: String,
    pub name: Option<String>,
    pub id_sealed: Option<Vec<u8>>,
    pub course_code: String,
    pub title: String,
    pub institution: String,
    pub number: String,
    pub occupation: String,
    pub level: String,
    pub employed: Option<i64>,
    pub percent: i64,
    pub amount_fen: i64,
    pub reason: Option<String>,
    pub created_at: String,
    pub verdicts: String,
    pub breakdown: Option<String>,
    pub top_up_of: Option<i64>,
    pub enrollment_id: i64,
    pub end_date: String,
    pub groups_changed_at: Option<String>,
    /// The role of whoever recorded the job (none once their account is deleted).
    pub job_recorder_role: Option<String>,
    /// 1 while the claimant's dispute of the claim is open.
    pub disputed: i64,
    #[sqlx(flatten)]
    pub payment: super::store::PaymentColumns,
}

/// One page of a city's claims with what is shown beside them.
pub struct Queue {
    pub rows: Vec<QueueRow>,
    pub events: Vec<EventRow>,
    /// (enrolment, when an attended day was entered) for the page's claims.
    pub entered: Vec<(i64, String)>,
    pub total: u64,
}

/// The city's claims, and the status asked for (if any).
const QUEUE_FILTER: &str = "s.city = $1 AND ($2 IS NULL OR s.status = $2)";
/// Claims waiting for a step first (submitted, under review, approved to pay), then the rest.
const QUEUE_ORDER: &str = "CASE s.status WHEN 'submitted' THEN 0 WHEN 'under_review' THEN 1 \
    WHEN 'approved' THEN 2 ELSE 3 END";

/// One page of a city's claims (of one status, when given), those waiting for a step first and
/// oldest first among them, with their timelines; and how many there are.
pub async fn queue(
    db: &Db,
    city: City,
    status: Option<ClaimStatus>,
    paging: Paging,
) -> AppResult<Queue> {
    let status = status.map(ClaimStatus::code);
    let total: i64 = sqlx::query_scalar(&format!(
        "SELECT COUNT(*) FROM subsidy_claims s WHERE {QUEUE_FILTER}"
    ))
    .bind(city.code())
    .bind(status)
    .fetch_one(db.pool())
    .await?;
    let rows = sqlx::query_as(&format!(
        "SELECT s.id, s.user_id, s.status, u.name, u.id_sealed, k.code AS course_code, k.title, \
         k.institution, c.number, s.occupation, s.level, e.employed, s.percent, s.amount_fen, \
         s.reason, s.created_at, s.verdicts, s.breakdown, s.top_up_of, e.id AS enrollment_id, \
         k.end_date, \
         u.groups_changed_at, (SELECT r.role FROM users r WHERE r.id = e.employment_recorded_by) \
         AS job_recorder_role, CASE WHEN EXISTS (SELECT 1 FROM disputes d \
         WHERE d.kind = 'subsidy' AND d.subject_id = s.id AND d.status = 'open') THEN 1 ELSE 0 END \
         AS disputed, {PAYMENT_COLUMNS} FROM subsidy_claims s JOIN certificates c ON c.id = s.certificate_id \
         JOIN enrollments e ON e.id = c.enrollment_id JOIN courses k ON k.code = e.course_code \
         LEFT JOIN users u ON u.id = s.user_id \
         WHERE {QUEUE_FILTER} ORDER BY {QUEUE_ORDER}, s.id LIMIT $3 OFFSET $4"
    ))
    .bind(city.code())
    .bind(status)
    .bind(paging.limit())
    .bind(paging.offset())
    .fetch_all(db.pool())
    .await?;
    // The timelines of just those claims.
    let events = sqlx::query_as(&format!(
        "SELECT v.claim_id, v.at, v.status, v.actor, v.reason, u.name \
         FROM subsidy_claim_events v LEFT JOIN users u ON u.id = v.actor_id \
         WHERE v.claim_id IN (SELECT s.id FROM subsidy_claims s WHERE {QUEUE_FILTER} \
         ORDER BY {QUEUE_ORDER}, s.id LIMIT $3 OFFSET $4) ORDER BY v.id"
    ))
    .bind(city.code())
    .bind(status)
    .bind(paging.limit())
    .bind(paging.offset())
    .fetch_all(db.pool())
    .await?;
    // When each attended day of those claims' enrolments was entered (for the signals).
    let entered = sqlx::query_as(&format!(
        "SELECT a.enrollment_id, a.recorded_at FROM attendance a \
         JOIN certificates c ON c.enrollment_id = a.enrollment_id \
         WHERE c.id IN (SELECT s.certificate_id FROM subsidy_claims s WHERE {QUEUE_FILTER} \
         ORDER BY {QUEUE_ORDER}, s.id LIMIT $3 OFFSET $4) ORDER BY a.day"
    ))
    .bind(city.code())
    .bind(status)
    .bind(paging.limit())
    .bind(paging.offset())
    .fetch_all(db.pool())
    .await?;
    Ok(Queue {
        rows,
        events,
        entered,
        total: u64::try_from(total).unwrap_or(0),
    })
}
