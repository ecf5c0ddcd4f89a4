//! Phones are verified (issue 16, item 3): sign-up takes a six-digit code texted to the phone,
//! good for five minutes and five tries, kept only as a keyed hash. Asking for a code answers
//! the same whether or not the phone has an account (that phone is texted so instead), and so
//! does a sign-up with a code that is not right. Over real HTTP against a spawned server and a
//! real local SMS gateway (SQLite, or PostgreSQL with PEIXUN_TEST_POSTGRES).
// A test: a panic is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{id_number, Server};
use serde_json::{json, Value};

async fn sign_up(s: &Server, phone: &str, id: &str, code: Option<&str>) -> (u16, Value) {
    let mut body = json!({"phone": phone, "password": "培训 secret 2026", "name": "测试学员",
                          "id_number": id});
    if let Some(code) = code {
        body["code"] = json!(code);
    }
    let r = s
        .client
        .post(s.url("/api/v1/auth/register"))
        .json(&body)
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
}

/// A code of six digits that is not `right`.
fn wrong(right: &str) -> String {
    let n: u32 = right.parse().unwrap();
    format!("{:06}", (n + 1) % 1_000_000)
}

#[tokio::test]
async fn sign_up_takes_the_code_texted_to_the_phone() {
    let s = Server::start(&[]).await;
    let (phone, id) = ("13800000201", id_number("51010419900307201"));
    let (status, body) = sign_up(&s, phone, &id, None).await;
    assert_eq!(status, 400, "{body}");
    assert!(body["error"]["fields"]["code"].is_string(), "{body}");
    let code = s.phone_code(phone, "register").await.expect("a code");
    let (status, body) = sign_up(&s, phone, &id, Some(&wrong(&code))).await;
    assert_eq!(status, 400, "{body}");
    let told = body["error"]["fields"]["code"].as_str().unwrap();
    assert!(told.contains("验证码"), "{told}");
    let (status, body) = sign_up(&s, phone, &id, Some(&code)).await;
    assert_eq!(status, 201, "{body}");
    // A code signs up once.
    let (status, body) = sign_up(&s, phone, &id_number("51010419900307202"), Some(&code)).await;
    assert_eq!(status, 400, "{body}");
    // Kept as a keyed hash only.
    let pool = common::pool(&s.database()).await;
    let hashes: Vec<Vec<u8>> =
        sqlx::query_scalar("SELECT code_hash FROM phone_codes WHERE code_hash IS NOT NULL")
            .fetch_all(&pool)
            .await
            .unwrap();
    assert!(!hashes.is_empty());
    for h in hashes {
        assert!(!h.windows(6).any(|w| w == code.as_bytes()));
    }
}

#[tokio::test]
async fn a_code_lasts_five_minutes_and_five_tries() {
    let s = Server::start(&[]).await;
    s.travel_to("2031-02-01T09:00:00+08:00").await;
    let (phone, id) = ("13800000203", id_number("51010419900307203"));
    let code = s.phone_code(phone, "register").await.unwrap();
    s.travel_to("2031-02-01T09:05:01+08:00").await;
    let (status, body) = sign_up(&s, phone, &id, Some(&code)).await;
    assert_eq!(status, 400, "expired: {body}");

    let code = s.phone_code(phone, "register").await.unwrap();
    for _ in 0..5 {
        let (status, _) = sign_up(&s, phone, &id, Some(&wrong(&code))).await;
        assert_eq!(status, 400);
    }
    // Five wrong tries, and the right code no longer works either.
    let (status, body) = sign_up(&s, phone, &id, Some(&code)).await;
    assert_eq!(status, 400, "{body}");
    let told = body["error"]["fields"]["code"].as_str().unwrap();
    assert!(told.contains("重新获取"), "says to ask again: {told}");
    s.travel_to("2031-02-01T09:06:02+08:00").await;
    let code = s.phone_code(phone, "register").await.unwrap();
    let (status, body) = sign_up(&s, phone, &id, Some(&code)).await;
    assert_eq!(status, 201, "{body}");
}

/// The answer to a request, as a client sees it, without what changes every time.
async fn seen(r: reqwest::Response) -> (u16, Vec<(String, String)>, String) {
    let status = r.status().as_u16();
    let mut headers: Vec<(String, String)> = r
        .headers()
        .iter()
        .filter(|(k, _)| !matches!(k.as_str(), "date" | "x-request-id"))
        .map(|(k, v)| (k.to_string(), v.to_str().unwrap_or_default().to_string()))
        .collect();
    headers.sort();
    (status, headers, r.text().await.unwrap())
}

#[tokio::test]
async fn nothing_tells_a_stranger_whether_a_phone_has_an_account() {
    let s = Server::start(&[]).await;
    s.travel_to("2031-03-01T09:00:00+08:00").await;
    let taken = "13800000204";
    let r = s.register(taken, &id_number("51010419900307204")).await;
    assert_eq!(r.status(), 201);
    // A minute later (a phone is texted at most once a minute).
    s.travel_to("2031-03-01T09:01:05+08:00").await;
    let ask = |phone: &'static str| {
        let s = &s;
        async move {
            s.client
                .post(s.url("/api/v1/auth/phone-code"))
                .json(&json!({"phone": phone, "purpose": "register"}))
                .send()
                .await
                .unwrap()
        }
    };
    let (for_taken, for_new) = (
        seen(ask(taken).await).await,
        seen(ask("13800000205").await).await,
    );
    assert_eq!(for_taken.0, 202);
    assert_eq!(for_taken, for_new, "the same answer for both");
    // The owner is told by text, with no code to use.
    let texts = s.texts.wait_for(taken, 2).await;
    assert_eq!(texts[1].template(), "already_registered");
    assert_eq!(texts[1].code(), None);
    // A sign-up on it is refused as a wrong code would be, not as "registered".
    let id = id_number("51010419900307206");
    let (a, b) = (
        sign_up(&s, taken, &id, Some("123456")).await,
        sign_up(&s, "13800000205", &id, Some("123456")).await,
    );
    assert_eq!(a.0, 400);
    assert_eq!(a.1["error"], b.1["error"], "the same refusal");
}

#[tokio::test]
async fn an_identity_number_already_registered_is_told_only_to_a_verified_phone() {
    let s = Server::start(&[]).await;
    let id = id_number("51010419900307207");
    assert_eq!(s.register("13800000207", &id).await.status(), 201);
    let code = s.phone_code("13800000208", "register").await.unwrap();
    let (status, body) = sign_up(&s, "13800000208", &id, Some(&code)).await;
    assert_eq!(status, 409, "{body}");
    assert!(body["error"]["fields"]["id_number"].is_string(), "{body}");
    assert!(body["error"]["fields"]["phone"].is_null(), "{body}");
    // The code stays good for the corrected sign-up.
    let other = id_number("51010419900307209");
    let (status, body) = sign_up(&s, "13800000208", &other, Some(&code)).await;
    assert_eq!(status, 201, "{body}");
}
