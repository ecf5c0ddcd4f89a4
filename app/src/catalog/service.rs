//! The catalogue's use cases: search, read, an institution, and import (the directories:
//! `directory_service`). Pages, the JSON API and the CLI all come here; nothing else reads or
//! writes courses.

use super::changes::ClassChange;
use super::import::{refused, CatalogItem, FileKind, Finding, ParsedFile, Problem};
use super::{store, Course, CourseList, CourseQuery, CourseRef, Institution};
use crate::access::Actor;
use crate::error::{AppError, AppResult};
use crate::portal::Portal;
use crate::reference::{City, Enumeration, Industry};
use serde::Serialize;

/// One course by its code.
pub async fn get(portal: &Portal, code: &str) -> AppResult<Course> {
    let mut conn = portal.db.pool().acquire().await?;
    store::one(&mut conn, code).await?.ok_or(AppError::NotFound)
}

/// One course with its published outcomes, for its public page and the open API (the
/// enrolment and eligibility paths use `get`: they need no outcomes).
pub async fn get_with_outcomes(portal: &Portal, code: &str) -> AppResult<Course> {
    let mut course = get(portal, code).await?;
    course.outcomes = Some(crate::outcomes::service::of_course(portal, code).await?);
    Ok(course)
}

/// How many courses each industry area has (every area listed, zero included): the facet
/// counts from the search index of the catalogue as its page lists it (the courses still
/// open), so the home page (asked for most) never scans the courses table and shows the
/// numbers the catalogue page will.
pub async fn industry_counts(portal: &Portal) -> AppResult<Vec<(Industry, u64)>> {
    let listed = CourseQuery::default().with_page_defaults();
    let hits = portal
        .catalog
        .search(&portal.db, &listed, portal.clock.today())
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
    store::count(&portal.db).await
}

/// How many courses are real (not the demo catalogue's): a database holding any is not a
/// demo database.
pub async fn real_count(portal: &Portal) -> AppResult<u64> {
    store::real_count(&portal.db).await
}

/// Whether this is a demo database: it holds courses, and every one is a demo course (the
/// "演示数据" notice, no site identifiers).
pub async fn demo_mode(portal: &Portal) -> AppResult<bool> {
    portal.catalog.demo(&portal.db).await
}

/// Moves the demo catalogue on, at each start of `serve --demo`: a demo class no one enrolled
/// in moves by whole years until it is open today (its days of the month kept), so a demo
/// never goes stale; a class with enrolments keeps its dates (their history is its dates').
pub async fn move_demo_on(portal: &Portal) -> AppResult<usize> {
    let today = portal.clock.today();
    let mut tx = portal.db.write_tx().await?;
    let mut moved = 0;
    for (code, start, end, deadline) in store::demo_dates_unenrolled(&mut tx).await? {
        let years = super::years_to_open(start, deadline, today);
        if years > 0 {
            let later = |d| super::add_years(d, years);
            store::set_dates(&mut tx, &code, later(start), later(end), later(deadline)).await?;
            moved += 1;
        }
    }
    if moved > 0 {
        store::bump_version(&mut tx).await?;
    }
    tx.commit().await?;
    portal.catalog.invalidate();
    Ok(moved)
}

/// Searches the catalogue: one page of courses, the total, and facet counts; the seats left
/// are the database's (see `index`).
pub async fn search(portal: &Portal, query: &CourseQuery) -> AppResult<CourseList> {
    let hits = portal
        .catalog
        .search(&portal.db, query, portal.clock.today())
        .await?;
    let codes: Vec<&str> = hits.courses.iter().map(|c| c.code.as_str()).collect();
    let board = portal.catalog.fresh_seats(&portal.db, &codes).await?;
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
        understood: hits.understood.clone(),
    })
}

/// One institution: its courses, by start date, and its published outcomes.
pub async fn institution(portal: &Portal, code: &str) -> AppResult<Institution> {
    let rows = store::courses_of_institution(&portal.db, code).await?;
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
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// Check everything, write nothing.
    pub dry_run: bool,
    /// The items are the demo catalogue shipped with the app.
    pub demo: bool,
    /// Refuse items of any other city (an HR officer imports only their own city's).
    pub only_city: Option<City>,
    /// Who imports (kept in the write trail): the command line unless a person uploads.
    pub by: crate::audit::store::Who,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ImportReport {
    pub created: u32,
    pub updated: u32,
    pub unchanged: u32,
    pub dry_run: bool,
    pub warnings: Vec<Finding>,
}

/// The city whose catalogue `actor` may import: an HR officer's own (403 for anyone else).
pub fn importer_city(actor: &Actor) -> AppResult<City> {
    actor.city()
}

/// An HR officer imports a file of their city's catalogue (items of other cities refused).
/// The file is read only once the actor may import, and off the async workers: a workbook
/// takes up to seconds of work that must not hold up other requests.
pub async fn import_for_city(
    portal: &Portal,
    actor: &Actor,
    file: impl AsRef<[u8]> + Send + 'static,
    kind: FileKind,
    dry_run: bool,
) -> AppResult<ImportReport> {
    let city = importer_city(actor)?;
    let parsed = parse_one_at_a_time(file, kind).await?;
    let options = ImportOptions {
        dry_run,
        only_city: Some(city),
        by: crate::audit::store::Who::of(&portal.vault, actor),
        ..Default::default()
    };
    import(portal, parsed, options).await
}

/// One file is read at a time on each instance: a workbook may take up to the reader's bounds
/// (128 MB unpacked), so files uploaded together queue here instead of multiplying that.
static PARSING: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(1);

async fn parse_one_at_a_time(
    file: impl AsRef<[u8]> + Send + 'static,
    kind: FileKind,
) -> AppResult<ParsedFile> {
    let turn = PARSING
        .acquire()
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?;
    // The reading holds the turn, not the request: a request given up (a timeout, a client
    // gone) leaves its reading to finish before the next one starts.
    tokio::task::spawn_blocking(move || {
        let _turn = turn;
        super::import::parse(file.as_ref(), kind)
    })
    .await
    .map_err(|e| AppError::Internal(format!("reading the file stopped: {e}")))
}

/// What happens to one checked item against the stored catalogue.
enum Change {
    Create,
    Update,
    Unchanged,
    Refuse(Finding),
}

/// `new` against what is stored under its code: a course keeps its city (a code names one
/// city's item), and its capacity never falls below the seats already taken.
fn change(item: &CatalogItem, new: &Course, old: Option<&Course>) -> Change {
    let Some(old) = old else {
        return Change::Create;
    };
    let refuse = |column: &str, problem| {
        Change::Refuse(Finding {
            line: item.line,
            column: Some(column.into()),
            problem,
        })
    };
    let taken = old.capacity.saturating_sub(old.seats_left);
    if old.city != new.city {
        refuse("code", Problem::CodeOfOtherCity)
    } else if taken > new.capacity {
        refuse(
            "capacity",
            Problem::CapacityBelowEnrolled { enrolled: taken },
        )
    } else if *old
        == (Course {
            seats_left: old.seats_left,
            ..new.clone()
        })
    {
        Change::Unchanged
    } else {
        Change::Update
    }
}

/// An inbox message about `change` to each person enrolled in `class`.
async fn tell_enrolled(
    conn: &mut crate::storage::Conn,
    at: &str,
    class: &Course,
    change: &ClassChange,
) -> AppResult<()> {
    let reason = change.to_reason();
    for (id, user) in crate::enrollment::store::active_in_course(conn, &class.code).await? {
        let notice = crate::inbox::Notice {
            kind: crate::inbox::Kind::Enrollment,
            subject: id,
            status: super::changes::CLASS_CHANGED,
            title: &class.title,
            reason: Some(&reason),
            position: None,
        };
        crate::inbox::store::notify(conn, at, user, &notice).await?;
    }
    Ok(())
}

/// Stores a checked file in one transaction: every item or none. The same file imported
/// again changes nothing (all items "unchanged"). A file with problems is refused with every
/// one of them (`AppError::FileRefused`).
pub async fn import(
    portal: &Portal,
    parsed: ParsedFile,
    options: ImportOptions,
) -> AppResult<ImportReport> {
    let ParsedFile {
        items,
        mut errors,
        warnings,
    } = parsed;
    if let Some(city) = options.only_city {
        for item in items.iter().filter(|i| i.course.city != city) {
            errors.push(Finding {
                line: item.line,
                column: Some("city".into()),
                problem: Problem::OutsideYourCity,
            });
        }
    }
    if !errors.is_empty() {
        return Err(refused(&errors, &warnings));
    }
    let now = portal.clock.stamp();
    let mut report = ImportReport {
        dry_run: options.dry_run,
        warnings,
        ..Default::default()
    };
    let mut tx = portal.db.write_tx().await?;
    for item in &items {
        let new = Course {
            demo: options.demo,
            ..item.course.clone()
        };
        let old = store::one(&mut tx, &new.code).await?;
        match change(item, &new, old.as_ref()) {
            Change::Refuse(finding) => errors.push(finding),
            Change::Unchanged => report.unchanged += 1,
            Change::Update => {
                store::write(&mut tx, &new, &now, true).await?;
                // Whoever is enrolled hears of new dates, format or address, in this
                // transaction: told if and only if the change is kept.
                if let Some(change) = old.as_ref().and_then(|o| ClassChange::between(o, &new)) {
                    tell_enrolled(&mut tx, &now, &new, &change).await?;
                }
                // More seats: the waiting list has them first (FIFO), in this transaction.
                if old.as_ref().is_some_and(|o| new.capacity > o.capacity) {
                    let today = portal.clock.today();
                    let (code, title, start) = (&new.code, &new.title, new.start_date);
                    crate::enrollment::service::promote_waiting(
                        &mut tx, &now, code, title, start, today,
                    )
                    .await?;
                }
                report.updated += 1;
            }
            Change::Create => {
                store::write(&mut tx, &new, &now, false).await?;
                report.created += 1;
            }
        }
    }
    if !errors.is_empty() {
        tx.rollback().await?;
        return Err(refused(&errors, &report.warnings));
    }
    if options.dry_run {
        tx.rollback().await?;
        return Ok(report);
    }
    if report.created + report.updated > 0 {
        store::bump_version(&mut tx).await?;
        let write = crate::audit::store::Write {
            record: "catalog".into(),
            action: "import",
            city: options.only_city.map(|c| c.code()),
            before: None,
            after: Some(format!(
                "created {}, updated {}, unchanged {}",
                report.created, report.updated, report.unchanged
            )),
        };
        crate::audit::store::record_write(&mut tx, &now, &options.by, &write).await?;
    }
    tx.commit().await?;
    portal.catalog.invalidate();
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::{parse_one_at_a_time, FileKind, PARSING};
    use std::time::Duration;

    #[tokio::test]
    async fn files_are_read_one_at_a_time() {
        let file = b"code,title\nCD-1,x\n".to_vec();
        let turn = PARSING.acquire().await.unwrap();
        let waiting = tokio::spawn(parse_one_at_a_time(file, FileKind::Csv));
        // A file this small is read in well under a millisecond once its turn comes.
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert!(
            !waiting.is_finished(),
            "read while another file was being read"
        );
        drop(turn);
        let parsed = waiting.await.unwrap().unwrap();
        assert!(
            !parsed.errors.is_empty(),
            "then read: its missing columns found"
        );
    }
}
