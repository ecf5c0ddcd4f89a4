//! Notices by text (issue 16, item 5): a trainee who opts in is texted, besides the inbox,
//! when a waiting list gives them a seat, when a certificate is issued, and when a claim is
//! approved and paid: only what they need (the class or occupation, and a link), never an
//! identity number. Nobody else is texted. Over real HTTP against a spawned server and a real
//! local SMS gateway (SQLite, or PostgreSQL with PEIXUN_TEST_POSTGRES).
// A test: a panic is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::flow::*;
use common::Server;
use serde_json::{json, Value};

async fn texts_on(s: &Server, me: &str, on: bool) -> (u16, Value) {
    let r = s
        .client
        .put(s.url("/api/v1/me/notices"))
        .header("cookie", me)
        .json(&json!({"texts": on}))
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
}

/// The notice texts `phone` was sent (not its codes), waiting up to a few seconds for `n`.
async fn notices_to(s: &Server, phone: &str, n: usize) -> Vec<common::gateway::Received> {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let got: Vec<_> = s
            .texts
            .texts_to(phone)
            .into_iter()
            .filter(|t| t.template() != "code")
            .collect();
        if got.len() >= n || std::time::Instant::now() > deadline {
            return got;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn a_seat_from_the_waiting_list_is_texted_to_those_who_asked() {
    let s = server().await;
    let (first, second, third) = (
        trainee(&s, 81).await,
        trainee(&s, 82).await,
        trainee(&s, 83).await,
    );
    let (status, body) = texts_on(&s, &second, true).await;
    assert_eq!((status, &body["texts"]), (200, &json!(true)), "{body}");
    let (_, mine) = get(&s, "/api/v1/me/notices", &second).await;
    assert_eq!(mine["texts"], true);
    let (_, taken) = enroll(&s, "E-ONE", &first).await;
    let (_, waiting) = enroll(&s, "E-ONE", &second).await;
    let (_, also) = enroll(&s, "E-ONE", &third).await;
    assert_eq!(
        (waiting["status"].as_str(), also["status"].as_str()),
        (Some("waitlisted"), Some("waitlisted"))
    );
    // Waiting is in the inbox only.
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    assert!(
        notices_to(&s, "13900000082", 0).await.is_empty(),
        "no text for waiting"
    );
    let id = taken["id"].as_i64().unwrap();
    let (status, _) = post(
        &s,
        &format!("/api/v1/me/enrollments/{id}/cancel"),
        &first,
        json!({}),
    )
    .await;
    assert_eq!(status, 200);
    let texts = notices_to(&s, "13900000082", 1).await;
    assert_eq!(texts.len(), 1, "{texts:?}");
    let text = &texts[0];
    assert_eq!(text.template(), "enrollment_approved", "{:?}", text.body);
    assert_eq!(
        text.body["params"]["title"], "焊工（初级）单人班",
        "{:?}",
        text.body
    );
    assert!(text.body["params"]["link"]
        .as_str()
        .unwrap()
        .ends_with("/me/enrollments"));
    // The one who did not opt in is never texted a notice.
    assert!(notices_to(&s, "13900000083", 0).await.is_empty());
    // Opting out stops them.
    let (status, _) = texts_on(&s, &second, false).await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn a_certificate_and_a_claim_approved_and_paid_are_texted_without_an_identity_number() {
    let f = flow().await;
    let me = trainee(&f.s, 84).await;
    texts_on(&f.s, &me, true).await;
    let certificate = f.certificate(&me, "S-WELD", false, None).await;
    let (status, claim) = f.claim(&me, certificate).await;
    assert_eq!(status, 201, "{claim}");
    let id = claim["id"].as_i64().unwrap();
    let (status, body) = f.decide(&f.hr, id, json!({"decision": "approve"})).await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = f.pay(id).await;
    assert_eq!(status, 200, "{body}");
    let texts = notices_to(&f.s, "13900000084", 4).await;
    let templates: Vec<&str> = texts.iter().map(|t| t.template()).collect();
    assert_eq!(
        templates,
        [
            "enrollment_approved",
            "certificate_issued",
            "claim_approved",
            "claim_paid"
        ],
        "{texts:?}"
    );
    // The links open the portal where people reach it.
    for t in &texts {
        let link = t.body["params"]["link"].as_str().unwrap();
        assert!(link.starts_with(&f.s.base), "{link}");
    }
    let (_, profile) = get(&f.s, "/api/v1/me", &me).await;
    let id_tail = profile["id_number"].as_str().unwrap()[14..].to_string();
    for t in &texts {
        let params = t.body["params"].to_string();
        assert!(!params.contains(&id_tail) || id_tail.is_empty(), "{params}");
        assert!(
            params.chars().filter(char::is_ascii_digit).count() < 15,
            "no long numbers: {params}"
        );
    }
}

#[tokio::test]
async fn the_profile_page_turns_text_notices_on_and_off_without_javascript() {
    let s = server().await;
    let me = trainee(&s, 85).await;
    let page = s.get_as("/me", &me).await.text().await.unwrap();
    assert!(
        page.contains(r#"action="/me/notices""#) && page.contains("短信通知"),
        "on 我的"
    );
    let r = s
        .client
        .post(s.url("/me/notices"))
        .header("origin", &s.base)
        .header("cookie", &me)
        .form(&[("texts", "on")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let (_, mine) = get(&s, "/api/v1/me/notices", &me).await;
    assert_eq!(mine["texts"], true);
    let r = s
        .client
        .post(s.url("/me/notices"))
        .header("origin", &s.base)
        .header("cookie", &me)
        .form(&[("texts", "")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let (_, mine) = get(&s, "/api/v1/me/notices", &me).await;
    assert_eq!(mine["texts"], false);
}
