//! A way back into an account (issue 16, item 4): a new password with a code texted to the
//! registered phone (every session ends), a password-change page, a new phone proved the same
//! way, and deleting an account asks for its password on the API too. Over real HTTP against
//! a spawned server and a real local SMS gateway (SQLite, or PostgreSQL with
//! PEIXUN_TEST_POSTGRES).
// A test: a panic is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::flow::{get, PASSWORD};
use common::{cookie, id_number, Server};
use reqwest::header;
use serde_json::{json, Value};

const NEW_PASSWORD: &str = "新的 培训 密码 2031";

async fn post_json(s: &Server, path: &str, session: Option<&str>, body: Value) -> (u16, Value) {
    let mut r = s.client.post(s.url(path)).json(&body);
    if let Some(session) = session {
        r = r.header("cookie", session);
    }
    let r = r.send().await.unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

async fn sign_in_status(s: &Server, phone: &str, password: &str) -> u16 {
    let r = s
        .client
        .post(s.url("/api/v1/auth/login"))
        .json(&json!({"phone": phone, "password": password}))
        .send()
        .await
        .unwrap();
    r.status().as_u16()
}

/// A trainee signed up at 09:00 on a fixed day, with two sessions (a phone and a computer).
async fn someone_signed_in_twice(s: &Server, phone: &str, n: &str) -> (String, String) {
    s.travel_to("2031-04-01T09:00:00+08:00").await;
    let r = s
        .register(phone, &id_number(&format!("51010419900307{n}")))
        .await;
    assert_eq!(r.status(), 201);
    (
        s.login(phone, PASSWORD).await,
        s.login(phone, PASSWORD).await,
    )
}

#[tokio::test]
async fn a_forgotten_password_is_reset_with_a_texted_code_and_every_session_ends() {
    let s = Server::start(&[]).await;
    let phone = "13800000301";
    let (one, two) = someone_signed_in_twice(&s, phone, "301").await;
    s.travel_to("2031-04-01T09:02:00+08:00").await;
    let code = s.phone_code(phone, "reset").await.expect("a reset code");
    let reset =
        |code: &str, password: &str| json!({"phone": phone, "code": code, "password": password});
    let wrong = format!("{:06}", (code.parse::<u32>().unwrap() + 1) % 1_000_000);
    let (status, body) =
        post_json(&s, "/api/v1/auth/reset", None, reset(&wrong, NEW_PASSWORD)).await;
    assert_eq!(status, 400, "{body}");
    assert!(body["error"]["fields"]["code"].is_string(), "{body}");
    let (status, body) = post_json(&s, "/api/v1/auth/reset", None, reset(&code, "12345678")).await;
    assert_eq!(status, 400, "{body}");
    assert!(body["error"]["fields"]["password"].is_string(), "{body}");
    let (status, body) =
        post_json(&s, "/api/v1/auth/reset", None, reset(&code, NEW_PASSWORD)).await;
    assert_eq!(status, 204, "{body}");
    for session in [&one, &two] {
        assert_eq!(s.get_as("/api/v1/me", session).await.status(), 401, "ended");
    }
    assert_eq!(sign_in_status(&s, phone, PASSWORD).await, 401);
    assert_eq!(sign_in_status(&s, phone, NEW_PASSWORD).await, 200);
    // The code is used up.
    let (status, _) = post_json(
        &s,
        "/api/v1/auth/reset",
        None,
        reset(&code, "另一个 新 密码 2031"),
    )
    .await;
    assert_eq!(status, 400);
    // The security log has it, without the phone.
    let events = s
        .events_until(|e| e.iter().any(|e| e["event"] == "password_changed"))
        .await;
    let changed = events
        .iter()
        .find(|e| e["event"] == "password_changed")
        .unwrap();
    assert_eq!(changed["via"], "reset", "{changed}");
    assert!(!changed.to_string().contains(phone));
}

#[tokio::test]
async fn a_reset_for_a_phone_without_an_account_answers_as_any_other() {
    let s = Server::start(&[]).await;
    s.travel_to("2031-04-01T09:00:00+08:00").await;
    let r = s
        .register("13800000302", &id_number("51010419900307302"))
        .await;
    assert_eq!(r.status(), 201);
    s.travel_to("2031-04-01T09:01:30+08:00").await;
    assert!(s.phone_code("13800000302", "reset").await.is_some());
    // No account: a text saying so, no code, and the same answer.
    assert_eq!(s.phone_code("13800000303", "reset").await, None);
    assert_eq!(s.texts.texts_to("13800000303")[0].template(), "no_account");
    let (status, body) = post_json(
        &s,
        "/api/v1/auth/reset",
        None,
        json!({"phone": "13800000303", "code": "123456", "password": NEW_PASSWORD}),
    )
    .await;
    assert_eq!(status, 400, "{body}");
    assert!(body["error"]["fields"]["code"].is_string(), "{body}");
}

#[tokio::test]
async fn the_reset_pages_work_without_javascript() {
    let s = Server::start(&[]).await;
    let phone = "13800000304";
    someone_signed_in_twice(&s, phone, "304").await;
    s.travel_to("2031-04-01T09:02:00+08:00").await;
    let origin = s.base.clone();
    let page = s.get("/reset").await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(
        html.contains("获取验证码") && html.contains(r#"action="/reset/code""#),
        "{html}"
    );
    // The login page leads there.
    let login = s.get("/login").await.text().await.unwrap();
    assert!(
        login.contains(r#"href="/reset""#),
        "a way back from the sign-in page"
    );

    let r = s
        .client
        .post(s.url("/reset/code"))
        .header("origin", &origin)
        .form(&[("phone", phone)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("验证码已发送") && html.contains("138****0304"),
        "{html}"
    );
    let code = s.texts.wait_for(phone, 2).await[1].code().unwrap();
    let r = s
        .client
        .post(s.url("/reset"))
        .header("origin", &origin)
        .form(&[("phone", phone), ("code", &code), ("password", "short")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    assert!(r.text().await.unwrap().contains("密码至少 8 个字符"));
    let r = s
        .client
        .post(s.url("/reset"))
        .header("origin", &origin)
        .form(&[
            ("phone", phone),
            ("code", &code),
            ("password", NEW_PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()[header::LOCATION], "/login?reset=1");
    let html = s.get("/login?reset=1").await.text().await.unwrap();
    assert!(html.contains("密码已重设"), "{html}");
    assert_eq!(sign_in_status(&s, phone, NEW_PASSWORD).await, 200);
}

#[tokio::test]
async fn the_profile_has_a_page_to_change_the_password() {
    let s = Server::start(&[]).await;
    let phone = "13800000305";
    let (me, other) = someone_signed_in_twice(&s, phone, "305").await;
    let profile = s.get_as("/me", &me).await.text().await.unwrap();
    assert!(
        profile.contains(r#"href="/me/password""#),
        "linked from 我的"
    );
    let page = s.get_as("/me/password", &me).await;
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("当前密码"));
    assert_eq!(
        s.get("/me/password").await.status(),
        303,
        "signed out: to sign in"
    );
    let origin = s.base.clone();
    let change = |current: &str, new: &str| {
        s.client
            .post(s.url("/me/password"))
            .header("origin", &origin)
            .header("cookie", &me)
            .form(&[("current_password", current), ("new_password", new)])
            .send()
    };
    let r = change("not my password", NEW_PASSWORD).await.unwrap();
    assert_eq!(r.status(), 400);
    assert!(r.text().await.unwrap().contains("密码不正确"));
    let r = change(PASSWORD, NEW_PASSWORD).await.unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()[header::LOCATION], "/me?saved=password");
    let fresh = cookie(&r, "peixun_session").expect("this browser stays signed in");
    assert_eq!(s.get_as("/api/v1/me", &fresh).await.status(), 200);
    for old in [&me, &other] {
        assert_eq!(
            s.get_as("/api/v1/me", old).await.status(),
            401,
            "every other session ends"
        );
    }
    assert_eq!(sign_in_status(&s, phone, NEW_PASSWORD).await, 200);
}

#[tokio::test]
async fn a_new_phone_is_proved_with_a_code_before_it_replaces_the_old() {
    let s = Server::start(&[]).await;
    let (old, new) = ("13800000306", "13800000307");
    let (me, _) = someone_signed_in_twice(&s, old, "306").await;
    // Only someone signed in asks for a new phone's code.
    let r = s
        .client
        .post(s.url("/api/v1/auth/phone-code"))
        .json(&json!({"phone": new, "purpose": "change_phone"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    let code = s
        .phone_code_as(new, "change_phone", Some(&me))
        .await
        .unwrap();
    let (status, body) = post_json(
        &s,
        "/api/v1/me/phone",
        Some(&me),
        json!({"phone": new, "code": "000001"}),
    )
    .await;
    assert_eq!(status, 400, "{body}");
    let (status, body) = post_json(
        &s,
        "/api/v1/me/phone",
        Some(&me),
        json!({"phone": new, "code": code}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["phone"], "138****0307", "{body}");
    assert_eq!(sign_in_status(&s, old, PASSWORD).await, 401);
    assert_eq!(sign_in_status(&s, new, PASSWORD).await, 200);
    // A phone another account holds is not offered a code (its owner is told).
    s.travel_to("2031-04-01T09:05:00+08:00").await;
    let other = "13800000308";
    assert_eq!(
        s.register(other, &id_number("51010419900307308"))
            .await
            .status(),
        201
    );
    s.travel_to("2031-04-01T09:07:00+08:00").await;
    assert_eq!(
        s.phone_code_as(other, "change_phone", Some(&me)).await,
        None
    );
    let (status, _) = post_json(
        &s,
        "/api/v1/me/phone",
        Some(&me),
        json!({"phone": other, "code": "123456"}),
    )
    .await;
    assert_eq!(status, 400);
    // The change is in the trail, masked, with who made it.
    let (_, export) = get(&s, "/api/v1/me/export", &me).await;
    assert_eq!(export["account"]["phone"], new, "{export}");
    let db = common::pool(&s.database()).await;
    let trail: Vec<(String, Option<String>, Option<String>)> = sqlx::query_as(
        "SELECT action, before_value, after_value FROM audit_writes WHERE action = 'phone_changed'",
    )
    .fetch_all(&db)
    .await
    .unwrap();
    assert_eq!(trail.len(), 1, "{trail:?}");
    let (_, before, after) = &trail[0];
    assert!(
        before.as_deref().unwrap().contains("138****0306"),
        "{before:?}"
    );
    assert!(
        after.as_deref().unwrap().contains("138****0307"),
        "{after:?}"
    );
    assert!(!format!("{trail:?}").contains(old) && !format!("{trail:?}").contains(new));
}

#[tokio::test]
async fn deleting_an_account_on_the_api_asks_for_its_password() {
    let s = Server::start(&[]).await;
    let (me, _) = someone_signed_in_twice(&s, "13800000309", "309").await;
    let delete = |body: Option<Value>| {
        let mut r = s.client.delete(s.url("/api/v1/me")).header("cookie", &me);
        if let Some(body) = body {
            r = r.json(&body);
        }
        r.send()
    };
    let r = delete(None).await.unwrap();
    assert_eq!(r.status(), 400);
    let body: Value = r.json().await.unwrap();
    assert!(body["error"]["fields"]["password"].is_string(), "{body}");
    let r = delete(Some(json!({"password": "not my password"})))
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    assert_eq!(
        s.get_as("/api/v1/me", &me).await.status(),
        200,
        "still there"
    );
    let r = delete(Some(json!({"password": PASSWORD}))).await.unwrap();
    assert_eq!(r.status(), 204);
    assert_eq!(s.get_as("/api/v1/me", &me).await.status(), 401);
}
