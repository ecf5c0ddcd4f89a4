//! What a trainee on a phone is shown first (issue 18), over real HTTP on the demo catalogue,
//! as the server renders it (no JavaScript): the catalogue lists the courses still open for
//! enrolment, the soonest deadline first, the filters folded behind "筛选（N）"; the API keeps
//! its defaults and gains `open=true` and `sort=deadline`; a course page puts the verdict and
//! the enrol control before its details; the header folds its links into a menu.
// A test: a panic is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use chrono::NaiveDate;
use common::Server;
use serde_json::Value;

fn deadline(item: &Value) -> NaiveDate {
    item["enroll_deadline"].as_str().unwrap().parse().unwrap()
}

fn codes(list: &Value) -> Vec<String> {
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["code"].as_str().unwrap().to_string())
        .collect()
}

/// The course codes linked from a catalogue page, in order.
fn listed(html: &str) -> Vec<String> {
    html.split("href=\"/courses/")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(str::to_string)
        .collect()
}

#[tokio::test]
async fn the_catalogue_lists_open_courses_by_deadline_unless_asked_for_the_closed_ones() {
    let s = Server::demo().await;
    let (status, all) = s
        .get_json("/api/v1/courses?sort=deadline&per_page=100")
        .await;
    assert_eq!(status, 200, "{all}");
    let items = all["items"].as_array().unwrap();
    let deadlines: Vec<NaiveDate> = items.iter().map(deadline).collect();
    assert!(deadlines.windows(2).all(|w| w[0] <= w[1]), "{deadlines:?}");
    let total = all["total"].as_u64().unwrap();

    // The day after the first deadline: that course (and any closing with it) has closed.
    let first = deadlines[0];
    let closed: Vec<String> = items
        .iter()
        .filter(|i| deadline(i) <= first)
        .map(|i| i["code"].as_str().unwrap().to_string())
        .collect();
    s.travel_to_day(&first.succ_opt().unwrap().to_string())
        .await;

    // The API: its default is still every course; `open=true` leaves the closed ones out;
    // `sort=deadline` puts the closed ones after the open ones.
    let (_, api_default) = s.get_json("/api/v1/courses?per_page=100").await;
    assert_eq!(api_default["total"].as_u64(), Some(total));
    let (_, open) = s.get_json("/api/v1/courses?open=true&per_page=100").await;
    assert_eq!(
        open["total"].as_u64(),
        Some(total - closed.len() as u64),
        "{open}"
    );
    assert!(codes(&open).iter().all(|c| !closed.contains(c)));
    // (In the closed course's city, so that one page holds them all.)
    let city = items[0]["city"].as_str().unwrap();
    let (_, by_deadline) = s
        .get_json(&format!(
            "/api/v1/courses?sort=deadline&per_page=100&city={city}"
        ))
        .await;
    let order = codes(&by_deadline);
    let closed: Vec<String> = closed.into_iter().filter(|c| order.contains(c)).collect();
    assert!(
        order[order.len() - closed.len()..]
            .iter()
            .all(|c| closed.contains(c)),
        "closed last: {order:?} {closed:?}"
    );
    let (status, bad) = s.get_json("/api/v1/courses?open=maybe").await;
    assert_eq!(status, 400, "{bad}");

    // The page: only open courses, the soonest deadline first.
    let page = s.get("/courses").await.text().await.unwrap();
    let shown = listed(&page);
    assert!(!shown.is_empty());
    assert!(shown.iter().all(|c| !closed.contains(c)), "{shown:?}");
    assert_eq!(shown[0], codes(&open_by_deadline(&s).await)[0]);
    assert!(page.contains("包括已截止报名的"));
    assert!(page.contains("截止报名"), "cards show the deadline");
    // Ticked "包括已截止": the closed ones are listed (after the open ones), and said closed.
    let with_closed = s
        .get(&format!("/courses?open=false&per_page=100&city={city}"))
        .await
        .text()
        .await
        .unwrap();
    let shown = listed(&with_closed);
    assert!(closed.iter().all(|c| shown.contains(c)), "{shown:?}");
    assert!(with_closed.contains("已截止报名"));
    assert!(
        with_closed.contains("筛选（2）"),
        "the city and the ticked box"
    );
}

async fn open_by_deadline(s: &Server) -> Value {
    s.get_json("/api/v1/courses?open=true&sort=deadline")
        .await
        .1
}

#[tokio::test]
async fn the_filters_fold_behind_their_count_and_offer_level_type_and_accessibility() {
    let s = Server::demo().await;
    let page = s.get("/courses").await.text().await.unwrap();
    let summary = page
        .find("<summary>筛选（0）</summary>")
        .expect("the folded filters");
    let results = page.find("id=\"results-heading\"").unwrap();
    assert!(summary < results, "the fold comes before the results");
    for label in ["培训等级", "办班类型", "无障碍服务", "手语"] {
        assert!(page.contains(label), "{label}");
    }
    let filtered = s
        .get("/courses?city=510100&free=true&accessibility=sign_language")
        .await
        .text()
        .await
        .unwrap();
    assert!(filtered.contains("筛选（3）"));
    // English too.
    let en = s
        .client
        .get(s.url("/courses?city=510100"))
        .header("cookie", "peixun_lang=en")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(en.contains("Filters (1)"), "{}", &en[..2000.min(en.len())]);
}

#[tokio::test]
async fn a_course_page_puts_the_verdict_and_the_enrol_control_before_the_details() {
    let s = Server::demo().await;
    let page = s.get("/courses/CD-2026-0010").await.text().await.unwrap();
    let at = |needle: &str| page.find(needle).unwrap_or_else(|| panic!("{needle}"));
    let facts = at("class=\"key-facts\"");
    let panel = at("我能报名吗");
    let enrol = at("登录后报名");
    let details = at("项目详情");
    assert!(facts < panel && panel < enrol && enrol < details);
    // The details are grouped, folded without JS.
    assert!(page.contains("<summary>时间和地点</summary>"));
    assert!(page.contains("<summary>培训和评价机构</summary>"));
}

#[tokio::test]
async fn the_header_keeps_the_most_used_links_and_folds_the_rest_into_a_menu() {
    let s = Server::demo().await;
    let page = s.get("/").await.text().await.unwrap();
    let menu = page.find("<summary>菜单</summary>").expect("a menu");
    let main_links = &page[..menu];
    assert!(main_links.contains("href=\"/courses\"") && main_links.contains("href=\"/login\""));
    assert!(page[menu..].contains("href=\"/register\""));
}

/// The codes of courses in a search's answer.
async fn found(s: &Server, path: &str) -> (Vec<String>, Value) {
    let (status, list) = s.get_json(path).await;
    assert_eq!(status, 200, "{list}");
    (codes(&list), list["facets"]["has_seats"].clone())
}

#[tokio::test]
async fn has_seats_follows_the_seats_taken_at_most_a_second_late_on_every_instance() {
    let s = common::flow::server().await;
    let other = Server::beside(&s, &[]).await;
    let path = "/api/v1/courses?has_seats=false&per_page=100";
    // Both instances have searched (and cached) before the seat is taken.
    assert!(!found(&s, path).await.0.contains(&"E-ONE".to_string()));
    let (before, facet_before) = found(&other, path).await;
    assert!(!before.contains(&"E-ONE".to_string()));
    let me = common::flow::trainee(&s, 1).await;
    let (status, body) = common::flow::enroll(&s, "E-ONE", &me).await;
    assert_eq!(status, 201, "{body}");
    // The instance that sold the seat knows at once…
    let (full, facet) = found(&s, path).await;
    assert!(full.contains(&"E-ONE".to_string()), "{full:?}");
    assert_eq!(
        facet["false"].as_u64(),
        facet_before["false"]
            .as_u64()
            .map_or(Some(1), |n| Some(n + 1)),
        "{facet}"
    );
    let (open, _) = found(&s, "/api/v1/courses?has_seats=true&per_page=100").await;
    assert!(!open.contains(&"E-ONE".to_string()));
    // …the other within a second.
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let (full, _) = found(&other, path).await;
    assert!(full.contains(&"E-ONE".to_string()), "{full:?}");
}
