//! Assessments, certificates and their public verification.

use super::store::{self, NewCertificate};
use super::{certificate_number, Candidate, Certificate, LadderStep, Verification};
use crate::access::Actor;
use crate::audit::store::{record_write, Who, Write};
use crate::catalog::{CourseQuery, Sort};
use crate::error::{AppError, AppResult, FieldErrors, FieldProblem};
use crate::identity::{mask_name, same_name};
use crate::inbox::{Kind, Notice};
use crate::list::{Page, Paging};
use crate::portal::Portal;
use crate::reference::{Enumeration, Level};
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
    if score.is_some_and(|s| s > 100) {
        errors.add("score", FieldProblem::OutOfRange { min: 0, max: 100 });
    }
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
    let number = certificate_number(issued_on, assessment);
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
    if number.is_empty() || number.len() > 40 {
        return Ok(Verification::invalid());
    }
    Ok(match store::by_number(&portal.db, number).await? {
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
