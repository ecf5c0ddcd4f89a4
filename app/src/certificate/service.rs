//! Assessments, certificates and their public verification, in the database.

use super::{certificate_number, mask_name, same_name, Certificate, Verification};
use crate::accounts::{Role, SignedIn};
use crate::enrollment::service::notify_of;
use crate::error::{AppError, AppResult, FieldErrors, FieldProblem};
use crate::list::{Page, Paging};
use crate::portal::Portal;
use crate::reference::{CertificateType, Enumeration, Level};
use chrono::{NaiveDate, Utc};

/// Verifications allowed per client address per minute.
pub const VERIFICATIONS_PER_MINUTE: u32 = 30;

#[derive(Debug, sqlx::FromRow)]
struct Assessed {
    status: String,
    user_id: Option<i64>,
    name: Option<String>,
    evaluation_org: Option<String>,
    certificate_type: String,
    occupation: String,
    level: String,
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
        })
    }
}

const SELECT: &str = "SELECT c.id, c.number, c.holder_name, c.certificate_type, c.occupation, \
    c.level, c.issuer, c.issued_on, e.course_code FROM certificates c \
    JOIN enrollments e ON e.id = c.enrollment_id";

/// An evaluator records the result of a completed enrolment of a class their organisation
/// assesses. A pass issues the certificate the class leads to (returned); a fail is kept with
/// its score. Another organisation's class is refused (403).
pub async fn assess(
    portal: &Portal,
    evaluator: &SignedIn,
    enrollment_id: i64,
    passed: bool,
    score: Option<u32>,
    issued_on: Option<NaiveDate>,
) -> AppResult<Option<Certificate>> {
    let org = match (evaluator.role, evaluator.scope.as_deref()) {
        (Role::Evaluator, Some(org)) => org.to_string(),
        _ => return Err(AppError::Forbidden),
    };
    let mut errors = FieldErrors::default();
    if score.is_some_and(|s| s > 100) {
        errors.add("score", FieldProblem::OutOfRange { min: 0, max: 100 });
    }
    let today = portal.clock.today();
    let issued_on = issued_on.unwrap_or(today);
    if issued_on > today {
        errors.add("issued_on", FieldProblem::NotADate);
    }
    errors.into_result(())?;
    let mut tx = portal.db.write_tx().await?;
    let row: Assessed = sqlx::query_as(
        "SELECT e.status, e.user_id, u.name, c.evaluation_org, c.certificate_type, c.occupation, \
         c.level FROM enrollments e JOIN courses c ON c.code = e.course_code \
         LEFT JOIN users u ON u.id = e.user_id WHERE e.id = $1",
    )
    .bind(enrollment_id)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    if row.evaluation_org.as_deref() != Some(org.as_str()) {
        return Err(AppError::Forbidden);
    }
    let issued: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM certificates WHERE enrollment_id = $1")
            .bind(enrollment_id)
            .fetch_one(&mut *tx)
            .await?;
    if row.status != "completed" || issued > 0 {
        let mut fields = FieldErrors::default();
        fields.add("enrollment_id", FieldProblem::BadTransition);
        return Err(AppError::Conflict(fields));
    }
    let now = Utc::now().to_rfc3339();
    let assessment: i64 = sqlx::query_scalar(
        "INSERT INTO assessments (enrollment_id, passed, score, assessed_by, assessed_at) \
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(enrollment_id)
    .bind(i64::from(passed))
    .bind(score.map(i64::from))
    .bind(evaluator.id)
    .bind(&now)
    .fetch_one(&mut *tx)
    .await?;
    let title = {
        let level = Level::from_code(&row.level)
            .map(|l| l.label(crate::i18n::Locale::zh_CN).to_string())
            .unwrap_or_else(|| row.level.clone());
        format!("{}·{level}", row.occupation)
    };
    if !passed {
        let (status, subject) = ("failed", assessment);
        notify_of(
            &mut tx,
            row.user_id,
            "certificate",
            subject,
            status,
            &title,
            None,
            None,
        )
        .await?;
        tx.commit().await?;
        metrics::counter!("peixun_assessments_total", "result" => "failed").increment(1);
        return Ok(None);
    }
    let holder = row.name.clone().unwrap_or_default();
    let number = certificate_number(issued_on, assessment);
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO certificates (number, enrollment_id, user_id, holder_name, certificate_type, \
         occupation, level, issuer, issued_on, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
    )
    .bind(&number)
    .bind(enrollment_id)
    .bind(row.user_id)
    .bind(&holder)
    .bind(&row.certificate_type)
    .bind(&row.occupation)
    .bind(&row.level)
    .bind(&org)
    .bind(issued_on.format("%Y-%m-%d").to_string())
    .bind(&now)
    .fetch_one(&mut *tx)
    .await?;
    notify_of(
        &mut tx,
        row.user_id,
        "certificate",
        id,
        "issued",
        &title,
        None,
        None,
    )
    .await?;
    tx.commit().await?;
    metrics::counter!("peixun_assessments_total", "result" => "passed").increment(1);
    certificate(portal, id).await.map(Some)
}

async fn certificate(portal: &Portal, id: i64) -> AppResult<Certificate> {
    let row: CertificateRow = sqlx::query_as(&format!("{SELECT} WHERE c.id = $1"))
        .bind(id)
        .fetch_one(portal.db.pool())
        .await?;
    row.try_into()
}

/// The person's certificates, newest first.
pub async fn wallet(portal: &Portal, user_id: i64) -> AppResult<Vec<Certificate>> {
    let rows: Vec<CertificateRow> = sqlx::query_as(&format!(
        "{SELECT} WHERE c.user_id = $1 ORDER BY c.issued_on DESC, c.id DESC"
    ))
    .bind(user_id)
    .fetch_all(portal.db.pool())
    .await?;
    rows.into_iter().map(Certificate::try_from).collect()
}

/// Public verification by number and holder name, limited per client address. A wrong name
/// and an unknown number give the same answer.
pub async fn verify(
    portal: &Portal,
    number: &str,
    name: &str,
    client: &str,
) -> AppResult<Verification> {
    use crate::accounts::throttle;
    let now = portal.clock.seconds();
    let key = portal.vault.mac("certificate-verify", client);
    let state = throttle::load(&portal.db, &key).await?;
    throttle::check(&state, now)?;
    let counted = throttle::record(&portal.db, &key, now, VERIFICATIONS_PER_MINUTE, false).await?;
    throttle::check(&counted, now)?;
    let number = number.trim();
    if number.is_empty() || number.len() > 40 {
        return Ok(Verification::invalid());
    }
    let row: Option<CertificateRow> = sqlx::query_as(&format!("{SELECT} WHERE c.number = $1"))
        .bind(number)
        .fetch_optional(portal.db.pool())
        .await?;
    Ok(match row.map(Certificate::try_from).transpose()? {
        Some(c) if same_name(name, &c.holder) => Verification {
            valid: true,
            holder: Some(mask_name(&c.holder)),
            occupation: Some(c.occupation),
            level: Some(c.level),
            issued_on: Some(c.issued_on),
            issuer: Some(c.issuer),
        },
        _ => Verification::invalid(),
    })
}

#[derive(Debug, sqlx::FromRow)]
struct CandidateRow {
    id: i64,
    user_id: Option<i64>,
    name: Option<String>,
    course_code: String,
    title: String,
    end_date: String,
    score: Option<i64>,
}

/// The completed enrolments of the classes an organisation assesses that hold no certificate.
const TO_ASSESS: &str = "FROM enrollments e JOIN courses k ON k.code = e.course_code \
    LEFT JOIN users u ON u.id = e.user_id \
    WHERE k.evaluation_org = $1 AND e.status = 'completed' \
    AND NOT EXISTS (SELECT 1 FROM certificates c WHERE c.enrollment_id = e.id)";

/// One page of the evaluator's work list: completed enrolments of the classes their
/// organisation assesses that hold no certificate yet (with the latest failed score, if any),
/// by class. Names are masked; the people shown are written to the audit log.
pub async fn to_assess(
    portal: &Portal,
    evaluator: &SignedIn,
    paging: Paging,
) -> AppResult<Page<super::Candidate>> {
    let org = match (evaluator.role, evaluator.scope.as_deref()) {
        (Role::Evaluator, Some(org)) => org.to_string(),
        _ => return Err(AppError::Forbidden),
    };
    let total: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) {TO_ASSESS}"))
        .bind(&org)
        .fetch_one(portal.db.pool())
        .await?;
    let rows: Vec<CandidateRow> = sqlx::query_as(&format!(
        "SELECT e.id, e.user_id, u.name, k.code AS course_code, k.title, k.end_date, \
         (SELECT a.score FROM assessments a WHERE a.enrollment_id = e.id ORDER BY a.id DESC LIMIT 1) AS score \
         {TO_ASSESS} ORDER BY k.end_date, k.code, e.id LIMIT $2 OFFSET $3"
    ))
    .bind(&org)
    .bind(paging.limit())
    .bind(paging.offset())
    .fetch_all(portal.db.pool())
    .await?;
    let subjects: Vec<i64> = rows.iter().filter_map(|r| r.user_id).collect();
    crate::accounts::service::audit_each(
        portal,
        evaluator.id,
        "assessment_list_read",
        &subjects,
        Some(&org),
    )
    .await?;
    let items = rows
        .into_iter()
        .map(|r| super::Candidate {
            enrollment_id: r.id,
            name: r
                .name
                .as_deref()
                .map(mask_name)
                .unwrap_or_else(|| "—".into()),
            course: r.course_code,
            course_title: r.title,
            end_date: r.end_date,
            failed_score: r.score.and_then(|s| u32::try_from(s).ok()),
        })
        .collect();
    Ok(paging.of(items, u64::try_from(total).unwrap_or(0)))
}
