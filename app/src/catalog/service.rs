//! The catalogue's service layer: search, read and import. Pages, the JSON API and the CLI all
//! call these functions; none of them talks to the database about courses directly.

use super::import::{CatalogItem, Finding, ParsedFile, Problem};
use super::{Course, CourseList, CourseQuery, Facet, Facets, OpenTo, Sort};
use crate::error::{AppError, AppResult};
use crate::money::Yuan;
use crate::reference::{
    Accessibility, CertificateType, City, ClassFormat, ClassType, Enumeration, Group, Industry,
    Level,
};
use crate::storage::Db;
use chrono::NaiveDate;
use serde::Serialize;
use sqlx::{QueryBuilder, Sqlite};

/// The stored columns of a catalogue item, as the importer writes them.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
struct CourseColumns {
    code: String,
    title: String,
    occupation: String,
    occupation_code: Option<String>,
    industry: String,
    city: String,
    district: Option<String>,
    institution_code: String,
    institution: String,
    evaluation_org: Option<String>,
    level: String,
    certificate_type: String,
    class_format: String,
    class_type: String,
    groups: String,
    min_age: Option<i64>,
    max_age: Option<i64>,
    hours: i64,
    start_date: String,
    end_date: String,
    enroll_deadline: String,
    capacity: i64,
    fee_fen: i64,
    subsidy_fen: i64,
    accessibility: String,
    address: String,
    contact_phone: Option<String>,
    description: Option<String>,
    demo: bool,
}

const COLUMN_LIST: &str = "code, title, occupation, occupation_code, industry, city, district, \
    institution_code, institution, evaluation_org, level, certificate_type, class_format, \
    class_type, groups, min_age, max_age, hours, start_date, end_date, enroll_deadline, capacity, \
    fee_fen, subsidy_fen, accessibility, address, contact_phone, description, demo";

#[derive(Debug, sqlx::FromRow)]
struct CourseRow {
    #[sqlx(flatten)]
    columns: CourseColumns,
    seats_taken: i64,
}

/// Codes joined with `;` and wrapped in `;` so that `LIKE '%;code;%'` finds one exactly.
fn join_codes<E: Enumeration>(values: &[E]) -> String {
    if values.is_empty() {
        return String::new();
    }
    let codes: Vec<&str> = values.iter().map(|v| v.code()).collect();
    format!(";{};", codes.join(";"))
}

fn split_codes<E: Enumeration>(text: &str) -> AppResult<Vec<E>> {
    text.split(';')
        .filter(|c| !c.is_empty())
        .map(|c| E::from_code(c).ok_or_else(|| corrupt("list", c)))
        .collect()
}

fn corrupt(column: &str, value: &str) -> AppError {
    AppError::Internal(format!("stored course has an invalid {column}: {value:?}"))
}

fn code_of<E: Enumeration>(column: &str, value: &str) -> AppResult<E> {
    E::from_code(value).ok_or_else(|| corrupt(column, value))
}

fn date_of(column: &str, value: &str) -> AppResult<NaiveDate> {
    NaiveDate::parse_from_str(value, "%Y-%m-%d").map_err(|_| corrupt(column, value))
}

impl CourseColumns {
    fn from_item(item: &CatalogItem, demo: bool) -> CourseColumns {
        CourseColumns {
            code: item.code.clone(),
            title: item.title.clone(),
            occupation: item.occupation.clone(),
            occupation_code: item.occupation_code.clone(),
            industry: item.industry.code().into(),
            city: item.city.code().into(),
            district: item.district.clone(),
            institution_code: item.institution_code.clone(),
            institution: item.institution.clone(),
            evaluation_org: item.evaluation_org.clone(),
            level: item.level.code().into(),
            certificate_type: item.certificate_type.code().into(),
            class_format: item.class_format.code().into(),
            class_type: item.class_type.code().into(),
            groups: match &item.groups {
                None => "all".into(),
                Some(groups) => join_codes(groups),
            },
            min_age: item.min_age.map(i64::from),
            max_age: item.max_age.map(i64::from),
            hours: item.hours.into(),
            start_date: item.start_date.to_string(),
            end_date: item.end_date.to_string(),
            enroll_deadline: item.enroll_deadline.to_string(),
            capacity: item.capacity.into(),
            fee_fen: item.fee.fen(),
            subsidy_fen: item.subsidy.fen(),
            accessibility: join_codes(&item.accessibility),
            address: item.address.clone(),
            contact_phone: item.contact_phone.clone(),
            description: item.description.clone(),
            demo,
        }
    }
}

impl TryFrom<CourseRow> for Course {
    type Error = AppError;

    fn try_from(row: CourseRow) -> AppResult<Course> {
        let c = row.columns;
        let groups = if c.groups == "all" {
            OpenTo::All
        } else {
            OpenTo::Groups(split_codes::<Group>(&c.groups)?)
        };
        let small = |v: Option<i64>| v.and_then(|n| u8::try_from(n).ok());
        let count = |v: i64| u32::try_from(v).unwrap_or(0);
        Ok(Course {
            industry: code_of::<Industry>("industry", &c.industry)?,
            city: code_of::<City>("city", &c.city)?,
            level: code_of::<Level>("level", &c.level)?,
            certificate_type: code_of::<CertificateType>("certificate_type", &c.certificate_type)?,
            class_format: code_of::<ClassFormat>("class_format", &c.class_format)?,
            class_type: code_of::<ClassType>("class_type", &c.class_type)?,
            accessibility: split_codes::<Accessibility>(&c.accessibility)?,
            start_date: date_of("start_date", &c.start_date)?,
            end_date: date_of("end_date", &c.end_date)?,
            enroll_deadline: date_of("enroll_deadline", &c.enroll_deadline)?,
            groups,
            min_age: small(c.min_age),
            max_age: small(c.max_age),
            hours: count(c.hours),
            capacity: count(c.capacity),
            seats_left: count(c.capacity - row.seats_taken),
            fee_yuan: Yuan::from_fen(c.fee_fen),
            subsidy_yuan: Yuan::from_fen(c.subsidy_fen),
            code: c.code,
            title: c.title,
            occupation: c.occupation,
            occupation_code: c.occupation_code,
            district: c.district,
            institution_code: c.institution_code,
            institution: c.institution,
            evaluation_org: c.evaluation_org,
            address: c.address,
            contact_phone: c.contact_phone,
            description: c.description,
            demo: c.demo,
        })
    }
}

/// One course by its code.
pub async fn get(db: &Db, code: &str) -> AppResult<Course> {
    let sql = format!("SELECT {COLUMN_LIST}, seats_taken FROM courses WHERE code = $1");
    let row: Option<CourseRow> = sqlx::query_as(&sql)
        .bind(code)
        .fetch_optional(db.pool())
        .await?;
    row.ok_or(AppError::NotFound)?.try_into()
}

/// How many courses each industry area has (every area listed, zero included).
pub async fn industry_counts(db: &Db) -> AppResult<Vec<(Industry, u64)>> {
    let rows: Vec<(String, i64)> =
        sqlx::query_as("SELECT industry, COUNT(*) FROM courses GROUP BY industry")
            .fetch_all(db.pool())
            .await?;
    Ok(Industry::all()
        .iter()
        .map(|i| {
            let n = rows
                .iter()
                .find(|(code, _)| code == i.code())
                .map_or(0, |(_, n)| *n);
            (*i, u64::try_from(n).unwrap_or(0))
        })
        .collect())
}

pub async fn count(db: &Db) -> AppResult<u64> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM courses")
        .fetch_one(db.pool())
        .await?;
    Ok(u64::try_from(n).unwrap_or(0))
}

fn escape_like(term: &str) -> String {
    let mut out = String::with_capacity(term.len() + 2);
    out.push('%');
    for c in term.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('%');
    out
}

fn push_in<E: Enumeration>(qb: &mut QueryBuilder<'_, Sqlite>, column: &str, values: &[E]) {
    if values.is_empty() {
        return;
    }
    qb.push(format!(" AND {column} IN ("));
    let mut list = qb.separated(", ");
    for v in values {
        list.push_bind(v.code());
    }
    qb.push(")");
}

/// The WHERE clause of a search; `except` leaves one facet's own filter out, so that facet's
/// counts show what choosing another value of it would give.
fn push_filters(qb: &mut QueryBuilder<'_, Sqlite>, query: &CourseQuery, except: Option<Facet>) {
    qb.push(" WHERE 1 = 1");
    if let Some(q) = &query.q {
        for term in q.split_whitespace() {
            let pattern = escape_like(term);
            qb.push(" AND (");
            for (i, column) in ["title", "occupation", "institution", "district"]
                .iter()
                .enumerate()
            {
                if i > 0 {
                    qb.push(" OR ");
                }
                qb.push(format!("{column} LIKE "))
                    .push_bind(pattern.clone())
                    .push(" ESCAPE '\\'");
            }
            qb.push(")");
        }
    }
    if except != Some(Facet::Industry) {
        push_in(qb, "industry", &query.industry);
    }
    if except != Some(Facet::City) {
        push_in(qb, "city", &query.city);
    }
    if except != Some(Facet::ClassFormat) {
        push_in(qb, "class_format", &query.class_format);
    }
    push_in(qb, "level", &query.level);
    push_in(qb, "class_type", &query.class_type);
    if !query.group.is_empty() {
        qb.push(" AND (groups = 'all'");
        for g in &query.group {
            qb.push(" OR groups LIKE ")
                .push_bind(format!("%;{};%", g.code()));
        }
        qb.push(")");
    }
    for a in &query.accessibility {
        qb.push(" AND accessibility LIKE ")
            .push_bind(format!("%;{};%", a.code()));
    }
    match query.free {
        Some(true) => {
            qb.push(" AND fee_fen = 0");
        }
        Some(false) => {
            qb.push(" AND fee_fen > 0");
        }
        None => {}
    }
    match query.has_seats {
        Some(true) => {
            qb.push(" AND seats_taken < capacity");
        }
        Some(false) => {
            qb.push(" AND seats_taken >= capacity");
        }
        None => {}
    }
    if let Some(d) = query.starts_after {
        qb.push(" AND start_date >= ").push_bind(d.to_string());
    }
    if let Some(d) = query.starts_before {
        qb.push(" AND start_date <= ").push_bind(d.to_string());
    }
}

fn facet_column(facet: Facet) -> &'static str {
    match facet {
        Facet::Industry => "industry",
        Facet::City => "city",
        Facet::ClassFormat => "class_format",
    }
}

/// Searches the catalogue: one page of courses, the total, and facet counts.
pub async fn search(db: &Db, query: &CourseQuery) -> AppResult<CourseList> {
    let mut qb =
        QueryBuilder::<Sqlite>::new(format!("SELECT {COLUMN_LIST}, seats_taken FROM courses"));
    push_filters(&mut qb, query, None);
    qb.push(match query.sort {
        Sort::Relevance | Sort::StartDate => " ORDER BY start_date, code",
        Sort::Subsidy => " ORDER BY subsidy_fen DESC, start_date, code",
    });
    let offset = i64::from(query.page.saturating_sub(1)) * i64::from(query.per_page);
    qb.push(" LIMIT ")
        .push_bind(i64::from(query.per_page))
        .push(" OFFSET ")
        .push_bind(offset);
    let rows: Vec<CourseRow> = qb.build_query_as().fetch_all(db.pool()).await?;
    let items = rows
        .into_iter()
        .map(Course::try_from)
        .collect::<AppResult<Vec<_>>>()?;

    let mut qb = QueryBuilder::<Sqlite>::new("SELECT COUNT(*) FROM courses");
    push_filters(&mut qb, query, None);
    let total: i64 = qb.build_query_scalar().fetch_one(db.pool()).await?;

    let mut facets = Facets::new();
    for facet in Facet::ALL {
        let column = facet_column(facet);
        let mut qb = QueryBuilder::<Sqlite>::new(format!("SELECT {column}, COUNT(*) FROM courses"));
        push_filters(&mut qb, query, Some(facet));
        qb.push(format!(" GROUP BY {column}"));
        let counts: Vec<(String, i64)> = qb.build_query_as().fetch_all(db.pool()).await?;
        facets.insert(
            facet.name().to_string(),
            counts
                .into_iter()
                .map(|(k, n)| (k, u64::try_from(n).unwrap_or(0)))
                .collect(),
        );
    }
    Ok(CourseList {
        items,
        total: u64::try_from(total).unwrap_or(0),
        page: query.page,
        per_page: query.per_page,
        facets,
    })
}

/// How an import is to be run.
#[derive(Debug, Clone, Copy, Default)]
pub struct ImportOptions {
    /// Check everything, write nothing.
    pub dry_run: bool,
    /// The items are the demo catalogue shipped with the app.
    pub demo: bool,
    /// Refuse items of any other city (an HR officer imports only their own city's).
    pub only_city: Option<City>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ImportReport {
    pub created: u32,
    pub updated: u32,
    pub unchanged: u32,
    pub dry_run: bool,
    pub warnings: Vec<Finding>,
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The file has problems; nothing was written.
    #[error("the file has {} problems", .0.len())]
    Refused(Vec<Finding>, Vec<Finding>),
    #[error(transparent)]
    Storage(#[from] AppError),
}

impl From<sqlx::Error> for ImportError {
    fn from(err: sqlx::Error) -> Self {
        ImportError::Storage(err.into())
    }
}

/// Stores a checked file in one transaction: every item or none. The same file imported
/// again changes nothing (all items "unchanged").
pub async fn import(
    db: &Db,
    parsed: ParsedFile,
    options: ImportOptions,
) -> Result<ImportReport, ImportError> {
    let ParsedFile {
        items,
        mut errors,
        warnings,
    } = parsed;
    if let Some(city) = options.only_city {
        for item in items.iter().filter(|i| i.city != city) {
            errors.push(Finding {
                line: item.line,
                column: Some("city".into()),
                problem: Problem::OutsideYourCity,
            });
        }
    }
    if !errors.is_empty() {
        return Err(ImportError::Refused(errors, warnings));
    }
    let now = chrono::Utc::now().to_rfc3339();
    let mut report = ImportReport {
        dry_run: options.dry_run,
        warnings,
        ..Default::default()
    };
    let mut tx = db.pool().begin().await?;
    let select = format!("SELECT {COLUMN_LIST}, seats_taken FROM courses WHERE code = $1");
    for item in &items {
        let new = CourseColumns::from_item(item, options.demo);
        let existing: Option<CourseRow> = sqlx::query_as(&select)
            .bind(&item.code)
            .fetch_optional(&mut *tx)
            .await?;
        match existing {
            Some(old) if old.columns.city != new.city => {
                errors.push(Finding {
                    line: item.line,
                    column: Some("code".into()),
                    problem: Problem::CodeOfOtherCity,
                });
            }
            Some(old) if old.seats_taken > new.capacity => {
                let enrolled = u32::try_from(old.seats_taken).unwrap_or(u32::MAX);
                errors.push(Finding {
                    line: item.line,
                    column: Some("capacity".into()),
                    problem: Problem::CapacityBelowEnrolled { enrolled },
                });
            }
            Some(old) if old.columns == new => report.unchanged += 1,
            Some(_) => {
                write_course(&mut tx, &new, &now, true).await?;
                report.updated += 1;
            }
            None => {
                write_course(&mut tx, &new, &now, false).await?;
                report.created += 1;
            }
        }
    }
    if !errors.is_empty() {
        tx.rollback().await?;
        return Err(ImportError::Refused(errors, report.warnings));
    }
    if options.dry_run {
        tx.rollback().await?;
    } else {
        tx.commit().await?;
    }
    Ok(report)
}

async fn write_course(
    tx: &mut sqlx::Transaction<'_, Sqlite>,
    c: &CourseColumns,
    now: &str,
    update: bool,
) -> Result<(), sqlx::Error> {
    let sql = if update {
        "UPDATE courses SET title = $2, occupation = $3, occupation_code = $4, industry = $5, \
         city = $6, district = $7, institution_code = $8, institution = $9, evaluation_org = $10, \
         level = $11, certificate_type = $12, class_format = $13, class_type = $14, groups = $15, \
         min_age = $16, max_age = $17, hours = $18, start_date = $19, end_date = $20, \
         enroll_deadline = $21, capacity = $22, fee_fen = $23, subsidy_fen = $24, \
         accessibility = $25, address = $26, contact_phone = $27, description = $28, demo = $29, \
         updated_at = $30 WHERE code = $1"
    } else {
        "INSERT INTO courses (code, title, occupation, occupation_code, industry, city, district, \
         institution_code, institution, evaluation_org, level, certificate_type, class_format, \
         class_type, groups, min_age, max_age, hours, start_date, end_date, enroll_deadline, \
         capacity, fee_fen, subsidy_fen, accessibility, address, contact_phone, description, demo, \
         updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, \
         $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26, $27, $28, $29, $30)"
    };
    sqlx::query(sql)
        .bind(&c.code)
        .bind(&c.title)
        .bind(&c.occupation)
        .bind(&c.occupation_code)
        .bind(&c.industry)
        .bind(&c.city)
        .bind(&c.district)
        .bind(&c.institution_code)
        .bind(&c.institution)
        .bind(&c.evaluation_org)
        .bind(&c.level)
        .bind(&c.certificate_type)
        .bind(&c.class_format)
        .bind(&c.class_type)
        .bind(&c.groups)
        .bind(c.min_age)
        .bind(c.max_age)
        .bind(c.hours)
        .bind(&c.start_date)
        .bind(&c.end_date)
        .bind(&c.enroll_deadline)
        .bind(c.capacity)
        .bind(c.fee_fen)
        .bind(c.subsidy_fen)
        .bind(&c.accessibility)
        .bind(&c.address)
        .bind(&c.contact_phone)
        .bind(&c.description)
        .bind(c.demo)
        .bind(now)
        .execute(&mut **tx)
        .await?;
    Ok(())
}
