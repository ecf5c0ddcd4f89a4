//! Enrolments in the database: tables `enrollments` (one row per person and class, with its
//! status and whether it holds a seat), `enrollment_events` (the timeline) and `attendance`.
//! The seat counts themselves are the catalogue's (`catalog::store::take_seat`).

use super::{ActorKind, Employment, Status};
use crate::error::AppResult;
use crate::storage::{Conn, Db};
use chrono::NaiveDate;
use std::collections::HashMap;

/// The statuses that count as active (one per class, three at a time).
const ACTIVE: &str = "('applied', 'approved', 'waitlisted', 'in_training')";

/// How many active enrolments a person holds, and whether one is in `course`.
pub async fn active_counts(conn: &mut Conn, user: i64, course: &str) -> AppResult<(i64, i64)> {
    Ok(sqlx::query_as(&format!(
        "SELECT COUNT(*), CAST(COALESCE(SUM(CASE WHEN course_code = $2 THEN 1 ELSE 0 END), 0) \
         AS BIGINT) FROM enrollments WHERE user_id = $1 AND status IN {ACTIVE}"
    ))
    .bind(user)
    .bind(course)
    .fetch_one(&mut *conn)
    .await?)
}

/// The classes a person is actively enrolled in.
pub async fn active_courses(conn: &mut Conn, user: i64) -> AppResult<Vec<String>> {
    Ok(sqlx::query_scalar(&format!(
        "SELECT course_code FROM enrollments WHERE user_id = $1 AND status IN {ACTIVE}"
    ))
    .bind(user)
    .fetch_all(&mut *conn)
    .await?)
}

/// A person's applications waiting for a group's verification, oldest first.
pub async fn applied_ids(conn: &mut Conn, user: i64) -> AppResult<Vec<i64>> {
    Ok(sqlx::query_scalar(
        "SELECT id FROM enrollments WHERE user_id = $1 AND status = 'applied' ORDER BY id",
    )
    .bind(user)
    .fetch_all(&mut *conn)
    .await?)
}

/// A person's active enrolments.
pub async fn active_ids(conn: &mut Conn, user: i64) -> AppResult<Vec<i64>> {
    Ok(sqlx::query_scalar(&format!(
        "SELECT id FROM enrollments WHERE user_id = $1 AND status IN {ACTIVE}"
    ))
    .bind(user)
    .fetch_all(&mut *conn)
    .await?)
}

/// The active enrolments of a class and their people: (enrolment, person).
pub async fn active_in_course(conn: &mut Conn, course: &str) -> AppResult<Vec<(i64, Option<i64>)>> {
    Ok(sqlx::query_as(&format!(
        "SELECT id, user_id FROM enrollments WHERE course_code = $1 AND status IN {ACTIVE} \
         ORDER BY id"
    ))
    .bind(course)
    .fetch_all(&mut *conn)
    .await?)
}

/// A new enrolment; `None` when the person already holds an active one in the class (the
/// partial unique index `enrollments_one_active` decides, whatever the race).
pub async fn insert(
    conn: &mut Conn,
    at: &str,
    user: i64,
    course: &str,
    status: Status,
    seated: bool,
) -> AppResult<Option<i64>> {
    let inserted = sqlx::query_scalar::<_, i64>(
        "INSERT INTO enrollments (user_id, course_code, status, holds_seat, created_at, updated_at, \
         person_mac) VALUES ($1, $2, $3, $4, $5, $5, (SELECT id_mac FROM users WHERE id = $1)) \
         RETURNING id",
    )
    .bind(user)
    .bind(course)
    .bind(status.code())
    .bind(i64::from(seated))
    .bind(at)
    .fetch_one(&mut *conn)
    .await;
    match inserted {
        Ok(id) => Ok(Some(id)),
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// One step of an enrolment's timeline: its new status, who made the change, and why.
pub struct Event<'a> {
    pub enrollment: i64,
    pub status: Status,
    pub actor: ActorKind,
    pub actor_id: Option<i64>,
    pub reason: Option<&'a str>,
}

pub async fn record(conn: &mut Conn, at: &str, e: &Event<'_>) -> AppResult<()> {
    sqlx::query(
        "INSERT INTO enrollment_events (enrollment_id, at, status, actor, actor_id, reason) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(e.enrollment)
    .bind(at)
    .bind(e.status.code())
    .bind(e.actor.code())
    .bind(e.actor_id)
    .bind(e.reason)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// An enrolment with what the rules need of its class.
#[derive(Debug, sqlx::FromRow)]
pub struct EnrollmentRow {
    pub id: i64,
    pub user_id: Option<i64>,
    pub course_code: String,
    pub status: String,
    pub holds_seat: i64,
    pub title: String,
    pub institution_code: String,
    pub city: String,
    pub start_date: String,
    pub end_date: String,
}

pub async fn load(conn: &mut Conn, id: i64) -> AppResult<Option<EnrollmentRow>> {
    Ok(sqlx::query_as(
        "SELECT e.id, e.user_id, e.course_code, e.status, e.holds_seat, c.title, \
         c.institution_code, c.city, c.start_date, c.end_date \
         FROM enrollments e JOIN courses c ON c.code = e.course_code WHERE e.id = $1",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?)
}

/// An enrolment's new status (and whether it holds a seat, and why it changed).
pub async fn set_status(
    conn: &mut Conn,
    at: &str,
    id: i64,
    to: Status,
    holds_seat: bool,
    reason: Option<&str>,
) -> AppResult<()> {
    sqlx::query(
        "UPDATE enrollments SET status = $2, holds_seat = $3, reason = $4, updated_at = $5 \
         WHERE id = $1",
    )
    .bind(id)
    .bind(to.code())
    .bind(i64::from(holds_seat))
    .bind(reason)
    .bind(at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The head of a class's waiting list: (enrolment, person).
pub async fn head_of_waitlist(
    conn: &mut Conn,
    course: &str,
) -> AppResult<Option<(i64, Option<i64>)>> {
    Ok(sqlx::query_as(
        "SELECT id, user_id FROM enrollments WHERE course_code = $1 AND status = 'waitlisted' \
         ORDER BY id LIMIT 1",
    )
    .bind(course)
    .fetch_optional(&mut *conn)
    .await?)
}

/// An enrolment's place on its class's waiting list (1 = next).
pub async fn waitlist_position(conn: &mut Conn, course: &str, id: i64) -> AppResult<u32> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM enrollments WHERE course_code = $1 AND status = 'waitlisted' \
         AND id <= $2",
    )
    .bind(course)
    .bind(id)
    .fetch_one(&mut *conn)
    .await?;
    Ok(u32::try_from(n).unwrap_or(u32::MAX))
}

/// A person's enrolment as they see it.
#[derive(Debug, sqlx::FromRow)]
pub struct MineRow {
    pub id: i64,
    pub course_code: String,
    pub title: String,
    pub institution: String,
    pub start_date: String,
    pub end_date: String,
    pub status: String,
    pub reason: Option<String>,
    pub created_at: String,
    pub hours: i64,
    pub position: Option<i64>,
}

/// A person's enrolments, newest first.
pub async fn of_person(db: &Db, user: i64) -> AppResult<Vec<MineRow>> {
    Ok(sqlx::query_as(
        "SELECT e.id, e.course_code, c.title, c.institution, c.start_date, c.end_date, e.status, \
         e.reason, e.created_at, \
         CAST(COALESCE((SELECT SUM(hours) FROM attendance a WHERE a.enrollment_id = e.id), 0) AS BIGINT) AS hours, \
         CASE WHEN e.status = 'waitlisted' THEN (SELECT COUNT(*) FROM enrollments w \
              WHERE w.course_code = e.course_code AND w.status = 'waitlisted' AND w.id <= e.id) END AS position \
         FROM enrollments e JOIN courses c ON c.code = e.course_code \
         WHERE e.user_id = $1 ORDER BY e.id DESC",
    )
    .bind(user)
    .fetch_all(db.pool())
    .await?)
}

/// The timeline steps of a person's enrolments, oldest first: (enrolment, at, status, actor,
/// reason).
pub async fn events_of_person(
    db: &Db,
    user: i64,
) -> AppResult<Vec<(i64, String, String, String, Option<String>)>> {
    Ok(sqlx::query_as(
        "SELECT v.enrollment_id, v.at, v.status, v.actor, v.reason FROM enrollment_events v \
         JOIN enrollments e ON e.id = v.enrollment_id WHERE e.user_id = $1 ORDER BY v.id",
    )
    .bind(user)
    .fetch_all(db.pool())
    .await?)
}

/// How many enrolments of each status each class has, from one grouped query however many
/// classes there are.
pub async fn counts_by_status(
    db: &Db,
    codes: &[&str],
) -> AppResult<HashMap<(String, String), i64>> {
    let list = serde_json::to_string(codes)
        .map_err(|e| crate::error::AppError::Internal(e.to_string()))?;
    let counts: Vec<(String, String, i64)> = sqlx::query_as(&format!(
        "SELECT course_code, status, COUNT(*) FROM enrollments \
         WHERE course_code IN ({}) GROUP BY course_code, status",
        db.json_strings(1)
    ))
    .bind(list)
    .fetch_all(db.pool())
    .await?;
    Ok(counts
        .into_iter()
        .map(|(code, status, n)| ((code, status), n))
        .collect())
}

/// A person on a class's roster, their numbers sealed.
#[derive(Debug, sqlx::FromRow)]
pub struct RosterRow {
    pub id: i64,
    pub user_id: Option<i64>,
    pub name: Option<String>,
    pub id_sealed: Option<Vec<u8>>,
    pub phone_sealed: Option<Vec<u8>>,
    pub status: String,
    pub reason: Option<String>,
    pub hours: i64,
    pub employed: Option<i64>,
    pub employer: Option<String>,
    pub employed_since: Option<String>,
    pub employment_evidence: Option<String>,
}

/// Everyone who enrolled in a class: the admitted first, then the waiting list in order, then
/// those cancelled or rejected.
pub async fn roster(db: &Db, course: &str) -> AppResult<Vec<RosterRow>> {
    Ok(sqlx::query_as(
        "SELECT e.id, e.user_id, u.name, u.id_sealed, u.phone_sealed, e.status, e.reason, \
         CAST(COALESCE((SELECT SUM(hours) FROM attendance a WHERE a.enrollment_id = e.id), 0) AS BIGINT) AS hours, \
         e.employed, e.employer, e.employed_since, e.employment_evidence \
         FROM enrollments e LEFT JOIN users u ON u.id = e.user_id \
         WHERE e.course_code = $1 \
         ORDER BY CASE e.status WHEN 'waitlisted' THEN 1 WHEN 'cancelled' THEN 2 WHEN 'rejected' THEN 2 ELSE 0 END, e.id",
    )
    .bind(course)
    .fetch_all(db.pool())
    .await?)
}

/// Hours attended on a day, recorded by `by`; a second record for the same day replaces the
/// first.
pub async fn record_attendance(
    conn: &mut Conn,
    at: &str,
    id: i64,
    day: NaiveDate,
    hours: u32,
    by: i64,
) -> AppResult<()> {
    sqlx::query(
        "INSERT INTO attendance (enrollment_id, day, hours, recorded_by, recorded_at) \
         VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (enrollment_id, day) DO UPDATE SET hours = excluded.hours, \
         recorded_by = excluded.recorded_by, recorded_at = excluded.recorded_at",
    )
    .bind(id)
    .bind(day.format("%Y-%m-%d").to_string())
    .bind(i64::from(hours))
    .bind(by)
    .bind(at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The hours recorded for one day, if any.
pub async fn attendance_on(conn: &mut Conn, id: i64, day: NaiveDate) -> AppResult<Option<i64>> {
    Ok(
        sqlx::query_scalar("SELECT hours FROM attendance WHERE enrollment_id = $1 AND day = $2")
            .bind(id)
            .bind(day.format("%Y-%m-%d").to_string())
            .fetch_optional(&mut *conn)
            .await?,
    )
}

/// The employment outcome recorded so far (`None` when none was recorded).
pub async fn employment_of(conn: &mut Conn, id: i64) -> AppResult<Option<Employment>> {
    type Row = (
        Option<i64>,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
    );
    let row: Option<Row> = sqlx::query_as(
        "SELECT employed, employer, employed_since, employment_evidence, \
         employment_evidence_ref FROM enrollments WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(
        row.and_then(|(employed, employer, since, kind, reference)| {
            Some(Employment {
                employed: employed? != 0,
                employer,
                since: since.and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok()),
                evidence: kind.as_deref().and_then(super::JobEvidence::from_code),
                evidence_ref: reference,
            })
        }),
    )
}

/// The employment outcome after training, recorded by `by` at `at` (employer, start date and
/// evidence only when employed).
pub async fn record_employment(
    conn: &mut Conn,
    at: &str,
    id: i64,
    job: &Employment,
    by: i64,
) -> AppResult<()> {
    let employed = job.employed;
    sqlx::query(
        "UPDATE enrollments SET employed = $2, employer = $3, employed_since = $4, \
         employment_evidence = $5, employment_evidence_ref = $6, employment_recorded_by = $7, \
         employment_recorded_at = $8, updated_at = $8 WHERE id = $1",
    )
    .bind(id)
    .bind(i64::from(employed))
    .bind(job.employer.as_deref().filter(|_| employed))
    .bind(
        job.since
            .filter(|_| employed)
            .map(|d| d.format("%Y-%m-%d").to_string()),
    )
    .bind(job.evidence.filter(|_| employed).map(|e| e.code()))
    .bind(job.evidence_ref.as_deref().filter(|_| employed))
    .bind(by)
    .bind(at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Moves one day's attendance of an enrolment to `attendance_voided`; the hours it had, or
/// `None` when none was recorded that day.
pub async fn void_attendance_day(
    conn: &mut Conn,
    at: &str,
    enrollment: i64,
    day: &str,
    by: Option<i64>,
    reason: &str,
) -> AppResult<Option<i64>> {
    let hours: Option<i64> =
        sqlx::query_scalar("SELECT hours FROM attendance WHERE enrollment_id = $1 AND day = $2")
            .bind(enrollment)
            .bind(day)
            .fetch_optional(&mut *conn)
            .await?;
    if hours.is_none() {
        return Ok(None);
    }
    sqlx::query(
        "INSERT INTO attendance_voided (enrollment_id, day, hours, recorded_by, recorded_at, \
         voided_by, voided_at, reason) SELECT enrollment_id, day, hours, recorded_by, \
         recorded_at, $3, $4, $5 FROM attendance WHERE enrollment_id = $1 AND day = $2",
    )
    .bind(enrollment)
    .bind(day)
    .bind(by)
    .bind(at)
    .bind(reason)
    .execute(&mut *conn)
    .await?;
    sqlx::query("DELETE FROM attendance WHERE enrollment_id = $1 AND day = $2")
        .bind(enrollment)
        .bind(day)
        .execute(&mut *conn)
        .await?;
    Ok(hours)
}

/// Enrolments still waiting (on the waiting list, or for a group's verification) in classes
/// that started on or before `today`, oldest first.
pub async fn waiting_in_started(
    pool: &sqlx::AnyPool,
    today: &str,
    limit: i64,
) -> AppResult<Vec<i64>> {
    Ok(sqlx::query_scalar(
        "SELECT e.id FROM enrollments e JOIN courses c ON c.code = e.course_code \
         WHERE e.status IN ('waitlisted', 'applied') AND c.start_date <= $1 \
         ORDER BY e.id LIMIT $2",
    )
    .bind(today)
    .bind(limit)
    .fetch_all(pool)
    .await?)
}
