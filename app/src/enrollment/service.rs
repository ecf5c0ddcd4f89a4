//! Enrolments in the database: taking and freeing seats, the waiting list, the timeline and
//! the inbox, and the institution's console. Pages, the JSON API and the CLI call these.
//!
//! **How a seat is never sold twice.** Every change that takes or frees a seat runs in one
//! write transaction (`Db::write_tx`) whose writer lock is taken before it reads anything —
//! SQLite's single write lock (`BEGIN IMMEDIATE`), or on PostgreSQL an advisory lock shared by
//! every instance — so two enrolments never interleave, whichever instances they reach; the
//! second waits and then sees the first one's result. Inside, a seat is taken only by
//! the conditional `UPDATE courses SET seats_taken = seats_taken + 1 WHERE … seats_taken <
//! capacity`; when it changes no row the class is full and the person joins the waiting list.
//! The CHECK on `courses.seats_taken` and the partial unique index `enrollments_one_active`
//! are the database's own backstops. A freed seat goes to the head of the waiting list in the
//! same transaction (`free_seat`).

use super::rules::{self, Applicant, CancelRefusal, Seat};
use super::{
    verdicts, ActorKind, ClassSummary, Enrolled, Enrollment, Inbox, Notification, Roster,
    RosterEntry, Status, TimelineEvent,
};
use crate::accounts::service::{audit_each, split_groups, unseal};
use crate::accounts::{Role, SignedIn};
use crate::catalog::{service as catalog, Course};
use crate::error::{AppError, AppResult, FieldErrors, FieldProblem};
use crate::identity::{mask_id, mask_phone};
use crate::list::{Page, Paging};
use crate::portal::Portal;
use crate::storage::{Conn, WriteTx};
use crate::subsidy::rules::History;
use chrono::{NaiveDate, Utc};
use std::collections::HashMap;

/// The longest reason or employer name kept.
pub const MAX_TEXT_CHARS: usize = 200;

fn now() -> String {
    Utc::now().to_rfc3339()
}

/// A write transaction holding SQLite's write lock from its first statement (see above).
async fn write_tx(portal: &Portal) -> AppResult<WriteTx> {
    Ok(portal.db.write_tx().await?)
}

fn conflict(problem: FieldProblem) -> AppError {
    let mut fields = FieldErrors::default();
    fields.add("status", problem);
    AppError::Conflict(fields)
}

fn parse_date(text: &str) -> AppResult<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| AppError::Internal(format!("bad date in the database: {text}")))
}

fn status_of(code: &str) -> AppResult<Status> {
    Status::from_code(code)
        .ok_or_else(|| AppError::Internal(format!("unknown status in the database: {code}")))
}

/// What the rules need to know of a signed-in person, read inside `conn`'s transaction.
async fn applicant_in(conn: &mut Conn, user_id: i64, course: &str) -> AppResult<Applicant> {
    let (groups, birth): (String, Option<String>) =
        sqlx::query_as("SELECT groups, birth_date FROM users WHERE id = $1")
            .bind(user_id)
            .fetch_optional(&mut *conn)
            .await?
            .ok_or(AppError::Unauthorized)?;
    let (active, here): (i64, i64) = sqlx::query_as(
        "SELECT COUNT(*), CAST(COALESCE(SUM(CASE WHEN course_code = $2 THEN 1 ELSE 0 END), 0) AS BIGINT) FROM enrollments \
         WHERE user_id = $1 AND status IN ('applied', 'approved', 'waitlisted', 'in_training')",
    )
    .bind(user_id)
    .bind(course)
    .fetch_one(&mut *conn)
    .await?;
    Ok(Applicant {
        groups: split_groups(&groups),
        birth_date: birth.as_deref().map(parse_date).transpose()?,
        active_enrolments: u32::try_from(active).unwrap_or(u32::MAX),
        enrolled_here: here > 0,
    })
}

/// What the subsidy rules need of a person's past (claims this year, levels claimed,
/// certificates held).
async fn history_of(portal: &Portal, user_id: i64) -> AppResult<History> {
    crate::subsidy::service::history_of(portal, user_id).await
}

/// Whether the signed-in person may join `course`, and the subsidy they would get.
pub async fn assess(
    portal: &Portal,
    user_id: i64,
    course: &Course,
) -> AppResult<super::Assessment> {
    let mut conn = portal.db.pool().acquire().await?;
    let applicant = applicant_in(&mut conn, user_id, &course.code).await?;
    drop(conn);
    let history = history_of(portal, user_id).await?;
    let policy = crate::subsidy::service::policy(portal, course.city).await?;
    Ok(super::assess(
        course,
        &applicant,
        &history,
        &policy,
        portal.clock.today(),
    ))
}

async fn record(
    conn: &mut Conn,
    enrollment: i64,
    status: Status,
    actor: ActorKind,
    actor_id: Option<i64>,
    reason: Option<&str>,
) -> AppResult<()> {
    sqlx::query(
        "INSERT INTO enrollment_events (enrollment_id, at, status, actor, actor_id, reason) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(enrollment)
    .bind(now())
    .bind(status.code())
    .bind(actor.code())
    .bind(actor_id)
    .bind(reason)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Tells the person (when the account still exists) that their enrolment changed.
async fn notify(
    conn: &mut Conn,
    user: Option<i64>,
    enrollment: i64,
    status: Status,
    title: &str,
    reason: Option<&str>,
    position: Option<u32>,
) -> AppResult<()> {
    notify_of(
        conn,
        user,
        "enrollment",
        enrollment,
        status.code(),
        title,
        reason,
        position,
    )
    .await
}

/// Puts a message in a person's inbox, in the transaction of the change it tells of. `kind`
/// names the record (`enrollment`, `certificate`, `subsidy`, `dispute`), `status` its new
/// status; the words are chosen when the inbox is read (`super::notification_text`).
#[allow(clippy::too_many_arguments)]
pub(crate) async fn notify_of(
    conn: &mut Conn,
    user: Option<i64>,
    kind: &str,
    subject: i64,
    status: &str,
    title: &str,
    reason: Option<&str>,
    position: Option<u32>,
) -> AppResult<()> {
    let Some(user) = user else { return Ok(()) };
    sqlx::query(
        "INSERT INTO notifications (user_id, at, kind, subject_id, status, title, reason, position) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(user)
    .bind(now())
    .bind(kind)
    .bind(subject)
    .bind(status)
    .bind(title)
    .bind(reason)
    .bind(position.map(i64::from))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Takes one seat of `course` if one is free. This conditional update is the only place a
/// seat is taken.
async fn take_seat(conn: &mut Conn, course: &str) -> AppResult<bool> {
    let done = sqlx::query(
        "UPDATE courses SET seats_taken = seats_taken + 1 \
         WHERE code = $1 AND seats_taken < capacity",
    )
    .bind(course)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Gives a seat back and, before the class starts, hands it to the head of the waiting list.
async fn free_seat(
    conn: &mut Conn,
    course: &str,
    title: &str,
    start: NaiveDate,
    today: NaiveDate,
) -> AppResult<()> {
    sqlx::query(
        "UPDATE courses SET seats_taken = seats_taken - 1 WHERE code = $1 AND seats_taken > 0",
    )
    .bind(course)
    .execute(&mut *conn)
    .await?;
    if today >= start {
        return Ok(());
    }
    let head: Option<(i64, Option<i64>)> = sqlx::query_as(
        "SELECT id, user_id FROM enrollments WHERE course_code = $1 AND status = 'waitlisted' \
         ORDER BY id LIMIT 1",
    )
    .bind(course)
    .fetch_optional(&mut *conn)
    .await?;
    if let Some((id, user)) = head {
        if take_seat(conn, course).await? {
            sqlx::query(
                "UPDATE enrollments SET status = 'approved', holds_seat = 1, updated_at = $2 WHERE id = $1",
            )
            .bind(id)
            .bind(now())
            .execute(&mut *conn)
            .await?;
            record(conn, id, Status::Approved, ActorKind::System, None, None).await?;
            notify(conn, user, id, Status::Approved, title, None, None).await?;
        }
    }
    Ok(())
}

async fn position_of(conn: &mut Conn, course: &str, id: i64) -> AppResult<u32> {
    let (n,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM enrollments WHERE course_code = $1 AND status = 'waitlisted' AND id <= $2",
    )
    .bind(course)
    .bind(id)
    .fetch_one(&mut *conn)
    .await?;
    Ok(u32::try_from(n).unwrap_or(u32::MAX))
}

/// Enrols the person in `code`: approved while seats last, otherwise on the waiting list.
/// 409 when already enrolled there; 422 with every rule when a rule refuses.
pub async fn enroll(portal: &Portal, user_id: i64, code: &str) -> AppResult<Enrolled> {
    let course = catalog::get(portal, code).await?;
    let mut tx = write_tx(portal).await?;
    let applicant = applicant_in(&mut tx, user_id, code).await?;
    if applicant.enrolled_here {
        return Err(conflict(FieldProblem::AlreadyEnrolled));
    }
    let findings = rules::check(&course, &applicant, portal.clock.today());
    if !rules::all_ok(&findings) {
        return Err(AppError::NotEligible(verdicts(&findings)));
    }
    let seated = take_seat(&mut tx, code).await?;
    let status = if seated {
        Status::Approved
    } else {
        Status::Waitlisted
    };
    let at = now();
    let inserted = sqlx::query_scalar::<_, i64>(
        "INSERT INTO enrollments (user_id, course_code, status, holds_seat, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $5) RETURNING id",
    )
    .bind(user_id)
    .bind(code)
    .bind(status.code())
    .bind(i64::from(seated))
    .bind(&at)
    .fetch_one(&mut *tx)
    .await;
    let id = match inserted {
        Ok(id) => id,
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
            return Err(conflict(FieldProblem::AlreadyEnrolled))
        }
        Err(e) => return Err(e.into()),
    };
    record(&mut tx, id, status, ActorKind::Trainee, Some(user_id), None).await?;
    let position = if seated {
        None
    } else {
        Some(position_of(&mut tx, code, id).await?)
    };
    notify(
        &mut tx,
        Some(user_id),
        id,
        status,
        &course.title,
        None,
        position,
    )
    .await?;
    tx.commit().await?;
    portal.catalog.seats_changed();
    metrics::counter!("peixun_enrolments_total", "status" => status.code()).increment(1);
    Ok(Enrolled {
        id,
        status,
        waitlist_position: position,
    })
}

#[derive(Debug, sqlx::FromRow)]
struct EnrollmentRow {
    id: i64,
    user_id: Option<i64>,
    course_code: String,
    status: String,
    holds_seat: i64,
    title: String,
    institution_code: String,
    city: String,
    start_date: String,
}

async fn load_row(conn: &mut Conn, id: i64) -> AppResult<EnrollmentRow> {
    sqlx::query_as(
        "SELECT e.id, e.user_id, e.course_code, e.status, e.holds_seat, c.title, \
         c.institution_code, c.city, c.start_date \
         FROM enrollments e JOIN courses c ON c.code = e.course_code WHERE e.id = $1",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(AppError::NotFound)
}

async fn set_status(
    conn: &mut Conn,
    row: &EnrollmentRow,
    to: Status,
    holds_seat: bool,
    reason: Option<&str>,
    actor: ActorKind,
    actor_id: i64,
) -> AppResult<()> {
    sqlx::query(
        "UPDATE enrollments SET status = $2, holds_seat = $3, reason = $4, updated_at = $5 WHERE id = $1",
    )
    .bind(row.id)
    .bind(to.code())
    .bind(i64::from(holds_seat))
    .bind(reason)
    .bind(now())
    .execute(&mut *conn)
    .await?;
    record(conn, row.id, to, actor, Some(actor_id), reason).await?;
    notify(conn, row.user_id, row.id, to, &row.title, reason, None).await
}

/// The person cancels one of their enrolments before the class starts; a seat they held goes
/// to the head of the waiting list in the same transaction. Another person's enrolment is
/// "not found".
pub async fn cancel(portal: &Portal, user_id: i64, id: i64) -> AppResult<Enrollment> {
    let mut tx = write_tx(portal).await?;
    let row = load_row(&mut tx, id).await?;
    if row.user_id != Some(user_id) {
        return Err(AppError::NotFound);
    }
    let start = parse_date(&row.start_date)?;
    let today = portal.clock.today();
    let seat = match rules::trainee_cancel(status_of(&row.status)?, start, today) {
        Ok(seat) => seat,
        Err(CancelRefusal::Started) => return Err(conflict(FieldProblem::ClassStarted)),
        Err(CancelRefusal::NotActive) => return Err(conflict(FieldProblem::BadTransition)),
    };
    set_status(
        &mut tx,
        &row,
        Status::Cancelled,
        false,
        None,
        ActorKind::Trainee,
        user_id,
    )
    .await?;
    if seat == Seat::Frees && row.holds_seat == 1 {
        free_seat(&mut tx, &row.course_code, &row.title, start, today).await?;
    }
    tx.commit().await?;
    portal.catalog.seats_changed();
    mine(portal, user_id)
        .await?
        .into_iter()
        .find(|e| e.id == id)
        .ok_or(AppError::NotFound)
}

/// Ends every active enrolment of a person whose account is being deleted (inside the
/// deletion's transaction), giving their seats to the waiting lists.
pub(crate) async fn withdraw_all(conn: &mut Conn, user_id: i64, today: NaiveDate) -> AppResult<()> {
    let ids: Vec<i64> = sqlx::query_scalar(
        "SELECT id FROM enrollments WHERE user_id = $1 \
         AND status IN ('applied', 'approved', 'waitlisted', 'in_training')",
    )
    .bind(user_id)
    .fetch_all(&mut *conn)
    .await?;
    for id in ids {
        let row = load_row(conn, id).await?;
        let from = status_of(&row.status)?;
        let to = if from == Status::InTraining {
            Status::Dropped
        } else {
            Status::Cancelled
        };
        let keeps = to == Status::Dropped && row.holds_seat == 1;
        set_status(conn, &row, to, keeps, None, ActorKind::Trainee, user_id).await?;
        if to == Status::Cancelled && row.holds_seat == 1 {
            free_seat(
                conn,
                &row.course_code,
                &row.title,
                parse_date(&row.start_date)?,
                today,
            )
            .await?;
        }
    }
    Ok(())
}

#[derive(Debug, sqlx::FromRow)]
struct MineRow {
    id: i64,
    course_code: String,
    title: String,
    institution: String,
    start_date: String,
    end_date: String,
    status: String,
    reason: Option<String>,
    created_at: String,
    hours: i64,
    position: Option<i64>,
}

/// The person's enrolments, newest first, each with its timeline.
pub async fn mine(portal: &Portal, user_id: i64) -> AppResult<Vec<Enrollment>> {
    let rows: Vec<MineRow> = sqlx::query_as(
        "SELECT e.id, e.course_code, c.title, c.institution, c.start_date, c.end_date, e.status, \
         e.reason, e.created_at, \
         CAST(COALESCE((SELECT SUM(hours) FROM attendance a WHERE a.enrollment_id = e.id), 0) AS BIGINT) AS hours, \
         CASE WHEN e.status = 'waitlisted' THEN (SELECT COUNT(*) FROM enrollments w \
              WHERE w.course_code = e.course_code AND w.status = 'waitlisted' AND w.id <= e.id) END AS position \
         FROM enrollments e JOIN courses c ON c.code = e.course_code \
         WHERE e.user_id = $1 ORDER BY e.id DESC",
    )
    .bind(user_id)
    .fetch_all(portal.db.pool())
    .await?;
    let events: Vec<(i64, String, String, String, Option<String>)> = sqlx::query_as(
        "SELECT v.enrollment_id, v.at, v.status, v.actor, v.reason FROM enrollment_events v \
         JOIN enrollments e ON e.id = v.enrollment_id WHERE e.user_id = $1 ORDER BY v.id",
    )
    .bind(user_id)
    .fetch_all(portal.db.pool())
    .await?;
    let mut timelines: HashMap<i64, Vec<TimelineEvent>> = HashMap::new();
    for (id, at, status, actor, reason) in events {
        timelines.entry(id).or_default().push(TimelineEvent {
            at,
            status: status_of(&status)?,
            actor: ActorKind::from_code(&actor),
            reason,
        });
    }
    let today = portal.clock.today();
    rows.into_iter()
        .map(|r| {
            let status = status_of(&r.status)?;
            let start_date = parse_date(&r.start_date)?;
            Ok(Enrollment {
                can_cancel: rules::trainee_cancel(status, start_date, today).is_ok(),
                id: r.id,
                course: r.course_code,
                course_title: r.title,
                institution: r.institution,
                start_date,
                end_date: parse_date(&r.end_date)?,
                status,
                waitlist_position: r.position.and_then(|p| u32::try_from(p).ok()),
                reason: r.reason,
                hours_attended: u32::try_from(r.hours).unwrap_or(0),
                created_at: r.created_at,
                timeline: timelines.remove(&r.id).unwrap_or_default(),
            })
        })
        .collect()
}

#[derive(Debug, sqlx::FromRow)]
struct NotificationRow {
    id: i64,
    at: String,
    kind: String,
    subject_id: i64,
    status: String,
    title: String,
    reason: Option<String>,
    position: Option<i64>,
    read_at: Option<String>,
}

/// One page of the person's inbox, newest first.
pub async fn inbox(portal: &Portal, user_id: i64, paging: Paging) -> AppResult<Inbox> {
    let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM notifications WHERE user_id = $1")
        .bind(user_id)
        .fetch_one(portal.db.pool())
        .await?;
    let rows: Vec<NotificationRow> = sqlx::query_as(
        "SELECT id, at, kind, subject_id, status, title, reason, position, read_at \
         FROM notifications WHERE user_id = $1 ORDER BY id DESC LIMIT $2 OFFSET $3",
    )
    .bind(user_id)
    .bind(paging.limit())
    .bind(paging.offset())
    .fetch_all(portal.db.pool())
    .await?;
    let items = rows
        .into_iter()
        .map(|r| {
            let position = r.position.and_then(|p| u32::try_from(p).ok());
            let text = |locale| {
                super::notification_text(
                    locale,
                    &r.kind,
                    &r.title,
                    &r.status,
                    position,
                    r.reason.as_deref(),
                )
            };
            Notification {
                message: text(crate::i18n::Locale::zh_CN),
                message_en: text(crate::i18n::Locale::en),
                id: r.id,
                at: r.at,
                kind: r.kind,
                subject_id: r.subject_id,
                status: r.status,
                title: r.title,
                reason: r.reason,
                waitlist_position: position,
                read: r.read_at.is_some(),
            }
        })
        .collect();
    Ok(Inbox {
        unread: unread(portal, user_id).await?,
        items,
        total: u64::try_from(total).unwrap_or(0),
        page: paging.page,
        per_page: paging.per_page,
    })
}

pub async fn unread(portal: &Portal, user_id: i64) -> AppResult<u32> {
    let (n,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND read_at IS NULL")
            .bind(user_id)
            .fetch_one(portal.db.pool())
            .await?;
    Ok(u32::try_from(n).unwrap_or(u32::MAX))
}

/// Marks one notification (or, with `None`, all) of the person as read.
pub async fn mark_read(portal: &Portal, user_id: i64, id: Option<i64>) -> AppResult<()> {
    let done = sqlx::query(
        "UPDATE notifications SET read_at = $3 WHERE user_id = $1 AND read_at IS NULL \
         AND ($2 IS NULL OR id = $2)",
    )
    .bind(user_id)
    .bind(id)
    .bind(now())
    .execute(portal.db.pool())
    .await?;
    if id.is_some() && done.rows_affected() == 0 {
        // Already read is fine; someone else's, or none, is not found.
        let (mine,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND id = $2")
                .bind(user_id)
                .bind(id)
                .fetch_one(portal.db.pool())
                .await?;
        if mine == 0 {
            return Err(AppError::NotFound);
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// The institution's console. Role is checked at the door (`session::require`); scope here:
// staff act only on classes of their own institution (HR officers, for employment, of their
// own city). Another institution's class or enrolment is refused (403), never shown.

fn institution_of(staff: &SignedIn) -> AppResult<&str> {
    match (staff.role, staff.scope.as_deref()) {
        (Role::InstitutionStaff, Some(code)) => Ok(code),
        _ => Err(AppError::Forbidden),
    }
}

fn may_touch(staff: &SignedIn, row: &EnrollmentRow) -> AppResult<()> {
    let allowed = match (staff.role, staff.scope.as_deref()) {
        (Role::InstitutionStaff, Some(code)) => code == row.institution_code,
        (Role::HrOfficer, Some(city)) => city == row.city,
        _ => false,
    };
    if allowed {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

#[derive(Debug, sqlx::FromRow)]
struct ClassRow {
    code: String,
    title: String,
    start_date: String,
    end_date: String,
    capacity: i64,
    seats_taken: i64,
    institution_code: String,
}

fn count(n: i64) -> u32 {
    u32::try_from(n).unwrap_or(0)
}

/// Roster counts for classes, from one grouped query however many classes there are.
async fn summaries(portal: &Portal, rows: Vec<ClassRow>) -> AppResult<Vec<ClassSummary>> {
    let codes: Vec<&str> = rows.iter().map(|r| r.code.as_str()).collect();
    let list = serde_json::to_string(&codes).map_err(|e| AppError::Internal(e.to_string()))?;
    let counts: Vec<(String, String, i64)> = sqlx::query_as(&format!(
        "SELECT course_code, status, COUNT(*) FROM enrollments \
         WHERE course_code IN ({}) GROUP BY course_code, status",
        portal.db.json_strings(1)
    ))
    .bind(list)
    .fetch_all(portal.db.pool())
    .await?;
    let by: HashMap<(String, String), i64> = counts
        .into_iter()
        .map(|(code, status, n)| ((code, status), n))
        .collect();
    rows.into_iter()
        .map(|r| {
            let n = |s: Status| {
                count(
                    by.get(&(r.code.clone(), s.code().to_string()))
                        .copied()
                        .unwrap_or(0),
                )
            };
            Ok(ClassSummary {
                start_date: parse_date(&r.start_date)?,
                end_date: parse_date(&r.end_date)?,
                capacity: count(r.capacity),
                seats_left: count(r.capacity - r.seats_taken),
                approved: n(Status::Approved),
                waitlisted: n(Status::Waitlisted),
                in_training: n(Status::InTraining),
                completed: n(Status::Completed),
                dropped: n(Status::Dropped),
                code: r.code,
                title: r.title,
            })
        })
        .collect()
}

/// One page of the staff member's institution's classes, soonest first, with roster counts.
pub async fn classes(
    portal: &Portal,
    staff: &SignedIn,
    paging: Paging,
) -> AppResult<Page<ClassSummary>> {
    let institution = institution_of(staff)?;
    let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM courses WHERE institution_code = $1")
        .bind(institution)
        .fetch_one(portal.db.pool())
        .await?;
    let rows: Vec<ClassRow> = sqlx::query_as(
        "SELECT code, title, start_date, end_date, capacity, seats_taken, institution_code \
         FROM courses WHERE institution_code = $1 ORDER BY start_date, code LIMIT $2 OFFSET $3",
    )
    .bind(institution)
    .bind(paging.limit())
    .bind(paging.offset())
    .fetch_all(portal.db.pool())
    .await?;
    let items = summaries(portal, rows).await?;
    Ok(paging.of(items, u64::try_from(total).unwrap_or(0)))
}

#[derive(Debug, sqlx::FromRow)]
struct RosterRow {
    id: i64,
    user_id: Option<i64>,
    name: Option<String>,
    id_sealed: Option<Vec<u8>>,
    phone_sealed: Option<Vec<u8>>,
    status: String,
    reason: Option<String>,
    hours: i64,
    employed: Option<i64>,
    employer: Option<String>,
    employed_since: Option<String>,
}

/// One class's roster: everyone who enrolled, waiting list in order, identity numbers and
/// phones masked. Each person shown is written to the audit log (they see it in their export).
pub async fn roster(portal: &Portal, staff: &SignedIn, code: &str) -> AppResult<Roster> {
    let institution = institution_of(staff)?;
    let class: ClassRow = sqlx::query_as(
        "SELECT code, title, start_date, end_date, capacity, seats_taken, institution_code \
         FROM courses WHERE code = $1",
    )
    .bind(code)
    .fetch_optional(portal.db.pool())
    .await?
    .ok_or(AppError::NotFound)?;
    if class.institution_code != institution {
        return Err(AppError::Forbidden);
    }
    let rows: Vec<RosterRow> = sqlx::query_as(
        "SELECT e.id, e.user_id, u.name, u.id_sealed, u.phone_sealed, e.status, e.reason, \
         CAST(COALESCE((SELECT SUM(hours) FROM attendance a WHERE a.enrollment_id = e.id), 0) AS BIGINT) AS hours, \
         e.employed, e.employer, e.employed_since \
         FROM enrollments e LEFT JOIN users u ON u.id = e.user_id \
         WHERE e.course_code = $1 \
         ORDER BY CASE e.status WHEN 'waitlisted' THEN 1 WHEN 'cancelled' THEN 2 WHEN 'rejected' THEN 2 ELSE 0 END, e.id",
    )
    .bind(code)
    .fetch_all(portal.db.pool())
    .await?;
    let mut entries = Vec::with_capacity(rows.len());
    let mut subjects = Vec::with_capacity(rows.len());
    let mut position = 0;
    for r in rows {
        let status = status_of(&r.status)?;
        let waitlist_position = (status == Status::Waitlisted).then(|| {
            position += 1;
            position
        });
        let id_number = match &r.id_sealed {
            Some(sealed) => mask_id(&unseal(portal, sealed)?),
            None => String::new(),
        };
        let phone = match &r.phone_sealed {
            Some(sealed) => mask_phone(&unseal(portal, sealed)?),
            None => String::new(),
        };
        subjects.extend(r.user_id);
        entries.push(RosterEntry {
            id: r.id,
            name: r.name.unwrap_or_else(|| "—".into()),
            id_number,
            phone,
            status,
            waitlist_position,
            reason: r.reason,
            hours_attended: count(r.hours),
            employed: r.employed.map(|e| e != 0),
            employer: r.employer,
            employed_since: r.employed_since.as_deref().map(parse_date).transpose()?,
        });
    }
    // Written before anything is shown.
    audit_each(portal, staff.id, "roster_read", &subjects, Some(code)).await?;
    let class = summaries(portal, vec![class]).await?.remove(0);
    Ok(Roster { class, entries })
}

fn clean_text(field: &str, text: Option<&str>, required: bool) -> AppResult<Option<String>> {
    let text = text.map(str::trim).filter(|t| !t.is_empty());
    match text {
        None if required => Err(AppError::field(field, FieldProblem::Required)),
        Some(t) if t.chars().count() > MAX_TEXT_CHARS => Err(AppError::field(
            field,
            FieldProblem::TooLong {
                max: MAX_TEXT_CHARS,
            },
        )),
        other => Ok(other.map(str::to_string)),
    }
}

/// Staff move an enrolment on: approve (from the waiting list, if a seat is free), reject
/// (with a reason; a held seat goes to the waiting list), in training, completed, dropped.
pub async fn change_status(
    portal: &Portal,
    staff: &SignedIn,
    id: i64,
    to: Status,
    reason: Option<&str>,
) -> AppResult<()> {
    if staff.role != Role::InstitutionStaff {
        return Err(AppError::Forbidden);
    }
    let reason = clean_text("reason", reason, rules::reason_required(to))?;
    let mut tx = write_tx(portal).await?;
    let row = load_row(&mut tx, id).await?;
    may_touch(staff, &row)?;
    let from = status_of(&row.status)?;
    let seat = rules::staff_transition(from, to).ok_or(conflict(FieldProblem::BadTransition))?;
    let holds = match seat {
        Seat::Takes => {
            if !take_seat(&mut tx, &row.course_code).await? {
                return Err(conflict(FieldProblem::NoSeat));
            }
            true
        }
        Seat::Frees => false,
        Seat::Keeps => row.holds_seat == 1,
    };
    set_status(
        &mut tx,
        &row,
        to,
        holds,
        reason.as_deref(),
        ActorKind::Staff,
        staff.id,
    )
    .await?;
    if seat == Seat::Frees && row.holds_seat == 1 {
        free_seat(
            &mut tx,
            &row.course_code,
            &row.title,
            parse_date(&row.start_date)?,
            portal.clock.today(),
        )
        .await?;
    }
    tx.commit().await?;
    portal.catalog.seats_changed();
    Ok(())
}

/// Hours attended on one day (1–12); a second record for the same day replaces the first.
pub async fn record_attendance(
    portal: &Portal,
    staff: &SignedIn,
    id: i64,
    day: NaiveDate,
    hours: u32,
) -> AppResult<()> {
    if !(1..=12).contains(&hours) {
        return Err(AppError::field(
            "hours",
            FieldProblem::OutOfRange { min: 1, max: 12 },
        ));
    }
    if day > portal.clock.today() {
        return Err(AppError::field("date", FieldProblem::NotADate));
    }
    if staff.role != Role::InstitutionStaff {
        return Err(AppError::Forbidden);
    }
    let mut tx = write_tx(portal).await?;
    let row = load_row(&mut tx, id).await?;
    may_touch(staff, &row)?;
    if !matches!(
        status_of(&row.status)?,
        Status::Approved | Status::InTraining | Status::Completed
    ) {
        return Err(conflict(FieldProblem::BadTransition));
    }
    sqlx::query(
        "INSERT INTO attendance (enrollment_id, day, hours, recorded_by, recorded_at) \
         VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (enrollment_id, day) DO UPDATE SET hours = excluded.hours, \
         recorded_by = excluded.recorded_by, recorded_at = excluded.recorded_at",
    )
    .bind(id)
    .bind(day.format("%Y-%m-%d").to_string())
    .bind(i64::from(hours))
    .bind(staff.id)
    .bind(now())
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The employment outcome after training (institution staff, or the city's HR officer).
pub async fn record_employment(
    portal: &Portal,
    staff: &SignedIn,
    id: i64,
    employed: bool,
    employer: Option<&str>,
    since: Option<NaiveDate>,
) -> AppResult<()> {
    let employer = clean_text("employer", employer, employed)?;
    if employed && since.is_none() {
        return Err(AppError::field("since", FieldProblem::Required));
    }
    if since.is_some_and(|d| d > portal.clock.today()) {
        return Err(AppError::field("since", FieldProblem::NotADate));
    }
    let mut tx = write_tx(portal).await?;
    let row = load_row(&mut tx, id).await?;
    may_touch(staff, &row)?;
    if !matches!(
        status_of(&row.status)?,
        Status::InTraining | Status::Completed | Status::Dropped
    ) {
        return Err(conflict(FieldProblem::BadTransition));
    }
    sqlx::query("UPDATE enrollments SET employed = $2, employer = $3, employed_since = $4, updated_at = $5 WHERE id = $1")
        .bind(id)
        .bind(i64::from(employed))
        .bind(employer.filter(|_| employed))
        .bind(since.filter(|_| employed).map(|d| d.format("%Y-%m-%d").to_string()))
        .bind(now())
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// How many candidate courses an anonymous check looks at, and how many it lists.
pub const MAX_CHECKED: u32 = 1_000;
pub const MAX_LISTED: usize = 50;

/// The anonymous check: the courses (of the person's city, soonest first) the person may join,
/// each with its reasons and subsidy; or one course, whether or not they may.
pub async fn check(portal: &Portal, question: &super::Question) -> AppResult<super::CheckAnswer> {
    let today = portal.clock.today();
    let asked = question.parse(today)?;
    if let Some(code) = &asked.course {
        let course = catalog::get(portal, code).await?;
        let policy = crate::subsidy::service::policy(portal, course.city).await?;
        let one = super::assess(&course, &asked.applicant, &asked.history, &policy, today);
        return Ok(super::CheckAnswer {
            total: u32::from(one.eligible),
            items: vec![one],
        });
    }
    let mut query = crate::catalog::CourseQuery {
        city: asked.city.into_iter().collect(),
        // Candidates: courses open to one of the person's groups or to all (the engine decides).
        group: asked.applicant.groups.clone(),
        starts_after: today.succ_opt(),
        sort: crate::catalog::Sort::StartDate,
        per_page: 100,
        page: 1,
        ..Default::default()
    };
    let policies = crate::subsidy::service::policies(portal).await?;
    let (mut total, mut items, mut looked) = (0u32, Vec::new(), 0u32);
    loop {
        let list = catalog::search(portal, &query).await?;
        for course in &list.items {
            let policy = policies.of(course.city);
            let a = super::assess(course, &asked.applicant, &asked.history, &policy, today);
            if a.eligible {
                total += 1;
                if items.len() < MAX_LISTED {
                    items.push(a);
                }
            }
        }
        looked += u32::try_from(list.items.len()).unwrap_or(u32::MAX);
        if list.items.is_empty() || query.page >= list.pages() || looked >= MAX_CHECKED {
            break;
        }
        query.page += 1;
    }
    Ok(super::CheckAnswer { total, items })
}

/// The catalogue search; with `eligible=true` for a signed-in trainee, narrowed to the courses
/// the eligibility engine lets them join now. Candidates are pre-selected with the catalogue's
/// own filters (open to the person's groups, not yet started) and at most `MAX_CHECKED` are
/// judged; facet counts are those of the candidates.
pub async fn search(
    portal: &Portal,
    user: Option<&SignedIn>,
    query: &crate::catalog::CourseQuery,
) -> AppResult<crate::catalog::CourseList> {
    let Some(user) = user.filter(|u| u.role == Role::Trainee && query.eligible == Some(true))
    else {
        return catalog::search(portal, query).await;
    };
    let mut conn = portal.db.pool().acquire().await?;
    let applicant = applicant_in(&mut conn, user.id, "").await?;
    let enrolled: Vec<String> = sqlx::query_scalar(
        "SELECT course_code FROM enrollments WHERE user_id = $1 \
         AND status IN ('applied', 'approved', 'waitlisted', 'in_training')",
    )
    .bind(user.id)
    .fetch_all(&mut *conn)
    .await?;
    drop(conn);
    let today = portal.clock.today();
    let mut candidates = query.clone();
    candidates.eligible = None;
    candidates.page = 1;
    candidates.per_page = 100;
    if candidates.group.is_empty() {
        candidates.group = applicant.groups.clone();
    }
    candidates.starts_after = candidates.starts_after.max(today.succ_opt());
    let (mut eligible, mut facets, mut looked) = (Vec::new(), None, 0u32);
    loop {
        let list = catalog::search(portal, &candidates).await?;
        for course in &list.items {
            let person = Applicant {
                enrolled_here: enrolled.contains(&course.code),
                ..applicant.clone()
            };
            if rules::all_ok(&rules::check(course, &person, today)) {
                eligible.push(course.clone());
            }
        }
        looked += u32::try_from(list.items.len()).unwrap_or(u32::MAX);
        let last =
            list.items.is_empty() || candidates.page >= list.pages() || looked >= MAX_CHECKED;
        facets.get_or_insert(list.facets);
        if last {
            break;
        }
        candidates.page += 1;
    }
    let per_page = query.per_page.max(1) as usize;
    let start = (query.page.max(1) as usize - 1) * per_page;
    let total = eligible.len() as u64;
    Ok(crate::catalog::CourseList {
        items: eligible.into_iter().skip(start).take(per_page).collect(),
        total,
        page: query.page,
        per_page: query.per_page,
        facets: facets.unwrap_or_default(),
    })
}
