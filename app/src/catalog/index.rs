//! Each instance's search index of the catalogue, kept in step with the database, and the
//! seats left of the courses it shows (read afresh: seats change with every enrolment).

use super::search::{CatalogIndex, Hits};
use super::store;
use super::CourseQuery;
use crate::error::{AppError, AppResult};
use crate::storage::Db;
use chrono::NaiveDate;
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

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
    recent: quick_cache::sync::Cache<String, Arc<Hits>, Bytes>,
    /// Seat counts of recently shown pages of courses, by the page's codes (see `fresh_seats`).
    seats: quick_cache::sync::Cache<String, Arc<SeatBoard>, Bytes>,
    /// Moves on with every seat taken or freed on this instance.
    seats_epoch: AtomicU64,
    checked: Mutex<Option<Instant>>,
    changed_here: AtomicBool,
    rebuilding: tokio::sync::Mutex<()>,
    /// Whether this is a demo database, and when that was last asked (at most once a second).
    demo: Mutex<Option<(Instant, bool)>>,
    /// The courses with no seat left (see `full_now`), and the number of their last change.
    full: Mutex<Option<FullSet>>,
    full_version: AtomicU64,
}

/// The courses with no seat left, as course numbers of one index, when read and at which
/// local seat epoch; `version` moves on only when the set itself changed.
struct FullSet {
    read_at: Instant,
    epoch: u64,
    generation: u64,
    version: u64,
    docs: Arc<roaring::RoaringBitmap>,
}

/// About how many distinct recent searches are kept…
const RECENT_SEARCHES: usize = 2_000;
/// …and at most how many bytes each cache holds: a search that matches the whole catalogue
/// keeps a pointer per course, so counting entries alone would let varied broad searches
/// fill the memory.
const CACHE_BYTES: u64 = 32 * 1024 * 1024;

/// The weight of a cache entry: about the bytes it holds.
#[derive(Debug, Clone, Copy, Default)]
pub struct Bytes;

impl quick_cache::Weighter<String, Arc<Hits>> for Bytes {
    fn weight(&self, key: &String, hits: &Arc<Hits>) -> u64 {
        let facets: usize = hits
            .facets
            .iter()
            .map(|(name, values)| name.len() + values.keys().map(|v| v.len() + 48).sum::<usize>())
            .sum();
        (key.len() + 64 + hits.courses.len() * std::mem::size_of::<usize>() + facets) as u64
    }
}

impl quick_cache::Weighter<String, Arc<SeatBoard>> for Bytes {
    fn weight(&self, key: &String, board: &Arc<SeatBoard>) -> u64 {
        let seats: usize = board.seats.keys().map(|code| code.len() + 40).sum();
        (key.len() + 64 + seats) as u64
    }
}

impl Default for CatalogSearch {
    fn default() -> Self {
        CatalogSearch {
            current: RwLock::default(),
            recent: quick_cache::sync::Cache::with_weighter(RECENT_SEARCHES, CACHE_BYTES, Bytes),
            seats: quick_cache::sync::Cache::with_weighter(RECENT_SEARCHES, CACHE_BYTES, Bytes),
            seats_epoch: AtomicU64::default(),
            checked: Mutex::default(),
            changed_here: AtomicBool::default(),
            rebuilding: tokio::sync::Mutex::default(),
            demo: Mutex::default(),
            full: Mutex::default(),
            full_version: AtomicU64::default(),
        }
    }
}

impl CatalogSearch {
    /// Searches the current index, answering a repeated search from the recent ones.
    /// `today` orders courses still open for enrolment before closed ones.
    pub async fn search(
        self: &Arc<Self>,
        db: &Db,
        query: &CourseQuery,
        today: NaiveDate,
    ) -> AppResult<Arc<Hits>> {
        let index = self.index(db).await?;
        let (version, full) = self.full_now(db, &index).await?;
        let pairs = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(query.to_pairs())
            .finish();
        let key = format!("{}:{today}:{version}:{pairs}", index.generation());
        if let Some(hits) = self.recent.get(&key) {
            return Ok(hits);
        }
        let hits = Arc::new(index.search_seats(query, today, &full));
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

    /// Whether this is a demo database (see `store::demo_database`), asked of the database
    /// at most once a second: every page wants to know.
    pub async fn demo(&self, db: &Db) -> AppResult<bool> {
        let known = self.demo.lock().ok().and_then(|d| *d);
        if let Some((_, demo)) = known.filter(|(at, _)| at.elapsed() < RECHECK) {
            return Ok(demo);
        }
        let demo = store::demo_database(db).await?;
        if let Ok(mut d) = self.demo.lock() {
            *d = Some((Instant::now(), demo));
        }
        Ok(demo)
    }

    /// The courses with no seat left now, for "有名额" and its counts: read from the database
    /// at most once every `SEATS_FRESH`, and at once after this instance took or freed a seat.
    /// Searches are cached under the set's version, which moves on only when the set changed.
    async fn full_now(
        &self,
        db: &Db,
        index: &CatalogIndex,
    ) -> AppResult<(u64, Arc<roaring::RoaringBitmap>)> {
        let epoch = self.seats_epoch.load(Ordering::SeqCst);
        let generation = index.generation();
        let known = self.full.lock().ok().and_then(|f| {
            f.as_ref()
                .map(|f| (f.read_at, f.epoch, f.generation, f.version, f.docs.clone()))
        });
        if let Some((read_at, e, g, version, docs)) = &known {
            if *e == epoch && *g == generation && read_at.elapsed() < SEATS_FRESH {
                return Ok((*version, docs.clone()));
            }
        }
        let codes = store::full_codes(db).await?;
        let docs = Arc::new(index.docs_of(codes.iter().map(String::as_str)));
        let version = match &known {
            Some((_, _, g, version, old)) if *g == generation && **old == *docs => *version,
            _ => self.full_version.fetch_add(1, Ordering::SeqCst) + 1,
        };
        if let Ok(mut f) = self.full.lock() {
            *f = Some(FullSet {
                read_at: Instant::now(),
                epoch,
                generation,
                version,
                docs: docs.clone(),
            });
        }
        Ok((version, docs))
    }

    /// A seat was taken or freed on this instance: lists read seat counts afresh.
    pub fn seats_changed(&self) {
        self.seats_epoch.fetch_add(1, Ordering::SeqCst);
    }

    /// The catalogue was changed by this instance: the next search waits for a fresh index.
    pub fn invalidate(&self) {
        self.changed_here.store(true, Ordering::SeqCst);
        if let Ok(mut d) = self.demo.lock() {
            *d = None;
        }
    }

    pub async fn index(self: &Arc<Self>, db: &Db) -> AppResult<Arc<CatalogIndex>> {
        let changed_here = self.changed_here.load(Ordering::SeqCst);
        if !changed_here {
            if let Some((_, index)) = self.cached().filter(|_| self.recently_checked()) {
                return Ok(index);
            }
        }
        let version = store::version(db).await?;
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
        let version = store::version(db).await?;
        if let Some((_, index)) = self.cached().filter(|(v, _)| *v >= version) {
            return Ok(index);
        }
        let (version, courses) = store::all(db).await?;
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
pub struct SeatBoard {
    read_at: Instant,
    epoch: u64,
    pub seats: HashMap<String, u32>,
}

/// How old the seat counts in a list may be when another instance sold a seat. An enrolment
/// itself always decides on the database's count; this instance's own enrolments refresh
/// lists at once (`seats_changed`).
const SEATS_FRESH: Duration = Duration::from_secs(1);

impl CatalogSearch {
    /// The seats left of the courses shown: from the database (seats change with every
    /// enrolment; the index does not follow them), reused for the same page for up to
    /// `SEATS_FRESH` while this instance sells no seat.
    pub async fn fresh_seats(&self, db: &Db, codes: &[&str]) -> AppResult<Arc<SeatBoard>> {
        let key = codes.join(",");
        let epoch = self.seats_epoch.load(Ordering::SeqCst);
        if let Some(board) = self.seats.get(&key) {
            if board.epoch == epoch && board.read_at.elapsed() < SEATS_FRESH {
                return Ok(board);
            }
        }
        let board = Arc::new(SeatBoard {
            read_at: Instant::now(),
            epoch,
            seats: store::seats(db, codes).await?,
        });
        self.seats.insert(key, board.clone());
        Ok(board)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::testing::sample_course;

    #[test]
    fn broad_searches_are_kept_by_their_bytes_not_their_number() {
        let search = CatalogSearch::default();
        let course = Arc::new(sample_course());
        // Each as broad as a catalogue of 20 000 courses allows; 400 of them would keep
        // 64 MB of pointers alone.
        for i in 0..400 {
            let hits = Hits {
                courses: vec![course.clone(); 20_000],
                total: 20_000,
                facets: Default::default(),
                understood: None,
            };
            search
                .recent
                .insert(format!("1:q=broad{i}"), Arc::new(hits));
        }
        let kept: usize = (0..400)
            .filter_map(|i| search.recent.peek(&format!("1:q=broad{i}")))
            .map(|hits| hits.courses.len() * std::mem::size_of::<usize>())
            .sum();
        assert!(kept as u64 <= CACHE_BYTES, "{kept} bytes kept");
        assert!(kept > 0, "the most recent are kept");
    }
}
