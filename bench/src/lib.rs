//! Benchmarks and their data: a generator of realistic demand catalogues in the import format
//! (catalog-format.md): real occupations of the ten industry areas, all 21 cities with real
//! districts, Chinese titles, fictional institutions marked （示例）. Deterministic for a seed.

mod cities;
mod generate;
mod occupations;

pub use generate::{generate, generate_bytes};

/// The fixed query mix of the catalogue benchmarks: (name, query string).
pub const QUERY_MIX: &[(&str, &str)] = &[
    ("one Chinese word", "q=电工"),
    ("two Chinese words", "q=养老 护理"),
    ("pinyin", "q=diangong"),
    ("initials", "q=dg"),
    ("an everyday name", "q=电焊"),
    ("a homophone typo", "q=叉车斯机"),
    ("asking, a place and a format", "q=成都 学电工 周末班"),
    ("a profile's hint only", "q=飞行汽车"),
    ("nothing matches", "q=钢琴调律"),
    (
        "facets only",
        "industry=low_altitude&city=510100&has_seats=true",
    ),
];

/// Courses as the catalogue would hold them, straight from checked import rows.
pub fn courses_of(items: Vec<app::catalog::import::CatalogItem>) -> Vec<app::catalog::Course> {
    items.into_iter().map(app::catalog::Course::from).collect()
}

/// The catalogue split into one CSV per city (column `city`), each with the header.
pub fn split_by_city(bytes: &[u8]) -> Result<Vec<Vec<u8>>, Box<dyn std::error::Error>> {
    let mut reader = csv::ReaderBuilder::new().from_reader(bytes);
    let header = reader.headers()?.clone();
    let city = header
        .iter()
        .position(|h| h == "city")
        .ok_or("no city column")?;
    let mut files: std::collections::BTreeMap<String, csv::Writer<Vec<u8>>> = Default::default();
    for record in reader.records() {
        let record = record?;
        let key = record.get(city).unwrap_or_default().to_string();
        let writer = match files.entry(key) {
            std::collections::btree_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::btree_map::Entry::Vacant(e) => {
                let mut w = csv::Writer::from_writer(Vec::new());
                w.write_record(&header)?;
                e.insert(w)
            }
        };
        writer.write_record(&record)?;
    }
    files
        .into_values()
        .map(|w| w.into_inner().map_err(|e| e.to_string().into()))
        .collect()
}

/// Every row of a generated catalogue, checked as the importer checks them (city by city,
/// as a file may hold at most 20 MB).
pub fn parse_all(
    bytes: &[u8],
) -> Result<Vec<app::catalog::import::CatalogItem>, Box<dyn std::error::Error>> {
    use app::catalog::import::{self, FileKind};
    let mut items = Vec::new();
    for file in split_by_city(bytes)? {
        let parsed = import::parse(&file, FileKind::Csv);
        if let Some(problem) = parsed.errors.first() {
            return Err(format!("a generated row is refused: {problem:?}").into());
        }
        items.extend(parsed.items);
    }
    Ok(items)
}

/// The database a benchmark runs on: a fresh SQLite file in `dir`, or — when `BENCH_POSTGRES`
/// names a PostgreSQL server (`postgres://USER@HOST:PORT`) — a fresh database `peixun_bench_NAME`
/// there (dropped first if a previous run left it).
pub async fn bench_database(name: &str, dir: &std::path::Path) -> Result<String, String> {
    use sqlx::{Connection, Executor};
    let Some(base) = std::env::var("BENCH_POSTGRES")
        .ok()
        .filter(|v| !v.trim().is_empty())
    else {
        return Ok(format!(
            "sqlite://{}",
            dir.join(format!("{name}.db")).display()
        ));
    };
    let base = base.trim().trim_end_matches('/');
    let db = format!("peixun_bench_{name}");
    let mut conn = sqlx::PgConnection::connect(&format!("{base}/postgres"))
        .await
        .map_err(|e| format!("BENCH_POSTGRES={base}: {e}"))?;
    for sql in [
        format!("DROP DATABASE IF EXISTS {db} WITH (FORCE)"),
        format!("CREATE DATABASE {db}"),
    ] {
        conn.execute(sql.as_str())
            .await
            .map_err(|e| format!("{sql}: {e}"))?;
    }
    Ok(format!("{base}/{db}"))
}

/// "SQLite" or "PostgreSQL", for the reports' headings.
pub fn backend_name(url: &str) -> &'static str {
    match app::storage::Backend::of_url(url) {
        Some(app::storage::Backend::Postgres) => "PostgreSQL",
        _ => "SQLite",
    }
}

/// GET `url` and read its JSON body.
pub async fn get_json(client: &reqwest::Client, url: &str) -> Result<serde_json::Value, String> {
    client
        .get(url)
        .send()
        .await
        .map_err(|e| e.to_string())?
        .json()
        .await
        .map_err(|e| e.to_string())
}

/// The key every benchmark server holds (PostgreSQL has no key file beside the database).
pub const BENCH_KEY: &str =
    "BwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyAhIiMkJSYnKCkqKywtLi8wMTIzNDU2Nzg5Ojs8PT4/QEFCQ0RFRg==";

/// The release `peixun` serving a database for an HTTP benchmark (`PEIXUN_BIN` names another
/// binary); stopped when dropped.
pub struct ServerUnderTest {
    child: std::process::Child,
    pub base: String,
}

impl ServerUnderTest {
    pub fn start(database_url: &str, port: u16) -> Result<ServerUnderTest, String> {
        let bin = std::env::var("PEIXUN_BIN").unwrap_or_else(|_| "target/release/peixun".into());
        let child = std::process::Command::new(&bin)
            .args([
                "serve",
                "--addr",
                &format!("127.0.0.1:{port}"),
                "--database-url",
                database_url,
            ])
            .env("PEIXUN_LOG", "warn")
            .env("PEIXUN_SECRET_KEY", BENCH_KEY)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::inherit())
            .spawn()
            .map_err(|e| format!("cannot start {bin}: {e}"))?;
        Ok(ServerUnderTest {
            child,
            base: format!("http://127.0.0.1:{port}"),
        })
    }

    /// Waits (at most 20 s) until `path` answers with success.
    pub async fn ready(&self, client: &reqwest::Client, path: &str) -> bool {
        for _ in 0..200 {
            let answered = client
                .get(format!("{}{path}", self.base))
                .send()
                .await
                .is_ok_and(|r| r.status().is_success());
            if answered {
                return true;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        false
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for ServerUnderTest {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
