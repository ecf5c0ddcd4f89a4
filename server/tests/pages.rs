//! Server-rendered pages, preferences and response layers, over real HTTP.
// A test: a panic is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::Server;
use reqwest::header;

#[tokio::test]
async fn pages_render_in_chinese_by_default_and_in_english_by_cookie() {
    let s = Server::demo().await;
    let r = s.get("/").await;
    assert_eq!(r.status(), 200);
    assert!(r.headers()[header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    let html = r.text().await.unwrap();
    assert!(html.contains(r#"<html lang="zh-CN""#));
    assert!(html.contains("十大行业领域"));
    assert!(html.contains("演示数据"));
    assert!(html.contains(r##"href="#main""##), "skip link");

    let html = s
        .client
        .get(s.url("/courses"))
        .header(header::COOKIE, "peixun_lang=en; peixun_elder=1")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains(r#"<html lang="en" class="elder""#),
        "{}",
        &html[..200]
    );
    assert!(html.contains("Courses"));
}

#[tokio::test]
async fn unknown_pages_and_courses_answer_404_with_a_page() {
    let s = Server::demo().await;
    for path in ["/courses/NO-SUCH", "/no/such/page"] {
        let r = s.get(path).await;
        assert_eq!(r.status(), 404, "{path}");
        let html = r.text().await.unwrap();
        assert!(html.contains("没有找到这个页面"), "{path}");
    }
}

#[tokio::test]
async fn a_bad_catalogue_query_on_the_page_is_a_400_page() {
    let s = Server::demo().await;
    let r = s.get("/courses?page=0").await;
    assert_eq!(r.status(), 400);
    assert!(r.text().await.unwrap().contains("page"));
    // Unknown parameters (e.g. from a shared link) are ignored by pages.
    assert_eq!(s.get("/courses?utm_source=wechat").await.status(), 200);
}

#[tokio::test]
async fn preference_forms_set_cookies_and_return_only_to_local_pages() {
    let s = Server::start(&[]).await;
    let r = s
        .client
        .post(s.url("/prefs"))
        .form(&[("lang", "en"), ("back", "/courses?city=510100")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()[header::LOCATION], "/courses?city=510100");
    let cookies: Vec<_> = r
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .collect();
    assert!(cookies
        .iter()
        .any(|c| c.starts_with("peixun_lang=en;") && c.contains("SameSite=Lax")));

    let r = s
        .client
        .post(s.url("/prefs"))
        .form(&[("elder", "1"), ("back", "//evil.example/")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()[header::LOCATION], "/");
    let r = s
        .client
        .post(s.url("/prefs"))
        .form(&[("lang", "xx"), ("back", "https://evil.example/")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()[header::LOCATION], "/");
    assert!(r.headers().get(header::SET_COOKIE).is_none());
}

#[tokio::test]
async fn html_and_json_are_compressed() {
    let s = Server::demo().await;
    for (path, encoding) in [("/courses", "br"), ("/api/v1/courses", "gzip")] {
        let r = s
            .client
            .get(s.url(path))
            .header(header::ACCEPT_ENCODING, encoding)
            .send()
            .await
            .unwrap();
        assert_eq!(r.headers()[header::CONTENT_ENCODING], encoding, "{path}");
    }
}
