//! Payees and payment batches in the database: the payee a trainee keeps on the profile
//! (`users.payee_*`), each claim's (`subsidy_claims.payee_*`, with the batch, day and
//! reference it was paid with), the batches (`payment_batches`) and what each holds
//! (`payment_batch_claims`, the payee as finance was given it), and the cities' yearly budgets
//! (`subsidy_budgets`).

use super::payee::{PayeeKind, Sealed};
use crate::error::AppResult;
use crate::list::Paging;
use crate::storage::{Conn, Db};

fn sealed(kind: Option<String>, bank: Option<String>, account: Option<Vec<u8>>) -> Option<Sealed> {
    kind.as_deref()
        .and_then(PayeeKind::from_code)
        .map(|kind| Sealed {
            kind,
            bank,
            account,
        })
}

type PayeeRow = (Option<String>, Option<String>, Option<Vec<u8>>);

/// The payee a person keeps on the profile.
pub async fn kept_payee(conn: &mut Conn, user: i64) -> AppResult<Option<Sealed>> {
    let row: Option<PayeeRow> = sqlx::query_as(
        "SELECT payee_kind, payee_bank, payee_account_sealed FROM users WHERE id = $1",
    )
    .bind(user)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.and_then(|(k, b, a)| sealed(k, b, a)))
}

pub async fn keep_payee(conn: &mut Conn, user: i64, p: &Sealed) -> AppResult<()> {
    sqlx::query(
        "UPDATE users SET payee_kind = $2, payee_bank = $3, payee_account_sealed = $4 \
         WHERE id = $1",
    )
    .bind(user)
    .bind(p.kind.code())
    .bind(p.bank.as_deref())
    .bind(p.account.clone())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// A claim's payee.
pub async fn claim_payee(conn: &mut Conn, claim: i64) -> AppResult<Option<Sealed>> {
    let row: Option<PayeeRow> = sqlx::query_as(
        "SELECT payee_kind, payee_bank, payee_account_sealed FROM subsidy_claims WHERE id = $1",
    )
    .bind(claim)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.and_then(|(k, b, a)| sealed(k, b, a)))
}

pub async fn set_claim_payee(conn: &mut Conn, at: &str, claim: i64, p: &Sealed) -> AppResult<()> {
    sqlx::query(
        "UPDATE subsidy_claims SET payee_kind = $2, payee_bank = $3, payee_account_sealed = $4, \
         updated_at = $5 WHERE id = $1",
    )
    .bind(claim)
    .bind(p.kind.code())
    .bind(p.bank.as_deref())
    .bind(p.account.clone())
    .bind(at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// A claim as a batch sees it: its status, batch, open dispute, payee (or its claimant's
/// kept one, for claims made before payees were named) and amount.
#[derive(Debug, sqlx::FromRow)]
pub struct Candidate {
    pub id: i64,
    pub user_id: Option<i64>,
    pub city: String,
    pub status: String,
    pub batch_id: Option<i64>,
    pub disputed: i64,
    pub amount_fen: i64,
    pub payee_kind: Option<String>,
    pub payee_bank: Option<String>,
    pub payee_account_sealed: Option<Vec<u8>>,
    pub kept_kind: Option<String>,
    pub kept_bank: Option<String>,
    pub kept_account_sealed: Option<Vec<u8>>,
}

impl Candidate {
    /// The claim's payee, else its claimant's kept one.
    pub fn payee(&self) -> Option<Sealed> {
        sealed(
            self.payee_kind.clone(),
            self.payee_bank.clone(),
            self.payee_account_sealed.clone(),
        )
        .or_else(|| {
            sealed(
                self.kept_kind.clone(),
                self.kept_bank.clone(),
                self.kept_account_sealed.clone(),
            )
        })
    }
}

const CANDIDATE: &str = "SELECT s.id, s.user_id, s.city, s.status, s.batch_id, s.amount_fen, \
    CASE WHEN EXISTS (SELECT 1 FROM disputes d WHERE d.kind = 'subsidy' AND d.subject_id = s.id \
    AND d.status = 'open') THEN 1 ELSE 0 END AS disputed, s.payee_kind, s.payee_bank, \
    s.payee_account_sealed, u.payee_kind AS kept_kind, u.payee_bank AS kept_bank, \
    u.payee_account_sealed AS kept_account_sealed \
    FROM subsidy_claims s LEFT JOIN users u ON u.id = s.user_id";

pub async fn candidate(conn: &mut Conn, claim: i64) -> AppResult<Option<Candidate>> {
    Ok(sqlx::query_as(&format!("{CANDIDATE} WHERE s.id = $1"))
        .bind(claim)
        .fetch_optional(&mut *conn)
        .await?)
}

/// The city's approved claims in no batch, oldest first.
pub async fn approved_unbatched(conn: &mut Conn, city: &str) -> AppResult<Vec<Candidate>> {
    Ok(sqlx::query_as(&format!(
        "{CANDIDATE} WHERE s.city = $1 AND s.status = 'approved' AND s.batch_id IS NULL \
         ORDER BY s.id"
    ))
    .bind(city)
    .fetch_all(&mut *conn)
    .await?)
}

pub async fn create(conn: &mut Conn, at: &str, city: &str, by: Option<i64>) -> AppResult<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO payment_batches (city, status, created_at, created_by) \
         VALUES ($1, 'open', $2, $3) RETURNING id",
    )
    .bind(city)
    .bind(at)
    .bind(by)
    .fetch_one(&mut *conn)
    .await?)
}

/// Puts an approved claim in no batch into `batch`, paid to `payee`; false when it is not
/// (any more) approved or is in a batch: a claim joins one batch at a time.
pub async fn add(
    conn: &mut Conn,
    batch: i64,
    claim: i64,
    amount_fen: i64,
    payee: &Sealed,
) -> AppResult<bool> {
    let joined = sqlx::query(
        "UPDATE subsidy_claims SET batch_id = $1, payee_kind = $3, payee_bank = $4, \
         payee_account_sealed = $5 WHERE id = $2 AND status = 'approved' AND batch_id IS NULL",
    )
    .bind(batch)
    .bind(claim)
    .bind(payee.kind.code())
    .bind(payee.bank.as_deref())
    .bind(payee.account.clone())
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if joined != 1 {
        return Ok(false);
    }
    sqlx::query(
        "INSERT INTO payment_batch_claims (batch_id, claim_id, amount_fen, payee_kind, \
         payee_bank, payee_account_sealed) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(batch)
    .bind(claim)
    .bind(amount_fen)
    .bind(payee.kind.code())
    .bind(payee.bank.as_deref())
    .bind(payee.account.clone())
    .execute(&mut *conn)
    .await?;
    Ok(true)
}

/// A batch with who gathered and paid it, and what it holds (claims still in it).
#[derive(Debug, sqlx::FromRow)]
pub struct BatchRow {
    pub id: i64,
    pub city: String,
    pub status: String,
    pub created_at: String,
    pub created_by: Option<String>,
    pub paid_on: Option<String>,
    pub reference: Option<String>,
    pub paid_at: Option<String>,
    pub paid_by: Option<String>,
    pub claims_count: i64,
    pub total_fen: i64,
}

const BATCH: &str = "SELECT b.id, b.city, b.status, b.created_at, c.name AS created_by, \
    b.paid_on, b.reference, b.paid_at, p.name AS paid_by, \
    (SELECT COUNT(*) FROM payment_batch_claims i WHERE i.batch_id = b.id AND i.left_as IS NULL) \
    AS claims_count, (SELECT CAST(COALESCE(SUM(i.amount_fen), 0) AS BIGINT) \
    FROM payment_batch_claims i WHERE i.batch_id = b.id AND i.left_as IS NULL) AS total_fen \
    FROM payment_batches b LEFT JOIN users c ON c.id = b.created_by \
    LEFT JOIN users p ON p.id = b.paid_by";

/// One page of a city's batches, newest first, and how many there are.
pub async fn list(db: &Db, city: &str, paging: Paging) -> AppResult<(Vec<BatchRow>, u64)> {
    let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM payment_batches WHERE city = $1")
        .bind(city)
        .fetch_one(db.pool())
        .await?;
    let rows = sqlx::query_as(&format!(
        "{BATCH} WHERE b.city = $1 ORDER BY b.id DESC LIMIT $2 OFFSET $3"
    ))
    .bind(city)
    .bind(paging.limit())
    .bind(paging.offset())
    .fetch_all(db.pool())
    .await?;
    Ok((rows, u64::try_from(total).unwrap_or(0)))
}

pub async fn one(conn: &mut Conn, id: i64) -> AppResult<Option<BatchRow>> {
    Ok(sqlx::query_as(&format!("{BATCH} WHERE b.id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?)
}

/// A claim in a batch, with its payee as finance was given it.
#[derive(Debug, sqlx::FromRow)]
pub struct ItemRow {
    pub claim_id: i64,
    pub user_id: Option<i64>,
    pub amount_fen: i64,
    pub payee_kind: String,
    pub payee_bank: Option<String>,
    pub payee_account_sealed: Option<Vec<u8>>,
    pub left_as: Option<String>,
    pub left_reason: Option<String>,
    pub left_at: Option<String>,
    pub claim_status: String,
    pub name: Option<String>,
    pub id_sealed: Option<Vec<u8>>,
    pub occupation: String,
    pub level: String,
    pub institution: String,
    pub number: String,
}

/// What a batch holds (those that left it too), in the order they joined.
pub async fn items(conn: &mut Conn, batch: i64) -> AppResult<Vec<ItemRow>> {
    Ok(sqlx::query_as(
        "SELECT i.claim_id, s.user_id, i.amount_fen, i.payee_kind, i.payee_bank, \
         i.payee_account_sealed, i.left_as, i.left_reason, i.left_at, s.status AS claim_status, \
         u.name, u.id_sealed, s.occupation, s.level, k.institution, c.number \
         FROM payment_batch_claims i JOIN subsidy_claims s ON s.id = i.claim_id \
         JOIN certificates c ON c.id = s.certificate_id \
         JOIN enrollments e ON e.id = c.enrollment_id JOIN courses k ON k.code = e.course_code \
         LEFT JOIN users u ON u.id = s.user_id WHERE i.batch_id = $1 ORDER BY i.claim_id",
    )
    .bind(batch)
    .fetch_all(&mut *conn)
    .await?)
}

/// Marks an open batch paid; false when it is not open (paid once).
pub async fn mark_paid(
    conn: &mut Conn,
    at: &str,
    batch: i64,
    paid_on: &str,
    reference: &str,
    by: Option<i64>,
) -> AppResult<bool> {
    let done = sqlx::query(
        "UPDATE payment_batches SET status = 'paid', paid_on = $2, reference = $3, paid_at = $4, \
         paid_by = $5 WHERE id = $1 AND status = 'open'",
    )
    .bind(batch)
    .bind(paid_on)
    .bind(reference)
    .bind(at)
    .bind(by)
    .execute(&mut *conn)
    .await?
    .rows_affected();
    Ok(done == 1)
}

/// A claim of a batch paid, with the day and the reference.
pub async fn set_paid(
    conn: &mut Conn,
    at: &str,
    claim: i64,
    paid_on: &str,
    reference: &str,
) -> AppResult<()> {
    sqlx::query(
        "UPDATE subsidy_claims SET status = 'paid', paid_on = $2, payment_reference = $3, \
         updated_at = $4, reason = NULL WHERE id = $1",
    )
    .bind(claim)
    .bind(paid_on)
    .bind(reference)
    .bind(at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Why a claim leaves its batch.
pub struct Leaving<'a> {
    /// `returned` (a bank return) or `removed` (undone before payment).
    pub left_as: &'a str,
    pub reason: &'a str,
    pub by: Option<i64>,
}

/// Takes a claim out of its batch (kept listed there as left, with why, who and when); the
/// claim keeps no batch, day or reference. The batch it left, if it was in one.
pub async fn leave(
    conn: &mut Conn,
    at: &str,
    claim: i64,
    l: &Leaving<'_>,
) -> AppResult<Option<i64>> {
    let batch: Option<Option<i64>> =
        sqlx::query_scalar("SELECT batch_id FROM subsidy_claims WHERE id = $1")
            .bind(claim)
            .fetch_optional(&mut *conn)
            .await?;
    let Some(batch) = batch.flatten() else {
        return Ok(None);
    };
    sqlx::query(
        "UPDATE payment_batch_claims SET left_as = $3, left_reason = $4, left_by = $5, \
         left_at = $6 WHERE batch_id = $1 AND claim_id = $2 AND left_as IS NULL",
    )
    .bind(batch)
    .bind(claim)
    .bind(l.left_as)
    .bind(l.reason)
    .bind(l.by)
    .bind(at)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "UPDATE subsidy_claims SET batch_id = NULL, paid_on = NULL, payment_reference = NULL \
         WHERE id = $1",
    )
    .bind(claim)
    .execute(&mut *conn)
    .await?;
    Ok(Some(batch))
}

/// Whether money paid on a claim is due back, or was (a recovery was opened on it).
pub async fn has_recovery(conn: &mut Conn, claim: i64) -> AppResult<bool> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM recoveries WHERE claim_id = $1")
        .bind(claim)
        .fetch_one(&mut *conn)
        .await?;
    Ok(n > 0)
}

/// A city's budget for a year, in fen.
pub async fn budget(conn: &mut Conn, city: &str, year: i32) -> AppResult<Option<i64>> {
    Ok(
        sqlx::query_scalar("SELECT budget_fen FROM subsidy_budgets WHERE city = $1 AND year = $2")
            .bind(city)
            .bind(i64::from(year))
            .fetch_optional(&mut *conn)
            .await?,
    )
}

/// Sets (or with `None` clears) a city's budget for a year.
pub async fn set_budget(
    conn: &mut Conn,
    at: &str,
    city: &str,
    year: i32,
    fen: Option<i64>,
) -> AppResult<()> {
    sqlx::query("DELETE FROM subsidy_budgets WHERE city = $1 AND year = $2")
        .bind(city)
        .bind(i64::from(year))
        .execute(&mut *conn)
        .await?;
    if let Some(fen) = fen {
        sqlx::query(
            "INSERT INTO subsidy_budgets (city, year, budget_fen, updated_at) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(city)
        .bind(i64::from(year))
        .bind(fen)
        .bind(at)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// What a city's claims of a year have approved (not yet paid) and paid, in fen.
pub async fn committed(conn: &mut Conn, city: &str, year: i32) -> AppResult<(i64, i64)> {
    let sum = |status: &'static str| {
        sqlx::query_scalar::<_, i64>(
            "SELECT CAST(COALESCE(SUM(amount_fen), 0) AS BIGINT) FROM subsidy_claims \
             WHERE city = $1 AND year = $2 AND status = $3",
        )
        .bind(city)
        .bind(i64::from(year))
        .bind(status)
    };
    let approved = sum("approved").fetch_one(&mut *conn).await?;
    let paid = sum("paid").fetch_one(&mut *conn).await?;
    Ok((approved, paid))
}
