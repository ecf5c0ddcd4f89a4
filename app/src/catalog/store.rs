//! The catalogue in the database: table `courses` (one row per catalogue item, with the seats
//! taken) and `catalog_state` (the catalogue's version, moved on by every import that changes
//! something, so each instance knows when to rebuild its search index).

use super::{Course, OpenTo};
use crate::error::{AppError, AppResult};
use crate::list::Paging;
use crate::money::Yuan;
use crate::reference::{
    Accessibility, CertificateType, City, ClassFormat, ClassType, Enumeration, Group, Industry,
    Level,
};
use crate::storage::{Conn, Db};
use chrono::NaiveDate;
use sqlx::any::AnyRow;
use sqlx::Row;
use std::collections::HashMap;

/// Every stored column of a course, in the order `write` binds them.
const COLUMNS: &str = "code, title, occupation, occupation_code, industry, city, district, \
    institution_code, institution, evaluation_org, level, certificate_type, class_format, \
    class_type, groups, min_age, max_age, hours, start_date, end_date, enroll_deadline, capacity, \
    fee_fen, subsidy_fen, accessibility, address, contact_phone, description, demo, \
    evaluation_org_code";

/// Codes joined with `;` and wrapped in `;` so that `LIKE '%;code;%'` finds one exactly.
fn join_codes<E: Enumeration>(values: &[E]) -> String {
    if values.is_empty() {
        return String::new();
    }
    let codes: Vec<&str> = values.iter().map(|v| v.code()).collect();
    format!(";{};", codes.join(";"))
}

fn corrupt(column: &str, value: &str) -> AppError {
    AppError::Internal(format!("stored course has an invalid {column}: {value:?}"))
}

fn split_codes<E: Enumeration>(text: &str) -> AppResult<Vec<E>> {
    text.split(';')
        .filter(|c| !c.is_empty())
        .map(|c| E::from_code(c).ok_or_else(|| corrupt("list", c)))
        .collect()
}

fn code_of<E: Enumeration>(column: &str, value: &str) -> AppResult<E> {
    E::from_code(value).ok_or_else(|| corrupt(column, value))
}

fn date_of(column: &str, value: &str) -> AppResult<NaiveDate> {
    NaiveDate::parse_from_str(value, "%Y-%m-%d").map_err(|_| corrupt(column, value))
}

/// A stored row (`COLUMNS` and `seats_taken`) as a course.
fn course_of(row: &AnyRow) -> AppResult<Course> {
    let text = |c: &str| row.try_get::<String, _>(c);
    let maybe = |c: &str| row.try_get::<Option<String>, _>(c);
    let number = |c: &str| row.try_get::<i64, _>(c);
    let small = |c: &str| -> AppResult<Option<u8>> {
        Ok(row
            .try_get::<Option<i64>, _>(c)?
            .and_then(|n| u8::try_from(n).ok()))
    };
    let count = |n: i64| u32::try_from(n).unwrap_or(0);
    let groups = text("groups")?;
    let capacity = number("capacity")?;
    Ok(Course {
        code: text("code")?,
        title: text("title")?,
        occupation: text("occupation")?,
        occupation_code: maybe("occupation_code")?,
        industry: code_of::<Industry>("industry", &text("industry")?)?,
        city: code_of::<City>("city", &text("city")?)?,
        district: maybe("district")?,
        institution_code: text("institution_code")?,
        institution: text("institution")?,
        evaluation_org_code: super::directory::evaluation_org_code(
            maybe("evaluation_org_code")?,
            maybe("evaluation_org")?.as_deref(),
        ),
        evaluation_org: maybe("evaluation_org")?,
        level: code_of::<Level>("level", &text("level")?)?,
        certificate_type: code_of::<CertificateType>(
            "certificate_type",
            &text("certificate_type")?,
        )?,
        class_format: code_of::<ClassFormat>("class_format", &text("class_format")?)?,
        class_type: code_of::<ClassType>("class_type", &text("class_type")?)?,
        groups: if groups == "all" {
            OpenTo::All
        } else {
            OpenTo::Groups(split_codes::<Group>(&groups)?)
        },
        min_age: small("min_age")?,
        max_age: small("max_age")?,
        hours: count(number("hours")?),
        start_date: date_of("start_date", &text("start_date")?)?,
        end_date: date_of("end_date", &text("end_date")?)?,
        enroll_deadline: date_of("enroll_deadline", &text("enroll_deadline")?)?,
        capacity: count(capacity),
        seats_left: count(capacity - number("seats_taken")?),
        fee_yuan: Yuan::from_fen(number("fee_fen")?),
        subsidy_yuan: Yuan::from_fen(number("subsidy_fen")?),
        accessibility: split_codes::<Accessibility>(&text("accessibility")?)?,
        address: text("address")?,
        contact_phone: maybe("contact_phone")?,
        description: maybe("description")?,
        demo: number("demo")? != 0,
        outcomes: None,
    })
}

/// One course by its code.
pub async fn one(conn: &mut Conn, code: &str) -> AppResult<Option<Course>> {
    let sql = format!("SELECT {COLUMNS}, seats_taken FROM courses WHERE code = $1");
    let row = sqlx::query(&sql)
        .bind(code)
        .fetch_optional(&mut *conn)
        .await?;
    row.as_ref().map(course_of).transpose()
}

/// The catalogue's version.
pub async fn version(db: &Db) -> AppResult<i64> {
    Ok(
        sqlx::query_scalar("SELECT version FROM catalog_state WHERE id = 1")
            .fetch_one(db.pool())
            .await?,
    )
}

/// Every course, with the version they are of (read in one transaction). Each row becomes a
/// `Course` as it arrives: holding all the raw rows first (`fetch_all`, about 2 KB each) kept
/// some 200 MB more resident after the index was built.
pub async fn all(db: &Db) -> AppResult<(i64, Vec<Course>)> {
    use futures_util::TryStreamExt;
    let mut tx = db.pool().begin().await?;
    let version: i64 = sqlx::query_scalar("SELECT version FROM catalog_state WHERE id = 1")
        .fetch_one(&mut *tx)
        .await?;
    let sql = format!("SELECT {COLUMNS}, seats_taken FROM courses");
    let mut courses = Vec::new();
    {
        let mut rows = sqlx::query(&sql).fetch(&mut *tx);
        while let Some(row) = rows.try_next().await? {
            courses.push(course_of(&row)?);
        }
    }
    tx.commit().await?;
    Ok((version, courses))
}

pub async fn count(db: &Db) -> AppResult<u64> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM courses")
        .fetch_one(db.pool())
        .await?;
    Ok(u64::try_from(n).unwrap_or(0))
}

/// Whether the database is a demo database: it holds a course, and no course that is not
/// demo data (each question stops at the first row that answers it).
pub async fn demo_database(db: &Db) -> AppResult<bool> {
    let (any, real): (i64, i64) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM (SELECT 1 FROM courses LIMIT 1) a), \
         (SELECT COUNT(*) FROM (SELECT 1 FROM courses WHERE demo = 0 LIMIT 1) r)",
    )
    .fetch_one(db.pool())
    .await?;
    Ok(any > 0 && real == 0)
}

/// How many courses are not demo data (a real catalogue's).
pub async fn real_count(db: &Db) -> AppResult<u64> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM courses WHERE demo = 0")
        .fetch_one(db.pool())
        .await?;
    Ok(u64::try_from(n).unwrap_or(0))
}

/// Stores `c` (a new course, or with `update` a new version of a stored one) at `at`.
pub async fn write(conn: &mut Conn, c: &Course, at: &str, update: bool) -> AppResult<()> {
    let sql = if update {
        "UPDATE courses SET title = $2, occupation = $3, occupation_code = $4, industry = $5, \
         city = $6, district = $7, institution_code = $8, institution = $9, evaluation_org = $10, \
         level = $11, certificate_type = $12, class_format = $13, class_type = $14, groups = $15, \
         min_age = $16, max_age = $17, hours = $18, start_date = $19, end_date = $20, \
         enroll_deadline = $21, capacity = $22, fee_fen = $23, subsidy_fen = $24, \
         accessibility = $25, address = $26, contact_phone = $27, description = $28, demo = $29, \
         evaluation_org_code = $30, updated_at = $31 WHERE code = $1"
            .to_string()
    } else {
        format!(
            "INSERT INTO courses ({COLUMNS}, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, \
             $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, \
             $26, $27, $28, $29, $30, $31)"
        )
    };
    let groups = match &c.groups {
        OpenTo::All => "all".to_string(),
        OpenTo::Groups(groups) => join_codes(groups),
    };
    sqlx::query(&sql)
        .bind(&c.code)
        .bind(&c.title)
        .bind(&c.occupation)
        .bind(&c.occupation_code)
        .bind(c.industry.code())
        .bind(c.city.code())
        .bind(&c.district)
        .bind(&c.institution_code)
        .bind(&c.institution)
        .bind(&c.evaluation_org)
        .bind(c.level.code())
        .bind(c.certificate_type.code())
        .bind(c.class_format.code())
        .bind(c.class_type.code())
        .bind(groups)
        .bind(c.min_age.map(i64::from))
        .bind(c.max_age.map(i64::from))
        .bind(i64::from(c.hours))
        .bind(c.start_date.to_string())
        .bind(c.end_date.to_string())
        .bind(c.enroll_deadline.to_string())
        .bind(i64::from(c.capacity))
        .bind(c.fee_yuan.fen())
        .bind(c.subsidy_yuan.fen())
        .bind(join_codes(&c.accessibility))
        .bind(&c.address)
        .bind(&c.contact_phone)
        .bind(&c.description)
        .bind(i64::from(c.demo))
        // A code derived from the name is not stored (the name gives it again), so that a
        // code a file gave is the only one kept for an organisation.
        .bind(c.evaluation_org_code.as_ref().filter(|code| {
            super::directory::evaluation_org_code(None, c.evaluation_org.as_deref()).as_ref()
                != Some(*code)
        }))
        .bind(at)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// The dates of the demo courses no one has enrolled in: (code, start, end, deadline).
pub async fn demo_dates_unenrolled(
    conn: &mut Conn,
) -> AppResult<Vec<(String, NaiveDate, NaiveDate, NaiveDate)>> {
    let rows: Vec<(String, String, String, String)> = sqlx::query_as(
        "SELECT code, start_date, end_date, enroll_deadline FROM courses c WHERE demo = 1 \
         AND NOT EXISTS (SELECT 1 FROM enrollments e WHERE e.course_code = c.code) ORDER BY code",
    )
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter()
        .map(|(code, start, end, deadline)| {
            let day = |t: &str| {
                t.parse::<NaiveDate>()
                    .map_err(|_| AppError::Internal(format!("course {code}: a stored date {t:?}")))
            };
            Ok((code.clone(), day(&start)?, day(&end)?, day(&deadline)?))
        })
        .collect()
}

/// New dates for course `code`.
pub async fn set_dates(
    conn: &mut Conn,
    code: &str,
    start: NaiveDate,
    end: NaiveDate,
    deadline: NaiveDate,
) -> AppResult<()> {
    sqlx::query(
        "UPDATE courses SET start_date = $2, end_date = $3, enroll_deadline = $4 WHERE code = $1",
    )
    .bind(code)
    .bind(start.to_string())
    .bind(end.to_string())
    .bind(deadline.to_string())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Moves the catalogue's version on (every instance rebuilds its index).
pub async fn bump_version(conn: &mut Conn) -> AppResult<()> {
    sqlx::query("UPDATE catalog_state SET version = version + 1 WHERE id = 1")
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Takes one seat of `code` if one is free. This conditional update is the only place a seat
/// is taken (see `enrollment::service`).
pub async fn take_seat(conn: &mut Conn, code: &str) -> AppResult<bool> {
    let done = sqlx::query(
        "UPDATE courses SET seats_taken = seats_taken + 1 \
         WHERE code = $1 AND seats_taken < capacity",
    )
    .bind(code)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Gives one seat of `code` back.
pub async fn give_back_seat(conn: &mut Conn, code: &str) -> AppResult<()> {
    sqlx::query(
        "UPDATE courses SET seats_taken = seats_taken - 1 WHERE code = $1 AND seats_taken > 0",
    )
    .bind(code)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The codes of the courses with no seat left.
pub async fn full_codes(db: &Db) -> AppResult<Vec<String>> {
    Ok(
        sqlx::query_scalar("SELECT code FROM courses WHERE seats_taken >= capacity")
            .fetch_all(db.pool())
            .await?,
    )
}

/// Seats left of each of `codes`, from one statement for any number of codes (a JSON array),
/// so it is prepared once.
pub async fn seats(db: &Db, codes: &[&str]) -> AppResult<HashMap<String, u32>> {
    if codes.is_empty() {
        return Ok(HashMap::new());
    }
    let list = serde_json::to_string(codes).map_err(|e| AppError::Internal(e.to_string()))?;
    let rows: Vec<(String, i64)> = sqlx::query_as(&format!(
        "SELECT code, capacity - seats_taken FROM courses WHERE code IN ({})",
        db.json_strings(1)
    ))
    .bind(list)
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        .map(|(code, n)| (code, u32::try_from(n).unwrap_or(0)))
        .collect())
}

/// A course as an institution's console lists it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ClassRow {
    pub code: String,
    pub title: String,
    pub start_date: String,
    pub end_date: String,
    pub capacity: i64,
    pub seats_taken: i64,
    pub institution_code: String,
    pub city: String,
}

const CLASS_COLUMNS: &str =
    "code, title, start_date, end_date, capacity, seats_taken, institution_code, city";

/// One page of an institution's courses, soonest first, and how many it has.
pub async fn classes_of(
    db: &Db,
    institution: &str,
    paging: Paging,
) -> AppResult<(Vec<ClassRow>, u64)> {
    let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM courses WHERE institution_code = $1")
        .bind(institution)
        .fetch_one(db.pool())
        .await?;
    let rows = sqlx::query_as(&format!(
        "SELECT {CLASS_COLUMNS} FROM courses WHERE institution_code = $1 \
         ORDER BY start_date, code LIMIT $2 OFFSET $3"
    ))
    .bind(institution)
    .bind(paging.limit())
    .bind(paging.offset())
    .fetch_all(db.pool())
    .await?;
    Ok((rows, u64::try_from(total).unwrap_or(0)))
}

/// One course as a class.
pub async fn class(db: &Db, code: &str) -> AppResult<Option<ClassRow>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {CLASS_COLUMNS} FROM courses WHERE code = $1"
    ))
    .bind(code)
    .fetch_optional(db.pool())
    .await?)
}

/// An institution's courses, by start date: (institution's name, city, code, title, start).
pub async fn courses_of_institution(
    db: &Db,
    code: &str,
) -> AppResult<Vec<(String, String, String, String, String)>> {
    Ok(sqlx::query_as(
        "SELECT institution, city, code, title, start_date FROM courses \
         WHERE institution_code = $1 ORDER BY start_date, code",
    )
    .bind(code)
    .fetch_all(db.pool())
    .await?)
}
