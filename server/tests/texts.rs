//! Text messages (issue 16, item 5): one outbound channel to the deployment's SMS gateway,
//! from a durable outbox. A text survives a gateway outage and a crash, is delivered once when
//! the gateway is back, and a phone gets only a few an hour. Without a gateway the outbox keeps
//! them for `peixun outbox`. Over real HTTP against spawned servers and a real local gateway
//! (SQLite, or PostgreSQL with PEIXUN_TEST_POSTGRES).
// A test: a panic is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::gateway::{Gateway, TOKEN};
use common::{peixun, Server};
use serde_json::{json, Value};
use std::time::Duration;

async fn ask_code(s: &Server, phone: &str, purpose: &str) -> reqwest::Response {
    s.client
        .post(s.url("/api/v1/auth/phone-code"))
        .json(&json!({"phone": phone, "purpose": purpose}))
        .send()
        .await
        .unwrap()
}

/// `peixun outbox --json [--phone P]` on the server's database.
fn outbox(s: &Server, phone: Option<&str>) -> Vec<Value> {
    let db = s.database();
    let mut args = vec!["outbox", "--json", "--database-url", db.as_str()];
    if let Some(p) = phone {
        args.extend(["--phone", p]);
    }
    let out = peixun(&args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice::<Value>(&out.stdout)
        .expect("one JSON array")
        .as_array()
        .unwrap()
        .clone()
}

#[tokio::test]
async fn the_gateway_is_given_the_phone_the_template_and_its_parameters_with_the_token() {
    let s = Server::start(&[]).await;
    let r = ask_code(&s, "13800000101", "register").await;
    assert_eq!(r.status(), 202);
    let texts = s.texts.wait_for("13800000101", 1).await;
    let text = &texts[0];
    assert_eq!(text.template(), "code");
    assert_eq!(
        text.authorization.as_deref(),
        Some(&*format!("Bearer {TOKEN}"))
    );
    assert!(
        text.idempotency_key.is_some(),
        "a retry can be told from a new text"
    );
    let code = text.code().unwrap();
    assert!(
        code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit()),
        "{code}"
    );
    assert_eq!(
        text.body["params"]["purpose"], "register",
        "{:?}",
        text.body
    );
    // Never in the log, never at rest in clear.
    let log = s.log.lock().unwrap().join("\n");
    assert!(
        !log.contains("13800000101") && !log.contains(&code),
        "in the log"
    );
    let pool = common::pool(&s.database()).await;
    let rows: Vec<(Vec<u8>, Vec<u8>)> =
        sqlx::query_as("SELECT phone_sealed, params_sealed FROM texts")
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(rows.len(), 1);
    for bytes in [&rows[0].0, &rows[0].1] {
        for secret in ["13800000101", code.as_str()] {
            assert!(!bytes.windows(secret.len()).any(|w| w == secret.as_bytes()));
        }
    }
}

#[tokio::test]
async fn a_text_waits_out_an_outage_and_a_crash_and_is_delivered_once() {
    let gateway = Gateway::start();
    gateway.set_down(true);
    let dir = tempfile::tempdir().unwrap();
    let s = Server::start_in(dir, &["--sms-gateway", &gateway.url]).await;
    let r = ask_code(&s, "13800000102", "register").await;
    assert_eq!(r.status(), 202, "queued whatever the gateway does");
    // The gateway is tried, and refuses.
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while gateway.attempts() == 0 {
        assert!(
            std::time::Instant::now() < deadline,
            "never tried the gateway"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // The server dies with the text still owed.
    let dir = s.crash();
    let db = common::database_url(dir.path());
    let out = peixun(&[
        "outbox",
        "--json",
        "--database-url",
        &db,
        "--phone",
        "13800000102",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let owed: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(owed.as_array().unwrap().len(), 1, "{owed}");
    assert_eq!(owed[0]["status"], "pending", "{owed}");
    assert_eq!(owed[0]["template"], "code", "{owed}");
    let code = owed[0]["params"]["code"].as_str().unwrap().to_string();
    assert!(gateway.texts().is_empty());

    // The gateway comes back, and so does the portal: the text arrives, once.
    gateway.set_down(false);
    let s = Server::start_in(dir, &["--sms-gateway", &gateway.url]).await;
    let got = gateway.wait_for("13800000102", 1).await;
    assert_eq!(got[0].code().as_deref(), Some(code.as_str()));
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(gateway.texts().len(), 1, "delivered once");
    let sent = outbox(&s, Some("13800000102"));
    assert_eq!(sent[0]["status"], "sent", "{sent:?}");
    // The code still signs the person up (five minutes had not passed).
    let r = s
        .client
        .post(s.url("/api/v1/auth/register"))
        .json(
            &json!({"phone": "13800000102", "password": "培训 secret 2026", "name": "测试学员",
                      "id_number": common::id_number("11010519491231002"), "code": code}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
}

#[tokio::test]
async fn without_a_gateway_the_outbox_keeps_the_texts_for_the_command_line() {
    let s = Server::start(&["--sms-gateway", ""]).await;
    for phone in ["13800000103", "13800000104"] {
        assert_eq!(ask_code(&s, phone, "register").await.status(), 202);
    }
    let all = outbox(&s, None);
    assert_eq!(all.len(), 2, "{all:?}");
    assert_eq!(all[1]["phone"], "13800000104", "newest last: {all:?}");
    for entry in &all {
        for field in ["phone", "template", "params", "created_at", "status"] {
            assert!(!entry[field].is_null(), "{field}: {entry}");
        }
        assert_eq!(entry["status"], "pending");
    }
    let one = outbox(&s, Some("13800000103"));
    assert_eq!(one.len(), 1);
    assert_eq!(one[0]["phone"], "13800000103");
    // The plain listing, for a person at a terminal.
    let out = peixun(&["outbox", "--database-url", &s.database()]);
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        said.contains("13800000104") && said.contains("code"),
        "{said}"
    );
}

#[tokio::test]
async fn a_phone_gets_at_most_a_few_texts_an_hour_and_one_code_a_minute() {
    let s = Server::start(&["--texts-per-phone-per-hour", "5"]).await;
    s.travel_to("2031-01-01T09:00:00+08:00").await;
    let phone = "13800000105";
    assert_eq!(ask_code(&s, phone, "register").await.status(), 202);
    // A second code within the minute: wait, and say how long.
    let again = ask_code(&s, phone, "register").await;
    assert_eq!(again.status(), 429);
    let wait: u64 = again.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&wait), "{wait}");
    let body: Value = again.json().await.unwrap();
    assert!(body["error"]["message"].is_string(), "{body}");
    // Five in the hour, a minute apart; the sixth waits for the hour to pass.
    for minute in 1..5 {
        s.travel_to(&format!("2031-01-01T09:0{minute}:01+08:00"))
            .await;
        assert_eq!(
            ask_code(&s, phone, "register").await.status(),
            202,
            "{minute}"
        );
    }
    s.travel_to("2031-01-01T09:06:00+08:00").await;
    assert_eq!(ask_code(&s, phone, "register").await.status(), 429);
    s.texts.wait_for(phone, 5).await;
    s.travel_to("2031-01-01T10:00:30+08:00").await;
    assert_eq!(ask_code(&s, phone, "register").await.status(), 202);
    s.texts.wait_for(phone, 6).await;
}

#[tokio::test]
async fn one_address_asks_for_a_limited_number_of_codes_an_hour() {
    let s = Server::start(&["--codes-per-address-per-hour", "3"]).await;
    for n in 0..3 {
        let r = ask_code(&s, &format!("1380000011{n}"), "register").await;
        assert_eq!(r.status(), 202);
    }
    let r = ask_code(&s, "13800000119", "register").await;
    assert_eq!(r.status(), 429);
    assert!(r.headers().contains_key("retry-after"));
    // Bad input is a 400 that names the field, and sends nothing.
    for body in [
        json!({"phone": "12345", "purpose": "register"}),
        json!({"phone": "13800000120", "purpose": "lottery"}),
        json!({"phone": "13800000120"}),
    ] {
        let r = s
            .client
            .post(s.url("/api/v1/auth/phone-code"))
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 400, "{body}");
    }
}
