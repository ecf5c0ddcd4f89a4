//! The directories in the database: institutions and evaluation organisations grouped from
//! the catalogue's courses, a page at a time, with the occupations and cities of a page's
//! entries in one grouped query each.

use crate::error::AppResult;
use crate::list::Paging;
use crate::reference::{City, Enumeration, Industry};
use crate::storage::Db;
use std::collections::BTreeMap;

/// A training institution as the catalogue lists it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct InstitutionRow {
    pub code: String,
    pub name: String,
    pub city: String,
    pub courses: i64,
}

/// An evaluation organisation as the catalogue names it, with the code of its courses (none
/// for courses stored before codes were kept).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct EvaluationOrgRow {
    pub name: String,
    pub code: Option<String>,
    pub courses: i64,
}

/// `WHERE` conditions on the courses for the cities and industries asked for (`$1`…), and
/// the values to bind, in order.
fn filter(cities: &[City], industries: &[Industry], extra: Option<&str>) -> (String, Vec<String>) {
    let mut conditions: Vec<String> = extra.map(str::to_string).into_iter().collect();
    let mut values: Vec<String> = Vec::new();
    let mut marks = |column: &str, codes: Vec<String>, values: &mut Vec<String>| {
        if codes.is_empty() {
            return;
        }
        let first = values.len() + 1;
        let list: Vec<String> = (first..first + codes.len())
            .map(|i| format!("${i}"))
            .collect();
        conditions.push(format!("{column} IN ({})", list.join(", ")));
        values.extend(codes);
    };
    marks(
        "city",
        cities.iter().map(|c| c.code().to_string()).collect(),
        &mut values,
    );
    marks(
        "industry",
        industries.iter().map(|i| i.code().to_string()).collect(),
        &mut values,
    );
    let sql = if conditions.is_empty() {
        String::new()
    } else {
        format!(" WHERE {}", conditions.join(" AND "))
    };
    (sql, values)
}

/// One page of the institutions with courses (of `cities` and `industries`, when any), by
/// name, and how many there are. `$n` written out: sqlx's QueryBuilder writes `?`, which
/// PostgreSQL does not take.
pub async fn institutions(
    db: &Db,
    cities: &[City],
    industries: &[Industry],
    paging: Paging,
) -> AppResult<(Vec<InstitutionRow>, u64)> {
    let (filter, values) = filter(cities, industries, None);
    let (limit, offset) = (values.len() + 1, values.len() + 2);
    let count = format!("SELECT COUNT(DISTINCT institution_code) FROM courses{filter}");
    let list = format!(
        "SELECT institution_code AS code, MAX(institution) AS name, MIN(city) AS city, \
         COUNT(*) AS courses FROM courses{filter} GROUP BY institution_code \
         ORDER BY name, code LIMIT ${limit} OFFSET ${offset}"
    );
    page_of(db, &count, &list, &values, paging).await
}

/// One page of the evaluation organisations named by courses (of `cities` and `industries`,
/// when any), by name, and how many there are. An organisation is its name, as an
/// evaluator's scope is.
pub async fn evaluation_orgs(
    db: &Db,
    cities: &[City],
    industries: &[Industry],
    paging: Paging,
) -> AppResult<(Vec<EvaluationOrgRow>, u64)> {
    let (filter, values) = filter(cities, industries, Some("evaluation_org IS NOT NULL"));
    let (limit, offset) = (values.len() + 1, values.len() + 2);
    let count = format!("SELECT COUNT(DISTINCT evaluation_org) FROM courses{filter}");
    let list = format!(
        "SELECT evaluation_org AS name, MAX(evaluation_org_code) AS code, COUNT(*) AS courses \
         FROM courses{filter} GROUP BY evaluation_org ORDER BY name LIMIT ${limit} OFFSET ${offset}"
    );
    page_of(db, &count, &list, &values, paging).await
}

/// One page of a directory: `count` and `list` take the filter's `values` (`$1`…), `list`
/// then the page's limit and offset.
async fn page_of<T>(
    db: &Db,
    count: &str,
    list: &str,
    values: &[String],
    paging: Paging,
) -> AppResult<(Vec<T>, u64)>
where
    T: for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow> + Send + Unpin,
{
    let mut counting = sqlx::query_scalar(count);
    for v in values {
        counting = counting.bind(v);
    }
    let total: i64 = counting.fetch_one(db.pool()).await?;
    let mut listing = sqlx::query_as::<_, T>(list);
    for v in values {
        listing = listing.bind(v);
    }
    let rows = listing
        .bind(paging.limit())
        .bind(paging.offset())
        .fetch_all(db.pool())
        .await?;
    Ok((rows, u64::try_from(total).unwrap_or(0)))
}

/// The distinct values of `column` for each of `keys` (values of `key_column`) among the
/// courses of `cities` and `industries` (all when none), in one grouped query: the
/// occupations of a page of institutions, the cities of a page of organisations. An entry
/// so tells of the same courses it counts.
pub async fn values_of(
    db: &Db,
    (key_column, column): (Keyed, Listed),
    keys: &[String],
    cities: &[City],
    industries: &[Industry],
) -> AppResult<BTreeMap<String, Vec<String>>> {
    if keys.is_empty() {
        return Ok(BTreeMap::new());
    }
    let (key, value) = (key_column.column(), column.column());
    let (filter, values) = filter(cities, industries, None);
    let first = values.len() + 1;
    let marks: Vec<String> = (first..first + keys.len())
        .map(|i| format!("${i}"))
        .collect();
    let among = if filter.is_empty() { " WHERE" } else { " AND" };
    let sql = format!(
        "SELECT {key}, {value} FROM courses{filter}{among} {key} IN ({}) \
         GROUP BY {key}, {value} ORDER BY {key}, {value}",
        marks.join(", ")
    );
    let mut query = sqlx::query_as::<_, (String, String)>(&sql);
    for v in values.iter().chain(keys) {
        query = query.bind(v);
    }
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (k, v) in query.fetch_all(db.pool()).await? {
        out.entry(k).or_default().push(v);
    }
    Ok(out)
}

/// What a directory entry is keyed by (a fixed column name, never input).
#[derive(Debug, Clone, Copy)]
pub enum Keyed {
    Institution,
    EvaluationOrg,
}

impl Keyed {
    fn column(self) -> &'static str {
        match self {
            Keyed::Institution => "institution_code",
            Keyed::EvaluationOrg => "evaluation_org",
        }
    }
}

/// What a directory entry lists (a fixed column name, never input).
#[derive(Debug, Clone, Copy)]
pub enum Listed {
    Occupation,
    City,
}

impl Listed {
    fn column(self) -> &'static str {
        match self {
            Listed::Occupation => "occupation",
            Listed::City => "city",
        }
    }
}
