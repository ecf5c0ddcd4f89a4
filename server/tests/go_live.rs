//! The go-live switches (issue 16, item 6): a deployment never looks like a demo, a demo never
//! goes stale. The "演示数据" notice only on a demo database (every course a demo course); the
//! demo courses move on by whole years at each start so they are open from today (a class with
//! anyone enrolled keeps its dates); the identifiers a Chinese government site must show, from
//! configuration, never on a demo; `peixun backup DIR` takes a consistent copy of a SQLite
//! database with its key while the portal runs, and the copy serves every record again. Over
//! real HTTP against spawned servers (SQLite, or PostgreSQL with PEIXUN_TEST_POSTGRES).
// A test: a panic is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::flow::{enroll, get, trainee, PASSWORD};
use common::{database_url, fixture, peixun, Server};
use serde_json::Value;

const DEMO_NOTICE: &str = "演示数据";

/// A server whose clock reads `instant` from its very start (the demo moves on at start).
async fn started_at(instant: &str, extra: &[&str]) -> Server {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("clock"), instant).unwrap();
    Server::start_in(dir, extra).await
}

async fn course(s: &Server, code: &str) -> Value {
    let (status, body) = s.get_json(&format!("/api/v1/courses/{code}")).await;
    assert_eq!(status, 200, "{body}");
    body
}

fn date(v: &Value) -> chrono::NaiveDate {
    v.as_str().unwrap().parse().unwrap()
}

#[tokio::test]
async fn only_a_demo_database_says_it_is_a_demo() {
    let s = Server::demo().await;
    let home = s.get("/").await.text().await.unwrap();
    assert!(home.contains(DEMO_NOTICE), "the demo says so");

    let real = Server::start(&[]).await;
    let out = peixun(&[
        "import-catalog",
        "--database-url",
        &real.database(),
        fixture("sample-catalog.csv").to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Demo mode (and its published staff passwords) is refused on it, with the reason.
    let refused = peixun(&[
        "serve",
        "--demo",
        "--addr",
        "127.0.0.1:0",
        "--database-url",
        &real.database(),
    ]);
    assert!(!refused.status.success());
    let said = String::from_utf8_lossy(&refused.stderr);
    assert!(
        said.contains("demo mode and demo accounts are refused") && said.contains("请去掉 --demo"),
        "{said}"
    );
    for path in ["/", "/courses", "/login"] {
        let page = real.get(path).await.text().await.unwrap();
        assert!(
            !page.contains(DEMO_NOTICE),
            "{path} of a real catalogue says demo"
        );
    }
    // An empty database is not a demo either (a deployment before its first import).
    let empty = Server::start(&[]).await;
    assert!(!empty
        .get("/")
        .await
        .text()
        .await
        .unwrap()
        .contains(DEMO_NOTICE));
}

#[tokio::test]
async fn the_demo_moves_on_by_whole_years_so_its_classes_are_open_from_today() {
    // The catalogue shipped in the binary, as first loaded on 2026-12-01.
    let s = started_at("2026-12-01T09:00:00+08:00", &["--demo"]).await;
    let first = course(&s, "CD-2026-0010").await;
    let (start, end) = (date(&first["start_date"]), date(&first["end_date"]));
    // Someone enrols: that class keeps its dates whatever happens to the others.
    let me = trainee(&s, 51).await;
    let (status, body) = enroll(&s, "CD-2026-0010", &me).await;
    assert!(status == 201, "{body}");

    // Four years on, the portal starts again on the same database.
    let dir = s.crash();
    std::fs::write(dir.path().join("clock"), "2030-12-01T09:00:00+08:00").unwrap();
    let s = Server::start_in(dir, &["--demo"]).await;
    let today: chrono::NaiveDate = "2030-12-01".parse().unwrap();
    let kept = course(&s, "CD-2026-0010").await;
    assert_eq!(
        (date(&kept["start_date"]), date(&kept["end_date"])),
        (start, end),
        "enrolled: kept"
    );
    let (_, list) = s.get_json("/api/v1/courses?per_page=100").await;
    let items = list["items"].as_array().unwrap();
    assert!(!items.is_empty());
    let mut moved = 0;
    for c in items.iter().filter(|c| c["code"] != "CD-2026-0010") {
        let deadline = c["enroll_deadline"]
            .as_str()
            .map(|d| d.parse::<chrono::NaiveDate>().unwrap());
        let opens = deadline.unwrap_or_else(|| date(&c["start_date"]));
        assert!(opens >= today, "{} closed on {opens}", c["code"]);
        let start = date(&c["start_date"]);
        assert!(start > today, "{} started on {start}", c["code"]);
        moved += 1;
    }
    assert!(moved > 50, "{moved}");
    // By whole years: the days of the month stay those of the shipped catalogue.
    let shipped = fixture_course("ZG-2026-0001");
    let now = course(&s, "ZG-2026-0001").await;
    use chrono::Datelike;
    for field in ["start_date", "end_date", "enroll_deadline"] {
        let (a, b): (chrono::NaiveDate, chrono::NaiveDate) =
            (shipped[field].parse().unwrap(), date(&now[field]));
        assert_eq!((a.month(), a.day()), (b.month(), b.day()), "{field}");
        assert!(b.year() > a.year(), "{field} moved on");
    }
}

/// A course of the demo catalogue as shipped, by column name.
fn fixture_course(code: &str) -> std::collections::HashMap<String, String> {
    let csv = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/demo-catalog.csv"),
    )
    .unwrap();
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let headers = reader.headers().unwrap().clone();
    reader
        .records()
        .map(Result::unwrap)
        .find(|r| &r[0] == code)
        .map(|r| {
            headers
                .iter()
                .map(str::to_string)
                .zip(r.iter().map(str::to_string))
                .collect()
        })
        .unwrap()
}

const IDENTIFIERS: [&str; 8] = [
    "--site-sponsor",
    "四川省人力资源和社会保障厅",
    "--site-code",
    "5100000001",
    "--icp",
    "蜀ICP备00000000号-1",
    "--public-security-record",
    "川公网安备51010402000001号",
];

#[tokio::test]
async fn a_real_deployment_shows_the_identifiers_of_a_government_site() {
    let s = Server::start(&IDENTIFIERS).await;
    let out = peixun(&[
        "import-catalog",
        "--database-url",
        &s.database(),
        fixture("sample-catalog.csv").to_str().unwrap(),
    ]);
    assert!(out.status.success());
    let home = s.get("/").await.text().await.unwrap();
    for shown in [
        "主办单位：四川省人力资源和社会保障厅",
        "网站标识码：5100000001",
        "蜀ICP备00000000号-1",
        "川公网安备51010402000001号",
        r#"href="https://beian.miit.gov.cn/""#,
        "https://beian.mps.gov.cn/",
    ] {
        assert!(home.contains(shown), "{shown}");
    }
    // Never on a demo, whatever is configured.
    let demo = Server::start(&[&IDENTIFIERS[..], &["--demo"]].concat()).await;
    let home = demo.get("/").await.text().await.unwrap();
    assert!(
        !home.contains("5100000001") && !home.contains("ICP"),
        "a demo with a site's numbers"
    );
}

#[tokio::test]
async fn a_backup_taken_while_the_portal_runs_serves_every_record_again() {
    let s = Server::demo().await;
    let db = s.database();
    let me = trainee(&s, 52).await;
    let (status, body) = enroll(&s, "CD-2026-0010", &me).await;
    assert_eq!(status, 201, "{body}");
    let out_dir = s.dir.path().join("backups").join("2031-01-01");
    let out = peixun(&["backup", out_dir.to_str().unwrap(), "--database-url", &db]);
    if common::postgres_base().is_some() {
        // PostgreSQL is backed up with its own tools; the command says so, and how.
        assert!(!out.status.success());
        let said = String::from_utf8_lossy(&out.stderr);
        assert!(said.contains("pg_dump"), "{said}");
        return;
    }
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    use std::os::unix::fs::PermissionsExt;
    for file in ["peixun.db", "peixun.key"] {
        let mode = std::fs::metadata(out_dir.join(file))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "{file} is the owner's only");
    }
    // Not over an earlier backup.
    let again = peixun(&["backup", out_dir.to_str().unwrap(), "--database-url", &db]);
    assert!(!again.status.success(), "a backup was written over");

    // Restored where a new portal runs from it: the person, their enrolment, their numbers.
    let restored = tempfile::tempdir().unwrap();
    for file in ["peixun.db", "peixun.key"] {
        std::fs::copy(out_dir.join(file), restored.path().join(file)).unwrap();
    }
    assert_eq!(
        database_url(restored.path()),
        common::sqlite_url(restored.path())
    );
    let r = Server::start_in(restored, &[]).await;
    let session = r.login("13900000052", PASSWORD).await;
    let (status, profile) = get(&r, "/api/v1/me", &session).await;
    assert_eq!(status, 200);
    assert_eq!(profile["phone"], "139****0052", "{profile}");
    let (_, mine) = get(&r, "/api/v1/me/enrollments", &session).await;
    assert_eq!(mine["items"][0]["course"], "CD-2026-0010", "{mine}");
}
