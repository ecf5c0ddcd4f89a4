//! The counts behind the outcomes, from the enrolments, certificates and paid claims.

use super::Counts;
use crate::error::AppResult;
use crate::storage::Db;
use std::collections::HashMap;

/// The statuses of people admitted to a class.
const ADMITTED: &str = "('approved', 'in_training', 'completed', 'dropped')";

/// Counts of the enrolments of one catalogue item.
pub async fn of_course(db: &Db, code: &str) -> AppResult<Counts> {
    counts(db, "e.course_code = $1", code).await
}

/// Counts of the enrolments of an institution's items that publish their own (`min_people`
/// or more admitted).
pub async fn of_institution(db: &Db, code: &str, min_people: u32) -> AppResult<Counts> {
    let filter = format!(
        "k.institution_code = $1 AND e.course_code IN (SELECT a.course_code FROM enrollments a \
         JOIN courses c ON c.code = a.course_code WHERE c.institution_code = $1 \
         AND a.status IN {ADMITTED} GROUP BY a.course_code HAVING COUNT(*) >= {min_people})"
    );
    counts(db, &filter, code).await
}

/// The same counts for each of `codes` (one page of the institutions list), in one grouped
/// query: a page of a hundred institutions is one query, not a hundred.
pub async fn of_institutions(
    db: &Db,
    codes: &[String],
    min_people: u32,
) -> AppResult<HashMap<String, Counts>> {
    grouped(db, "institution_code", codes, min_people).await
}

/// The same for each of `names` (a page of the evaluation organisations' directory): the
/// courses they assess that publish their own figures.
pub async fn of_evaluation_orgs(
    db: &Db,
    names: &[String],
    min_people: u32,
) -> AppResult<HashMap<String, Counts>> {
    grouped(db, "evaluation_org", names, min_people).await
}

/// The counts of the courses whose `column` (a fixed column name, never input) is one of
/// `keys` and that publish their own (`min_people` or more admitted), by key.
async fn grouped(
    db: &Db,
    column: &'static str,
    keys: &[String],
    min_people: u32,
) -> AppResult<HashMap<String, Counts>> {
    if keys.is_empty() {
        return Ok(HashMap::new());
    }
    let list = (1..=keys.len())
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ");
    let filter = format!(
        "k.{column} IN ({list}) AND e.course_code IN (SELECT a.course_code \
         FROM enrollments a JOIN courses c ON c.code = a.course_code \
         WHERE c.{column} IN ({list}) AND a.status IN {ADMITTED} \
         GROUP BY a.course_code HAVING COUNT(*) >= {min_people})"
    );
    let columns = columns();
    let sql = format!(
        "SELECT k.{column}, {columns} FROM enrollments e \
         JOIN courses k ON k.code = e.course_code LEFT JOIN ratings r ON r.enrollment_id = e.id \
         WHERE {filter} GROUP BY k.{column}"
    );
    let mut query = sqlx::query_as::<_, (String, i64, i64, i64, i64, i64, i64, i64, i64)>(&sql);
    for key in keys {
        query = query.bind(key);
    }
    let rows = query.fetch_all(db.pool()).await?;
    Ok(rows
        .into_iter()
        .map(|(key, a, b, c, d, e, f, g, h)| (key, counts_of((a, b, c, d, e, f, g, h))))
        .collect())
}

/// The eight counts of a set of enrolments `e` (of courses `k`).
fn columns() -> String {
    format!("\
           CAST(COALESCE(SUM(CASE WHEN e.status IN {ADMITTED} THEN 1 ELSE 0 END), 0) AS BIGINT), \
           CAST(COALESCE(SUM(CASE WHEN e.status IN ('completed', 'dropped') THEN 1 ELSE 0 END), 0) AS BIGINT), \
           CAST(COALESCE(SUM(CASE WHEN e.status = 'completed' THEN 1 ELSE 0 END), 0) AS BIGINT), \
           CAST(COALESCE(SUM(CASE WHEN e.status = 'completed' AND EXISTS \
             (SELECT 1 FROM certificates c WHERE c.enrollment_id = e.id) THEN 1 ELSE 0 END), 0) AS BIGINT), \
           CAST(COALESCE(SUM(CASE WHEN e.status = 'completed' AND e.employed = 1 THEN 1 ELSE 0 END), 0) AS BIGINT), \
           CAST(COALESCE(SUM(CASE WHEN e.status = 'completed' AND EXISTS \
             (SELECT 1 FROM certificates c JOIN subsidy_claims s ON s.certificate_id = c.id \
              WHERE c.enrollment_id = e.id AND s.status = 'paid') THEN 1 ELSE 0 END), 0) AS BIGINT), \
           CAST(COUNT(r.stars) AS BIGINT), CAST(COALESCE(SUM(r.stars), 0) AS BIGINT)")
}

/// Counts of every enrolment matched by `filter` (a condition on `e` and `k`, bound to `$1`).
async fn counts(db: &Db, filter: &str, value: &str) -> AppResult<Counts> {
    let columns = columns();
    let sql = format!(
        "SELECT {columns} FROM enrollments e JOIN courses k ON k.code = e.course_code \
         LEFT JOIN ratings r ON r.enrollment_id = e.id WHERE {filter}"
    );
    let row: (i64, i64, i64, i64, i64, i64, i64, i64) = sqlx::query_as(&sql)
        .bind(value)
        .fetch_one(db.pool())
        .await?;
    Ok(counts_of(row))
}

fn counts_of(row: (i64, i64, i64, i64, i64, i64, i64, i64)) -> Counts {
    let n = |v: i64| u32::try_from(v).unwrap_or(0);
    Counts {
        enrolled: n(row.0),
        ended: n(row.1),
        completed: n(row.2),
        certified: n(row.3),
        employed: n(row.4),
        claims_paid: n(row.5),
        ratings: n(row.6),
        stars: n(row.7),
    }
}
