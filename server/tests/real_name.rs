//! Real-name identity (issue 16, items 1, 2 and 7): "用统一身份认证登录" signs in through the
//! province's unified identity service (OpenID Connect: the authorization code flow with PKCE,
//! state and nonce, the ID token checked against the issuer's keys). The first sign-in makes
//! the account or links it by the identity number's keyed hash; an unverified account with
//! the number is linked when its name and verified phone agree (or its password is given),
//! else reclaimed: its password and phone stop working, its sessions end, and the city's HR
//! officer gets a 冒用身份 case listing what was made under it, and may freeze the account.
//! Without a provider, the sign-up page that finds the number taken offers a report to HR.
//! Tests run a real OpenID provider (npm oidc-provider) and, for tokens broken on purpose, a
//! stand-in; over real HTTP (SQLite, or PostgreSQL with PEIXUN_TEST_POSTGRES).
// A test: a panic is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::flow::{get, post, PASSWORD};
use common::oidc::{self, Flaw, Provider, StandIn};
use common::{id_number, Server};
use serde_json::{json, Value};

/// Alice's identity number (issued in Beijing, born 1990), and as pages show it.
fn alice_id() -> String {
    id_number("11010519900307231")
}

fn alice_masked() -> String {
    format!("1101**********{}", &alice_id()[14..])
}

fn people() -> Value {
    json!({
        "alice": {"name": "王小明", "id_number": alice_id(), "phone_number": "13800000901"},
        "bob": {"name": "李四", "id_number": id_number("51010419900307235"), "phone_number": "13800000902"},
    })
}

async fn portal_with(provider: &Provider, extra: &[&str]) -> Server {
    let mut flags = provider.flags();
    flags.extend(extra.iter().map(|s| s.to_string()));
    let flags: Vec<&str> = flags.iter().map(String::as_str).collect();
    // With the enrolment fixture's classes (what `flow_on` builds on).
    common::flow::server_in(tempfile::tempdir().unwrap(), &flags).await
}

#[tokio::test]
async fn a_first_sign_in_makes_a_verified_account() {
    let provider = Provider::start(people());
    let s = portal_with(&provider, &[]).await;
    // The sign-in and sign-up pages offer it.
    for page in ["/login", "/register"] {
        let html = s.get(page).await.text().await.unwrap();
        assert!(
            html.contains(r#"href="/auth/oidc/start""#) && html.contains("用统一身份认证登录"),
            "{page}"
        );
    }
    let done = oidc::sign_in(&s, "alice", None).await;
    assert_eq!(
        (done.status, done.location.as_str()),
        (303, "/me"),
        "{done:?}"
    );
    let me = done.session.expect("signed in");
    let (status, profile) = get(&s, "/api/v1/me", &me).await;
    assert_eq!(status, 200);
    assert_eq!(profile["real_name"], "verified", "{profile}");
    assert_eq!(profile["name"], "王小明");
    assert_eq!(profile["phone"], "138****0901");
    assert_eq!(profile["id_number"], alice_masked(), "{profile}");
    // The second time, the same account.
    let again = oidc::sign_in(&s, "alice", None).await;
    let (_, second) = get(&s, "/api/v1/me", &again.session.unwrap()).await;
    assert_eq!(second["id"], profile["id"]);
    // Accounts made with a password are not verified.
    let other = common::flow::trainee(&s, 71).await;
    let (_, unverified) = get(&s, "/api/v1/me", &other).await;
    assert_eq!(unverified["real_name"], "unverified");
}

#[tokio::test]
async fn an_account_of_the_same_name_and_phone_is_linked_and_keeps_its_password() {
    let provider = Provider::start(people());
    let s = portal_with(&provider, &[]).await;
    // Alice signed up earlier with her password, her phone proved with a code.
    assert_eq!(
        register_as(&s, "13800000901", &alice_id(), "王小明").await,
        201
    );
    let before = s.login("13800000901", PASSWORD).await;
    let (_, mine) = get(&s, "/api/v1/me", &before).await;
    let done = oidc::sign_in(&s, "alice", None).await;
    assert_eq!(done.location, "/me", "{done:?}");
    let (_, linked) = get(&s, "/api/v1/me", &done.session.unwrap()).await;
    assert_eq!(linked["id"], mine["id"], "the same account");
    assert_eq!(linked["real_name"], "verified");
    assert_eq!(
        s.get_as("/api/v1/me", &before).await.status(),
        200,
        "nothing ended"
    );
    s.login("13800000901", PASSWORD).await;
}

/// Signs up with the code texted to `phone`: the status.
async fn register_as(s: &Server, phone: &str, id: &str, name: &str) -> u16 {
    let code = s.phone_code(phone, "register").await.unwrap();
    let r = s
        .client
        .post(s.url("/api/v1/auth/register"))
        .json(&json!({"phone": phone, "password": PASSWORD, "name": name, "id_number": id, "code": code}))
        .send()
        .await
        .unwrap();
    r.status().as_u16()
}

#[tokio::test]
async fn an_account_that_is_not_the_persons_is_linked_only_with_its_password() {
    let provider = Provider::start(people());
    let s = portal_with(&provider, &[]).await;
    // An account with Alice's number, but another name (a typo, or not her).
    assert_eq!(
        register_as(&s, "13800000903", &alice_id(), "王晓明").await,
        201
    );
    let done = oidc::sign_in(&s, "alice", None).await;
    assert_eq!(done.location, "/auth/oidc/link", "{done:?}");
    let half = done.session.expect("the choice is kept with the browser");
    assert_eq!(
        s.get_as("/api/v1/me", &half).await.status(),
        401,
        "nobody signed in yet"
    );
    let page = s.get_as("/auth/oidc/link", &half).await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(
        html.contains(&alice_masked()) && html.contains("不是我注册的"),
        "{html}"
    );
    // Her password proves it is hers: linked, the name the service asserts.
    let form = |path: &str, body: Vec<(&str, &str)>| {
        s.client
            .post(s.url(path))
            .header("origin", &s.base)
            .header("cookie", &half)
            .form(&body)
            .send()
    };
    let r = form("/auth/oidc/link", vec![("password", "not the password")])
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let r = form("/auth/oidc/link", vec![("password", PASSWORD)])
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let me = common::cookie(&r, "peixun_session").unwrap();
    let (_, profile) = get(&s, "/api/v1/me", &me).await;
    assert_eq!(
        (profile["real_name"].clone(), profile["name"].clone()),
        (json!("verified"), json!("王小明"))
    );
}

#[tokio::test]
async fn a_number_someone_else_registered_is_reclaimed_and_hr_sees_the_case() {
    let provider = Provider::start(people());
    let s = portal_with(&provider, &["--trust-proxy"]).await;
    let flow = common::flow::flow_on(s).await;
    let s = &flow.s;
    // Someone registered Alice's number with their own phone, said they live in 成都, enrolled.
    assert_eq!(
        register_as(s, "13800000904", &alice_id(), "王小明").await,
        201
    );
    let impostor = s.login("13800000904", PASSWORD).await;
    let r = s
        .client
        .put(s.url("/api/v1/me/groups"))
        .header("cookie", &impostor)
        .json(&json!({"groups": [], "city": "510100", "consent": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    s.travel_to_day("2030-02-01").await;
    let (status, enrolled) = common::flow::enroll(s, "E-TEN", &impostor).await;
    assert_eq!(status, 201, "{enrolled}");

    // Alice signs in with the unified identity and says the account is not hers.
    let done = oidc::sign_in(s, "alice", None).await;
    assert_eq!(done.location, "/auth/oidc/link");
    let half = done.session.unwrap();
    let r = s
        .client
        .post(s.url("/auth/oidc/reclaim"))
        .header("origin", &s.base)
        .header("cookie", &half)
        .form(&[("confirm", "1")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let alice = common::cookie(&r, "peixun_session").unwrap();
    let (_, profile) = get(s, "/api/v1/me", &alice).await;
    assert_eq!(profile["real_name"], "verified");
    assert_eq!(profile["phone"], "138****0901", "her phone now: {profile}");
    // The old password, phone and sessions no longer work.
    assert_eq!(s.get_as("/api/v1/me", &impostor).await.status(), 401);
    let r = s
        .client
        .post(s.url("/api/v1/auth/login"))
        .json(&json!({"phone": "13800000904", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    // 成都's HR officer has the case, with what was made under the account.
    let (status, cases) = get(s, "/api/v1/staff/identity-cases", &flow.hr).await;
    assert_eq!(status, 200, "{cases}");
    let case = &cases["items"][0];
    assert_eq!(case["source"], "reclaimed", "{case}");
    assert_eq!(case["status"], "open");
    assert_eq!(case["enrollments"], 1, "{case}");
    assert_eq!(case["id_number"], alice_masked());
    let (_, elsewhere) = get(s, "/api/v1/staff/identity-cases", &flow.hr_elsewhere).await;
    assert_eq!(elsewhere["total"], 0, "another city's officer sees none");
    // The reclaim is in the trail.
    let pool = common::pool(&s.database()).await;
    let trail: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM audit_writes WHERE action = 'identity_reclaimed'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(trail, 1);

    // The officer freezes the account pending an in-person check: nobody signs in to it.
    let path = format!("/api/v1/staff/identity-cases/{}", case["id"]);
    let (status, body) = post(
        s,
        &path,
        &flow.hr,
        json!({"action": "freeze", "note": "请本人持身份证到人社局核实"}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        s.get_as("/api/v1/me", &alice).await.status(),
        401,
        "frozen: sessions end"
    );
    let again = oidc::sign_in(s, "alice", None).await;
    assert!(again.session.is_none() || again.status >= 400, "{again:?}");
    let (status, body) = post(
        s,
        &path,
        &flow.hr,
        json!({"action": "unfreeze", "note": "已核实"}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let back = oidc::sign_in(s, "alice", None).await;
    assert_eq!(back.location, "/me");
}

#[tokio::test]
async fn with_a_provider_subsidy_claims_need_a_verified_real_name() {
    let provider = Provider::start(people());
    let s = portal_with(&provider, &[]).await;
    let flow = common::flow::flow_on(s).await;
    let me = common::flow::trainee(&flow.s, 72).await;
    let certificate = flow.certificate(&me, "S-WELD", false, None).await;
    let (status, body) = flow.claim(&me, certificate).await;
    assert_eq!(status, 422, "{body}");
    assert!(
        body.to_string().contains("统一身份认证"),
        "says how: {body}"
    );
}

#[tokio::test]
async fn a_broken_or_forged_answer_signs_nobody_in() {
    let stand_in = StandIn::start(
        json!({"sub": "alice", "name": "王小明", "id_number": alice_id(),
                                          "phone_number": "13800000901"}),
    );
    let flags = stand_in.flags();
    let flags: Vec<&str> = flags.iter().map(String::as_str).collect();
    let s = Server::start(&flags).await;
    // A state the portal never issued.
    let r = s
        .get("/auth/oidc/callback?code=anything&state=made-up")
        .await;
    assert_eq!(r.status(), 400);
    assert!(common::cookie(&r, "peixun_session").is_none());
    for flaw in [
        Flaw::WrongNonce,
        Flaw::WrongIssuer,
        Flaw::WrongAudience,
        Flaw::WrongKey,
        Flaw::Expired,
        Flaw::None,
    ] {
        let r = s.get("/auth/oidc/start").await;
        let to = r.headers()["location"].to_str().unwrap().to_string();
        assert!(to.starts_with(&stand_in.issuer), "{to}");
        assert!(
            to.contains("code_challenge=") && to.contains("code_challenge_method=S256"),
            "PKCE: {to}"
        );
        let (state, nonce) = oidc::state_and_nonce(&to);
        stand_in.answer(&nonce, flaw);
        let back = s.get(&callback(&state)).await;
        let session = common::cookie(&back, "peixun_session");
        if flaw == Flaw::None {
            assert_eq!(back.status(), 303, "a sound answer signs in");
            assert!(session.is_some());
        } else {
            assert_eq!(back.status(), 400, "{flaw:?}");
            assert!(session.is_none(), "{flaw:?} signed someone in");
            let html = back.text().await.unwrap();
            assert!(html.contains("统一身份认证"), "{flaw:?}: says what failed");
        }
        // A state is used once.
        let replay = s.get(&callback(&state)).await;
        assert_eq!(replay.status(), 400, "{flaw:?}: replayed");
    }
}

/// The portal's callback path as the provider would send the browser to it.
fn callback(state: &str) -> String {
    let mut url = reqwest::Url::parse("http://portal/auth/oidc/callback").unwrap();
    url.query_pairs_mut()
        .append_pair("code", "c")
        .append_pair("state", state);
    format!("{}?{}", url.path(), url.query().unwrap())
}

#[tokio::test]
async fn without_a_provider_a_taken_number_is_reported_to_hr() {
    let flow = common::flow::flow().await;
    let s = &flow.s;
    let taken = id_number("51010419900307241");
    assert_eq!(register_as(s, "13800000905", &taken, "张三").await, 201);
    // The real owner's sign-up finds the number taken, and the page offers the report.
    let code = s.phone_code("13800000906", "register").await.unwrap();
    let r = s
        .client
        .post(s.url("/register"))
        .header("origin", &s.base)
        .form(&[
            ("name", "张三"),
            ("id_number", taken.as_str()),
            ("phone", "13800000906"),
            ("code", code.as_str()),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 409);
    let html = r.text().await.unwrap();
    assert!(
        html.contains(r#"href="/identity-report""#),
        "the report is offered"
    );
    assert_eq!(s.get("/identity-report").await.status(), 200);
    // The report answers alike whether or not the number is registered.
    let report = |id: &str| {
        s.client
            .post(s.url("/api/v1/identity-reports"))
            .json(
                &json!({"name": "张三", "phone": "13800000906", "id_number": id, "city": "510100"}),
            )
            .send()
    };
    let a = report(&taken).await.unwrap();
    let b = report(&id_number("51010419900307259")).await.unwrap();
    assert_eq!(
        (a.status(), b.status()),
        (reqwest::StatusCode::ACCEPTED, reqwest::StatusCode::ACCEPTED)
    );
    assert_eq!(a.text().await.unwrap(), b.text().await.unwrap());
    let (_, cases) = get(s, "/api/v1/staff/identity-cases", &flow.hr).await;
    assert_eq!(cases["total"], 1, "{cases}");
    assert_eq!(cases["items"][0]["source"], "reported");
    assert_eq!(
        cases["items"][0]["reporter_phone"], "138****0906",
        "{cases}"
    );
    // Reports are few an hour from one address.
    let mut limited = false;
    for _ in 0..10 {
        limited |= report(&taken).await.unwrap().status() == reqwest::StatusCode::TOO_MANY_REQUESTS;
    }
    assert!(limited);
}

#[tokio::test]
async fn an_account_the_service_made_is_deleted_with_a_texted_code() {
    let provider = Provider::start(people());
    let s = portal_with(&provider, &[]).await;
    let me = oidc::sign_in(&s, "alice", None).await.session.unwrap();
    let (_, profile) = get(&s, "/api/v1/me", &me).await;
    assert_eq!(profile["password"], false, "{profile}");
    let page = s.get_as("/me/data", &me).await.text().await.unwrap();
    assert!(
        page.contains(r#"action="/me/delete/code""#),
        "the page offers the code"
    );
    let delete = |body: Value| {
        s.client
            .delete(s.url("/api/v1/me"))
            .header("cookie", &me)
            .json(&body)
            .send()
    };
    // No password to give: a code texted to the account's phone.
    let r = delete(json!({"password": "anything"})).await.unwrap();
    assert_eq!(r.status(), 400);
    let body: Value = r.json().await.unwrap();
    assert!(body["error"]["fields"]["code"].is_string(), "{body}");
    let code = s
        .phone_code_as("13800000901", "delete_account", Some(&me))
        .await
        .expect("a code to the account's own phone");
    let r = delete(json!({"code": code})).await.unwrap();
    assert_eq!(r.status(), 204);
    assert_eq!(s.get_as("/api/v1/me", &me).await.status(), 401);
}
