//! The directories of the plan's items 十八 and 二十一 (issue 18): training institutions and
//! evaluation organisations by city and industry, over real HTTP — the open API and the pages
//! without JavaScript — and the evaluation organisation's code from the catalogue file.
// A test: a panic is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{database_url, fixture, peixun, Server};
use serde_json::Value;

fn items(v: &Value) -> &Vec<Value> {
    v["items"].as_array().unwrap()
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn the_evaluation_organisations_are_listed_with_codes_cities_occupations_and_outcomes() {
    let s = Server::demo().await;
    let (status, all) = s.get_json("/api/v1/evaluation-orgs?per_page=100").await;
    assert_eq!(status, 200, "{all}");
    assert!(all["total"].as_u64().unwrap() > 1, "{all}");
    for org in items(&all) {
        let code = org["code"].as_str().unwrap();
        assert!(code.starts_with("EO") && code.len() == 12, "derived: {org}");
        assert!(!strings(&org["cities"]).is_empty(), "{org}");
        assert!(!strings(&org["occupations"]).is_empty(), "{org}");
        assert!(org["courses"].as_i64().unwrap() > 0);
        assert_eq!(org["outcomes"]["min_people"], 10);
    }
    // The same organisation keeps its code from one answer to the next.
    let (_, again) = s.get_json("/api/v1/evaluation-orgs?per_page=100").await;
    assert_eq!(all, again);

    // By city: only organisations assessing there.
    let (_, chengdu) = s.get_json("/api/v1/evaluation-orgs?city=510100").await;
    assert!(!items(&chengdu).is_empty());
    // Each entry tells of its courses that match: their city, their occupations.
    for org in items(&chengdu) {
        assert_eq!(strings(&org["cities"]), ["510100"], "{org}");
    }
    assert!(chengdu["total"].as_u64() < all["total"].as_u64());
    // By industry, and a bad one refused with its field named.
    let (status, low) = s
        .get_json("/api/v1/evaluation-orgs?industry=low_altitude")
        .await;
    assert_eq!(status, 200);
    assert!(low["total"].as_u64().unwrap() >= 1);
    assert!(low["total"].as_u64() < all["total"].as_u64());
    let (_, courses) = s
        .get_json("/api/v1/courses?industry=low_altitude&per_page=100")
        .await;
    let flown: Vec<String> = items(&courses)
        .iter()
        .map(|c| c["occupation"].as_str().unwrap().to_string())
        .collect();
    let mut fewer = false;
    for org in items(&low) {
        let listed = strings(&org["occupations"]);
        assert!(listed.iter().all(|o| flown.contains(o)), "{org}");
        let whole = items(&all)
            .iter()
            .find(|o| o["name"] == org["name"])
            .unwrap();
        fewer |= strings(&whole["occupations"]).len() > listed.len();
    }
    assert!(
        fewer,
        "an organisation assessing low-altitude work also assesses other trades"
    );
    let (status, bad) = s.get_json("/api/v1/evaluation-orgs?industry=mining").await;
    assert_eq!(status, 400, "{bad}");
    assert!(bad["error"]["fields"].get("industry").is_some(), "{bad}");
}

#[tokio::test]
async fn the_institutions_directory_filters_by_industry_and_lists_occupations() {
    let s = Server::demo().await;
    let (_, all) = s.get_json("/api/v1/institutions?per_page=100").await;
    let (status, low) = s
        .get_json("/api/v1/institutions?industry=low_altitude&per_page=100")
        .await;
    assert_eq!(status, 200, "{low}");
    assert!(!items(&low).is_empty());
    assert!(low["total"].as_u64() < all["total"].as_u64());
    for i in items(&all) {
        assert!(!strings(&i["occupations"]).is_empty(), "{i}");
    }
}

#[tokio::test]
async fn the_directory_pages_work_without_javascript_in_both_languages() {
    let s = Server::demo().await;
    let (_, chengdu) = s.get_json("/api/v1/institutions?city=510100").await;
    let first = &items(&chengdu)[0];
    let page = s.get("/institutions?city=510100").await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("<h1>承训机构目录</h1>"));
    assert!(html.contains(first["name"].as_str().unwrap()), "{first}");
    assert!(html.contains(&format!(
        "href=\"/institutions/{}\"",
        first["code"].as_str().unwrap()
    )));
    assert!(!html.contains("绵阳市 ·"), "only Chengdu's");
    let (_, orgs) = s.get_json("/api/v1/evaluation-orgs").await;
    let org = &items(&orgs)[0];
    let html = s.get("/evaluation-orgs").await.text().await.unwrap();
    assert!(html.contains("<h1>评价机构目录</h1>"));
    assert!(html.contains(org["name"].as_str().unwrap()));
    assert!(html.contains(org["code"].as_str().unwrap()));
    // Every page's footer leads to both.
    let home = s.get("/").await.text().await.unwrap();
    assert!(home.contains("href=\"/institutions\"") && home.contains("href=\"/evaluation-orgs\""));
    let en = s
        .client
        .get(s.url("/evaluation-orgs"))
        .header("cookie", "peixun_lang=en")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(en.contains("<h1>Evaluation organisations</h1>"));
    // A bad choice in the address is a clear 400 page, not a crash.
    let bad = s.get("/institutions?city=999999").await;
    assert_eq!(bad.status(), 400);
}

#[tokio::test]
async fn an_evaluation_organisation_keeps_the_code_the_catalogue_gives_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = database_url(dir.path());
    let sample = std::fs::read_to_string(fixture("sample-catalog.csv")).unwrap();
    let mut lines = sample.lines();
    let header = format!("{},evaluation_org_code", lines.next().unwrap());
    let first = format!("{},EVAL-CD-01", lines.next().unwrap());
    // The second row's organisation has no code in the file: it gets one from its name.
    let second = format!(
        "{},",
        lines.next().unwrap().replace(
            "成都示范职业技能评价中心（示例）",
            "成都第二评价中心（示例）"
        )
    );
    let file = dir.path().join("coded.csv");
    std::fs::write(&file, [header.clone(), first, second].join("\n")).unwrap();
    let out = peixun(&[
        "import-catalog",
        file.to_str().unwrap(),
        "--database-url",
        &db,
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // A code without an organisation's name is refused, the cell named.
    let orphan = sample
        .lines()
        .nth(3)
        .unwrap()
        .replace("成都示范职业技能评价中心（示例）", "");
    let bad = dir.path().join("orphan.csv");
    std::fs::write(&bad, format!("{header}\n{orphan},EVAL-X")).unwrap();
    let out = peixun(&[
        "import-catalog",
        bad.to_str().unwrap(),
        "--database-url",
        &db,
    ]);
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("evaluation_org"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let s = Server::start_in(dir, &[]).await;
    let (_, orgs) = s.get_json("/api/v1/evaluation-orgs").await;
    let code = |name: &str| {
        items(&orgs)
            .iter()
            .find(|o| o["name"] == name)
            .map(|o| o["code"].as_str().unwrap().to_string())
    };
    assert_eq!(
        code("成都示范职业技能评价中心（示例）").as_deref(),
        Some("EVAL-CD-01")
    );
    let derived = code("成都第二评价中心（示例）").unwrap();
    assert!(derived.starts_with("EO"), "{derived}");
    // The course carries its organisation's code too.
    let (_, course) = s.get_json("/api/v1/courses/CD-2026-0001").await;
    assert_eq!(course["evaluation_org_code"], "EVAL-CD-01");
}
