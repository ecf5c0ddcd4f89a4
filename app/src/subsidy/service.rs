//! Subsidy claims in the database: the person's history as the rules need it, a claim for a
//! certificate decided by the same rules as the pre-check on the course page, the cities' own
//! numbers, and the HR officer's review (each step in the claim's timeline and the inbox).

use super::rules::{self, ClaimStatus, History, OccupationLevel, Policy, Review, ReviewRefusal};
use super::{verdicts, Claim, ClaimEvent, Policies, StaffClaim};
use crate::accounts::{Role, SignedIn};
use crate::error::{AppError, AppResult, FieldErrors, FieldProblem};
use crate::list::{Page, Paging};
use crate::money::Yuan;
use crate::portal::Portal;
use crate::reference::{CertificateType, City, Enumeration, Group, Level};
use crate::storage::Conn;
use chrono::{Datelike, NaiveDate, Utc};
use std::collections::HashMap;

/// Claims that count: every status but rejected.
const COUNTING: &str = "('submitted', 'under_review', 'approved', 'paid')";

/// The person's history: claims counted this year, occupations and levels claimed, and the
/// certificates held (`except` one: the certificate being claimed).
async fn history(
    conn: &mut Conn,
    user_id: i64,
    year: i32,
    except: Option<i64>,
) -> AppResult<History> {
    let (used,): (i64,) = sqlx::query_as(&format!(
        "SELECT COUNT(*) FROM subsidy_claims WHERE user_id = $1 AND year = $2 AND status IN {COUNTING}"
    ))
    .bind(user_id)
    .bind(year)
    .fetch_one(&mut *conn)
    .await?;
    let pairs = |rows: Vec<(String, String)>| -> Vec<OccupationLevel> {
        rows.into_iter()
            .filter_map(|(occupation, level)| {
                Level::from_code(&level).map(|level| OccupationLevel { occupation, level })
            })
            .collect()
    };
    let subsidised: Vec<(String, String)> = sqlx::query_as(&format!(
        "SELECT occupation, level FROM subsidy_claims WHERE user_id = $1 AND status IN {COUNTING}"
    ))
    .bind(user_id)
    .fetch_all(&mut *conn)
    .await?;
    let held: Vec<(String, String)> = sqlx::query_as(
        "SELECT occupation, level FROM certificates WHERE user_id = $1 AND id != COALESCE($2, -1)",
    )
    .bind(user_id)
    .bind(except)
    .fetch_all(&mut *conn)
    .await?;
    Ok(History {
        claims_this_year: u32::try_from(used).unwrap_or(u32::MAX),
        subsidised: pairs(subsidised),
        held: pairs(held),
    })
}

/// The history for the course page's pre-check (this year, every certificate held).
pub async fn history_of(portal: &Portal, user_id: i64) -> AppResult<History> {
    let mut conn = portal.db.pool().acquire().await?;
    history(&mut conn, user_id, portal.clock.today().year(), None).await
}

// ---------------------------------------------------------------------------------------------
// The cities' numbers.

#[derive(Debug, sqlx::FromRow)]
struct PolicyRow {
    city: String,
    employed_percent: i64,
    certified_percent: i64,
    special_ability_percent: i64,
    living_allowance_fen: i64,
}

impl PolicyRow {
    fn policy(&self) -> Policy {
        let percent = |p: i64| u32::try_from(p.clamp(0, 100)).unwrap_or(0);
        Policy {
            employed_percent: percent(self.employed_percent),
            certified_percent: percent(self.certified_percent),
            special_ability_percent: percent(self.special_ability_percent),
            living_allowance_per_day: Yuan::from_fen(self.living_allowance_fen.max(0)),
            ..Policy::default()
        }
    }
}

/// Every city's numbers (a city without its own row pays the province's defaults).
pub async fn policies(portal: &Portal) -> AppResult<Policies> {
    let rows: Vec<PolicyRow> = sqlx::query_as("SELECT * FROM subsidy_policies")
        .fetch_all(portal.db.pool())
        .await?;
    Ok(Policies {
        overrides: rows
            .iter()
            .filter_map(|r| City::from_code(&r.city).map(|c| (c, r.policy())))
            .collect(),
    })
}

async fn policy_in(conn: &mut Conn, city: City) -> AppResult<Policy> {
    let row: Option<PolicyRow> = sqlx::query_as("SELECT * FROM subsidy_policies WHERE city = $1")
        .bind(city.code())
        .fetch_optional(&mut *conn)
        .await?;
    Ok(row.map(|r| r.policy()).unwrap_or_default())
}

/// One city's numbers.
pub async fn policy(portal: &Portal, city: City) -> AppResult<Policy> {
    policy_in(&mut *portal.db.pool().acquire().await?, city).await
}

/// A city sets its own shares (percent, 0–100) and living allowance per day; `None` puts the
/// city back on the province's defaults.
pub async fn set_policy(portal: &Portal, city: City, policy: Option<&Policy>) -> AppResult<()> {
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
    let mut tx = portal.db.write_tx().await?;
    sqlx::query("DELETE FROM subsidy_policies WHERE city = $1")
        .bind(city.code())
        .execute(&mut *tx)
        .await?;
    if let Some(p) = policy {
        sqlx::query(
            "INSERT INTO subsidy_policies (city, employed_percent, certified_percent, \
             special_ability_percent, living_allowance_fen, updated_at) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(city.code())
        .bind(i64::from(p.employed_percent))
        .bind(i64::from(p.certified_percent))
        .bind(i64::from(p.special_ability_percent))
        .bind(p.living_allowance_per_day.fen())
        .bind(Utc::now().to_rfc3339())
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// The trainee's claims.

#[derive(Debug, sqlx::FromRow)]
struct ClaimedCertificate {
    user_id: Option<i64>,
    certificate_type: String,
    occupation: String,
    level: String,
    issued_on: String,
    city: String,
    subsidy_fen: i64,
    hours: i64,
    employed: Option<i64>,
    groups: Option<String>,
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
}

/// Decides a claim of `user_id` for `certificate_id` by the rules: refused (422, every rule)
/// when the item has no subsidy standard, the certificate is past the claim window, or the
/// history rules refuse; the amount follows the outcome (certificate and job, certificate
/// only, special ability) plus the living allowance. Another person's certificate is "not
/// found".
async fn decide(
    conn: &mut Conn,
    user_id: i64,
    certificate_id: i64,
    today: NaiveDate,
) -> AppResult<Decided> {
    let row: ClaimedCertificate = sqlx::query_as(
        "SELECT c.user_id, c.certificate_type, c.occupation, c.level, c.issued_on, k.city, \
         k.subsidy_fen, k.hours, e.employed, u.groups \
         FROM certificates c JOIN enrollments e ON e.id = c.enrollment_id \
         JOIN courses k ON k.code = e.course_code LEFT JOIN users u ON u.id = c.user_id \
         WHERE c.id = $1",
    )
    .bind(certificate_id)
    .fetch_optional(&mut *conn)
    .await?
    .filter(|r: &ClaimedCertificate| r.user_id == Some(user_id))
    .ok_or(AppError::NotFound)?;
    let bad = |what: &str| AppError::Internal(format!("bad {what} in the database"));
    let level = Level::from_code(&row.level).ok_or_else(|| bad("level"))?;
    let kind = CertificateType::from_code(&row.certificate_type).ok_or_else(|| bad("type"))?;
    let city = City::from_code(&row.city).ok_or_else(|| bad("city"))?;
    let issued_on =
        NaiveDate::parse_from_str(&row.issued_on, "%Y-%m-%d").map_err(|_| bad("date"))?;
    let policy = policy_in(conn, city).await?;
    let target = OccupationLevel {
        occupation: row.occupation.clone(),
        level,
    };
    let past = history(conn, user_id, today.year(), Some(certificate_id)).await?;
    let standard = Yuan::from_fen(row.subsidy_fen);
    let groups: Vec<Group> = row
        .groups
        .as_deref()
        .map(crate::accounts::service::split_groups)
        .unwrap_or_default();
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
    let percent = rules::payout_percent(Some(kind), row.employed == Some(1), &policy);
    Ok(Decided {
        city,
        occupation: row.occupation,
        level,
        percent,
        amount: Yuan::from_fen(
            rules::share(standard, percent).fen() + estimate.living_allowance.fen(),
        ),
        verdicts: all,
    })
}

async fn claimed(conn: &mut Conn, certificate_id: i64) -> AppResult<bool> {
    let open: i64 = sqlx::query_scalar(&format!(
        "SELECT COUNT(*) FROM subsidy_claims WHERE certificate_id = $1 AND status IN {COUNTING}"
    ))
    .bind(certificate_id)
    .fetch_one(&mut *conn)
    .await?;
    Ok(open > 0)
}

/// Writes a step of a claim's timeline and tells the claimant in their inbox.
async fn record_step(
    conn: &mut Conn,
    claim: i64,
    claimant: Option<i64>,
    status: ClaimStatus,
    actor: &str,
    reason: Option<&str>,
) -> AppResult<()> {
    let at = Utc::now().to_rfc3339();
    sqlx::query(
        "INSERT INTO subsidy_claim_events (claim_id, at, status, actor, reason) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(claim)
    .bind(&at)
    .bind(status.code())
    .bind(actor)
    .bind(reason)
    .execute(&mut *conn)
    .await?;
    let (occupation, level): (String, String) =
        sqlx::query_as("SELECT occupation, level FROM subsidy_claims WHERE id = $1")
            .bind(claim)
            .fetch_one(&mut *conn)
            .await?;
    let level = Level::from_code(&level)
        .map(|l| l.label(crate::i18n::Locale::zh_CN).to_string())
        .unwrap_or(level);
    crate::enrollment::service::notify_of(
        conn,
        claimant,
        "subsidy",
        claim,
        status.code(),
        &format!("{occupation}·{level}"),
        reason,
        None,
    )
    .await
}

/// The person claims the subsidy for one of their certificates (see `decide`); once per
/// certificate (409) while a claim for it is not rejected.
pub async fn claim(portal: &Portal, user_id: i64, certificate_id: i64) -> AppResult<Claim> {
    // The write lock first: the yearly cap and the one-claim-per-certificate check read what
    // this transaction then writes.
    let mut tx = portal.db.write_tx().await?;
    // Another person's certificate is "not found" before anything else is said of it.
    let owner: Option<Option<i64>> =
        sqlx::query_scalar("SELECT user_id FROM certificates WHERE id = $1")
            .bind(certificate_id)
            .fetch_optional(&mut *tx)
            .await?;
    if owner.flatten() != Some(user_id) {
        return Err(AppError::NotFound);
    }
    if claimed(&mut tx, certificate_id).await? {
        let mut fields = FieldErrors::default();
        fields.add("certificate_id", FieldProblem::AlreadyClaimed);
        return Err(AppError::Conflict(fields));
    }
    let today = portal.clock.today();
    let d = decide(&mut tx, user_id, certificate_id, today).await?;
    let now = portal.clock.stamp();
    let kept = serde_json::to_string(&d.verdicts).map_err(|e| AppError::Internal(e.to_string()))?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO subsidy_claims (user_id, certificate_id, city, occupation, level, year, \
         percent, amount_fen, status, created_at, updated_at, verdicts) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'submitted', $9, $9, $10) RETURNING id",
    )
    .bind(user_id)
    .bind(certificate_id)
    .bind(d.city.code())
    .bind(&d.occupation)
    .bind(d.level.code())
    .bind(today.year())
    .bind(i64::from(d.percent))
    .bind(d.amount.fen())
    .bind(&now)
    .bind(kept)
    .fetch_one(&mut *tx)
    .await?;
    record_step(
        &mut tx,
        id,
        Some(user_id),
        ClaimStatus::Submitted,
        "trainee",
        None,
    )
    .await?;
    tx.commit().await?;
    metrics::counter!("peixun_subsidy_claims_total", "status" => "submitted").increment(1);
    made(portal, user_id)
        .await?
        .into_iter()
        .find(|c| c.id == Some(id))
        .ok_or(AppError::NotFound)
}

#[derive(Debug, sqlx::FromRow)]
struct ClaimRow {
    id: i64,
    certificate_id: i64,
    occupation: String,
    level: String,
    year: i64,
    percent: i64,
    amount_fen: i64,
    status: String,
    reason: Option<String>,
    created_at: String,
    verdicts: String,
}

/// The verdicts kept with a claim, in words.
fn kept_verdicts(text: &str) -> Vec<crate::error::RuleVerdict> {
    let list: Vec<rules::Verdict> = serde_json::from_str(text).unwrap_or_default();
    verdicts(&list)
}

type EventRow = (i64, String, String, String, Option<String>);

fn timelines(events: Vec<EventRow>) -> HashMap<i64, Vec<ClaimEvent>> {
    let mut timelines: HashMap<i64, Vec<ClaimEvent>> = HashMap::new();
    for (id, at, status, actor, reason) in events {
        timelines.entry(id).or_default().push(ClaimEvent {
            at,
            status,
            actor,
            reason,
        });
    }
    timelines
}

/// The certificates the person may still claim for (`eligible`, with the amount a claim would
/// pay), then their claims, newest first, each with its timeline.
pub async fn mine(portal: &Portal, user_id: i64) -> AppResult<Vec<Claim>> {
    let mut list = claimable(portal, user_id).await?;
    list.extend(made(portal, user_id).await?);
    Ok(list)
}

/// The claims the person made, newest first, each with its timeline.
pub async fn made(portal: &Portal, user_id: i64) -> AppResult<Vec<Claim>> {
    let rows: Vec<ClaimRow> = sqlx::query_as(
        "SELECT id, certificate_id, occupation, level, year, percent, amount_fen, status, reason, \
         created_at, verdicts FROM subsidy_claims WHERE user_id = $1 ORDER BY id DESC",
    )
    .bind(user_id)
    .fetch_all(portal.db.pool())
    .await?;
    let events: Vec<EventRow> = sqlx::query_as(
        "SELECT v.claim_id, v.at, v.status, v.actor, v.reason FROM subsidy_claim_events v \
         JOIN subsidy_claims c ON c.id = v.claim_id WHERE c.user_id = $1 ORDER BY v.id",
    )
    .bind(user_id)
    .fetch_all(portal.db.pool())
    .await?;
    let mut timelines = timelines(events);
    Ok(rows
        .into_iter()
        .map(|r| Claim {
            id: Some(r.id),
            certificate_id: r.certificate_id,
            occupation: r.occupation,
            level: r.level,
            year: i32::try_from(r.year).unwrap_or(0),
            percent: u32::try_from(r.percent).unwrap_or(0),
            amount_yuan: Yuan::from_fen(r.amount_fen),
            status: r.status,
            reasons: kept_verdicts(&r.verdicts),
            note: r.reason,
            created_at: r.created_at,
            timeline: timelines.remove(&r.id).unwrap_or_default(),
        })
        .collect())
}

/// The person's certificates without a standing claim that the rules would pay for.
async fn claimable(portal: &Portal, user_id: i64) -> AppResult<Vec<Claim>> {
    let mut list = Vec::new();
    let unclaimed: Vec<i64> = sqlx::query_scalar(&format!(
        "SELECT id FROM certificates c WHERE user_id = $1 AND NOT EXISTS \
         (SELECT 1 FROM subsidy_claims s WHERE s.certificate_id = c.id AND s.status IN {COUNTING}) \
         ORDER BY id"
    ))
    .bind(user_id)
    .fetch_all(portal.db.pool())
    .await?;
    let mut conn = portal.db.pool().acquire().await?;
    let today = portal.clock.today();
    for certificate_id in unclaimed {
        match decide(&mut conn, user_id, certificate_id, today).await {
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
                created_at: String::new(),
                timeline: Vec::new(),
            }),
            Err(AppError::NotEligible(_)) => {}
            // One unreadable record must not hide the person's other claims.
            Err(err) => tracing::error!(%err, certificate_id, "cannot decide a claim"),
        }
    }
    Ok(list)
}

// ---------------------------------------------------------------------------------------------
// The HR officer's review. Role is checked at the door; scope here: an officer sees and acts on
// the claims of their own city only (another city's claim is 404, never shown).

/// The city an HR officer works for (their scope); any other role is refused.
pub(crate) fn city_of(officer: &SignedIn) -> AppResult<&str> {
    match (officer.role, officer.scope.as_deref()) {
        (Role::HrOfficer, Some(city)) => Ok(city),
        _ => Err(AppError::Forbidden),
    }
}

#[derive(Debug, sqlx::FromRow)]
struct QueueRow {
    id: i64,
    user_id: Option<i64>,
    status: String,
    name: Option<String>,
    id_sealed: Option<Vec<u8>>,
    course_code: String,
    title: String,
    institution: String,
    number: String,
    occupation: String,
    level: String,
    employed: Option<i64>,
    percent: i64,
    amount_fen: i64,
    reason: Option<String>,
    created_at: String,
    verdicts: String,
    /// 1 while the claimant's dispute of the claim is open.
    disputed: i64,
}

/// The officer's city, and the status asked for (if any).
const QUEUE_FILTER: &str = "s.city = $1 AND ($2 IS NULL OR s.status = $2)";
/// Claims waiting for a step first (submitted, under review, approved to pay), then the rest.
const QUEUE_ORDER: &str = "CASE s.status WHEN 'submitted' THEN 0 WHEN 'under_review' THEN 1 \
    WHEN 'approved' THEN 2 ELSE 3 END";

/// One page of the officer's city's claims, those waiting for a step first and oldest first
/// among them, optionally of one status. The people shown are written to the audit log.
pub async fn queue(
    portal: &Portal,
    officer: &SignedIn,
    status: Option<ClaimStatus>,
    paging: Paging,
) -> AppResult<Page<StaffClaim>> {
    let city = city_of(officer)?;
    let total: i64 = sqlx::query_scalar(&format!(
        "SELECT COUNT(*) FROM subsidy_claims s WHERE {QUEUE_FILTER}"
    ))
    .bind(city)
    .bind(status.map(ClaimStatus::code))
    .fetch_one(portal.db.pool())
    .await?;
    let rows: Vec<QueueRow> = sqlx::query_as(&format!(
        "SELECT s.id, s.user_id, s.status, u.name, u.id_sealed, k.code AS course_code, k.title, \
         k.institution, c.number, s.occupation, s.level, e.employed, s.percent, s.amount_fen, \
         s.reason, s.created_at, s.verdicts, CASE WHEN EXISTS (SELECT 1 FROM disputes d WHERE d.kind = 'subsidy' \
         AND d.subject_id = s.id AND d.status = 'open') THEN 1 ELSE 0 END AS disputed \
         FROM subsidy_claims s JOIN certificates c ON c.id = s.certificate_id \
         JOIN enrollments e ON e.id = c.enrollment_id JOIN courses k ON k.code = e.course_code \
         LEFT JOIN users u ON u.id = s.user_id \
         WHERE {QUEUE_FILTER} ORDER BY {QUEUE_ORDER}, s.id LIMIT $3 OFFSET $4"
    ))
    .bind(city)
    .bind(status.map(ClaimStatus::code))
    .bind(paging.limit())
    .bind(paging.offset())
    .fetch_all(portal.db.pool())
    .await?;
    // The timelines of just those claims.
    let events: Vec<EventRow> = sqlx::query_as(&format!(
        "SELECT v.claim_id, v.at, v.status, v.actor, v.reason FROM subsidy_claim_events v \
         WHERE v.claim_id IN (SELECT s.id FROM subsidy_claims s WHERE {QUEUE_FILTER} \
         ORDER BY {QUEUE_ORDER}, s.id LIMIT $3 OFFSET $4) ORDER BY v.id"
    ))
    .bind(city)
    .bind(status.map(ClaimStatus::code))
    .bind(paging.limit())
    .bind(paging.offset())
    .fetch_all(portal.db.pool())
    .await?;
    let mut timelines = timelines(events);
    let mut subjects = Vec::with_capacity(rows.len());
    let mut list = Vec::with_capacity(rows.len());
    for r in rows {
        let id_number = match &r.id_sealed {
            Some(sealed) => {
                crate::identity::mask_id(&crate::accounts::service::unseal(portal, sealed)?)
            }
            None => String::new(),
        };
        subjects.extend(r.user_id);
        list.push(StaffClaim {
            id: r.id,
            status: r.status,
            claimant: r
                .name
                .as_deref()
                .map(crate::certificate::mask_name)
                .unwrap_or_else(|| "—".into()),
            id_number,
            course: r.course_code,
            course_title: r.title,
            institution: r.institution,
            certificate_number: r.number,
            occupation: r.occupation,
            level: r.level,
            employed: r.employed == Some(1),
            percent: u32::try_from(r.percent).unwrap_or(0),
            amount_yuan: Yuan::from_fen(r.amount_fen),
            reasons: kept_verdicts(&r.verdicts),
            note: r.reason,
            created_at: r.created_at,
            disputed: r.disputed != 0,
            timeline: timelines.remove(&r.id).unwrap_or_default(),
        });
    }
    crate::accounts::service::audit_each(portal, officer.id, "claims_read", &subjects, Some(city))
        .await?;
    Ok(paging.of(list, u64::try_from(total).unwrap_or(0)))
}

/// An HR officer's step on a claim of their city (see `rules::review`): the claim's status,
/// its timeline and the claimant's inbox change together. Refused: another city's claim (404),
/// a step not possible now (409), a rejection without a reason (400).
pub async fn review(
    portal: &Portal,
    officer: &SignedIn,
    claim: i64,
    step: Review,
    reason: Option<&str>,
) -> AppResult<ClaimStatus> {
    let city = city_of(officer)?;
    let reason = reason.map(str::trim).filter(|r| !r.is_empty()).map(|r| {
        r.chars()
            .take(crate::enrollment::service::MAX_TEXT_CHARS)
            .collect::<String>()
    });
    let mut tx = portal.db.write_tx().await?;
    let (status, claimant, claim_city): (String, Option<i64>, String) =
        sqlx::query_as("SELECT status, user_id, city FROM subsidy_claims WHERE id = $1")
            .bind(claim)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(AppError::NotFound)?;
    if claim_city != city {
        return Err(AppError::NotFound);
    }
    let from = ClaimStatus::from_code(&status)
        .ok_or_else(|| AppError::Internal(format!("unknown claim status {status}")))?;
    let disputed: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM disputes WHERE kind = 'subsidy' AND subject_id = $1 AND status = 'open'",
    )
    .bind(claim)
    .fetch_one(&mut *tx)
    .await?;
    let to = rules::review(from, step, reason.as_deref(), disputed > 0).map_err(|refusal| {
        let conflict = |problem| {
            let mut fields = FieldErrors::default();
            fields.add("status", problem);
            AppError::Conflict(fields)
        };
        match refusal {
            ReviewRefusal::ReasonRequired => AppError::field("reason", FieldProblem::Required),
            ReviewRefusal::NotNow => conflict(FieldProblem::BadTransition),
            ReviewRefusal::Disputed => conflict(FieldProblem::Disputed),
        }
    })?;
    let kept_reason = (to == ClaimStatus::Rejected)
        .then_some(reason.as_deref())
        .flatten();
    sqlx::query(
        "UPDATE subsidy_claims SET status = $2, reason = $3, updated_at = $4 WHERE id = $1",
    )
    .bind(claim)
    .bind(to.code())
    .bind(kept_reason)
    .bind(Utc::now().to_rfc3339())
    .execute(&mut *tx)
    .await?;
    record_step(&mut tx, claim, claimant, to, "hr_officer", kept_reason).await?;
    tx.commit().await?;
    metrics::counter!("peixun_subsidy_claims_total", "status" => to.code()).increment(1);
    Ok(to)
}
