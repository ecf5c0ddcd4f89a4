//! Second factors. Staff approve money and see personal data: after the password, a code
//! texted to their phone, or one from an authenticator app (TOTP, RFC 6238) once they set one
//! up (issue 16, item 4). A phone that collects many failed sign-ins asks for a texted code
//! besides the password, before the password is even looked at, instead of locking its owner
//! out (issue 15, finding 1). Over real HTTP against a spawned server and a real local SMS
//! gateway (SQLite, or PostgreSQL with PEIXUN_TEST_POSTGRES).
// A test: a panic is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::flow::{get, PASSWORD};
use common::{cookie, create_user, Server, STAFF_PASSWORD};
use reqwest::header;
use serde_json::{json, Value};

const HR: &str = "13100000401";

async fn password_step(s: &Server, phone: &str, password: &str, from: &str) -> reqwest::Response {
    s.client
        .post(s.url("/api/v1/auth/login"))
        .header("x-forwarded-for", from)
        .json(&json!({"phone": phone, "password": password}))
        .send()
        .await
        .unwrap()
}

async fn second_step(s: &Server, pending: &str, code: &str) -> reqwest::Response {
    s.client
        .post(s.url("/api/v1/auth/second-factor"))
        .header("cookie", pending)
        .json(&json!({"code": code}))
        .send()
        .await
        .unwrap()
}

fn other_than(code: &str) -> String {
    format!("{:06}", (code.parse::<u32>().unwrap() + 1) % 1_000_000)
}

async fn hr_officer(s: &Server) {
    create_user(
        s,
        &[
            "--role",
            "hr_officer",
            "--phone",
            HR,
            "--name",
            "人社专员",
            "--city",
            "510100",
        ],
    );
}

#[tokio::test]
async fn staff_sign_in_takes_a_texted_code_after_the_password() {
    let s = Server::start(&["--trust-proxy"]).await;
    s.travel_to("2031-05-01T09:00:00+08:00").await;
    hr_officer(&s).await;
    let r = password_step(&s, HR, STAFF_PASSWORD, "198.51.100.1").await;
    assert_eq!(r.status(), 202);
    let pending = cookie(&r, "peixun_session").expect("a cookie for the second step");
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["second_factor"], "sms", "{body}");
    // The answer names the text to look for (two sign-ins may be under way at once).
    let reference = body["ref"].as_str().unwrap().to_string();
    // Half signed in is not signed in.
    assert_eq!(s.get_as("/api/v1/me", &pending).await.status(), 401);
    assert_eq!(
        s.get_as("/api/v1/staff/subsidies", &pending).await.status(),
        401
    );
    let text = &s.texts.wait_for(HR, 1).await[0];
    assert_eq!(text.body["params"]["purpose"], "sign_in");
    assert_eq!(text.body["params"]["ref"], reference.as_str());
    let code = text.code().unwrap();
    let r = second_step(&s, &pending, &other_than(&code)).await;
    assert_eq!(r.status(), 400);
    let r = second_step(&s, &pending, &code).await;
    assert_eq!(r.status(), 200);
    let session = cookie(&r, "peixun_session").expect("the session");
    assert_ne!(session, pending, "a new token once both steps are done");
    assert_eq!(
        s.get_as("/api/v1/staff/subsidies", &session).await.status(),
        200
    );
    assert_eq!(s.get_as("/api/v1/me", &pending).await.status(), 401);
    // A wrong password texts nothing.
    s.travel_to("2031-05-01T09:02:00+08:00").await;
    let r = password_step(&s, HR, "not the password", "198.51.100.1").await;
    assert_eq!(r.status(), 401);
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert_eq!(s.texts.texts_to(HR).len(), 1);
    // Trainees sign in with the password alone.
    let me = common::flow::trainee(&s, 41).await;
    assert_eq!(s.get_as("/api/v1/me", &me).await.status(), 200);
}

#[tokio::test]
async fn a_second_step_lasts_five_minutes_and_five_tries() {
    let s = Server::start(&[]).await;
    s.travel_to("2031-05-01T09:00:00+08:00").await;
    hr_officer(&s).await;
    let r = password_step(&s, HR, STAFF_PASSWORD, "198.51.100.1").await;
    let pending = cookie(&r, "peixun_session").unwrap();
    let code = s.texts.wait_for(HR, 1).await[0].code().unwrap();
    s.travel_to("2031-05-01T09:05:01+08:00").await;
    assert_eq!(
        second_step(&s, &pending, &code).await.status(),
        401,
        "too late"
    );

    s.travel_to("2031-05-01T09:07:00+08:00").await;
    let r = password_step(&s, HR, STAFF_PASSWORD, "198.51.100.1").await;
    let pending = cookie(&r, "peixun_session").unwrap();
    let code = s.texts.wait_for(HR, 2).await[1].code().unwrap();
    for _ in 0..5 {
        assert_eq!(
            second_step(&s, &pending, &other_than(&code)).await.status(),
            400
        );
    }
    let r = second_step(&s, &pending, &code).await;
    assert!(
        matches!(r.status().as_u16(), 400 | 401),
        "five wrong tries end it"
    );
    assert_eq!(s.get_as("/api/v1/me", &pending).await.status(), 401);
}

#[tokio::test]
async fn staff_sign_in_works_without_javascript() {
    let s = Server::start(&[]).await;
    hr_officer(&s).await;
    let origin = s.base.clone();
    let r = s
        .client
        .post(s.url("/login"))
        .header("origin", &origin)
        .form(&[("phone", HR), ("password", STAFF_PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()[header::LOCATION], "/login/verify");
    let pending = cookie(&r, "peixun_session").unwrap();
    let page = s.get_as("/login/verify", &pending).await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(
        html.contains("131****0401") && html.contains("验证码"),
        "{html}"
    );
    let text = s.texts.wait_for(HR, 1).await[0].clone();
    let reference = text.body["params"]["ref"].as_str().unwrap().to_string();
    assert!(
        html.contains(&format!(r#"<span id="sms-ref">{reference}</span>"#)),
        "{html}"
    );
    let code = text.code().unwrap();
    let post = |code: String| {
        s.client
            .post(s.url("/login/verify"))
            .header("origin", &origin)
            .header("cookie", &pending)
            .form(&[("code", code)])
            .send()
    };
    let r = post(other_than(&code)).await.unwrap();
    assert_eq!(r.status(), 400);
    assert!(r.text().await.unwrap().contains("验证码不正确"));
    let r = post(code).await.unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()[header::LOCATION], "/me");
    let session = cookie(&r, "peixun_session").unwrap();
    assert_eq!(s.get_as("/staff/subsidies", &session).await.status(), 200);
    // Without a first step, the second is only a way back to the first.
    assert_eq!(s.get("/login/verify").await.status(), 303);
}

/// RFC 6238's code for `secret` (base32) at Unix time `at`, as an authenticator app shows it.
fn totp(secret: &str, at: u64) -> String {
    let secret = totp_rs::Secret::Encoded(secret.to_string())
        .to_bytes()
        .unwrap();
    let totp = totp_rs::TOTP::new(totp_rs::Algorithm::SHA1, 6, 1, 30, secret).unwrap();
    totp.generate(at)
}

#[tokio::test]
async fn staff_may_use_an_authenticator_app_instead_of_texts() {
    let s = Server::start(&[]).await;
    s.travel_to("2031-05-01T09:00:00+08:00").await;
    let now = chrono::DateTime::parse_from_rfc3339("2031-05-01T09:00:00+08:00")
        .unwrap()
        .timestamp() as u64;
    hr_officer(&s).await;
    let session = s.login(HR, STAFF_PASSWORD).await;
    let r = s
        .client
        .post(s.url("/api/v1/me/totp"))
        .header("cookie", &session)
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let setup: Value = r.json().await.unwrap();
    let secret = setup["secret"].as_str().unwrap().to_string();
    let url = setup["otpauth_url"].as_str().unwrap();
    assert!(
        url.starts_with("otpauth://totp/") && url.contains(&secret),
        "{url}"
    );
    // Not in force until a code from the app confirms it.
    let confirm = |code: String| {
        s.client
            .post(s.url("/api/v1/me/totp/confirm"))
            .header("cookie", &session)
            .json(&json!({"code": code}))
            .send()
    };
    let wrong = other_than(&totp(&secret, now));
    assert_eq!(confirm(wrong).await.unwrap().status(), 400);
    assert_eq!(confirm(totp(&secret, now)).await.unwrap().status(), 204);
    // The secret is sealed at rest.
    let pool = common::pool(&s.database()).await;
    let sealed: Vec<u8> =
        sqlx::query_scalar("SELECT totp_sealed FROM users WHERE totp_sealed IS NOT NULL")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert!(!sealed.windows(secret.len()).any(|w| w == secret.as_bytes()));

    s.travel_to("2031-05-01T09:03:00+08:00").await;
    let texts_before = s.texts.texts_to(HR).len();
    let r = password_step(&s, HR, STAFF_PASSWORD, "198.51.100.1").await;
    assert_eq!(r.status(), 202);
    let pending = cookie(&r, "peixun_session").unwrap();
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["second_factor"], "totp", "{body}");
    let at = now + 180;
    let r = second_step(&s, &pending, &totp(&secret, at)).await;
    assert_eq!(r.status(), 200);
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(
        s.texts.texts_to(HR).len(),
        texts_before,
        "no text when the app is set up"
    );
    // A code is used once.
    let r = password_step(&s, HR, STAFF_PASSWORD, "198.51.100.1").await;
    let pending = cookie(&r, "peixun_session").unwrap();
    assert_eq!(
        second_step(&s, &pending, &totp(&secret, at)).await.status(),
        400
    );
}

#[tokio::test]
async fn a_phone_many_clients_guessed_at_asks_for_a_texted_code_not_a_lock() {
    let s = Server::start(&["--trust-proxy"]).await;
    s.travel_to("2031-05-01T09:00:00+08:00").await;
    let me = common::flow::trainee(&s, 42).await;
    drop(me);
    let phone = "13900000042";
    // Guesses from ten addresses, two each: none of them is locked, all of them count.
    for n in 0..10 {
        for _ in 0..2 {
            let r = password_step(&s, phone, "a guessed password", &format!("203.0.113.{n}")).await;
            assert_eq!(r.status(), 401);
        }
    }
    // Now even the right password, from anywhere, needs the code: and says so before it
    // looks at the password (a guesser learns nothing).
    let owner = "198.51.100.77";
    for password in [PASSWORD, "a guessed password"] {
        let r = password_step(&s, phone, password, owner).await;
        assert_eq!(r.status(), 401);
        let body: Value = r.json().await.unwrap();
        assert_eq!(body["error"]["code"], "code_required", "{body}");
    }
    s.travel_to("2031-05-01T09:01:30+08:00").await;
    let code = s
        .phone_code(phone, "sign_in")
        .await
        .expect("a sign-in code");
    let with_code = |password: &str, code: &str| {
        s.client
            .post(s.url("/api/v1/auth/login"))
            .header("x-forwarded-for", owner)
            .json(&json!({"phone": phone, "password": password, "code": code}))
            .send()
    };
    assert_eq!(
        with_code("a guessed password", &code)
            .await
            .unwrap()
            .status(),
        401
    );
    let r = with_code(PASSWORD, &code).await.unwrap();
    assert_eq!(r.status(), 200);
    let session = cookie(&r, "peixun_session").unwrap();
    let (_, inbox) = get(&s, "/api/v1/me/notifications", &session).await;
    let told = inbox["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["kind"] == "account")
        .unwrap_or_else(|| panic!("no word of the failed attempts: {inbox}"));
    let count: u32 = told["message"]
        .as_str()
        .unwrap()
        .chars()
        .filter(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .unwrap();
    assert!(
        count >= 20,
        "the owner is told of every failed attempt: {told}"
    );
    // Signed in, the phone is back to the password alone.
    let r = password_step(&s, phone, PASSWORD, owner).await;
    assert_eq!(r.status(), 200);
    // On the page: the refusal offers the code.
    for n in 10..20 {
        password_step(&s, phone, "a guessed password", &format!("203.0.113.{n}")).await;
        password_step(&s, phone, "a guessed password", &format!("203.0.113.{n}")).await;
    }
    let r = s
        .client
        .post(s.url("/login"))
        .header("origin", &s.base)
        .header("x-forwarded-for", owner)
        .form(&[("phone", phone), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    let html = r.text().await.unwrap();
    assert!(
        html.contains(r#"name="code""#) && html.contains("获取验证码"),
        "{html}"
    );
}
