//! The search as people ask it (issue 17), over real HTTP on the demo catalogue: everyday
//! names, ways of asking, typos, places and formats in the words, and never a dead end — the
//! API's `understood` and the page without JavaScript, in Chinese and English.
// A test: a panic is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::Server;
use reqwest::header;
use serde_json::Value;

fn enc(q: &str) -> String {
    form_urlencoded::byte_serialize(q.as_bytes()).collect()
}

fn occupations(v: &Value) -> Vec<String> {
    v["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["occupation"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn people_find_courses_the_way_they_ask() {
    let s = Server::demo().await;
    for (q, occupation) in [
        ("保姆", "家政服务员"),
        ("做饭", "中式烹调师"),
        ("照顾老人", "养老护理员"),
        ("开网店", "电子商务师"),
        ("电功", "电工"),
        ("考电工证", "电工"),
        ("怎么学开无人机", "无人机驾驶员"),
    ] {
        let (status, found) = s.get_json(&format!("/api/v1/courses?q={}", enc(q))).await;
        assert_eq!(status, 200, "{q}");
        assert_eq!(
            occupations(&found).first().map(String::as_str),
            Some(occupation),
            "{q}: {found}"
        );
    }
    let (_, nanny) = s
        .get_json(&format!("/api/v1/courses?q={}", enc("保姆")))
        .await;
    assert_eq!(
        nanny["understood"]["searched"],
        serde_json::json!(["家政服务员"])
    );
    // Without words, nothing was read.
    let (_, all) = s.get_json("/api/v1/courses").await;
    assert!(all.get("understood").is_none());
}

#[tokio::test]
async fn places_and_formats_in_the_words_filter_and_give_way_when_nothing_matches() {
    let s = Server::demo().await;
    // The demo's 成都 electrician class at weekends is in 龙泉驿区.
    let (_, here) = s
        .get_json(&format!("/api/v1/courses?q={}", enc("龙泉驿 学电工 周末")))
        .await;
    assert_eq!(here["total"], 1, "{here}");
    assert_eq!(here["items"][0]["code"], "CD-2026-0001");
    assert_eq!(here["understood"]["city"], serde_json::json!(["510100"]));
    assert_eq!(
        here["understood"]["district"],
        serde_json::json!(["龙泉驿区"])
    );
    assert_eq!(
        here["understood"]["class_format"],
        serde_json::json!(["weekend"])
    );
    assert_eq!(here["understood"]["relaxed"], serde_json::json!([]));
    // None in 康定 in the evening: the district, then the format give way (not the
    // prefecture), and the answer says so.
    let (_, elsewhere) = s
        .get_json(&format!("/api/v1/courses?q={}", enc("康定 电工 夜校")))
        .await;
    assert_eq!(
        elsewhere["understood"]["relaxed"],
        serde_json::json!(["district", "class_format"]),
        "{elsewhere}"
    );
    let items = elsewhere["items"].as_array().unwrap();
    assert!(!items.is_empty());
    for item in items {
        assert_eq!(item["city"], "513300");
        assert!(item["title"].as_str().unwrap().contains("电工"));
    }
    // Words that are only a place search the whole catalogue there.
    let (_, city) = s.get_json("/api/v1/courses?city=510100").await;
    let (_, words) = s
        .get_json(&format!("/api/v1/courses?q={}", enc("成都")))
        .await;
    assert_eq!(words["total"], city["total"]);
    assert!(words["total"].as_u64().unwrap() > 0);
    // A city of the query's own is never dropped.
    let (_, own) = s
        .get_json(&format!("/api/v1/courses?q={}&city=510700", enc("电工")))
        .await;
    assert_eq!(own["total"], 0, "{own}");
    assert_eq!(own["understood"]["relaxed"], serde_json::json!([]));
}

#[tokio::test]
async fn nothing_found_is_never_a_dead_end_without_javascript() {
    let s = Server::demo().await;
    let (_, none) = s
        .get_json(&format!("/api/v1/courses?q={}", enc("钢琴调律")))
        .await;
    assert_eq!(none["total"], 0);
    let suggested = none["understood"]["suggestions"].as_array().unwrap();
    assert!(!suggested.is_empty());

    // The page (no JavaScript needed: plain links) says what was searched, suggests the
    // occupations, and offers the words without the filters and in the cities that have them.
    let html = s
        .get(&format!("/courses?q={}&city=510700", enc("电工")))
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("按「电工」搜索"), "{html}");
    assert!(html.contains("可以试试这些职业"));
    assert!(html.contains("去掉筛选条件，只按「电工」搜索"));
    assert!(
        html.contains(r#"href="/courses?q=%E7%94%B5%E5%B7%A5""#),
        "the bare search"
    );
    assert!(html.contains("这些城市有符合的培训"));

    let html = s
        .client
        .get(s.url(&format!("/courses?q={}", enc("钢琴调律"))))
        .header(header::COOKIE, "peixun_lang=en")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("Try one of these occupations"), "{html}");
    let first = suggested[0].as_str().unwrap();
    assert!(
        html.contains(&format!(
            r#"href="/courses?q={}""#,
            enc(first).replace('+', "%20")
        )) || html.contains(&format!(r#"href="/courses?q={}""#, enc(first)))
    );
}
