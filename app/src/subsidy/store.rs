//! Subsidy claims in the database: tables `subsidy_claims` (one row per claim, with the rule
//! verdicts and the breakdown it was decided by; a top-up points at the claim it completes)
//! and `subsidy_claim_events` (each claim's timeline). A city's numbers: `policy_store`.

use super::rules::{ClaimStatus, History, OccupationLevel};
use crate::error::AppResult;
use crate::money::Yuan;
use crate::reference::{CertificateType, City, Enumeration, Level};
use crate::storage::{Conn, Db};

/// Claims that count: every status but rejected and stopped.
const COUNTING: &str = "('submitted', 'under_review', 'approved', 'paid')";

/// The rows of the person whose account is `$1`: theirs, and those kept under their identity
/// number's keyed hash from an account they deleted before (history follows the person).
const PERSON: &str = "(user_id = $1 OR person_mac = (SELECT id_mac FROM users WHERE id = $1))";
const PERSON_S: &str =
    "(s.user_id = $1 OR s.person_mac = (SELECT id_mac FROM users WHERE id = $1))";

/// A person's history as the rules need it: claims counted in `year`, occupations and levels
/// claimed, and the certificates held (but `except`, the one being claimed).
pub async fn history(
    conn: &mut Conn,
    user: i64,
    year: i32,
    except: Option<i64>,
) -> AppResult<History> {
    let used: i64 = sqlx::query_scalar(&format!(
        "SELECT COUNT(*) FROM subsidy_claims WHERE {PERSON} AND year = $2 \
         AND status IN {COUNTING} AND top_up_of IS NULL"
    ))
    .bind(user)
    .bind(year)
    .fetch_one(&mut *conn)
    .await?;
    let pairs = |rows: Vec<(String, String, String)>| -> Vec<OccupationLevel> {
        rows.into_iter()
            .filter_map(|(occupation, level, kind)| {
                Level::from_code(&level).map(|level| OccupationLevel {
                    occupation,
                    level,
                    kind: CertificateType::from_code(&kind),
                })
            })
            .collect()
    };
    let subsidised: Vec<(String, String, String)> = sqlx::query_as(&format!(
        "SELECT s.occupation, s.level, c.certificate_type FROM subsidy_claims s \
         JOIN certificates c ON c.id = s.certificate_id \
         WHERE {PERSON_S} AND s.status IN {COUNTING} AND s.top_up_of IS NULL"
    ))
    .bind(user)
    .fetch_all(&mut *conn)
    .await?;
    let held: Vec<(String, String, String)> = sqlx::query_as(&format!(
        "SELECT occupation, level, certificate_type FROM certificates \
         WHERE {PERSON} AND id != COALESCE($2, -1) AND status = 'valid'"
    ))
    .bind(user)
    .bind(except)
    .fetch_all(&mut *conn)
    .await?;
    Ok(History {
        claims_this_year: u32::try_from(used).unwrap_or(u32::MAX),
        subsidised: pairs(subsidised),
        held: pairs(held),
    })
}

/// A certificate with what a claim for it needs: its class's city, subsidy standard and hours,
/// the employment recorded, and its holder's groups.
#[derive(Debug, sqlx::FromRow)]
pub struct ClaimedCertificate {
    pub user_id: Option<i64>,
    pub certificate_type: String,
    pub occupation: String,
    pub level: String,
    pub issued_on: String,
    pub city: String,
    pub subsidy_fen: i64,
    pub hours: i64,
    pub enrollment_id: i64,
    pub start_date: String,
    pub end_date: String,
    pub employed: Option<i64>,
    pub employed_since: Option<String>,
    pub employment_evidence: Option<String>,
}

pub async fn certificate(conn: &mut Conn, id: i64) -> AppResult<Option<ClaimedCertificate>> {
    Ok(sqlx::query_as(
        "SELECT c.user_id, c.certificate_type, c.occupation, c.level, c.issued_on, k.city, \
         k.subsidy_fen, k.hours, e.id AS enrollment_id, k.start_date, k.end_date, e.employed, \
         e.employed_since, \
         e.employment_evidence \
         FROM certificates c JOIN enrollments e ON e.id = c.enrollment_id \
         JOIN courses k ON k.code = e.course_code \
         WHERE c.id = $1",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?)
}

/// The hours recorded for each day an enrolment attended.
pub async fn attendance_hours(conn: &mut Conn, enrollment: i64) -> AppResult<Vec<i64>> {
    Ok(
        sqlx::query_scalar("SELECT hours FROM attendance WHERE enrollment_id = $1 ORDER BY day")
            .bind(enrollment)
            .fetch_all(&mut *conn)
            .await?,
    )
}

/// Whom a certificate belongs to (`None` inside when the account was deleted).
pub async fn certificate_owner(conn: &mut Conn, id: i64) -> AppResult<Option<Option<i64>>> {
    Ok(
        sqlx::query_scalar("SELECT user_id FROM certificates WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?,
    )
}

/// How many of a person's claims are still open (submitted, under review, approved).
pub async fn open_claims(conn: &mut Conn, user: i64) -> AppResult<u32> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM subsidy_claims WHERE user_id = $1 \
         AND status IN ('submitted', 'under_review', 'approved')",
    )
    .bind(user)
    .fetch_one(&mut *conn)
    .await?;
    Ok(u32::try_from(n).unwrap_or(u32::MAX))
}

/// Whether a certificate has a claim that counts (any but a rejected one).
pub async fn claimed(conn: &mut Conn, certificate: i64) -> AppResult<bool> {
    let open: i64 = sqlx::query_scalar(&format!(
        "SELECT COUNT(*) FROM subsidy_claims WHERE certificate_id = $1 AND status IN {COUNTING} \
         AND top_up_of IS NULL"
    ))
    .bind(certificate)
    .fetch_one(&mut *conn)
    .await?;
    Ok(open > 0)
}

/// The claim that counts for a certificate, not a top-up: (id, percent).
pub async fn original_claim(conn: &mut Conn, certificate: i64) -> AppResult<Option<(i64, i64)>> {
    Ok(sqlx::query_as(&format!(
        "SELECT id, percent FROM subsidy_claims WHERE certificate_id = $1 \
         AND top_up_of IS NULL AND status IN {COUNTING}"
    ))
    .bind(certificate)
    .fetch_optional(&mut *conn)
    .await?)
}

/// Whether a claim has a top-up that counts.
pub async fn topped_up(conn: &mut Conn, claim: i64) -> AppResult<bool> {
    let n: i64 = sqlx::query_scalar(&format!(
        "SELECT COUNT(*) FROM subsidy_claims WHERE top_up_of = $1 AND status IN {COUNTING}"
    ))
    .bind(claim)
    .fetch_one(&mut *conn)
    .await?;
    Ok(n > 0)
}

/// A person's valid certificates with a claim that counts (a top-up may be due on them).
pub async fn claimed_certificates(db: &Db, user: i64) -> AppResult<Vec<i64>> {
    Ok(sqlx::query_scalar(&format!(
        "SELECT DISTINCT certificate_id FROM subsidy_claims WHERE user_id = $1 AND top_up_of IS NULL \
         AND status IN {COUNTING} AND certificate_id IN (SELECT id FROM certificates c \
         WHERE c.status = 'valid') ORDER BY certificate_id"
    ))
    .bind(user)
    .fetch_all(db.pool())
    .await?)
}

/// A claim to store.
pub struct NewClaim<'a> {
    pub user: i64,
    pub certificate: i64,
    pub city: City,
    pub occupation: &'a str,
    pub level: Level,
    pub year: i32,
    pub percent: u32,
    pub amount: Yuan,
    /// The rule verdicts it was decided by, as JSON.
    pub verdicts: &'a str,
    /// How its amount was made (`super::Breakdown`), as JSON.
    pub breakdown: &'a str,
    /// The claim a top-up completes.
    pub top_up_of: Option<i64>,
    /// Whom it is paid to.
    pub payee: &'a super::payee::Sealed,
}

pub async fn insert_claim(conn: &mut Conn, at: &str, c: &NewClaim<'_>) -> AppResult<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO subsidy_claims (user_id, certificate_id, city, occupation, level, year, \
         percent, amount_fen, status, created_at, updated_at, verdicts, person_mac, breakdown, \
         top_up_of, payee_kind, payee_bank, payee_account_sealed) VALUES ($1, $2, $3, $4, $5, \
         $6, $7, $8, 'submitted', $9, $9, $10, (SELECT id_mac FROM users WHERE id = $1), $11, \
         $12, $13, $14, $15) RETURNING id",
    )
    .bind(c.user)
    .bind(c.certificate)
    .bind(c.city.code())
    .bind(c.occupation)
    .bind(c.level.code())
    .bind(c.year)
    .bind(i64::from(c.percent))
    .bind(c.amount.fen())
    .bind(at)
    .bind(c.verdicts)
    .bind(c.breakdown)
    .bind(c.top_up_of)
    .bind(c.payee.kind.code())
    .bind(c.payee.bank.as_deref())
    .bind(c.payee.account.clone())
    .fetch_one(&mut *conn)
    .await?)
}

/// A step of a claim's timeline (`event`: the status it took, or `returned`).
pub async fn record_step(
    conn: &mut Conn,
    at: &str,
    claim: i64,
    event: &str,
    actor: (&str, Option<i64>),
    reason: Option<&str>,
) -> AppResult<()> {
    sqlx::query(
        "INSERT INTO subsidy_claim_events (claim_id, at, status, actor, actor_id, reason) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(claim)
    .bind(at)
    .bind(event)
    .bind(actor.0)
    .bind(actor.1)
    .bind(reason)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// A claim's occupation and level code.
pub async fn claim_subject(conn: &mut Conn, claim: i64) -> AppResult<(String, String)> {
    Ok(
        sqlx::query_as("SELECT occupation, level FROM subsidy_claims WHERE id = $1")
            .bind(claim)
            .fetch_one(&mut *conn)
            .await?,
    )
}

/// Whom a claim is paid to, and when and how it was paid: the columns `PAYMENT_COLUMNS`
/// reads (a claim `s` of a class `k`).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PaymentColumns {
    pub payee_kind: Option<String>,
    pub payee_bank: Option<String>,
    pub payee_account_sealed: Option<Vec<u8>>,
    pub batch_id: Option<i64>,
    pub paid_on: Option<String>,
    pub payment_reference: Option<String>,
    /// The class's institution (the payee when paid to the institution).
    pub payee_institution: String,
}

impl PaymentColumns {
    /// The claim's payee as shown (the account masked), if it names one.
    pub fn masked_payee(
        &self,
        vault: &crate::accounts::vault::Vault,
    ) -> AppResult<Option<super::payee::PayeeView>> {
        super::payee::view(
            vault,
            self.payee_kind.as_deref(),
            self.payee_bank.as_deref(),
            self.payee_account_sealed.as_deref(),
            &self.payee_institution,
            false,
        )
    }
}

pub const PAYMENT_COLUMNS: &str = "s.payee_kind, s.payee_bank, s.payee_account_sealed, \
    s.batch_id, s.paid_on, s.payment_reference, k.institution AS payee_institution";

/// A claim as its claimant sees it.
#[derive(Debug, sqlx::FromRow)]
pub struct ClaimRow {
    pub id: i64,
    pub certificate_id: i64,
    pub occupation: String,
    pub level: String,
    pub year: i64,
    pub percent: i64,
    pub amount_fen: i64,
    pub status: String,
    pub reason: Option<String>,
    pub created_at: String,
    pub verdicts: String,
    pub breakdown: Option<String>,
    pub top_up_of: Option<i64>,
    #[sqlx(flatten)]
    pub payment: PaymentColumns,
}

/// A person's claims, newest first.
pub async fn of_person(db: &Db, user: i64) -> AppResult<Vec<ClaimRow>> {
    Ok(sqlx::query_as(&format!(
        "SELECT s.id, s.certificate_id, s.occupation, s.level, s.year, s.percent, s.amount_fen, \
         s.status, s.reason, s.created_at, s.verdicts, s.breakdown, s.top_up_of, \
         {PAYMENT_COLUMNS} FROM subsidy_claims s JOIN certificates c ON c.id = s.certificate_id \
         JOIN enrollments e ON e.id = c.enrollment_id JOIN courses k ON k.code = e.course_code \
         WHERE s.user_id = $1 ORDER BY s.id DESC"
    ))
    .bind(user)
    .fetch_all(db.pool())
    .await?)
}

/// A timeline step: (claim, at, status, actor's role, reason, actor's name while their
/// account exists).
pub type EventRow = (i64, String, String, String, Option<String>, Option<String>);

pub async fn events_of_person(db: &Db, user: i64) -> AppResult<Vec<EventRow>> {
    Ok(sqlx::query_as(
        "SELECT v.claim_id, v.at, v.status, v.actor, v.reason, u.name \
         FROM subsidy_claim_events v JOIN subsidy_claims c ON c.id = v.claim_id \
         LEFT JOIN users u ON u.id = v.actor_id WHERE c.user_id = $1 ORDER BY v.id",
    )
    .bind(user)
    .fetch_all(db.pool())
    .await?)
}

/// A person's certificates without a claim that counts, oldest first.
pub async fn unclaimed_certificates(db: &Db, user: i64) -> AppResult<Vec<i64>> {
    Ok(sqlx::query_scalar(&format!(
        "SELECT id FROM certificates c WHERE user_id = $1 AND c.status = 'valid' AND NOT EXISTS \
         (SELECT 1 FROM subsidy_claims s WHERE s.certificate_id = c.id AND (s.status IN {COUNTING} \
         AND s.top_up_of IS NULL OR s.status = 'stopped')) \
         ORDER BY id"
    ))
    .bind(user)
    .fetch_all(db.pool())
    .await?)
}

/// A claim as its review reads it, in the review's transaction.
#[derive(Debug, sqlx::FromRow)]
pub struct ForReview {
    pub status: String,
    pub user_id: Option<i64>,
    pub city: String,
    pub year: i64,
    pub amount_fen: i64,
}

pub async fn for_review(conn: &mut Conn, claim: i64) -> AppResult<Option<ForReview>> {
    Ok(sqlx::query_as(
        "SELECT status, user_id, city, year, amount_fen FROM subsidy_claims WHERE id = $1",
    )
    .bind(claim)
    .fetch_optional(&mut *conn)
    .await?)
}

/// Whether the claimant disputes the claim ("这不是我", still open).
pub async fn disputed(conn: &mut Conn, claim: i64) -> AppResult<bool> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM disputes WHERE kind = 'subsidy' AND subject_id = $1 AND status = 'open'",
    )
    .bind(claim)
    .fetch_one(&mut *conn)
    .await?;
    Ok(n > 0)
}

/// A claim's new status, with the officer's note (a rejection's reason).
pub async fn set_status(
    conn: &mut Conn,
    at: &str,
    claim: i64,
    to: ClaimStatus,
    note: Option<&str>,
) -> AppResult<()> {
    sqlx::query(
        "UPDATE subsidy_claims SET status = $2, reason = $3, updated_at = $4 WHERE id = $1",
    )
    .bind(claim)
    .bind(to.code())
    .bind(note)
    .bind(at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Seals the facts of claims kept in clear before they were sealed (see `kept`); run at start.
pub async fn seal_kept_facts(db: &Db, vault: &crate::accounts::vault::Vault) -> AppResult<usize> {
    use super::kept::{is_sealed, seal};
    let rows: Vec<(i64, String, Option<String>)> = sqlx::query_as(
        "SELECT id, verdicts, breakdown FROM subsidy_claims \
         WHERE verdicts NOT LIKE 'sealed:%' OR breakdown NOT LIKE 'sealed:%'",
    )
    .fetch_all(db.pool())
    .await?;
    let mut tx = db.write_tx().await?;
    for (id, verdicts, breakdown) in &rows {
        let keep = |text: &str| match is_sealed(text) {
            true => text.to_string(),
            false => seal(vault, text),
        };
        sqlx::query("UPDATE subsidy_claims SET verdicts = $2, breakdown = $3 WHERE id = $1")
            .bind(id)
            .bind(keep(verdicts))
            .bind(breakdown.as_deref().map(keep))
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(rows.len())
}
