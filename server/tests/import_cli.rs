//! `peixun import-catalog`: the real binary on real files and a real SQLite database.
// A test: a panic is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{database_url, fixture, peixun};
use std::path::Path;

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

async fn count(db: &str) -> i64 {
    let pool = common::pool(db).await;
    let n = sqlx::query_scalar("SELECT COUNT(*) FROM courses")
        .fetch_one(&pool)
        .await
        .unwrap();
    pool.close().await;
    n
}

fn import(file: &Path, db: &str, extra: &[&str]) -> std::process::Output {
    let mut args = vec![
        "import-catalog",
        file.to_str().unwrap(),
        "--database-url",
        db,
    ];
    args.extend_from_slice(extra);
    peixun(&args)
}

#[tokio::test]
async fn importing_twice_changes_nothing_the_second_time() {
    let dir = tempfile::tempdir().unwrap();
    // A folder that does not exist yet: the command creates it and migrates the new file.
    let db = database_url(&dir.path().join("new-folder"));
    let out = import(&fixture("sample-catalog.csv"), &db, &[]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("6 created, 0 updated, 0 unchanged"));
    assert!(text(&out.stdout).contains("新增 6 项，更新 0 项，未变 0 项"));

    let out = import(&fixture("sample-catalog.csv"), &db, &[]);
    assert!(out.status.success());
    assert!(
        text(&out.stdout).contains("0 created, 0 updated, 6 unchanged"),
        "{}",
        text(&out.stdout)
    );

    let changed = std::fs::read_to_string(fixture("sample-catalog.csv"))
        .unwrap()
        .replace("1800.00,1000.00", "1800.00,1200.00");
    let file = dir.path().join("changed.csv");
    std::fs::write(&file, changed).unwrap();
    let out = import(&file, &db, &[]);
    assert!(
        text(&out.stdout).contains("0 created, 1 updated, 5 unchanged"),
        "{}",
        text(&out.stdout)
    );
    assert_eq!(count(&db).await, 6);
}

#[tokio::test]
async fn a_file_with_any_bad_row_imports_nothing_and_names_every_problem() {
    let dir = tempfile::tempdir().unwrap();
    let db = database_url(dir.path());
    let sample = std::fs::read_to_string(fixture("sample-catalog.csv")).unwrap();
    let mut lines: Vec<String> = sample.lines().map(str::to_string).collect();
    lines[2] = lines[2].replace(",160,", ",0,"); // line 3: hours out of range
    lines[4] = lines[4].replace("LS-2026-0001", "CD-2026-0001"); // line 5: duplicate code
    lines[5] = lines[5].replace("2027-01-20", "2027-13-01"); // line 6: not a date
    let file = dir.path().join("bad.csv");
    std::fs::write(&file, lines.join("\n")).unwrap();
    let out = import(&file, &db, &[]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.contains("line 3, column hours: must be between 1 and 2000"),
        "{err}"
    );
    assert!(
        err.contains("第 3 行，hours 列：应在 1 到 2000 之间"),
        "{err}"
    );
    assert!(
        err.contains("line 5, column code: the same code is already on line 2"),
        "{err}"
    );
    assert!(
        err.contains("line 6, column start_date: must be a date"),
        "{err}"
    );
    assert!(err.contains("Nothing was imported"), "{err}");
    assert_eq!(count(&db).await, 0, "nothing was written");
}

#[tokio::test]
async fn dry_run_checks_without_writing() {
    let dir = tempfile::tempdir().unwrap();
    let db = database_url(dir.path());
    let out = import(&fixture("sample-catalog.csv"), &db, &["--dry-run"]);
    assert!(out.status.success());
    assert!(text(&out.stdout).contains("6 created"));
    assert!(text(&out.stdout).contains("checked only"));
    assert_eq!(count(&db).await, 0);
}

#[tokio::test]
async fn gbk_csv_with_chinese_headers_as_excel_saves_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = database_url(dir.path());
    let csv = "项目编号,项目名称,职业（工种）,行业领域,市州,区县,承训机构代码,承训机构,培训等级,证书类型,班型,面向群体,课时,开班日期,结业日期,计划人数,培训费(元),补贴标准(元),培训地址\r\n\
               YB-9,中式烹调师（初级）,中式烹调师,生活服务业,宜宾,翠屏区,YB009,宜宾烹饪学校（示例）,五级,职业技能等级证书,全日制,不限,120,2027/3/1,2027/4/15,30,\"1,800\",1000,宜宾市翠屏区示例路\r\n";
    let (gbk, _, _) = encoding_rs::GB18030.encode(csv);
    let file = dir.path().join("gbk.csv");
    std::fs::write(&file, &gbk).unwrap();
    let out = import(&file, &db, &[]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("1 created"));
}

#[tokio::test]
async fn xlsx_first_sheet_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let db = database_url(dir.path());
    let file = dir.path().join("catalog.xlsx");
    let sample = std::fs::read_to_string(fixture("sample-catalog.csv")).unwrap();
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(sample.as_bytes());
    for (r, record) in reader.records().enumerate() {
        for (c, cell) in record.unwrap().iter().enumerate() {
            let (r, c) = (r as u32, c as u16);
            match cell.parse::<f64>() {
                Ok(n) if r > 0 => sheet.write_number(r, c, n).unwrap(),
                _ => sheet.write_string(r, c, cell).unwrap(),
            };
        }
    }
    book.save(&file).unwrap();
    let out = import(&file, &db, &[]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("6 created"),
        "{}",
        text(&out.stdout)
    );
}

#[tokio::test]
async fn oversized_files_are_refused_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let db = database_url(dir.path());
    let file = dir.path().join("huge.csv");
    let f = std::fs::File::create(&file).unwrap();
    f.set_len(21 * 1024 * 1024).unwrap();
    let out = import(&file, &db, &[]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.contains("larger than 20 MB") && err.contains("20 MB"),
        "{err}"
    );
}

/// Runs `peixun ARGS…`, killed if it has not exited within `secs` (then `None`).
fn exits_within(args: &[&str], secs: u64) -> Option<std::process::Output> {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_peixun"))
        .args(args)
        .env("NO_COLOR", "1")
        .envs(common::shared_key())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(secs);
    while std::time::Instant::now() < deadline {
        if child.try_wait().unwrap().is_some() {
            return Some(child.wait_with_output().unwrap());
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    child.kill().unwrap();
    let _ = child.wait();
    None
}

#[tokio::test]
async fn demo_mode_is_refused_on_a_database_with_a_real_catalogue() {
    let dir = tempfile::tempdir().unwrap();
    let db = database_url(dir.path());
    let out = import(&fixture("sample-catalog.csv"), &db, &[]);
    assert!(out.status.success(), "{}", text(&out.stderr));

    // Demo accounts (published password, HR of 成都 included) never on a real database…
    let site = dir.path().join("site");
    let site = site.to_str().unwrap();
    let serve = [
        "serve",
        "--demo",
        "--addr",
        "127.0.0.1:0",
        "--database-url",
        &db,
        "--site-root",
        site,
    ];
    let out = exits_within(&serve, 60).expect("serve --demo on a real catalogue must exit");
    assert!(!out.status.success());
    let said = text(&out.stderr);
    assert!(said.contains("演示") && said.contains("demo"), "{said}");
    // …nor from the command line.
    let out = peixun(&["create-user", "--demo", "--database-url", &db]);
    assert!(!out.status.success(), "{}", text(&out.stdout));
    assert!(text(&out.stderr).contains("演示"), "{}", text(&out.stderr));
    let pool = common::pool(&db).await;
    let accounts: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users")
        .fetch_one(&pool)
        .await
        .unwrap();
    pool.close().await;
    assert_eq!(accounts, 0, "no demo account was made");
    assert_eq!(count(&db).await, 6, "the real catalogue is untouched");
}
