//! Hardening against the open internet (issue 15): what an anonymous client can send is
//! bounded, and operations data stays off the public listener. Over real HTTP against a
//! spawned server.
// A test: a panic is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::Server;
use serde_json::json;

#[tokio::test]
async fn metrics_are_served_only_on_their_own_listener() {
    let s = Server::start(&[]).await;
    let public = s.get("/metrics").await;
    assert_eq!(public.status(), 404, "never on the public listener");
    let text = s.metrics().await;
    assert!(text.contains("peixun_http_requests_total"), "{text}");
}

#[tokio::test]
async fn a_method_of_the_clients_choosing_never_becomes_a_label() {
    let s = Server::start(&[]).await;
    for method in ["FOO1", "FOO2", "get"] {
        let m = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        s.client.request(m, s.url("/healthz")).send().await.unwrap();
    }
    let text = s.metrics().await;
    assert!(text.contains("method=\"OTHER\""), "{text}");
    for invented in ["FOO1", "FOO2", "method=\"get\""] {
        assert!(!text.contains(invented), "{invented} in\n{text}");
    }
}

#[tokio::test]
async fn sign_in_and_sign_up_take_small_bodies_and_the_rest_at_most_a_megabyte() {
    let s = Server::start(&[]).await;
    let padding = "x".repeat(17 * 1024);
    for path in ["/api/v1/auth/login", "/api/v1/auth/register"] {
        let r = s
            .client
            .post(s.url(path))
            .json(&json!({"phone": "13900000001", "password": padding}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 413, "{path}");
    }
    // A signed-in person's writes take at most a megabyte (a catalogue upload, 20 MB, aside).
    let me = common::flow::trainee(&s, 7).await;
    let big = "x".repeat(1536 * 1024);
    let r = s
        .client
        .post(s.url("/api/v1/me/disputes"))
        .header("cookie", &me)
        .json(&json!({"kind": "enrollment", "id": 1, "note": big}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 413);
}

#[tokio::test]
async fn a_password_longer_than_any_person_types_is_refused_before_hashing() {
    let s = Server::start(&[]).await;
    let r = s
        .client
        .post(s.url("/api/v1/auth/login"))
        .json(&json!({"phone": "13900000001", "password": "p".repeat(129)}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let body: serde_json::Value = r.json().await.unwrap();
    assert!(body["error"]["fields"]["password"].is_string(), "{body}");
}
