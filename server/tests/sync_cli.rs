//! `peixun sync-catalog URL` against a local axum server that serves fixture files: a good
//! one, a slow one, a truncated one, an HTML page, a missing one and an oversized one.
// A test: a panic is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::body::Body;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use common::{database_url, fixture};
use std::time::Duration;

async fn feed_server() -> String {
    let sample = std::fs::read(fixture("sample-catalog.csv")).unwrap();
    let good = sample.clone();
    let app = Router::new()
        .route(
            "/catalog.csv",
            get(move || {
                let body = good.clone();
                async move { ([(header::CONTENT_TYPE, "text/csv; charset=utf-8")], body) }
            }),
        )
        .route(
            "/slow.csv",
            get(|| async {
                tokio::time::sleep(Duration::from_secs(10)).await;
                ([(header::CONTENT_TYPE, "text/csv")], "code\n")
            }),
        )
        .route(
            "/truncated.csv",
            get(move || {
                let full = sample.len();
                let head = sample[..full / 2].to_vec();
                async move {
                    // The headers promise the whole file; half of it comes, then the
                    // connection breaks.
                    let stream = futures_util::stream::unfold(Some(head), |state| async move {
                        match state {
                            Some(head) => Some((Ok::<_, std::io::Error>(head), None)),
                            None => {
                                tokio::time::sleep(Duration::from_millis(100)).await;
                                Some((Err(std::io::Error::other("connection reset")), None))
                            }
                        }
                    });
                    Response::builder()
                        .header(header::CONTENT_TYPE, "text/csv")
                        .header(header::CONTENT_LENGTH, full)
                        .body(Body::from_stream(stream))
                        .unwrap()
                }
            }),
        )
        .route(
            "/login.html",
            get(|| async { ([(header::CONTENT_TYPE, "text/html")], "<html>请登录</html>") }),
        )
        .route(
            "/huge.csv",
            get(|| async {
                Response::builder()
                    .header(header::CONTENT_TYPE, "text/csv")
                    .header(header::CONTENT_LENGTH, 30 * 1024 * 1024)
                    .body(Body::from_stream(futures_util::stream::repeat_with(|| {
                        Ok::<_, std::io::Error>(vec![b'x'; 64 * 1024])
                    })))
                    .unwrap()
                    .into_response()
            }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{addr}")
}

async fn sync(url: &str, db: &str, extra: &[&str]) -> (bool, String, String) {
    let mut cmd = tokio::process::Command::new(common::BIN);
    cmd.args(["sync-catalog", url, "--database-url", db])
        .args(extra)
        .envs(common::shared_key());
    let out = cmd.output().await.unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[tokio::test]
async fn a_published_file_is_fetched_and_imported_once() {
    let base = feed_server().await;
    let dir = tempfile::tempdir().unwrap();
    let db = database_url(dir.path());
    let (ok, out, err) = sync(&format!("{base}/catalog.csv"), &db, &[]).await;
    assert!(ok, "{err}");
    assert!(out.contains("6 created"), "{out}");
    let (ok, out, _) = sync(&format!("{base}/catalog.csv"), &db, &[]).await;
    assert!(ok);
    assert!(out.contains("6 unchanged"), "{out}");
}

#[tokio::test]
async fn bad_downloads_are_refused_with_a_reason() {
    let base = feed_server().await;
    let dir = tempfile::tempdir().unwrap();
    let db = database_url(dir.path());
    let cases = [
        ("/slow.csv", "took longer than 1 s", "下载超过 1 秒未完成"),
        ("/truncated.csv", "cut off before the end", "下载不完整"),
        (
            "/login.html",
            "sent text/html, not a CSV or XLSX file",
            "不是 CSV 或 XLSX 文件",
        ),
        ("/missing.csv", "answered HTTP 404", "HTTP 404"),
        ("/huge.csv", "larger than 20 MB", "文件超过 20 MB"),
    ];
    for (path, en, zh) in cases {
        let (ok, _, err) = sync(&format!("{base}{path}"), &db, &["--timeout", "1"]).await;
        assert!(!ok, "{path} must fail");
        assert!(err.contains(en) && err.contains(zh), "{path}: {err}");
    }
    let (ok, _, err) = sync("file:///etc/passwd", &db, &[]).await;
    assert!(!ok);
    assert!(err.contains("only http:// and https://"), "{err}");
    // Nothing was imported by any of them.
    let out = common::peixun(&[
        "import-catalog",
        fixture("sample-catalog.csv").to_str().unwrap(),
        "--database-url",
        &db,
        "--dry-run",
    ]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("6 created"));
}
