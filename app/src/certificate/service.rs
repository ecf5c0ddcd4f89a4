//! Assessments, certificates and their public verification.

use super::store::{self, NewCertificate};
use super::{
    certificate_number, plausible_number, Candidate, Certificate, LadderStep, Verification,
    RANDOM_CHARS, REVOKED,
};
use crate::access::{Actor, Role};
use crate::audit::store::{record_write, Who, Write};
use crate::catalog::{CourseQuery, Sort};
use crate::error::{AppError, AppResult, FieldErrors, FieldProblem};
use crate::identity::{mask_name, same_name};
use crate::inbox::{Kind, Notice};
use crate::list::{Page, Paging};
use crate::portal::Portal;
use crate::reference::{Enumeration, Level};
use crate::subsidy::recovery::{Cause, Undo};
use crate::text::{clipped, MAX_TEXT_CHARS};
use crate::throttle;
use chrono::NaiveDate;

/// Verifications allowed per client address per minute.
pub const VERIFICATIONS_PER_MINUTE: u32 = 30;

/// An evaluator records the result of a completed enrolment of a class their organisation
/// assesses. A pass issues the certificate the class leads to (returned); a fail is kept with
/// its score. Another organisation's class is refused (403). The certificate is issued on a
/// day from the class's end date to today (default today).
pub async fn assess(
    portal: &Portal,
    actor: &Actor,
    enrollment_id: i64,
    passed: bool,
    score: Option<u32>,
    issued_on: Option<NaiveDate>,
) -> AppResult<Option<Certificate>> {
    let org = actor.evaluation_org()?.to_string();
    let mut errors = FieldErrors::default();
    check_score(&mut errors, score);
    errors.into_result(())?;
    let (at, today) = (portal.clock.stamp(), portal.clock.today());
    let issued_on = issued_on.unwrap_or(today);
    let mut tx = portal.db.write_tx().await?;
    let row = store::assessed(&mut tx, enrollment_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if row.evaluation_org.as_deref() != Some(org.as_str()) {
        return Err(AppError::Forbidden);
    }
    if row.status != "completed" || store::certified(&mut tx, enrollment_id).await? {
        let mut fields = FieldErrors::default();
        fields.add("enrollment_id", FieldProblem::BadTransition);
        return Err(AppError::Conflict(fields));
    }
    let end = NaiveDate::parse_from_str(&row.end_date, "%Y-%m-%d")
        .map_err(|_| AppError::Internal("bad end date in the database".into()))?;
    if passed && !(end..=today).contains(&issued_on) {
        let outside = FieldProblem::DateOutside {
            from: end,
            to: today,
        };
        return Err(AppError::field("issued_on", outside));
    }
    let assessment =
        store::insert_assessment(&mut tx, &at, enrollment_id, passed, score, actor.id).await?;
    let who = Who::of(&portal.vault, actor);
    let result = match (passed, score) {
        (true, Some(s)) => format!("passed {s}"),
        (true, None) => "passed".into(),
        (false, Some(s)) => format!("failed {s}"),
        (false, None) => "failed".into(),
    };
    let write = Write {
        record: format!("enrollment:{enrollment_id}"),
        action: "assessment",
        city: Some(&row.city),
        before: None,
        after: Some(result),
    };
    record_write(&mut tx, &at, &who, &write).await?;
    let title = {
        let level = Level::from_code(&row.level)
            .map(|l| l.label(crate::i18n::Locale::zh_CN).to_string())
            .unwrap_or_else(|| row.level.clone());
        format!("{}·{level}", row.occupation)
    };
    if !passed {
        let notice = Notice {
            kind: Kind::Certificate,
            subject: assessment,
            status: "failed",
            title: &title,
            reason: None,
            position: None,
        };
        crate::inbox::store::notify(&mut tx, &at, row.user_id, &notice).await?;
        tx.commit().await?;
        metrics::counter!("peixun_assessments_total", "result" => "failed").increment(1);
        return Ok(None);
    }
    let number = fresh_number(&mut tx, issued_on).await?;
    let new = NewCertificate {
        number: &number,
        enrollment: enrollment_id,
        holder_id: row.user_id,
        holder_name: row.name.as_deref().unwrap_or_default(),
        certificate_type: &row.certificate_type,
        occupation: &row.occupation,
        level: &row.level,
        issuer: &org,
        issued_on,
    };
    let id = store::insert_certificate(&mut tx, &at, &new).await?;
    let write = Write {
        record: format!("certificate:{id}"),
        action: "issued",
        city: Some(&row.city),
        before: None,
        after: Some(format!("{number} {issued_on}")),
    };
    record_write(&mut tx, &at, &who, &write).await?;
    let notice = Notice {
        kind: Kind::Certificate,
        subject: id,
        status: "issued",
        title: &title,
        reason: None,
        position: None,
    };
    crate::inbox::store::notify(&mut tx, &at, row.user_id, &notice).await?;
    tx.commit().await?;
    metrics::counter!("peixun_assessments_total", "result" => "passed").increment(1);
    store::one(&portal.db, id).await.map(Some)
}

/// A random certificate number not taken yet. A draw repeats one only once in about 10^15
/// (50 random bits); the write lock held here makes the check and the insert one step.
async fn fresh_number(conn: &mut crate::storage::Conn, issued_on: NaiveDate) -> AppResult<String> {
    use rand_core::{OsRng, RngCore};
    loop {
        let mut random = [0u8; RANDOM_CHARS];
        OsRng.fill_bytes(&mut random);
        let number = certificate_number(issued_on, random);
        if !store::number_taken(conn, &number).await? {
            return Ok(number);
        }
    }
}

/// Who may revoke or correct a certificate: an evaluator of the organisation that issued it
/// (403 for another's), or the HR officer of the class's city (another city's is "not
/// found").
fn may_change(actor: &Actor, c: &store::ToChange) -> AppResult<()> {
    match actor.role {
        Role::Evaluator if actor.evaluation_org()? == c.issuer => Ok(()),
        Role::HrOfficer if actor.city()?.code() == c.city => Ok(()),
        Role::HrOfficer => Err(AppError::NotFound),
        _ => Err(AppError::Forbidden),
    }
}

/// The certificate `number` to change, read in the change's transaction, if the actor may.
async fn to_change(
    conn: &mut crate::storage::Conn,
    actor: &Actor,
    number: &str,
) -> AppResult<store::ToChange> {
    if !matches!(actor.role, Role::Evaluator | Role::HrOfficer) {
        return Err(AppError::Forbidden);
    }
    let c = store::to_change(conn, number.trim())
        .await?
        .ok_or(AppError::NotFound)?;
    may_change(actor, &c)?;
    if c.status == REVOKED {
        return Err(AppError::Conflict({
            let mut fields = FieldErrors::default();
            fields.add("number", FieldProblem::Revoked);
            fields
        }));
    }
    Ok(c)
}

/// Revokes a certificate with a reason (required): verification then answers "revoked"; every
/// claim on it not yet paid stops and each paid one opens a recovery (`subsidy::recovery`),
/// all in one transaction with the write trail and the holder's inbox. Once (409 after).
pub async fn revoke(
    portal: &Portal,
    actor: &Actor,
    number: &str,
    reason: Option<&str>,
) -> AppResult<Certificate> {
    let reason = clipped(reason, MAX_TEXT_CHARS)
        .ok_or_else(|| AppError::field("reason", FieldProblem::Required))?;
    let at = portal.clock.stamp();
    let mut tx = portal.db.write_tx().await?;
    let c = to_change(&mut tx, actor, number).await?;
    let who = Who::of(&portal.vault, actor);
    if !revoke_in(&mut tx, &at, &who, &c, &reason, Cause::CertificateRevoked).await? {
        let mut fields = FieldErrors::default();
        fields.add("number", FieldProblem::Revoked);
        return Err(AppError::Conflict(fields));
    }
    tx.commit().await?;
    store::one(&portal.db, c.id).await
}

/// Revokes `c` in the caller's transaction (false when it was revoked already), with the
/// trail, the holder's message and the claims on it undone for `cause`. Whoever calls it has
/// decided the actor may (`revoke` above, or a dispute's resolution).
pub async fn revoke_in(
    conn: &mut crate::storage::WriteTx,
    at: &str,
    who: &Who,
    c: &store::ToChange,
    reason: &str,
    cause: Cause,
) -> AppResult<bool> {
    // The condition on the status in the update, under the write lock, revokes once.
    if !store::revoke(conn, at, c.id, reason, who.id).await? {
        return Ok(false);
    }
    let write = Write {
        record: format!("certificate:{}", c.id),
        action: "certificate_revoked",
        city: Some(&c.city),
        before: Some(c.status.clone()),
        after: Some(format!("{REVOKED} ({reason})")),
    };
    record_write(conn, at, who, &write).await?;
    notify_holder(conn, at, c, REVOKED, reason).await?;
    let claims = crate::subsidy::recovery_store::claims_of_certificate(conn, c.id).await?;
    let undo = Undo { cause, reason, who };
    crate::subsidy::recovery::undo(conn, at, &claims, &undo).await?;
    metrics::counter!("peixun_certificates_revoked_total").increment(1);
    Ok(true)
}

async fn notify_holder(
    conn: &mut crate::storage::Conn,
    at: &str,
    c: &store::ToChange,
    status: &str,
    reason: &str,
) -> AppResult<()> {
    let level = Level::from_code(&c.level)
        .map(|l| l.label(crate::i18n::Locale::zh_CN).to_string())
        .unwrap_or_else(|| c.level.clone());
    let title = format!("{}·{level}", c.occupation);
    let notice = Notice {
        kind: Kind::Certificate,
        subject: c.id,
        status,
        title: &title,
        reason: Some(reason),
        position: None,
    };
    crate::inbox::store::notify(conn, at, c.user_id, &notice).await
}

/// Corrects a certificate's day of issue (from the class's end date to today) or its score
/// (0–100), with a reason (required); the trail keeps what it said before.
pub async fn correct(
    portal: &Portal,
    actor: &Actor,
    number: &str,
    score: Option<u32>,
    issued_on: Option<NaiveDate>,
    reason: Option<&str>,
) -> AppResult<Certificate> {
    let mut errors = FieldErrors::default();
    check_score(&mut errors, score);
    let reason = clipped(reason, MAX_TEXT_CHARS);
    if reason.is_none() {
        errors.add("reason", FieldProblem::Required);
    }
    errors.into_result(())?;
    let reason = reason.unwrap_or_default();
    let (at, today) = (portal.clock.stamp(), portal.clock.today());
    let mut tx = portal.db.write_tx().await?;
    let c = to_change(&mut tx, actor, number).await?;
    let bad = |what: &str| AppError::Internal(format!("bad {what} in the database"));
    let end = NaiveDate::parse_from_str(&c.end_date, "%Y-%m-%d").map_err(|_| bad("end date"))?;
    let was = NaiveDate::parse_from_str(&c.issued_on, "%Y-%m-%d").map_err(|_| bad("date"))?;
    let issued = issued_on.unwrap_or(was);
    if !(end..=today).contains(&issued) {
        let outside = FieldProblem::DateOutside {
            from: end,
            to: today,
        };
        return Err(AppError::field("issued_on", outside));
    }
    let new_score = score.map(i64::from).or(c.score);
    store::correct(&mut tx, &c, issued, new_score).await?;
    let said = |day: NaiveDate, score: Option<i64>| match score {
        Some(s) => format!("{day} {s}"),
        None => day.to_string(),
    };
    let write = Write {
        record: format!("certificate:{}", c.id),
        action: "certificate_corrected",
        city: Some(&c.city),
        before: Some(said(was, c.score)),
        after: Some(format!("{} ({reason})", said(issued, new_score))),
    };
    record_write(&mut tx, &at, &Who::of(&portal.vault, actor), &write).await?;
    notify_holder(&mut tx, &at, &c, "corrected", &reason).await?;
    tx.commit().await?;
    store::one(&portal.db, c.id).await
}

/// A score is 0–100 (an assessment's, or its correction's).
fn check_score(errors: &mut FieldErrors, score: Option<u32>) {
    if score.is_some_and(|s| s > 100) {
        errors.add("score", FieldProblem::OutOfRange { min: 0, max: 100 });
    }
}

/// Courses shown per rung of the ladder.
const LADDER_COURSES: usize = 3;

/// The 新八级工 ladder of `certificates`: per occupation the level held, the next, and the
/// catalogue's upcoming courses that lead there.
pub async fn ladder(portal: &Portal, certificates: &[Certificate]) -> AppResult<Vec<LadderStep>> {
    let mut steps = Vec::new();
    for rung in super::ladder(certificates) {
        let mut courses = Vec::new();
        if let Some(next) = rung.next {
            let query = CourseQuery {
                q: Some(rung.occupation.clone()),
                level: vec![next],
                starts_after: Some(portal.clock.today()),
                sort: Sort::StartDate,
                page: 1,
                per_page: 20,
                ..Default::default()
            };
            let found = crate::catalog::service::search(portal, &query).await?;
            courses = found
                .items
                .into_iter()
                .filter(|c| c.occupation == rung.occupation)
                .take(LADDER_COURSES)
                .map(|c| (c.code, c.title))
                .collect();
        }
        steps.push(LadderStep { rung, courses });
    }
    Ok(steps)
}

/// The actor's certificates, newest first.
pub async fn wallet(portal: &Portal, actor: &Actor) -> AppResult<Vec<Certificate>> {
    store::of_person(&portal.db, actor.id).await
}

/// Public verification by number and holder name, limited per client address. A wrong name
/// and an unknown number give the same answer.
pub async fn verify(
    portal: &Portal,
    number: &str,
    name: &str,
    client: &str,
) -> AppResult<Verification> {
    let now = portal.clock.seconds();
    let key = portal.vault.mac("certificate-verify", client);
    throttle::check(&throttle::store::load(&portal.db, &key).await?, now)?;
    let limit = VERIFICATIONS_PER_MINUTE;
    let counted = throttle::store::record(&portal.db, &key, now, limit, false).await?;
    throttle::check(&counted, now)?;
    let number = number.trim();
    if !plausible_number(number) {
        return Ok(Verification::invalid());
    }
    Ok(match store::by_number(&portal.db, number).await? {
        Some(c) if same_name(name, &c.holder) && c.revoked() => Verification::revoked(),
        Some(c) if same_name(name, &c.holder) => Verification {
            valid: true,
            holder: Some(mask_name(&c.holder)),
            occupation: Some(c.occupation),
            level: Some(c.level),
            issued_on: Some(c.issued_on),
            issuer: Some(c.issuer),
            status: Some(c.status),
        },
        _ => Verification::invalid(),
    })
}

/// One page of the evaluator's work list: completed enrolments of the classes their
/// organisation assesses that hold no certificate yet (with the latest failed score, if any),
/// by class. Names are masked; the people shown are written to the audit log.
pub async fn to_assess(
    portal: &Portal,
    actor: &Actor,
    paging: Paging,
) -> AppResult<Page<Candidate>> {
    let org = actor.evaluation_org()?;
    let (rows, total) = store::to_assess(&portal.db, org, paging).await?;
    let subjects: Vec<i64> = rows.iter().filter_map(|r| r.user_id).collect();
    let at = portal.clock.stamp();
    crate::audit::store::record_reads(
        &portal.db,
        &at,
        actor.id,
        "assessment_list_read",
        &subjects,
        Some(org),
    )
    .await?;
    let items = rows
        .into_iter()
        .map(|r| Candidate {
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
    Ok(paging.of(items, total))
}
