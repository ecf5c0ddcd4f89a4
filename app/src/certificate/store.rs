//! Assessments and certificates in the database (tables `assessments`, `certificates`).

use super::Certificate;
use crate::error::{AppError, AppResult};
use crate::list::Paging;
use crate::reference::{CertificateType, Enumeration, Level};
use crate::storage::{Conn, Db};
use chrono::NaiveDate;

/// An enrolment to assess, with what its class's certificate is.
#[derive(Debug, sqlx::FromRow)]
pub struct Assessed {
    pub status: String,
    pub user_id: Option<i64>,
    pub name: Option<String>,
    pub evaluation_org: Option<String>,
    pub certificate_type: String,
    pub occupation: String,
    pub level: String,
    pub end_date: String,
    pub city: String,
}

pub async fn assessed(conn: &mut Conn, enrollment: i64) -> AppResult<Option<Assessed>> {
    Ok(sqlx::query_as(
        "SELECT e.status, e.user_id, u.name, c.evaluation_org, c.certificate_type, c.occupation, \
         c.level, c.end_date, c.city FROM enrollments e JOIN courses c ON c.code = e.course_code \
         LEFT JOIN users u ON u.id = e.user_id WHERE e.id = $1",
    )
    .bind(enrollment)
    .fetch_optional(&mut *conn)
    .await?)
}

/// Whether an enrolment holds a certificate already.
pub async fn certified(conn: &mut Conn, enrollment: i64) -> AppResult<bool> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM certificates WHERE enrollment_id = $1")
        .bind(enrollment)
        .fetch_one(&mut *conn)
        .await?;
    Ok(n > 0)
}

/// An assessment's result, recorded by `by` at `at`; its id numbers the certificate.
pub async fn insert_assessment(
    conn: &mut Conn,
    at: &str,
    enrollment: i64,
    passed: bool,
    score: Option<u32>,
    by: i64,
) -> AppResult<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO assessments (enrollment_id, passed, score, assessed_by, assessed_at) \
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(enrollment)
    .bind(i64::from(passed))
    .bind(score.map(i64::from))
    .bind(by)
    .bind(at)
    .fetch_one(&mut *conn)
    .await?)
}

/// A certificate to issue.
pub struct NewCertificate<'a> {
    pub number: &'a str,
    pub enrollment: i64,
    pub holder_id: Option<i64>,
    pub holder_name: &'a str,
    pub certificate_type: &'a str,
    pub occupation: &'a str,
    pub level: &'a str,
    pub issuer: &'a str,
    pub issued_on: NaiveDate,
}

pub async fn insert_certificate(
    conn: &mut Conn,
    at: &str,
    c: &NewCertificate<'_>,
) -> AppResult<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO certificates (number, enrollment_id, user_id, holder_name, certificate_type, \
         occupation, level, issuer, issued_on, created_at, person_mac) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, \
         (SELECT id_mac FROM users WHERE id = $3)) RETURNING id",
    )
    .bind(c.number)
    .bind(c.enrollment)
    .bind(c.holder_id)
    .bind(c.holder_name)
    .bind(c.certificate_type)
    .bind(c.occupation)
    .bind(c.level)
    .bind(c.issuer)
    .bind(c.issued_on.format("%Y-%m-%d").to_string())
    .bind(at)
    .fetch_one(&mut *conn)
    .await?)
}

#[derive(Debug, sqlx::FromRow)]
struct CertificateRow {
    id: i64,
    number: String,
    holder_name: String,
    certificate_type: String,
    occupation: String,
    level: String,
    issuer: String,
    issued_on: String,
    course_code: String,
    status: String,
    status_reason: Option<String>,
}

impl TryFrom<CertificateRow> for Certificate {
    type Error = AppError;

    fn try_from(r: CertificateRow) -> AppResult<Certificate> {
        let bad = |what: &str| AppError::Internal(format!("bad {what} in certificates"));
        Ok(Certificate {
            id: r.id,
            number: r.number,
            holder: r.holder_name,
            certificate_type: CertificateType::from_code(&r.certificate_type)
                .ok_or_else(|| bad("type"))?,
            occupation: r.occupation,
            level: Level::from_code(&r.level).ok_or_else(|| bad("level"))?,
            issuer: r.issuer,
            issued_on: NaiveDate::parse_from_str(&r.issued_on, "%Y-%m-%d")
                .map_err(|_| bad("date"))?,
            course: r.course_code,
            status: r.status,
            status_reason: r.status_reason,
        })
    }
}

const SELECT: &str = "SELECT c.id, c.number, c.holder_name, c.certificate_type, c.occupation, \
    c.level, c.issuer, c.issued_on, e.course_code, c.status, c.status_reason FROM certificates c \
    JOIN enrollments e ON e.id = c.enrollment_id";

pub async fn one(db: &Db, id: i64) -> AppResult<Certificate> {
    let row: CertificateRow = sqlx::query_as(&format!("{SELECT} WHERE c.id = $1"))
        .bind(id)
        .fetch_one(db.pool())
        .await?;
    row.try_into()
}

pub async fn by_number(db: &Db, number: &str) -> AppResult<Option<Certificate>> {
    let row: Option<CertificateRow> = sqlx::query_as(&format!("{SELECT} WHERE c.number = $1"))
        .bind(number)
        .fetch_optional(db.pool())
        .await?;
    row.map(Certificate::try_from).transpose()
}

/// A person's certificates, newest first.
pub async fn of_person(db: &Db, user: i64) -> AppResult<Vec<Certificate>> {
    let rows: Vec<CertificateRow> = sqlx::query_as(&format!(
        "{SELECT} WHERE c.user_id = $1 ORDER BY c.issued_on DESC, c.id DESC"
    ))
    .bind(user)
    .fetch_all(db.pool())
    .await?;
    rows.into_iter().map(Certificate::try_from).collect()
}

/// Whether a certificate number is taken (a random one is drawn again).
pub async fn number_taken(conn: &mut Conn, number: &str) -> AppResult<bool> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM certificates WHERE number = $1")
        .bind(number)
        .fetch_one(&mut *conn)
        .await?;
    Ok(n > 0)
}

/// A certificate to revoke or correct: who issued it, in which city, and what it says.
#[derive(Debug, sqlx::FromRow)]
pub struct ToChange {
    pub id: i64,
    pub status: String,
    pub user_id: Option<i64>,
    pub issuer: String,
    pub city: String,
    pub end_date: String,
    pub issued_on: String,
    pub occupation: String,
    pub level: String,
    /// The passing assessment (its score may be corrected).
    pub assessment_id: Option<i64>,
    pub score: Option<i64>,
}

pub async fn to_change(conn: &mut Conn, number: &str) -> AppResult<Option<ToChange>> {
    Ok(sqlx::query_as(
        "SELECT c.id, c.status, c.user_id, c.issuer, k.city, k.end_date, c.issued_on, \
         c.occupation, c.level, \
         (SELECT a.id FROM assessments a WHERE a.enrollment_id = c.enrollment_id AND a.passed = 1 \
          ORDER BY a.id DESC LIMIT 1) AS assessment_id, \
         (SELECT a.score FROM assessments a WHERE a.enrollment_id = c.enrollment_id AND a.passed = 1 \
          ORDER BY a.id DESC LIMIT 1) AS score \
         FROM certificates c JOIN enrollments e ON e.id = c.enrollment_id \
         JOIN courses k ON k.code = e.course_code WHERE c.number = $1",
    )
    .bind(number)
    .fetch_optional(&mut *conn)
    .await?)
}

/// The number of the certificate an enrolment earned, if any.
pub async fn number_of_enrollment(conn: &mut Conn, enrollment: i64) -> AppResult<Option<String>> {
    Ok(
        sqlx::query_scalar("SELECT number FROM certificates WHERE enrollment_id = $1")
            .bind(enrollment)
            .fetch_optional(&mut *conn)
            .await?,
    )
}

/// Revokes a valid certificate; false when it was not valid (revoked by someone else first).
pub async fn revoke(
    conn: &mut Conn,
    at: &str,
    id: i64,
    reason: &str,
    by: Option<i64>,
) -> AppResult<bool> {
    let done = sqlx::query(
        "UPDATE certificates SET status = 'revoked', status_reason = $1, status_by = $2, \
         status_at = $3 WHERE id = $4 AND status = 'valid'",
    )
    .bind(reason)
    .bind(by)
    .bind(at)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A correction: the day of issue and the passing assessment's score.
pub async fn correct(
    conn: &mut Conn,
    c: &ToChange,
    issued_on: NaiveDate,
    score: Option<i64>,
) -> AppResult<()> {
    sqlx::query("UPDATE certificates SET issued_on = $1 WHERE id = $2")
        .bind(issued_on.format("%Y-%m-%d").to_string())
        .bind(c.id)
        .execute(&mut *conn)
        .await?;
    if let Some(assessment) = c.assessment_id {
        sqlx::query("UPDATE assessments SET score = $1 WHERE id = $2")
            .bind(score)
            .bind(assessment)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// A completed enrolment without its certificate yet.
#[derive(Debug, sqlx::FromRow)]
pub struct CandidateRow {
    pub id: i64,
    pub user_id: Option<i64>,
    pub name: Option<String>,
    pub course_code: String,
    pub title: String,
    pub end_date: String,
    /// The latest failed assessment's score.
    pub score: Option<i64>,
}

/// The completed enrolments of the classes an organisation assesses that hold no certificate.
const TO_ASSESS: &str = "FROM enrollments e JOIN courses k ON k.code = e.course_code \
    LEFT JOIN users u ON u.id = e.user_id \
    WHERE k.evaluation_org = $1 AND e.status = 'completed' \
    AND NOT EXISTS (SELECT 1 FROM certificates c WHERE c.enrollment_id = e.id)";

/// One page of an organisation's work list, by class, and how long it is.
pub async fn to_assess(db: &Db, org: &str, paging: Paging) -> AppResult<(Vec<CandidateRow>, u64)> {
    let total: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) {TO_ASSESS}"))
        .bind(org)
        .fetch_one(db.pool())
        .await?;
    let rows = sqlx::query_as(&format!(
        "SELECT e.id, e.user_id, u.name, k.code AS course_code, k.title, k.end_date, \
         (SELECT a.score FROM assessments a WHERE a.enrollment_id = e.id ORDER BY a.id DESC LIMIT 1) AS score \
         {TO_ASSESS} ORDER BY k.end_date, k.code, e.id LIMIT $2 OFFSET $3"
    ))
    .bind(org)
    .bind(paging.limit())
    .bind(paging.offset())
    .fetch_all(db.pool())
    .await?;
    Ok((rows, u64::try_from(total).unwrap_or(0)))
}
