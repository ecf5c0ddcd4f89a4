//! The catalogue's service layer: search, read and import. Pages, the JSON API and the CLI all
//! call these functions; none of them talks to the database about courses directly.

use super::import::{CatalogItem, Finding, ParsedFile, Problem};
use super::search::{CatalogIndex, Hits};
use super::{Course, CourseList, CourseQuery, OpenTo};
use crate::error::{AppError, AppResult};
use crate::money::Yuan;
use crate::outcomes::Outcomes;
use crate::portal::Portal;
use crate::reference::{
    Accessibility, CertificateType, City, ClassFormat, ClassType, Enumeration, Group, Industry,
    Level,
};
use crate::storage::Db;
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

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
    /// 1 for the demo catalogue (flags are integers on both backends).
    demo: i64,
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
            demo: i64::from(demo),
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
            demo: c.demo != 0,
            outcomes: None,
        })
    }
}

/// One course by its code.
pub async fn get(portal: &Portal, code: &str) -> AppResult<Course> {
    let sql = format!("SELECT {COLUMN_LIST}, seats_taken FROM courses WHERE code = $1");
    let row: Option<CourseRow> = sqlx::query_as(&sql)
        .bind(code)
        .fetch_optional(portal.db.pool())
        .await?;
    row.ok_or(AppError::NotFound)?.try_into()
}

/// One course with its published outcomes, for its public page and the open API (the
/// enrolment and eligibility paths use `get`: they need no outcomes).
pub async fn get_with_outcomes(portal: &Portal, code: &str) -> AppResult<Course> {
    let mut course = get(portal, code).await?;
    course.outcomes = Some(crate::outcomes::service::of_course(portal, code).await?);
    Ok(course)
}

/// How many courses each industry area has (every area listed, zero included): the facet
/// counts of the whole catalogue from the search index, so the home page (asked for most)
/// never scans the courses table and shows the numbers the catalogue page will.
pub async fn industry_counts(portal: &Portal) -> AppResult<Vec<(Industry, u64)>> {
    let hits = portal
        .catalog
        .search(&portal.db, &CourseQuery::default())
        .await?;
    let counts = hits.facets.get("industry");
    Ok(Industry::all()
        .iter()
        .map(|i| {
            let n = counts.and_then(|c| c.get(i.code())).copied();
            (*i, n.unwrap_or(0))
        })
        .collect())
}

pub async fn count(portal: &Portal) -> AppResult<u64> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM courses")
        .fetch_one(portal.db.pool())
        .await?;
    Ok(u64::try_from(n).unwrap_or(0))
}

async fn load_all(db: &Db) -> AppResult<(i64, Vec<Course>)> {
    let mut tx = db.pool().begin().await?;
    let version: i64 = sqlx::query_scalar("SELECT version FROM catalog_state WHERE id = 1")
        .fetch_one(&mut *tx)
        .await?;
    let sql = format!("SELECT {COLUMN_LIST}, seats_taken FROM courses");
    let rows: Vec<CourseRow> = sqlx::query_as(&sql).fetch_all(&mut *tx).await?;
    tx.commit().await?;
    let courses = rows
        .into_iter()
        .map(Course::try_from)
        .collect::<AppResult<Vec<_>>>()?;
    Ok((version, courses))
}

/// How often an instance asks the database whether the catalogue changed.
const RECHECK: Duration = Duration::from_secs(1);

/// The search index of the current catalogue, rebuilt when the catalogue's version in the
/// database moves on — whichever instance imported the change. Another instance's import is
/// picked up in the background while the previous index keeps answering; an import on this
/// instance is waited for, so the person who imported sees their change at once.
pub struct CatalogSearch {
    current: RwLock<Option<(i64, Arc<CatalogIndex>)>>,
    /// Recent searches of the current index (popular searches repeat a lot); emptied with
    /// every new index, so it never answers from an older catalogue.
    recent: quick_cache::sync::Cache<String, Arc<Hits>>,
    /// Seat counts of recently shown pages of courses, by the page's codes (see `fresh_seats`).
    seats: quick_cache::sync::Cache<String, Arc<SeatBoard>>,
    /// Moves on with every seat taken or freed on this instance.
    seats_epoch: AtomicU64,
    checked: Mutex<Option<Instant>>,
    changed_here: AtomicBool,
    rebuilding: tokio::sync::Mutex<()>,
}

/// How many distinct recent searches are kept.
const RECENT_SEARCHES: usize = 2_000;

impl Default for CatalogSearch {
    fn default() -> Self {
        CatalogSearch {
            current: RwLock::default(),
            recent: quick_cache::sync::Cache::new(RECENT_SEARCHES),
            seats: quick_cache::sync::Cache::new(RECENT_SEARCHES),
            seats_epoch: AtomicU64::default(),
            checked: Mutex::default(),
            changed_here: AtomicBool::default(),
            rebuilding: tokio::sync::Mutex::default(),
        }
    }
}

impl CatalogSearch {
    /// Searches the current index, answering a repeated search from the recent ones.
    pub async fn search(self: &Arc<Self>, db: &Db, query: &CourseQuery) -> AppResult<Arc<Hits>> {
        let index = self.index(db).await?;
        let pairs = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(query.to_pairs())
            .finish();
        let key = format!("{}:{pairs}", index.generation());
        if let Some(hits) = self.recent.get(&key) {
            return Ok(hits);
        }
        let hits = Arc::new(index.search(query));
        self.recent.insert(key, hits.clone());
        Ok(hits)
    }

    fn cached(&self) -> Option<(i64, Arc<CatalogIndex>)> {
        self.current.read().ok().and_then(|c| c.clone())
    }

    fn recently_checked(&self) -> bool {
        self.checked
            .lock()
            .ok()
            .and_then(|c| *c)
            .is_some_and(|at| at.elapsed() < RECHECK)
    }

    fn mark_checked(&self) {
        if let Ok(mut c) = self.checked.lock() {
            *c = Some(Instant::now());
        }
    }

    /// A seat was taken or freed on this instance: lists read seat counts afresh.
    pub fn seats_changed(&self) {
        self.seats_epoch.fetch_add(1, Ordering::SeqCst);
    }

    /// The catalogue was changed by this instance: the next search waits for a fresh index.
    pub fn invalidate(&self) {
        self.changed_here.store(true, Ordering::SeqCst);
    }

    pub async fn index(self: &Arc<Self>, db: &Db) -> AppResult<Arc<CatalogIndex>> {
        let changed_here = self.changed_here.load(Ordering::SeqCst);
        if !changed_here {
            if let Some((_, index)) = self.cached().filter(|_| self.recently_checked()) {
                return Ok(index);
            }
        }
        let version: i64 = sqlx::query_scalar("SELECT version FROM catalog_state WHERE id = 1")
            .fetch_one(db.pool())
            .await?;
        self.mark_checked();
        match self.cached() {
            Some((v, index)) if v == version => Ok(index),
            Some((_, stale)) if !changed_here => {
                if self.rebuilding.try_lock().is_ok() {
                    let (this, db) = (self.clone(), db.clone());
                    tokio::spawn(async move {
                        if let Err(err) = this.rebuild(&db).await {
                            tracing::error!(%err, "catalogue index rebuild failed");
                        }
                    });
                }
                Ok(stale)
            }
            _ => self.rebuild(db).await,
        }
    }

    async fn rebuild(&self, db: &Db) -> AppResult<Arc<CatalogIndex>> {
        // One rebuild at a time; a caller that waited for one uses its result.
        let _guard = self.rebuilding.lock().await;
        self.changed_here.store(false, Ordering::SeqCst);
        let version: i64 = sqlx::query_scalar("SELECT version FROM catalog_state WHERE id = 1")
            .fetch_one(db.pool())
            .await?;
        if let Some((_, index)) = self.cached().filter(|(v, _)| *v >= version) {
            return Ok(index);
        }
        let (version, courses) = load_all(db).await?;
        let index = tokio::task::spawn_blocking(move || CatalogIndex::build(courses))
            .await
            .map_err(|e| AppError::Internal(format!("index build failed: {e}")))?;
        let index = Arc::new(index);
        if let Ok(mut current) = self.current.write() {
            *current = Some((version, index.clone()));
        }
        self.recent.clear();
        Ok(index)
    }
}

/// Seat counts read for one page of courses, when, and at which local seat epoch.
struct SeatBoard {
    read_at: Instant,
    epoch: u64,
    seats: HashMap<String, u32>,
}

/// How old the seat counts in a list may be when another instance sold a seat. An enrolment
/// itself always decides on the database's count; this instance's own enrolments refresh
/// lists at once (`seats_changed`).
const SEATS_FRESH: Duration = Duration::from_secs(1);

/// The seat counts of the courses shown: from the database (seats change with every
/// enrolment; the index does not follow them), reused for the same page for up to
/// `SEATS_FRESH` while this instance sells no seat.
async fn fresh_seats(portal: &Portal, codes: &[&str]) -> AppResult<Arc<SeatBoard>> {
    let key = codes.join(",");
    let epoch = portal.catalog.seats_epoch.load(Ordering::SeqCst);
    if let Some(board) = portal.catalog.seats.get(&key) {
        if board.epoch == epoch && board.read_at.elapsed() < SEATS_FRESH {
            return Ok(board);
        }
    }
    let board = Arc::new(SeatBoard {
        read_at: Instant::now(),
        epoch,
        seats: read_seats(&portal.db, codes).await?,
    });
    portal.catalog.seats.insert(key, board.clone());
    Ok(board)
}

async fn read_seats(db: &Db, codes: &[&str]) -> AppResult<HashMap<String, u32>> {
    if codes.is_empty() {
        return Ok(HashMap::new());
    }
    // One statement for any number of codes (a JSON array), so it is prepared once.
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

/// Searches the catalogue: one page of courses, the total, and facet counts.
pub async fn search(portal: &Portal, query: &CourseQuery) -> AppResult<CourseList> {
    let hits = portal.catalog.search(&portal.db, query).await?;
    let codes: Vec<&str> = hits.courses.iter().map(|c| c.code.as_str()).collect();
    let board = fresh_seats(portal, &codes).await?;
    let items = hits
        .courses
        .iter()
        .map(|c| {
            let mut course = Course::clone(c);
            if let Some(n) = board.seats.get(&course.code) {
                course.seats_left = *n;
            }
            course
        })
        .collect();
    Ok(CourseList {
        items,
        total: hits.total,
        page: query.page,
        per_page: query.per_page,
        facets: hits.facets.clone(),
    })
}

/// A training institution as the catalogue lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct InstitutionSummary {
    pub code: String,
    pub name: String,
    pub city: String,
    pub courses: i64,
    #[sqlx(skip)]
    pub outcomes: Outcomes,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct InstitutionList {
    pub items: Vec<InstitutionSummary>,
    pub total: u64,
    pub page: u32,
    pub per_page: u32,
}

/// Institutions with courses in the catalogue, optionally of some cities, by name.
pub async fn institutions(
    portal: &Portal,
    cities: &[City],
    page: u32,
    per_page: u32,
) -> AppResult<InstitutionList> {
    // `$n` written out: sqlx's QueryBuilder writes `?`, which PostgreSQL does not take.
    let filter = if cities.is_empty() {
        String::new()
    } else {
        let marks: Vec<String> = (1..=cities.len()).map(|i| format!("${i}")).collect();
        format!(" WHERE city IN ({})", marks.join(", "))
    };
    let sql = format!("SELECT COUNT(DISTINCT institution_code) FROM courses{filter}");
    let mut count = sqlx::query_scalar(&sql);
    for c in cities {
        count = count.bind(c.code());
    }
    let total: i64 = count.fetch_one(portal.db.pool()).await?;
    let (limit, offset) = (cities.len() + 1, cities.len() + 2);
    let sql = format!(
        "SELECT institution_code AS code, MAX(institution) AS name, MIN(city) AS city, \
         COUNT(*) AS courses FROM courses{filter} GROUP BY institution_code \
         ORDER BY name, code LIMIT ${limit} OFFSET ${offset}"
    );
    let mut list = sqlx::query_as(&sql);
    for c in cities {
        list = list.bind(c.code());
    }
    let mut items: Vec<InstitutionSummary> = list
        .bind(i64::from(per_page))
        .bind(i64::from(page.saturating_sub(1)) * i64::from(per_page))
        .fetch_all(portal.db.pool())
        .await?;
    for item in &mut items {
        item.outcomes = crate::outcomes::service::of_institution(portal, &item.code).await?;
    }
    Ok(InstitutionList {
        items,
        total: u64::try_from(total).unwrap_or(0),
        page,
        per_page,
    })
}

pub use super::{CourseRef, Institution};

pub async fn institution(portal: &Portal, code: &str) -> AppResult<Institution> {
    let rows: Vec<(String, String, String, String, String)> = sqlx::query_as(
        "SELECT institution, city, code, title, start_date FROM courses WHERE institution_code = $1 \
         ORDER BY start_date, code",
    )
    .bind(code)
    .fetch_all(portal.db.pool())
    .await?;
    let Some((name, city, ..)) = rows.first().cloned() else {
        return Err(AppError::NotFound);
    };
    Ok(Institution {
        outcomes: crate::outcomes::service::of_institution(portal, code).await?,
        code: code.to_string(),
        name,
        city,
        course_list: rows
            .into_iter()
            .map(|(_, _, code, title, start_date)| CourseRef {
                code,
                title,
                start_date,
            })
            .collect(),
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

/// Stores a checked file in one transaction: every item or none. The same file imported
/// again changes nothing (all items "unchanged"). A file with problems is refused with every
/// one of them (`AppError::FileRefused`).
pub async fn import(
    portal: &Portal,
    parsed: ParsedFile,
    options: ImportOptions,
) -> AppResult<ImportReport> {
    let db = &portal.db;
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
        return Err(super::import::refused(&errors, &warnings));
    }
    let now = chrono::Utc::now().to_rfc3339();
    let mut report = ImportReport {
        dry_run: options.dry_run,
        warnings,
        ..Default::default()
    };
    let mut tx = db.write_tx().await?;
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
        return Err(super::import::refused(&errors, &report.warnings));
    }
    if options.dry_run {
        tx.rollback().await?;
        return Ok(report);
    }
    if report.created + report.updated > 0 {
        sqlx::query("UPDATE catalog_state SET version = version + 1 WHERE id = 1")
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    portal.catalog.invalidate();
    Ok(report)
}

async fn write_course(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
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
