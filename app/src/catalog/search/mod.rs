//! The in-memory catalogue index: finds courses the way people in Sichuan type — Chinese words
//! (segmented by jieba), pinyin (`diangong`) and pinyin initials (`dg`), everyday names and
//! homophone typos, places and class formats (read by `understanding`) — and counts facets.
//! Any word may match; courses matching more of the words, and more strongly, come first.
//!
//! Every term and every facet value maps to a compressed bitmap of course numbers (`roaring`),
//! so a search is a handful of bitmap intersections, and a facet count is the size of one.
//! The index holds only the catalogue; the live seat counts of the courses shown are read
//! from the database by the service.

mod asked;
mod facets;
mod order;
#[cfg(test)]
mod relevance;
mod terms;
mod text;

use super::understanding::Lexicon;
use super::{Course, CourseQuery, Facet, OpenTo, Understanding};
use crate::reference::{Enumeration, Group};
use asked::Order;
use chrono::NaiveDate;
use facets::{add_course, facet_values, CourseValues, FacetColumn};
use roaring::RoaringBitmap;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use terms::Postings;
use text::{is_cjk, pinyin_forms, AnalysisCache};

/// Numbers the indexes built by this process.
static GENERATION: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// The index of one version of the catalogue.
pub struct CatalogIndex {
    generation: u64,
    courses: Vec<Arc<Course>>,
    all: RoaringBitmap,
    postings: Postings,
    /// One column per facet, in the order of `Facet::ALL`.
    facets: Vec<FacetColumn>,
    course_values: Vec<CourseValues>,
    /// The facet counts of the whole catalogue (the unfiltered list is the most asked for).
    all_counts: BTreeMap<String, BTreeMap<String, u64>>,
    open_to_all: RoaringBitmap,
    groups: HashMap<Group, RoaringBitmap>,
    /// Course numbers ordered by (start date, code), with their start dates.
    by_start: Vec<u32>,
    start_dates: Vec<NaiveDate>,
    start_rank: Vec<u32>,
    /// Course numbers ordered by (subsidy descending, start date, code).
    by_subsidy: Vec<u32>,
    subsidy_rank: Vec<u32>,
    /// Course numbers ordered by (enrolment deadline, start date, code), with their deadlines.
    by_deadline: Vec<u32>,
    deadlines: Vec<NaiveDate>,
    deadline_rank: Vec<u32>,
    /// Course numbers by code, and the courses that were full when the index was built.
    by_code: HashMap<String, u32>,
    full_when_built: RoaringBitmap,
}

/// What a search found: the courses of the page asked for, the total and facet counts.
#[derive(Clone)]
pub struct Hits {
    pub courses: Vec<Arc<Course>>,
    pub total: u64,
    pub facets: BTreeMap<String, BTreeMap<String, u64>>,
    /// How the words were read (with words only).
    pub understood: Option<Understanding>,
}

fn ranks(order: &[u32]) -> Vec<u32> {
    let mut rank = vec![0; order.len()];
    for (position, doc) in order.iter().enumerate() {
        rank[*doc as usize] = position as u32;
    }
    rank
}

impl CatalogIndex {
    /// Builds the index of these courses (CPU work: call it off the async runtime).
    pub fn build(courses: Vec<Course>) -> CatalogIndex {
        let courses: Vec<Arc<Course>> = courses.into_iter().map(Arc::new).collect();
        let mut postings = Postings::default();
        let mut cache = AnalysisCache::default();
        let mut facets: Vec<FacetColumn> =
            Facet::ALL.iter().map(|_| FacetColumn::default()).collect();
        let mut open_to_all = RoaringBitmap::new();
        let mut groups: HashMap<Group, RoaringBitmap> = HashMap::new();
        for (doc, course) in courses.iter().enumerate() {
            let doc = doc as u32;
            let add = |map: &mut HashMap<String, RoaringBitmap>, words: &[String]| {
                for w in words {
                    map.entry(w.clone()).or_default().insert(doc);
                }
            };
            let title = cache.words(&course.title);
            let occupation = cache.words(&course.occupation);
            add(&mut postings.title, &title);
            add(&mut postings.occupation, &occupation);
            postings
                .occupations
                .entry(course.occupation.clone())
                .or_default()
                .insert(doc);
            for text in [Some(&course.institution), course.district.as_ref()]
                .into_iter()
                .flatten()
            {
                let other = cache.words(text);
                add(&mut postings.other, &other);
            }
            add(&mut postings.other, &cache.words(course.city.zh()));
            add(&mut postings.other, &cache.words(course.industry.zh()));
            for c in course
                .title
                .chars()
                .chain(course.occupation.chars())
                .filter(|c| is_cjk(*c))
            {
                postings.characters.entry(c).or_default().insert(doc);
            }
            // Pinyin of every word of the title and occupation, and of the occupation whole
            // (茶艺师 → chayishi, cys).
            let whole = [course.occupation.clone()];
            for word in title.iter().chain(occupation.iter()).chain(whole.iter()) {
                for form in pinyin_forms(word) {
                    postings.pinyin.entry(form).or_default().insert(doc);
                }
            }
            for (facet, column) in Facet::ALL.iter().zip(facets.iter_mut()) {
                for value in facet_values(course, *facet) {
                    column.add(doc, value);
                }
            }
            match &course.groups {
                OpenTo::All => {
                    open_to_all.insert(doc);
                }
                OpenTo::Groups(list) => {
                    for g in list {
                        groups.entry(*g).or_default().insert(doc);
                    }
                }
            }
        }
        for (name, docs) in &postings.occupations {
            let syllables = name.chars().count();
            for form in pinyin_forms(name)
                .into_iter()
                .filter(|f| f.len() > syllables)
            {
                *postings.pinyin_occupations.entry(form).or_default() |= docs;
            }
        }
        // Everyday names and profile phrases by their full pinyin, for the occupations here.
        for (word, names, alias) in Lexicon::get().spoken() {
            let mut docs = RoaringBitmap::new();
            for name in names {
                if let Some(d) = postings.occupations.get(name) {
                    docs |= d;
                }
            }
            if docs.is_empty() {
                continue;
            }
            let syllables = word.chars().count();
            let map = if alias {
                &mut postings.pinyin_names
            } else {
                &mut postings.pinyin_related
            };
            for form in pinyin_forms(word)
                .into_iter()
                .filter(|f| f.len() > syllables)
            {
                *map.entry(form).or_default() |= &docs;
            }
        }
        let mut by_start: Vec<u32> = (0..courses.len() as u32).collect();
        by_start.sort_by(|a, b| {
            let (a, b) = (&courses[*a as usize], &courses[*b as usize]);
            (a.start_date, &a.code).cmp(&(b.start_date, &b.code))
        });
        let start_dates = by_start
            .iter()
            .map(|d| courses[*d as usize].start_date)
            .collect();
        let start_rank = ranks(&by_start);
        let mut by_subsidy = by_start.clone();
        by_subsidy.sort_by_key(|d| std::cmp::Reverse(courses[*d as usize].subsidy_yuan));
        let subsidy_rank = ranks(&by_subsidy);
        let mut by_deadline = by_start.clone();
        by_deadline.sort_by_key(|d| courses[*d as usize].enroll_deadline);
        let deadlines = by_deadline
            .iter()
            .map(|d| courses[*d as usize].enroll_deadline)
            .collect();
        let deadline_rank = ranks(&by_deadline);
        let by_code = courses
            .iter()
            .enumerate()
            .map(|(doc, c)| (c.code.clone(), doc as u32))
            .collect();
        let full_when_built = courses
            .iter()
            .enumerate()
            .filter(|(_, c)| c.seats_left == 0)
            .map(|(doc, _)| doc as u32)
            .collect();
        let mut course_values = vec![[0u64; Facet::ALL.len()]; courses.len()];
        for (position, column) in facets.iter().enumerate() {
            column.fill(&mut course_values, position);
        }
        let all: RoaringBitmap = (0..courses.len() as u32).collect();
        let all_counts = Facet::ALL
            .iter()
            .zip(&facets)
            .map(|(f, column)| (f.name().to_string(), column.count_by_bitmaps(&all)))
            .collect();
        CatalogIndex {
            generation: GENERATION.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
            courses,
            all,
            postings,
            facets,
            course_values,
            all_counts,
            open_to_all,
            groups,
            by_start,
            start_dates,
            start_rank,
            by_subsidy,
            subsidy_rank,
            by_deadline,
            deadlines,
            deadline_rank,
            by_code,
            full_when_built,
        }
    }

    /// Tells this index from every other one this process built.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    pub fn len(&self) -> usize {
        self.courses.len()
    }

    /// The course numbers of `codes` (codes not in this index left out).
    pub fn docs_of<'a>(&self, codes: impl IntoIterator<Item = &'a str>) -> RoaringBitmap {
        codes
            .into_iter()
            .filter_map(|c| self.by_code.get(c).copied())
            .collect()
    }

    pub fn is_empty(&self) -> bool {
        self.courses.is_empty()
    }

    fn column(&self, facet: Facet) -> &FacetColumn {
        let position = Facet::ALL
            .iter()
            .position(|f| *f == facet)
            .unwrap_or_default();
        &self.facets[position]
    }

    fn facet_filter(
        &self,
        facet: Facet,
        query: &CourseQuery,
        full: &RoaringBitmap,
    ) -> Option<RoaringBitmap> {
        if facet == Facet::HasSeats {
            // Seats change with every enrolment: from the courses full now, not the column.
            return query.has_seats.map(|seats| match seats {
                true => &self.all - full,
                false => &self.all & full,
            });
        }
        let values: Vec<String> = match facet {
            Facet::Industry => query.industry.iter().map(|v| v.code().into()).collect(),
            Facet::City => query.city.iter().map(|v| v.code().into()).collect(),
            Facet::District => query.district.clone(),
            Facet::ClassFormat => query.class_format.iter().map(|v| v.code().into()).collect(),
            Facet::ClassType => query.class_type.iter().map(|v| v.code().into()).collect(),
            Facet::Level => query.level.iter().map(|v| v.code().into()).collect(),
            Facet::Accessibility => query
                .accessibility
                .iter()
                .map(|v| v.code().into())
                .collect(),
            Facet::Free => query.free.iter().map(|b| b.to_string()).collect(),
            Facet::HasSeats => query.has_seats.iter().map(|b| b.to_string()).collect(),
        };
        if values.is_empty() {
            return None;
        }
        let column = self.column(facet);
        let empty = RoaringBitmap::new();
        if facet == Facet::Accessibility {
            // A visitor who needs sign language and captions needs both.
            let mut out = self.all.clone();
            for v in &values {
                out &= column.docs(v).unwrap_or(&empty);
            }
            return Some(out);
        }
        let mut out = RoaringBitmap::new();
        for v in &values {
            out |= column.docs(v).unwrap_or(&empty);
        }
        Some(out)
    }

    /// Courses outside the facets: groups, start dates and still open for enrolment.
    fn other_filters(&self, query: &CourseQuery, today: NaiveDate) -> RoaringBitmap {
        let mut out = self.all.clone();
        if !query.group.is_empty() {
            let mut admitted = self.open_to_all.clone();
            for g in &query.group {
                if let Some(docs) = self.groups.get(g) {
                    admitted |= docs;
                }
            }
            out &= admitted;
        }
        if query.starts_after.is_some() || query.starts_before.is_some() {
            let from = query
                .starts_after
                .map_or(0, |d| self.start_dates.partition_point(|s| *s < d));
            let to = query.starts_before.map_or(self.start_dates.len(), |d| {
                self.start_dates.partition_point(|s| *s <= d)
            });
            let slice = self.by_start.get(from..to.max(from)).unwrap_or(&[]);
            out &= slice.iter().copied().collect::<RoaringBitmap>();
        }
        if query.open == Some(true) {
            let from = self.closed_before(today);
            out &= self.by_deadline[from..]
                .iter()
                .copied()
                .collect::<RoaringBitmap>();
        }
        out
    }

    /// The courses among `text` that pass the query's filters, one page of them in order, the
    /// total and the facet counts.
    fn filtered(&self, query: &CourseQuery, text: &RoaringBitmap, order: &Order) -> Hits {
        let base = text & &self.other_filters(query, order.today);
        let filters: Vec<(Facet, RoaringBitmap)> = Facet::ALL
            .iter()
            .filter_map(|f| self.facet_filter(*f, query, order.full).map(|b| (*f, b)))
            .collect();
        let mut result = base.clone();
        for (_, bitmap) in &filters {
            result &= bitmap;
        }

        // A facet's counts apply every filter but its own, so they show what choosing another
        // value of that facet would give.
        let mut facets = BTreeMap::new();
        let shared: Vec<usize> = (0..Facet::ALL.len())
            .filter(|i| !filters.iter().any(|(f, _)| *f == Facet::ALL[*i]))
            .collect();
        for (position, counts) in self.count_facets(&result, &shared) {
            facets.insert(Facet::ALL[position].name().to_string(), counts);
        }
        for (facet, _) in &filters {
            let mut scope = base.clone();
            for (_, bitmap) in filters.iter().filter(|(f, _)| f != facet) {
                scope &= bitmap;
            }
            let position = Facet::ALL
                .iter()
                .position(|f| f == facet)
                .unwrap_or_default();
            for (position, counts) in self.count_facets(&scope, &[position]) {
                facets.insert(Facet::ALL[position].name().to_string(), counts);
            }
        }

        // Seats: counted from the courses full now, within the scope the facet's counts have.
        let seats_scope = if filters.iter().any(|(f, _)| *f == Facet::HasSeats) {
            let mut scope = base.clone();
            for (_, bitmap) in filters.iter().filter(|(f, _)| *f != Facet::HasSeats) {
                scope &= bitmap;
            }
            scope
        } else {
            result.clone()
        };
        let full_here = seats_scope.intersection_len(order.full);
        let seats: BTreeMap<String, u64> = [
            ("true".to_string(), seats_scope.len() - full_here),
            ("false".to_string(), full_here),
        ]
        .into_iter()
        .filter(|(_, n)| *n > 0)
        .collect();
        facets.insert(Facet::HasSeats.name().to_string(), seats);

        let total = result.len();
        let offset =
            (query.page.saturating_sub(1) as usize).saturating_mul(query.per_page as usize);
        let courses = self
            .page(&result, order, offset, query.per_page as usize)
            .into_iter()
            .map(|doc| self.courses[doc as usize].clone())
            .collect();
        Hits {
            courses,
            total,
            facets,
            understood: None,
        }
    }

    /// The counts of some facets (by position) within `scope`: from the cache for the whole
    /// catalogue, by bitmap intersections for a large scope, course by course for a small one.
    fn count_facets(
        &self,
        scope: &RoaringBitmap,
        positions: &[usize],
    ) -> Vec<(usize, BTreeMap<String, u64>)> {
        if scope.len() == self.all.len() {
            return positions
                .iter()
                .map(|p| {
                    (
                        *p,
                        self.all_counts
                            .get(Facet::ALL[*p].name())
                            .cloned()
                            .unwrap_or_default(),
                    )
                })
                .collect();
        }
        if scope.len() * 4 >= self.all.len() {
            return positions
                .iter()
                .map(|p| (*p, self.facets[*p].count_by_bitmaps(scope)))
                .collect();
        }
        let mut counts: Vec<Vec<u64>> = positions
            .iter()
            .map(|p| vec![0; self.facets[*p].names.len()])
            .collect();
        let as_bits: Vec<bool> = positions
            .iter()
            .map(|p| self.facets[*p].as_bits())
            .collect();
        for doc in scope {
            let values = &self.course_values[doc as usize];
            for (i, p) in positions.iter().enumerate() {
                add_course(&mut counts[i], values[*p], as_bits[i]);
            }
        }
        positions
            .iter()
            .zip(counts)
            .map(|(p, c)| (*p, self.facets[*p].named(c)))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::testing::course;
    use crate::catalog::Strictness;
    use crate::money::Yuan;
    use crate::reference::{City, ClassFormat, Industry};

    fn catalogue() -> CatalogIndex {
        let mut c = vec![
            course(
                "A",
                "电工（初级）夜校班",
                "电工",
                City::Chengdu,
                Industry::AdvancedManufacturing,
            ),
            course(
                "B",
                "养老护理员（中级）",
                "养老护理员",
                City::Chengdu,
                Industry::ElderlyChildcare,
            ),
            course(
                "C",
                "无人机驾驶员（初级）",
                "无人机驾驶员",
                City::Mianyang,
                Industry::LowAltitude,
            ),
            course(
                "D",
                "茶艺师（初级）",
                "茶艺师",
                City::YaAn,
                Industry::CultureTourism,
            ),
            course(
                "E",
                "中式烹调师（川菜）",
                "中式烹调师",
                City::Zigong,
                Industry::LifeServices,
            ),
            course(
                "F",
                "低压电工作业",
                "低压电工作业",
                City::Mianyang,
                Industry::SafetyEmergency,
            ),
        ];
        c[1].groups = OpenTo::Groups(vec![Group::Unemployed, Group::MigrantWorker]);
        c[2].groups = OpenTo::Groups(vec![Group::Veteran]);
        c[2].seats_left = 0;
        c[3].fee_yuan = Yuan::ZERO;
        c[4].subsidy_yuan = Yuan::from_fen(150_000);
        c[5].start_date = NaiveDate::from_ymd_opt(2027, 1, 10).unwrap();
        c[5].class_format = ClassFormat::FullTime;
        CatalogIndex::build(c)
    }

    fn codes(index: &CatalogIndex, pairs: &[(&str, &str)]) -> Vec<String> {
        let q = CourseQuery::parse(pairs.iter().copied(), Strictness::Strict).unwrap();
        index
            .search(&q, today())
            .courses
            .iter()
            .map(|c| c.code.clone())
            .collect()
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()
    }

    fn sorted(mut v: Vec<String>) -> Vec<String> {
        v.sort();
        v
    }

    #[test]
    fn chinese_words_find_their_courses() {
        let idx = catalogue();
        assert_eq!(sorted(codes(&idx, &[("q", "电工")])), ["A", "F"]);
        assert_eq!(codes(&idx, &[("q", "养老护理")]), ["B"]);
        assert_eq!(codes(&idx, &[("q", "无人机")]), ["C"]);
        assert_eq!(codes(&idx, &[("q", "川菜")]), ["E"]);
        assert!(codes(&idx, &[("q", "钢琴调律")]).is_empty());
        // Characters alone do not make a match when the word exists: 电 and 工 are both in
        // 电梯安装维修工, which is not an electrician's course.
        let mut lift = course(
            "L",
            "电梯安装维修工（初级）",
            "电梯安装维修工",
            City::Chengdu,
            Industry::ConstructionProperty,
        );
        lift.institution = "成都培训学校".into();
        let idx = CatalogIndex::build(vec![
            lift,
            course(
                "A",
                "电工（初级）",
                "电工",
                City::Chengdu,
                Industry::AdvancedManufacturing,
            ),
        ]);
        assert_eq!(codes(&idx, &[("q", "电工")]), ["A"]);
        // Found as typed (a word within 电梯安装维修工): an electrician's profile speaks of
        // repairs too, but a profile's hint is only for words found nowhere as typed.
        assert_eq!(codes(&idx, &[("q", "维修")]), ["L"]);
        assert_eq!(codes(&idx, &[("q", "接电线")]), ["A"], "a profile's hint");
    }

    #[test]
    fn places_and_formats_in_the_words_filter() {
        let idx = catalogue();
        assert_eq!(codes(&idx, &[("q", "电工 夜校")]), ["A"]);
        assert_eq!(codes(&idx, &[("q", "电工 绵阳")]), ["F"]);
        assert_eq!(codes(&idx, &[("q", "绵阳 学电工")]), ["F"]);
        // No electrician in 雅安: the place is dropped, and the answer says so.
        let q = CourseQuery::parse([("q", "雅安 电工")], Strictness::Strict).unwrap();
        let hits = idx.search(&q, today());
        assert_eq!(hits.total, 2);
        let understood = hits.understood.unwrap();
        assert_eq!(understood.relaxed, ["city"]);
        assert_eq!(understood.city, Vec::<City>::new());
        // The query's own city is kept, whatever the words say.
        assert_eq!(
            codes(&idx, &[("q", "绵阳 电工"), ("city", "510100")]),
            ["A"]
        );
    }

    #[test]
    fn words_that_are_all_place_or_format_filter_the_whole_catalogue() {
        let idx = catalogue();
        assert_eq!(codes(&idx, &[("q", "自贡")]), ["E"]);
        assert_eq!(codes(&idx, &[("q", "全日制")]), ["F"]);
        assert_eq!(sorted(codes(&idx, &[("q", "绵阳市 怎么报名")])), ["C", "F"]);
    }

    #[test]
    fn any_word_may_match_and_more_matched_words_rank_higher() {
        let idx = catalogue();
        // A word found nowhere does not hide what the others found.
        assert_eq!(sorted(codes(&idx, &[("q", "电工 钢琴")])), ["A", "F"]);
        // 茶艺 and 初级 are both in D's title; 初级 alone is in A's, B's … too.
        let found = codes(&idx, &[("q", "初级 茶艺")]);
        assert_eq!(found[0], "D");
        assert!(found.len() > 1);
    }

    #[test]
    fn everyday_names_typos_and_ways_of_asking() {
        let idx = catalogue();
        assert_eq!(codes(&idx, &[("q", "照顾老人")]), ["B"]);
        assert_eq!(codes(&idx, &[("q", "做饭")]), ["E"]);
        assert_eq!(codes(&idx, &[("q", "茶义师")]), ["D"]);
        assert_eq!(codes(&idx, &[("q", "养老护里员")]), ["B"]);
        assert_eq!(sorted(codes(&idx, &[("q", "怎么考电工证")])), ["A", "F"]);
        // Never by sound for a word found as typed: 电工 is not 店工 or 垫工.
        let q = CourseQuery::parse([("q", "电工")], Strictness::Strict).unwrap();
        assert_eq!(idx.search(&q, today()).total, 2);
    }

    #[test]
    fn open_classes_come_before_closed_ones_as_good() {
        let mut early = course(
            "P",
            "电工（初级）",
            "电工",
            City::Chengdu,
            Industry::AdvancedManufacturing,
        );
        early.start_date = NaiveDate::from_ymd_opt(2026, 11, 1).unwrap();
        early.enroll_deadline = NaiveDate::from_ymd_opt(2026, 10, 25).unwrap();
        let late = course(
            "Q",
            "电工（初级）",
            "电工",
            City::Chengdu,
            Industry::AdvancedManufacturing,
        );
        let idx = CatalogIndex::build(vec![early, late]);
        assert_eq!(codes(&idx, &[("q", "电工")]), ["Q", "P"]);
        assert_eq!(
            codes(&idx, &[("q", "电工"), ("sort", "start_date")]),
            ["P", "Q"]
        );
    }

    #[test]
    fn nothing_found_suggests_occupations() {
        let idx = catalogue();
        let q = CourseQuery::parse([("q", "钢琴调律")], Strictness::Strict).unwrap();
        let hits = idx.search(&q, today());
        assert_eq!(hits.total, 0);
        let understood = hits.understood.unwrap();
        assert_eq!(understood.searched, ["钢琴", "调律"]);
        assert_eq!(understood.suggestions.len(), 5);
        // Not the occupation just searched for, where it has no course.
        let q =
            CourseQuery::parse([("q", "茶艺师"), ("city", "510100")], Strictness::Strict).unwrap();
        let suggested = idx.search(&q, today()).understood.unwrap().suggestions;
        assert!(!suggested.is_empty() && !suggested.contains(&"茶艺师".to_string()));
        assert!(idx
            .search(&CourseQuery::default(), today())
            .understood
            .is_none());
    }

    #[test]
    fn pinyin_and_initials_find_chinese_courses() {
        let idx = catalogue();
        assert_eq!(sorted(codes(&idx, &[("q", "diangong")])), ["A", "F"]);
        assert_eq!(sorted(codes(&idx, &[("q", "dg")])), ["A", "F"]);
        assert_eq!(codes(&idx, &[("q", "chayi")]), ["D"]);
        assert_eq!(codes(&idx, &[("q", "cys")]), ["D"]);
        assert_eq!(codes(&idx, &[("q", "wurenji")]), ["C"]);
        assert_eq!(codes(&idx, &[("q", "yanglao")]), ["B"]);
        // A polyphonic character read the way this word reads it.
        assert_eq!(codes(&idx, &[("q", "pengtiao")]), ["E"]);
        assert_eq!(
            codes(&idx, &[("q", "DianGong")]).len(),
            2,
            "case does not matter"
        );
    }

    #[test]
    fn the_title_counts_more_than_other_places() {
        let mut welding = course(
            "X",
            "焊工（初级）",
            "焊工",
            City::Chengdu,
            Industry::AdvancedManufacturing,
        );
        welding.institution = "成都电工焊工培训学校".into();
        welding.start_date = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let electrician = course(
            "Y",
            "电工（初级）",
            "电工",
            City::Chengdu,
            Industry::AdvancedManufacturing,
        );
        let idx = CatalogIndex::build(vec![welding, electrician]);
        // X starts first, but only Y has 电工 in its title.
        assert_eq!(codes(&idx, &[("q", "电工")]), ["Y", "X"]);
        assert_eq!(
            codes(&idx, &[("q", "电工"), ("sort", "start_date")]),
            ["X", "Y"]
        );
    }

    #[test]
    fn facets_count_with_every_filter_but_their_own() {
        let idx = catalogue();
        let q = CourseQuery::parse(
            [("city", "510100"), ("industry", "elderly_childcare")],
            Strictness::Strict,
        )
        .unwrap();
        let hits = idx.search(&q, today());
        assert_eq!(hits.total, 1);
        // City counts ignore the city filter but apply the industry filter.
        assert_eq!(hits.facets["city"].get("510100"), Some(&1));
        assert_eq!(hits.facets["industry"]["advanced_manufacturing"], 1);
        assert_eq!(hits.facets["industry"]["elderly_childcare"], 1);
        assert!(
            !hits.facets["industry"].contains_key("low_altitude"),
            "low altitude is not in Chengdu"
        );
        assert_eq!(hits.facets["free"]["false"], 1);
    }

    #[test]
    fn group_free_seats_and_dates_filter() {
        let idx = catalogue();
        assert_eq!(
            sorted(codes(&idx, &[("group", "veteran")])),
            ["A", "C", "D", "E", "F"]
        );
        assert_eq!(
            sorted(codes(&idx, &[("group", "unemployed")])),
            ["A", "B", "D", "E", "F"]
        );
        assert_eq!(codes(&idx, &[("free", "true")]), ["D"]);
        assert_eq!(codes(&idx, &[("has_seats", "false")]), ["C"]);
        assert_eq!(codes(&idx, &[("starts_before", "2027-02-01")]), ["F"]);
        assert_eq!(codes(&idx, &[("starts_after", "2027-02-01")]).len(), 5);
        assert_eq!(
            codes(&idx, &[("city", "510100"), ("city", "510700")]).len(),
            4
        );
    }

    #[test]
    fn sorting_and_pages() {
        let idx = catalogue();
        assert_eq!(codes(&idx, &[("sort", "start_date")])[0], "F");
        assert_eq!(codes(&idx, &[("sort", "subsidy")])[0], "E");
        let page1 = codes(&idx, &[("per_page", "4")]);
        let page2 = codes(&idx, &[("per_page", "4"), ("page", "2")]);
        assert_eq!(page1.len() + page2.len(), 6);
        assert!(page1.iter().all(|c| !page2.contains(c)));
        assert!(codes(&idx, &[("page", "3"), ("per_page", "4")]).is_empty());
    }

    #[test]
    fn seats_filter_and_count_by_the_courses_full_now() {
        let idx = catalogue();
        let q = |pairs: &[(&str, &str)]| {
            CourseQuery::parse(pairs.iter().copied(), Strictness::Strict).unwrap()
        };
        // C was full when the index was built; a seat came free since.
        let hits = idx.search_seats(&q(&[("has_seats", "true")]), today(), &RoaringBitmap::new());
        assert_eq!(hits.total, 6);
        assert_eq!(hits.facets["has_seats"].get("false"), None);
        // A has just been filled.
        let full = idx.docs_of(["A", "no-such-code"]);
        let hits = idx.search_seats(&q(&[("has_seats", "false")]), today(), &full);
        let found: Vec<&str> = hits.courses.iter().map(|c| c.code.as_str()).collect();
        assert_eq!(found, ["A"]);
        assert_eq!(hits.facets["has_seats"]["true"], 5);
        assert_eq!(hits.facets["has_seats"]["false"], 1);
        // Without the filter, the counts are within the other filters.
        let hits = idx.search_seats(&q(&[("city", "510100")]), today(), &full);
        assert_eq!(hits.facets["has_seats"]["true"], 1, "B in Chengdu");
        assert_eq!(hits.facets["has_seats"]["false"], 1, "A in Chengdu");
    }

    #[test]
    fn open_only_and_the_deadline_order() {
        let mut c: Vec<Course> = ["P", "Q", "R", "S"]
            .iter()
            .map(|code| {
                course(
                    code,
                    "电工（初级）",
                    "电工",
                    City::Chengdu,
                    Industry::AdvancedManufacturing,
                )
            })
            .collect();
        let day = |m, d| NaiveDate::from_ymd_opt(2026, m, d).unwrap();
        // Today is 1 December: P and S closed (S the latest), Q and R open (R the soonest).
        c[0].enroll_deadline = day(11, 1);
        c[1].enroll_deadline = day(12, 20);
        c[2].enroll_deadline = day(12, 1);
        c[3].enroll_deadline = day(11, 30);
        let idx = CatalogIndex::build(c);
        assert_eq!(sorted(codes(&idx, &[("open", "true")])), ["Q", "R"]);
        assert_eq!(codes(&idx, &[("open", "false")]).len(), 4, "false: all");
        assert_eq!(codes(&idx, &[("sort", "deadline")]), ["R", "Q", "S", "P"]);
        assert_eq!(
            codes(&idx, &[("sort", "deadline"), ("open", "true")]),
            ["R", "Q"]
        );
        assert_eq!(
            codes(
                &idx,
                &[("sort", "deadline"), ("per_page", "1"), ("page", "3")]
            ),
            ["S"]
        );
        assert_eq!(
            codes(&idx, &[("q", "电工"), ("open", "true")]).len(),
            2,
            "with words too"
        );
    }

    #[test]
    fn pinyin_forms_cover_every_reading() {
        let forms = pinyin_forms("烹调");
        assert!(forms.contains(&"pengtiao".to_string()), "{forms:?}");
        assert!(forms.contains(&"pt".to_string()));
        assert_eq!(pinyin_forms("AI"), Vec::<String>::new());
    }
}
