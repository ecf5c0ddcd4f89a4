//! The catalogue benchmark, in one run (`make bench`):
//! 1. generate a realistic 100 000-item catalogue and import it through `peixun`'s own import
//!    path into a fresh SQLite file (time);
//! 2. search it in-process through the service layer with a fixed query mix (p50/p99);
//! 3. serve it with the release `peixun` and load the home page, the catalogue page, the search
//!    API and a course page with wrk at 64 connections, beside `/healthz` on the same server as
//!    the baseline (req/s, ratio), and read the server's memory (RSS).
//!
//! `cargo run --release -p peixun-bench --bin catalog-bench -- [ITEMS] [SECONDS]`

use app::catalog::import::{self, FileKind};
use app::catalog::search::CatalogIndex;
use app::catalog::service::{self, ImportOptions};
use app::catalog::{CourseQuery, Strictness};
use app::portal::Portal;
use peixun_bench::QUERY_MIX;
use std::process::Command;
use std::time::{Duration, Instant};

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

struct Wrk {
    rps: f64,
    p50: String,
    p99: String,
}

fn wrk(url: &str, seconds: u64, connections: u32) -> Result<Wrk, String> {
    let out = Command::new("wrk")
        .args([
            "-t2",
            &format!("-c{connections}"),
            &format!("-d{seconds}s"),
            "--latency",
            url,
        ])
        .output()
        .map_err(|e| format!("cannot run wrk (apt-get install wrk): {e}"))?;
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let field = |prefix: &str| {
        text.lines()
            .find(|l| l.trim_start().starts_with(prefix))
            .and_then(|l| l.split_whitespace().nth(1).map(str::to_string))
    };
    let rps = field("Requests/sec:")
        .and_then(|v| v.parse().ok())
        .ok_or_else(|| format!("wrk output: {text}"))?;
    if text.contains("Non-2xx") {
        return Err(format!("{url} answered errors under load: {text}"));
    }
    Ok(Wrk {
        rps,
        p50: field("50%").unwrap_or_default(),
        p99: field("99%").unwrap_or_default(),
    })
}

fn rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

/// wrk on each page a visitor or another site asks for, beside `/healthz` measured first on
/// the same server: req/s, p50, p99 and the ratio to the baseline; then the server's memory.
async fn http_table(
    client: &reqwest::Client,
    base: &str,
    seconds: u64,
    pid: u32,
    items: usize,
) -> Result<(), String> {
    let list = peixun_bench::get_json(client, &format!("{base}/api/v1/courses?per_page=1")).await?;
    let code = list["items"][0]["code"]
        .as_str()
        .ok_or("no course in the catalogue")?
        .to_string();
    let course = format!("/courses/{code}");
    let targets = [
        ("`/healthz` (baseline)", "/healthz".to_string()),
        ("home page `/`", "/".to_string()),
        (
            "catalogue page `/courses?q=电工`",
            "/courses?q=%E7%94%B5%E5%B7%A5".to_string(),
        ),
        (
            "search API `/api/v1/courses?q=电工`",
            "/api/v1/courses?q=%E7%94%B5%E5%B7%A5".to_string(),
        ),
        ("course page `/courses/{code}`", course),
    ];
    println!("| endpoint | req/s | p50 | p99 | vs /healthz |\n|---|---|---|---|---|");
    let mut baseline = None;
    for (name, path) in targets {
        let w = wrk(&format!("{base}{path}"), seconds, 64)?;
        let base_rps = *baseline.get_or_insert(w.rps);
        println!(
            "| {name} | {:.0} | {} | {} | {:.2} |",
            w.rps,
            w.p50,
            w.p99,
            w.rps / base_rps
        );
    }
    if let Some(kib) = rss_kib(pid) {
        println!(
            "\nserver memory (RSS) with {items} items indexed: {:.0} MB",
            kib as f64 / 1024.0
        );
    }
    Ok(())
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let items: usize = args
        .next()
        .map(|s| s.parse())
        .transpose()?
        .unwrap_or(100_000);
    let seconds: u64 = args.next().map(|s| s.parse()).transpose()?.unwrap_or(10);
    let dir = tempfile::tempdir()?;
    let url = peixun_bench::bench_database("catalog", dir.path()).await?;
    let backend = peixun_bench::backend_name(&url);

    println!(
        "# Catalogue benchmark: {items} items, {backend}, {} cores",
        std::thread::available_parallelism()?.get()
    );
    let bytes = peixun_bench::generate_bytes(items, 7)?;
    println!("generated {:.1} MB of CSV", bytes.len() as f64 / 1e6);

    // A file may hold at most 20 MB, so each city imports its own part of the catalogue, as
    // the cities do.
    let files = peixun_bench::split_by_city(&bytes)?;
    let portal = Portal::open(
        &url,
        app::accounts::vault::Vault::from_base64(peixun_bench::BENCH_KEY)?,
        app::portal::Settings::default(),
    )
    .await?;
    let (mut parse_time, mut import_time, mut created) = (Duration::ZERO, Duration::ZERO, 0);
    for file in &files {
        let started = Instant::now();
        let parsed = import::parse(file, FileKind::Csv);
        parse_time += started.elapsed();
        let report = service::import(&portal, parsed, ImportOptions::default())
            .await
            .map_err(|e| format!("import failed: {e:?}"))?;
        import_time += started.elapsed();
        created += report.created;
    }
    println!("\n## Import ({} city files)", files.len());
    println!("| step | time |\n|---|---|");
    println!("| read and check {items} rows | {} |", ms(parse_time));
    println!(
        "| read, check and store ({created} created) | {} |",
        ms(import_time)
    );

    let started = Instant::now();
    service::search(&portal, &CourseQuery::default()).await?;
    println!(
        "| build the search index (first search) | {} |",
        ms(started.elapsed())
    );

    println!("\n## In-process search ({items} items)");
    println!("The index alone (every search computed), and the service layer (repeated searches");
    println!("answered from the recent ones, a page's seat counts reused for up to 1 s).\n");
    println!("| query | results | index p50 | index p99 | service p50 | service p99 |\n|---|---|---|---|---|---|");
    let index = CatalogIndex::build(peixun_bench::courses_of(peixun_bench::parse_all(&bytes)?));
    let rounds = 300;
    let today = chrono::Utc::now().date_naive();
    for (name, query) in QUERY_MIX {
        let pairs: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes())
            .into_owned()
            .collect();
        let q = CourseQuery::parse(
            pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())),
            Strictness::Strict,
        )?;
        let (mut direct, mut service_times) =
            (Vec::with_capacity(rounds), Vec::with_capacity(rounds));
        let mut total = 0;
        for _ in 0..rounds {
            let t = Instant::now();
            total = std::hint::black_box(index.search(&q, today)).total;
            direct.push(t.elapsed());
            let t = Instant::now();
            service::search(&portal, &q).await?;
            service_times.push(t.elapsed());
        }
        direct.sort();
        service_times.sort();
        println!(
            "| {name} (`{query}`) | {total} | {} | {} | {} | {} |",
            ms(percentile(&direct, 0.5)),
            ms(percentile(&direct, 0.99)),
            ms(percentile(&service_times, 0.5)),
            ms(percentile(&service_times, 0.99))
        );
    }
    drop(portal);

    println!("\n## HTTP (wrk, 64 connections, {seconds} s each, release `peixun`)");
    let port = 3990;
    let server = peixun_bench::ServerUnderTest::start(&url, port)?;
    let base = server.base.clone();
    let client = reqwest::Client::new();
    let ready = server
        .ready(&client, "/api/v1/courses?q=%E7%94%B5%E5%B7%A5")
        .await;
    let result = if ready {
        http_table(&client, &base, seconds, server.pid(), items).await
    } else {
        Err("the server did not become ready".to_string())
    };
    drop(server);
    result.map_err(Into::into)
}
