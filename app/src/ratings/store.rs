//! Ratings in the database (table `ratings`).

use crate::error::AppResult;
use crate::storage::{Conn, Db};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RatingRow {
    pub enrollment_id: i64,
    pub stars: i64,
    pub comment: Option<String>,
    pub rated_on: String,
    pub rated_at: String,
    pub updated_at: String,
}

const COLUMNS: &str = "enrollment_id, stars, comment, rated_on, rated_at, updated_at";

pub async fn get(conn: &mut Conn, enrollment: i64) -> AppResult<Option<RatingRow>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM ratings WHERE enrollment_id = $1"
    ))
    .bind(enrollment)
    .fetch_optional(&mut *conn)
    .await?)
}

/// Gives or changes the rating of `enrollment`. One statement either way: two first ratings
/// sent at once cannot make two rows (the enrolment is the key) nor fail on each other; the
/// later one is the rating, and the first day stays the first one's.
pub async fn put(
    conn: &mut Conn,
    enrollment: i64,
    course: &str,
    stars: u8,
    comment: Option<&str>,
    today: &str,
    at: &str,
) -> AppResult<()> {
    sqlx::query(
        "INSERT INTO ratings (enrollment_id, course_code, stars, comment, rated_on, rated_at, \
         updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6) ON CONFLICT (enrollment_id) DO UPDATE \
         SET stars = excluded.stars, comment = excluded.comment, updated_at = excluded.updated_at",
    )
    .bind(enrollment)
    .bind(course)
    .bind(i64::from(stars))
    .bind(comment)
    .bind(today)
    .bind(at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The ratings of `user`'s enrolments.
pub async fn of_user(db: &Db, user: i64) -> AppResult<Vec<RatingRow>> {
    Ok(sqlx::query_as(
        "SELECT r.enrollment_id, r.stars, r.comment, r.rated_on, r.rated_at, r.updated_at \
         FROM ratings r JOIN enrollments e ON e.id = r.enrollment_id WHERE e.user_id = $1 \
         ORDER BY r.enrollment_id",
    )
    .bind(user)
    .fetch_all(db.pool())
    .await?)
}

/// The ratings of one class, newest first, each with its rater's name (none when the account
/// was deleted).
pub async fn of_course(
    db: &Db,
    course: &str,
) -> AppResult<Vec<(i64, Option<String>, Option<String>, String)>> {
    Ok(sqlx::query_as(
        "SELECT r.stars, r.comment, u.name, r.updated_at FROM ratings r \
         JOIN enrollments e ON e.id = r.enrollment_id LEFT JOIN users u ON u.id = e.user_id \
         WHERE r.course_code = $1 ORDER BY r.updated_at DESC, r.enrollment_id DESC",
    )
    .bind(course)
    .fetch_all(db.pool())
    .await?)
}
