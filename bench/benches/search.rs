//! Criterion: the catalogue index on a generated 100 000-item catalogue, per kind of query.
//! `cargo bench -p peixun-bench --bench search`
// A test: a panic is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use app::catalog::search::CatalogIndex;
use app::catalog::{CourseQuery, Strictness};
use criterion::{criterion_group, criterion_main, Criterion};
use peixun_bench::{courses_of, parse_all, QUERY_MIX};

fn search(c: &mut Criterion) {
    let bytes = peixun_bench::generate_bytes(100_000, 7).unwrap();
    let index = CatalogIndex::build(courses_of(parse_all(&bytes).unwrap()));
    let today = chrono::Utc::now().date_naive();
    let mut group = c.benchmark_group("search_100k");
    for (name, query) in QUERY_MIX {
        let pairs: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes())
            .into_owned()
            .collect();
        let q = CourseQuery::parse(
            pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())),
            Strictness::Strict,
        )
        .expect("valid query");
        group.bench_function(*name, |b| b.iter(|| index.search(&q, today)));
    }
    group.finish();
}

criterion_group!(benches, search);
criterion_main!(benches);
