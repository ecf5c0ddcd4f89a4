//! Disputes in the database (table `disputes`).

use super::DisputeKind;
use crate::error::AppResult;
use crate::list::Paging;
use crate::reference::{City, Enumeration};
use crate::storage::{Conn, Db};

/// The city and title of an enrolment of `user` (one with attendance recorded, when
/// `attended`), if it is theirs.
pub async fn enrollment(
    conn: &mut Conn,
    user: i64,
    id: i64,
    attended: bool,
) -> AppResult<Option<(String, String)>> {
    Ok(sqlx::query_as(
        "SELECT k.city, k.title FROM enrollments e JOIN courses k ON k.code = e.course_code \
         WHERE e.id = $1 AND e.user_id = $2 \
         AND ($3 = 0 OR EXISTS (SELECT 1 FROM attendance a WHERE a.enrollment_id = e.id))",
    )
    .bind(id)
    .bind(user)
    .bind(i64::from(attended))
    .fetch_optional(&mut *conn)
    .await?)
}

/// The city, occupation and level of a claim of `user`, if it is theirs.
pub async fn claim(
    conn: &mut Conn,
    user: i64,
    id: i64,
) -> AppResult<Option<(String, String, String)>> {
    Ok(sqlx::query_as(
        "SELECT city, occupation, level FROM subsidy_claims WHERE id = $1 AND user_id = $2",
    )
    .bind(id)
    .bind(user)
    .fetch_optional(&mut *conn)
    .await?)
}

/// Whether `user` has an open dispute of this record.
pub async fn open(conn: &mut Conn, user: i64, kind: DisputeKind, id: i64) -> AppResult<bool> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM disputes WHERE user_id = $1 AND kind = $2 AND subject_id = $3 \
         AND status = 'open'",
    )
    .bind(user)
    .bind(kind.code())
    .bind(id)
    .fetch_one(&mut *conn)
    .await?;
    Ok(n > 0)
}

/// A dispute to store.
pub struct NewDispute<'a> {
    pub user: i64,
    pub kind: DisputeKind,
    pub subject: i64,
    pub city: &'a str,
    pub title: &'a str,
    pub note: Option<&'a str>,
}

pub async fn insert(conn: &mut Conn, at: &str, d: &NewDispute<'_>) -> AppResult<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO disputes (user_id, kind, subject_id, city, title, note, status, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, 'open', $7) RETURNING id",
    )
    .bind(d.user)
    .bind(d.kind.code())
    .bind(d.subject)
    .bind(d.city)
    .bind(d.title)
    .bind(d.note)
    .bind(at)
    .fetch_one(&mut *conn)
    .await?)
}

/// A dispute with the name of whoever filed it.
#[derive(Debug, sqlx::FromRow)]
pub struct Row {
    pub id: i64,
    pub kind: String,
    pub subject_id: i64,
    pub title: String,
    pub note: Option<String>,
    pub status: String,
    pub resolution: Option<String>,
    pub created_at: String,
    pub resolved_at: Option<String>,
    pub name: Option<String>,
    pub user_id: Option<i64>,
    pub action: Option<String>,
}

const SELECT: &str = "SELECT d.id, d.kind, d.subject_id, d.title, d.note, d.status, d.resolution, \
    d.created_at, d.resolved_at, u.name, d.user_id, d.action FROM disputes d \
    LEFT JOIN users u ON u.id = d.user_id";

pub async fn one(db: &Db, id: i64) -> AppResult<Row> {
    Ok(sqlx::query_as(&format!("{SELECT} WHERE d.id = $1"))
        .bind(id)
        .fetch_one(db.pool())
        .await?)
}

/// A person's disputes, newest first.
pub async fn of_person(db: &Db, user: i64) -> AppResult<Vec<Row>> {
    Ok(
        sqlx::query_as(&format!("{SELECT} WHERE d.user_id = $1 ORDER BY d.id DESC"))
            .bind(user)
            .fetch_all(db.pool())
            .await?,
    )
}

/// One page of a city's disputes (the open ones only, when asked), open ones first, oldest
/// first; and how many there are.
pub async fn of_city(
    db: &Db,
    city: City,
    open_only: bool,
    paging: Paging,
) -> AppResult<(Vec<Row>, u64)> {
    let total: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM disputes WHERE city = $1 AND ($2 = 0 OR status = 'open')",
    )
    .bind(city.code())
    .bind(i64::from(open_only))
    .fetch_one(db.pool())
    .await?;
    let rows = sqlx::query_as(&format!(
        "{SELECT} WHERE d.city = $1 AND ($2 = 0 OR d.status = 'open') \
         ORDER BY CASE d.status WHEN 'open' THEN 0 ELSE 1 END, d.id LIMIT $3 OFFSET $4"
    ))
    .bind(city.code())
    .bind(i64::from(open_only))
    .bind(paging.limit())
    .bind(paging.offset())
    .fetch_all(db.pool())
    .await?;
    Ok((rows, u64::try_from(total).unwrap_or(0)))
}

/// A dispute to resolve, read in the resolution's transaction.
#[derive(Debug, sqlx::FromRow)]
pub struct ToResolve {
    pub status: String,
    pub user_id: Option<i64>,
    pub city: String,
    pub title: String,
    pub kind: String,
    pub subject_id: i64,
}

pub async fn for_resolution(conn: &mut Conn, id: i64) -> AppResult<Option<ToResolve>> {
    Ok(sqlx::query_as(
        "SELECT status, user_id, city, title, kind, subject_id FROM disputes WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?)
}

/// The enrolment a claim was made for (through its certificate).
pub async fn enrollment_of_claim(conn: &mut Conn, claim: i64) -> AppResult<Option<i64>> {
    Ok(sqlx::query_scalar(
        "SELECT c.enrollment_id FROM subsidy_claims s JOIN certificates c \
         ON c.id = s.certificate_id WHERE s.id = $1",
    )
    .bind(claim)
    .fetch_optional(&mut *conn)
    .await?)
}

/// The staff accounts of an institution (told what a dispute about its class did).
pub async fn institution_staff(conn: &mut Conn, institution: &str) -> AppResult<Vec<i64>> {
    Ok(sqlx::query_scalar(
        "SELECT id FROM users WHERE role = 'institution_staff' AND scope = $1 ORDER BY id",
    )
    .bind(institution)
    .fetch_all(&mut *conn)
    .await?)
}

/// Resolves an open dispute with what was found and done, by `by` at `at`; false when it was
/// not open (resolved by someone else first: the condition makes the second change nothing).
pub async fn resolve(
    conn: &mut Conn,
    at: &str,
    id: i64,
    resolution: &str,
    action: &str,
    by: i64,
) -> AppResult<bool> {
    let done = sqlx::query(
        "UPDATE disputes SET status = 'resolved', resolution = $2, resolved_by = $3, \
         resolved_at = $4, action = $5 WHERE id = $1 AND status = 'open'",
    )
    .bind(id)
    .bind(resolution)
    .bind(by)
    .bind(at)
    .bind(action)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// How many of a person's disputes are still open.
pub async fn open_of(conn: &mut Conn, user: i64) -> AppResult<u32> {
    let n: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM disputes WHERE user_id = $1 AND status = 'open'")
            .bind(user)
            .fetch_one(&mut *conn)
            .await?;
    Ok(u32::try_from(n).unwrap_or(u32::MAX))
}
