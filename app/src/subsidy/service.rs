//! A trainee's subsidy claims: the history the rules need, a claim for a certificate decided by
//! the same rules as the course page's pre-check, and the cities' own numbers. The HR
//! officer's side is `review`.

use super::kept::{kept_breakdown, kept_verdicts};
use super::policy_store;
use super::rules::{self, ClaimStatus, History, OccupationLevel, Policy};
use super::store::{self, ClaimRow, EventRow, NewClaim};
use super::{verdicts, Breakdown, Claim, ClaimEvent, Policies};
use crate::access::Actor;
use crate::audit::store::{Who, Write};
use crate::error::{AppError, AppResult, FieldErrors, FieldProblem};
use crate::inbox::{Kind, Notice};
use crate::money::Yuan;
use crate::portal::Portal;
use crate::reference::{CertificateType, City, Enumeration, Group, Level};
use crate::storage::{Conn, WriteTx};
use chrono::{Datelike, NaiveDate};
use std::collections::HashMap;

/// The actor's history for the course page's pre-check (this year, every certificate held).
pub async fn history_of(portal: &Portal, actor: &Actor) -> AppResult<History> {
    let mut conn = portal.db.pool().acquire().await?;
    store::history(&mut conn, actor.id, portal.clock.today().year(), None).await
}

/// Every city's numbers (a city without its own pays the province's defaults).
pub async fn policies(portal: &Portal) -> AppResult<Policies> {
    Ok(Policies {
        overrides: policy_store::policies(&portal.db)
            .await?
            .into_iter()
            .collect(),
    })
}

/// One city's numbers.
pub async fn policy(portal: &Portal, city: City) -> AppResult<Policy> {
    policy_store::policy(&mut *portal.db.pool().acquire().await?, city).await
}

/// A city sets its own shares (percent, 0–100) and living allowance per day (the command
/// line); `None` puts the city back on the province's defaults.
pub async fn set_policy(
    portal: &Portal,
    by: &Who,
    city: City,
    policy: Option<&Policy>,
) -> AppResult<()> {
    let mut errors = FieldErrors::default();
    if let Some(p) = policy {
        for (field, value) in [
            ("employed_percent", p.employed_percent),
            ("certified_percent", p.certified_percent),
            ("special_ability_percent", p.special_ability_percent),
        ] {
            if value > 100 {
                errors.add(field, FieldProblem::OutOfRange { min: 0, max: 100 });
            }
        }
        if p.living_allowance_per_day.fen() < 0 {
            errors.add(
                "living_allowance",
                FieldProblem::OutOfRange { min: 0, max: 1000 },
            );
        }
    }
    errors.into_result(())?;
    let at = portal.clock.stamp();
    let mut tx = portal.db.write_tx().await?;
    let before = policy_store::policy(&mut tx, city).await?;
    policy_store::set_policy(&mut tx, &at, city, policy).await?;
    let after = policy_store::policy(&mut tx, city).await?;
    let text = |p: &Policy| serde_json::to_string(p).unwrap_or_default();
    let write = Write {
        record: format!("policy:{}", city.code()),
        action: "policy",
        city: Some(city.code()),
        before: Some(text(&before)),
        after: Some(text(&after)),
    };
    crate::audit::store::record_write(&mut tx, &at, by, &write).await?;
    tx.commit().await?;
    Ok(())
}

/// What a claim for a certificate would be, once every rule allows it.
struct Decided {
    city: City,
    occupation: String,
    level: Level,
    percent: u32,
    amount: Yuan,
    /// Every rule's verdict (all met).
    verdicts: Vec<rules::Verdict>,
    breakdown: Breakdown,
}

/// Decides a claim of `user_id` for `certificate_id` by the rules: refused (422, every rule)
/// when the item has no subsidy standard, the certificate is past the claim window, or the
/// history rules refuse; the amount follows the outcome (certificate and job, certificate
/// only, special ability) plus the living allowance. Another person's certificate is "not
/// found".
async fn decide(
    conn: &mut Conn,
    vault: &crate::accounts::vault::Vault,
    user_id: i64,
    certificate_id: i64,
    today: NaiveDate,
) -> AppResult<Decided> {
    let row = store::certificate(conn, certificate_id)
        .await?
        .filter(|r| r.user_id == Some(user_id))
        .ok_or(AppError::NotFound)?;
    let bad = |what: &str| AppError::Internal(format!("bad {what} in the database"));
    let level = Level::from_code(&row.level).ok_or_else(|| bad("level"))?;
    let kind = CertificateType::from_code(&row.certificate_type).ok_or_else(|| bad("type"))?;
    let city = City::from_code(&row.city).ok_or_else(|| bad("city"))?;
    let issued_on =
        NaiveDate::parse_from_str(&row.issued_on, "%Y-%m-%d").map_err(|_| bad("date"))?;
    let policy = policy_store::policy(conn, city).await?;
    let target = OccupationLevel {
        occupation: row.occupation.clone(),
        level,
        kind: Some(kind),
    };
    let past = store::history(conn, user_id, today.year(), Some(certificate_id)).await?;
    let standard = Yuan::from_fen(row.subsidy_fen);
    // Only verified groups (and those needing no document) count, as they stand at the claim.
    let groups: Vec<Group> = crate::groups::store::held(conn, vault, user_id)
        .await?
        .counting;
    let hours = u32::try_from(row.hours).unwrap_or(0);
    let estimate = rules::estimate(&target, kind, standard, hours, &groups, &past, &policy);
    let mut all = estimate.verdicts.clone();
    all.push(rules::Verdict {
        rule: rules::Rule::ClaimWindow {
            months: policy.claim_window_months,
        },
        ok: rules::within_claim_window(issued_on, today, &policy),
    });
    if all.iter().any(|v| !v.ok) {
        return Err(AppError::NotEligible(verdicts(&all)));
    }
    let date = |text: &str| NaiveDate::parse_from_str(text, "%Y-%m-%d").ok();
    let class_end = date(&row.end_date).ok_or_else(|| bad("end date"))?;
    let job = job_of(&row)?;
    let percent = rules::payout_percent(Some(kind), job, &policy);
    let training = rules::share(standard, percent);
    // The living allowance follows the days attended, not the class's hours.
    let allowance_groups = groups.contains(&Group::PovertyMonitored);
    let start = date(&row.start_date).ok_or_else(|| bad("start date"))?;
    let per_day = rules::scheduled_hours_per_day(hours, start, class_end);
    let attended: Vec<u32> = store::attendance_hours(conn, row.enrollment_id)
        .await?
        .into_iter()
        .map(|h| u32::try_from(h).unwrap_or(0))
        .collect();
    let days = rules::attended_days(&attended, per_day);
    let allowance = if allowance_groups {
        rules::living_allowance(days, &policy)
    } else {
        Yuan::ZERO
    };
    // The pre-check's verdict counted the class's days; the claim counts those attended.
    for v in &mut all {
        if let rules::Rule::LivingAllowance { days: counted, .. } = &mut v.rule {
            *counted = days;
        }
    }
    let breakdown = Breakdown {
        standard_yuan: standard,
        share_percent: percent,
        training_subsidy_yuan: training,
        attended_days: days,
        living_allowance_yuan: allowance,
        groups: rules::money_groups(&groups),
        employed: job,
    };
    Ok(Decided {
        city,
        occupation: row.occupation,
        level,
        percent,
        amount: Yuan::from_fen(training.fen() + allowance.fen()),
        verdicts: all,
        breakdown,
    })
}

/// Whether the job recorded for a certificate's enrolment counts (see `rules::job_counts`).
pub(super) fn job_of(row: &store::ClaimedCertificate) -> AppResult<bool> {
    let date = |text: &str| NaiveDate::parse_from_str(text, "%Y-%m-%d").ok();
    let class_end = date(&row.end_date)
        .ok_or_else(|| AppError::Internal("bad end date in the database".into()))?;
    Ok(row.employed == Some(1)
        && rules::job_counts(
            row.employed_since.as_deref().and_then(date),
            class_end,
            row.employment_evidence.is_some(),
        ))
}

/// What a claim's step is: the claim, whose it is, its city, and the status before and after.
pub(super) struct Step<'a> {
    pub claim: i64,
    pub claimant: Option<i64>,
    pub city: &'a str,
    pub from: Option<ClaimStatus>,
    pub to: ClaimStatus,
}

/// A step of a claim: its timeline (naming who took it), the write trail and the claimant's
/// inbox, in the step's transaction.
pub(super) async fn step(
    conn: &mut WriteTx,
    at: &str,
    s: &Step<'_>,
    who: &Who,
    reason: Option<&str>,
) -> AppResult<()> {
    step_named(conn, at, s, s.to.code(), who, reason).await
}

/// A step as `step`, told in the timeline and the inbox as `event` (`returned`, say, where
/// the claim's status goes back to approved).
pub(super) async fn step_named(
    conn: &mut WriteTx,
    at: &str,
    s: &Step<'_>,
    event: &str,
    who: &Who,
    reason: Option<&str>,
) -> AppResult<()> {
    let (claim, claimant, status) = (s.claim, s.claimant, s.to);
    store::record_step(conn, at, claim, event, (&who.role, who.id), reason).await?;
    let write = Write {
        record: format!("claim:{claim}"),
        action: "claim",
        city: Some(s.city),
        before: s.from.map(|f| f.code().to_string()),
        after: Some(match reason {
            Some(r) => format!("{} ({r})", status.code()),
            None => status.code().to_string(),
        }),
    };
    crate::audit::store::record_write(conn, at, who, &write).await?;
    let (occupation, level) = store::claim_subject(conn, claim).await?;
    let level = Level::from_code(&level)
        .map(|l| l.label(crate::i18n::Locale::zh_CN).to_string())
        .unwrap_or(level);
    let title = format!("{occupation}·{level}");
    let notice = Notice {
        kind: Kind::Subsidy,
        subject: claim,
        status: event,
        title: &title,
        reason,
        position: None,
    };
    crate::inbox::store::notify(conn, at, claimant, &notice).await
}

/// What a trainee's claim asks: the certificate, and whom to pay (the payee kept on the
/// profile when none is given; `keep_payee` keeps the one given there).
pub struct Asked<'a> {
    pub certificate_id: i64,
    pub payee: Option<&'a super::payee::PayeeInput>,
    pub keep_payee: bool,
}

/// The actor (a trainee) claims the subsidy for one of their certificates (see `decide`),
/// paid to the payee named or kept (400 `payee` when neither); once per certificate (409)
/// while a claim for it is not rejected.
pub async fn claim(portal: &Portal, actor: &Actor, asked: &Asked<'_>) -> AppResult<Claim> {
    let user_id = actor.trainee()?;
    let certificate_id = asked.certificate_id;
    let given = asked.payee.map(super::payee::check).transpose()?;
    let (at, today) = (portal.clock.stamp(), portal.clock.today());
    // The write lock first: the yearly cap and the one-claim-per-certificate check read what
    // this transaction then writes.
    let mut tx = portal.db.write_tx().await?;
    // Another person's certificate is "not found" before anything else is said of it.
    let owner = store::certificate_owner(&mut tx, certificate_id).await?;
    if owner.flatten() != Some(user_id) {
        return Err(AppError::NotFound);
    }
    // With the unified identity service, money goes only to a verified real name.
    if portal.settings.real_name_service
        && !crate::accounts::real_name_store::standing(&mut tx, user_id)
            .await?
            .0
    {
        return Err(AppError::NotEligible(vec![super::real_name_needed()]));
    }
    match super::recovery_store::undone(&mut tx, certificate_id).await? {
        (true, _) => return Err(conflict_on_certificate(FieldProblem::Revoked)),
        (false, true) => return Err(conflict_on_certificate(FieldProblem::ClaimStopped)),
        (false, false) => {}
    }
    let payee =
        super::payee_service::for_claim(&mut tx, portal, user_id, given.as_ref(), asked.keep_payee)
            .await?;
    if store::claimed(&mut tx, certificate_id).await? {
        // A job recorded since may top the claim up, once; otherwise it is claimed already.
        let Some(due) = super::top_up::due(&mut tx, user_id, certificate_id, today).await? else {
            return Err(conflict_on_certificate(FieldProblem::AlreadyClaimed));
        };
        let who = Who::of(&portal.vault, actor);
        let id = super::top_up::claim(&mut tx, &portal.vault, &at, &due, &who, &payee).await?;
        tx.commit().await?;
        return made(portal, actor)
            .await?
            .into_iter()
            .find(|c| c.id == Some(id))
            .ok_or(AppError::NotFound);
    }
    let d = decide(&mut tx, &portal.vault, user_id, certificate_id, today).await?;
    let json = |v: Result<String, serde_json::Error>| {
        v.map(|text| super::kept::seal(&portal.vault, &text))
            .map_err(|e| AppError::Internal(e.to_string()))
    };
    let kept = json(serde_json::to_string(&d.verdicts))?;
    let made_of = json(serde_json::to_string(&d.breakdown))?;
    let new = NewClaim {
        user: user_id,
        certificate: certificate_id,
        city: d.city,
        occupation: &d.occupation,
        level: d.level,
        year: today.year(),
        percent: d.percent,
        amount: d.amount,
        verdicts: &kept,
        breakdown: &made_of,
        top_up_of: None,
        payee: &payee,
    };
    let id = store::insert_claim(&mut tx, &at, &new).await?;
    let submitted = Step {
        claim: id,
        claimant: Some(user_id),
        city: d.city.code(),
        from: None,
        to: ClaimStatus::Submitted,
    };
    step(
        &mut tx,
        &at,
        &submitted,
        &Who::of(&portal.vault, actor),
        None,
    )
    .await?;
    tx.commit().await?;
    metrics::counter!("peixun_subsidy_claims_total", "status" => "submitted").increment(1);
    made(portal, actor)
        .await?
        .into_iter()
        .find(|c| c.id == Some(id))
        .ok_or(AppError::NotFound)
}

fn conflict_on_certificate(problem: FieldProblem) -> AppError {
    let mut fields = FieldErrors::default();
    fields.add("certificate_id", problem);
    AppError::Conflict(fields)
}

pub(super) fn timelines(events: Vec<EventRow>) -> HashMap<i64, Vec<ClaimEvent>> {
    let mut timelines: HashMap<i64, Vec<ClaimEvent>> = HashMap::new();
    for (id, at, status, actor, reason, name) in events {
        timelines.entry(id).or_default().push(ClaimEvent {
            at,
            status,
            actor,
            actor_name: name.as_deref().map(crate::identity::mask_name),
            reason,
        });
    }
    timelines
}

/// The certificates the actor may still claim for (`eligible`, with the amount a claim would
/// pay), then their claims, newest first, each with its timeline.
pub async fn mine(portal: &Portal, actor: &Actor) -> AppResult<Vec<Claim>> {
    let mut list = claimable(portal, actor).await?;
    list.extend(made(portal, actor).await?);
    Ok(list)
}

/// The claims the actor made, newest first, each with its timeline.
pub async fn made(portal: &Portal, actor: &Actor) -> AppResult<Vec<Claim>> {
    let rows = store::of_person(&portal.db, actor.id).await?;
    let mut timelines = timelines(store::events_of_person(&portal.db, actor.id).await?);
    let mut recoveries: HashMap<i64, super::Recovery> = super::recovery::of_person(portal, actor)
        .await?
        .into_iter()
        .map(|r| (r.claim_id, r))
        .collect();
    rows.into_iter()
        .map(|r: ClaimRow| {
            Ok(Claim {
                payee: r.payment.masked_payee(&portal.vault)?,
                id: Some(r.id),
                certificate_id: r.certificate_id,
                occupation: r.occupation,
                level: r.level,
                year: i32::try_from(r.year).unwrap_or(0),
                percent: u32::try_from(r.percent).unwrap_or(0),
                amount_yuan: Yuan::from_fen(r.amount_fen),
                status: r.status,
                reasons: kept_verdicts(&portal.vault, &r.verdicts),
                note: r.reason,
                breakdown: kept_breakdown(&portal.vault, r.breakdown.as_deref()),
                top_up_of: r.top_up_of,
                created_at: r.created_at,
                timeline: timelines.remove(&r.id).unwrap_or_default(),
                recovery: recoveries.remove(&r.id),
                batch_id: r.payment.batch_id,
                paid_on: r.payment.paid_on,
                payment_reference: r.payment.payment_reference,
            })
        })
        .collect()
}

/// The actor's certificates without a standing claim that the rules would pay for.
async fn claimable(portal: &Portal, actor: &Actor) -> AppResult<Vec<Claim>> {
    let mut list = Vec::new();
    let unclaimed = store::unclaimed_certificates(&portal.db, actor.id).await?;
    let mut conn = portal.db.pool().acquire().await?;
    let today = portal.clock.today();
    for certificate_id in unclaimed {
        match decide(&mut conn, &portal.vault, actor.id, certificate_id, today).await {
            Ok(d) => list.push(Claim {
                id: None,
                certificate_id,
                occupation: d.occupation,
                level: d.level.code().to_string(),
                year: today.year(),
                percent: d.percent,
                amount_yuan: d.amount,
                status: "eligible".into(),
                reasons: verdicts(&d.verdicts),
                note: None,
                breakdown: Some(d.breakdown),
                top_up_of: None,
                created_at: String::new(),
                timeline: Vec::new(),
                recovery: None,
                payee: None,
                batch_id: None,
                paid_on: None,
                payment_reference: None,
            }),
            Err(AppError::NotEligible(_)) => {}
            // One unreadable record must not hide the person's other claims.
            Err(err) => tracing::error!(%err, certificate_id, "cannot decide a claim"),
        }
    }
    for certificate_id in store::claimed_certificates(&portal.db, actor.id).await? {
        if let Some(due) = super::top_up::due(&mut conn, actor.id, certificate_id, today).await? {
            list.push(due.offer(certificate_id, today.year()));
        }
    }
    Ok(list)
}
