//! Accounts, privacy and the security baseline, over real HTTP against a spawned server.
// A test: a panic is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{cookie, create_user, id_number, peixun, Server};
use reqwest::header;
use serde_json::{json, Value};

const PASSWORD: &str = "培训 secret 2026";

#[tokio::test]
async fn sign_up_then_sign_in_shows_the_profile_masked() {
    let s = Server::start(&[]).await;
    let id = id_number("51010419900307123");
    let r = s.register("13800000002", &id).await;
    assert_eq!(r.status(), 201);
    let created: Value = r.json().await.unwrap();
    assert_eq!(created["id_number"], format!("5101**********{}", &id[14..]));
    assert_eq!(created["phone"], "138****0002");

    assert_eq!(s.get("/api/v1/me").await.status(), 401);
    let r = s
        .client
        .post(s.url("/api/v1/auth/login"))
        .json(&json!({"phone": "138 0000 0002", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let set_cookie = r.headers()[header::SET_COOKIE]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        set_cookie.contains("HttpOnly")
            && set_cookie.contains("SameSite=Lax")
            && set_cookie.contains("Path=/"),
        "{set_cookie}"
    );
    assert!(!set_cookie.contains("Secure"), "plain http: no Secure flag");
    let token = cookie(&r, "peixun_session").unwrap();
    assert!(
        token.len() >= "peixun_session=".len() + 43,
        "256-bit random token"
    );

    let me: Value = s.get_as("/api/v1/me", &token).await.json().await.unwrap();
    assert_eq!(me["name"], "测试学员");
    assert_eq!(me["birth_date"], "1990-03-07");
    assert_eq!(me["sex"], "male");
    assert_eq!(me["role"], "trainee");
    assert!(me["age"].as_u64().unwrap() >= 36);
    assert!(!me.to_string().contains(&id), "the clear ID is never shown");
}

#[tokio::test]
async fn sign_up_names_every_bad_field() {
    let s = Server::start(&[]).await;
    let mut bad_id = id_number("11010519491231002");
    bad_id.pop();
    bad_id.push(if id_number("11010519491231002").ends_with('X') {
        '1'
    } else {
        'X'
    });
    let r = s
        .client
        .post(s.url("/api/v1/auth/register"))
        .json(&json!({"phone": "12345", "password": "password", "name": "", "id_number": bad_id}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let body: Value = r.json().await.unwrap();
    let fields = &body["error"]["fields"];
    assert!(fields["phone"].as_str().unwrap().contains("手机号"));
    assert!(fields["password"].as_str().unwrap().contains("常见"));
    assert!(fields["id_number"].as_str().unwrap().contains("校验码"));
    assert!(fields["name"].is_string());
    assert!(body["error"]["fields_en"]["id_number"]
        .as_str()
        .unwrap()
        .contains("check digit"));
    // An X check digit is accepted where it is right.
    assert_eq!(
        s.register("13800000009", &id_number("11010519491231002"))
            .await
            .status(),
        201
    );
}

#[tokio::test]
async fn one_account_per_phone_and_per_identity_number() {
    let s = Server::start(&[]).await;
    s.travel_to("2031-01-01T09:00:00+08:00").await;
    let id = id_number("51070319881120004");
    assert_eq!(s.register("13900000011", &id).await.status(), 201);
    // A minute later (one text a minute to a phone), the phone's owner gets no code (a text
    // says it has an account): a sign-up on it is refused as any wrong code is, never
    // "registered" (see phone_codes.rs).
    s.travel_to("2031-01-01T09:01:05+08:00").await;
    let r = s
        .register("13900000011", &id_number("51070319881120014"))
        .await;
    assert_eq!(r.status(), 400);
    let body: Value = r.json().await.unwrap();
    assert!(body["error"]["fields"]["code"].is_string(), "{body}");
    assert!(body["error"]["fields"]["phone"].is_null(), "{body}");
    let r = s.register("13900000012", &id.to_lowercase()).await;
    assert_eq!(r.status(), 409);
    let body: Value = r.json().await.unwrap();
    assert!(body["error"]["fields"]["id_number"].is_string());
}

#[tokio::test]
async fn repeated_failures_lock_the_phone_with_retry_after() {
    let s = Server::start(&[]).await;
    s.register("13700000001", &id_number("51010419950615002"))
        .await;
    let attempt = |password: &'static str| {
        s.client
            .post(s.url("/api/v1/auth/login"))
            .json(&json!({"phone": "13700000001", "password": password}))
            .send()
    };
    for _ in 0..4 {
        assert_eq!(attempt("wrong password!").await.unwrap().status(), 401);
    }
    let r = attempt("wrong password!").await.unwrap();
    assert_eq!(r.status(), 429);
    let retry: u64 = r.headers()[header::RETRY_AFTER]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&retry));
    // Even the right password waits until the lock ends.
    assert_eq!(attempt(PASSWORD).await.unwrap().status(), 429);
    // Another person is not affected.
    s.register("13700000002", &id_number("51010419950615012"))
        .await;
    s.login("13700000002", PASSWORD).await;
}

#[tokio::test]
async fn one_address_may_try_only_so_often() {
    let s = Server::start(&["--login-attempts-per-minute", "3"]).await;
    let statuses = futures_util::future::join_all((0..5).map(|i| {
        s.client
            .post(s.url("/api/v1/auth/login"))
            .json(&json!({"phone": format!("1360000000{i}"), "password": "whatever it is"}))
            .send()
    }))
    .await;
    let codes: Vec<u16> = statuses
        .into_iter()
        .map(|r| r.unwrap().status().as_u16())
        .collect();
    assert!(codes.contains(&429), "{codes:?}");
}

#[tokio::test]
async fn personal_numbers_are_never_stored_or_logged_in_clear() {
    let s = Server::start(&[]).await;
    let id = id_number("51010419900307123");
    assert_eq!(s.register("13800000002", &id).await.status(), 201);
    let session = s.login("13800000002", PASSWORD).await;
    s.get_as("/api/v1/me", &session).await;
    // Bad attempts too: their input must not reach the log either.
    s.client
        .post(s.url("/api/v1/auth/login"))
        .json(&json!({"phone": "13800000002", "password": "not it at all"}))
        .send()
        .await
        .unwrap();
    // Every file the server wrote, the WAL included (SQLite checkpoints lazily).
    for entry in std::fs::read_dir(s.dir.path()).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() && !path.ends_with("peixun.key") {
            let bytes = std::fs::read(&path).unwrap();
            for secret in [id.as_str(), "13800000002"] {
                assert!(
                    !bytes.windows(secret.len()).any(|w| w == secret.as_bytes()),
                    "{secret} in clear in {}",
                    path.display()
                );
            }
        }
    }
    // On PostgreSQL the rows themselves, as text (byte strings show as hex there).
    if common::postgres_base().is_some() {
        let pool = common::pool(&s.database()).await;
        for table in ["users", "sessions", "login_throttle", "audit_log"] {
            for secret in [id.as_str(), "13800000002"] {
                let hex: String = secret.bytes().map(|b| format!("{b:02x}")).collect();
                let found: i64 = sqlx::query_scalar(&format!(
                    "SELECT COUNT(*) FROM {table} t WHERE strpos(CAST(row_to_json(t) AS text), $1) > 0 \
                     OR strpos(CAST(row_to_json(t) AS text), $2) > 0"
                ))
                .bind(secret)
                .bind(hex)
                .fetch_one(&pool)
                .await
                .unwrap();
                assert_eq!(found, 0, "{secret} in clear in {table}");
            }
        }
    }
    let log = s.log.lock().unwrap().join("\n");
    assert!(log.contains("/api/v1/auth/login"), "requests are logged");
    for secret in [id.as_str(), "13800000002", PASSWORD] {
        assert!(!log.contains(secret), "{secret} in the log");
    }
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let s = Server::demo().await;
    let page = s.get("/courses").await;
    let csp = page.headers()[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap()
        .to_string();
    for part in [
        "script-src 'self' 'wasm-unsafe-eval' 'nonce-",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    ] {
        assert!(csp.contains(part), "{csp}");
    }
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .unwrap()
        .split('\'')
        .next()
        .unwrap()
        .to_string();
    let html = page.text().await.unwrap();
    assert!(
        html.contains(&format!("nonce=\"{nonce}\"")),
        "the inline script carries the nonce"
    );
    for path in [
        "/courses",
        "/api/v1/courses",
        "/healthz",
        "/no/such/page",
        "/favicon.svg",
    ] {
        let r = s.get(path).await;
        let h = r.headers();
        assert_eq!(h[header::X_CONTENT_TYPE_OPTIONS], "nosniff", "{path}");
        assert!(h.contains_key(header::REFERRER_POLICY), "{path}");
        assert!(h.contains_key("permissions-policy"), "{path}");
        assert!(
            h[header::CONTENT_SECURITY_POLICY]
                .to_str()
                .unwrap()
                .contains("frame-ancestors 'none'"),
            "{path}"
        );
        assert!(
            !h.contains_key(header::STRICT_TRANSPORT_SECURITY),
            "no HSTS over plain http"
        );
    }
    let https = Server::start(&["--https"]).await;
    let r = https.get("/healthz").await;
    assert!(r.headers()[header::STRICT_TRANSPORT_SECURITY]
        .to_str()
        .unwrap()
        .contains("max-age="));
    https
        .register("13800000003", &id_number("51010419900307133"))
        .await;
    let r = https
        .client
        .post(https.url("/api/v1/auth/login"))
        .json(&json!({"phone": "13800000003", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert!(r.headers()[header::SET_COOKIE]
        .to_str()
        .unwrap()
        .contains("; Secure"));
}

#[tokio::test]
async fn cookie_writes_from_other_sites_are_refused_and_json_clients_work() {
    let s = Server::start(&[]).await;
    s.register("13800000004", &id_number("51010419900307143"))
        .await;
    let session = s.login("13800000004", PASSWORD).await;
    let host = s.base.trim_start_matches("http://").to_string();
    // A form post from another site, carrying the cookie.
    for (name, value) in [
        ("origin", "https://evil.example"),
        ("sec-fetch-site", "cross-site"),
    ] {
        let r = s
            .client
            .post(s.url("/me/groups"))
            .header("cookie", &session)
            .header(name, value)
            .header("content-type", "application/x-www-form-urlencoded")
            .body("groups=youth")
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 403, "{name}: {value}");
    }
    let me: Value = s.get_as("/api/v1/me", &session).await.json().await.unwrap();
    assert_eq!(me["groups"], json!([]), "nothing changed");
    // The site's own form post.
    let r = s
        .client
        .post(s.url("/me/groups"))
        .header("cookie", &session)
        .header("origin", format!("http://{host}"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("groups=youth&groups=migrant_worker")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()[header::LOCATION], "/me?saved=groups#me-groups");
    // A non-browser client with the cookie and a JSON body.
    let r = s
        .client
        .put(s.url("/api/v1/me/groups"))
        .header("cookie", &session)
        .json(&json!({"groups": ["migrant_worker", "general"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let me: Value = r.json().await.unwrap();
    assert_eq!(
        me["groups"],
        json!([
            {"group": "migrant_worker", "status": "declared", "reason": null, "evidence": null,
             "evidence_number": null, "needs_verification": false},
            {"group": "general", "status": "declared", "reason": null, "evidence": null,
             "evidence_number": null, "needs_verification": false}
        ])
    );
}

#[tokio::test]
async fn sessions_end_on_logout_idle_timeout_and_password_change() {
    let s = Server::start(&[]).await;
    s.register("13800000005", &id_number("51010419900307153"))
        .await;
    let a = s.login("13800000005", PASSWORD).await;
    let b = s.login("13800000005", PASSWORD).await;
    let c = s.login("13800000005", PASSWORD).await;
    // Sign out ends that session only.
    let r = s
        .client
        .post(s.url("/api/v1/auth/logout"))
        .header("cookie", &c)
        .header("content-type", "application/json")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    assert_eq!(s.get_as("/api/v1/me", &c).await.status(), 401);
    assert_eq!(s.get_as("/api/v1/me", &a).await.status(), 200);
    // A password change ends every session and starts a new one for the device that asked.
    let r = s
        .client
        .post(s.url("/api/v1/me/password"))
        .header("cookie", &a)
        .json(&json!({"current_password": PASSWORD, "new_password": "another long secret"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    let fresh = cookie(&r, "peixun_session").unwrap();
    assert_eq!(s.get_as("/api/v1/me", &a).await.status(), 401);
    assert_eq!(s.get_as("/api/v1/me", &b).await.status(), 401);
    assert_eq!(s.get_as("/api/v1/me", &fresh).await.status(), 200);
    // A session idle for longer than 30 minutes has ended.
    let pool = common::pool(&s.database()).await;
    sqlx::query("UPDATE sessions SET last_seen_at = last_seen_at - 1801")
        .execute(&pool)
        .await
        .unwrap();
    assert_eq!(s.get_as("/api/v1/me", &fresh).await.status(), 401);
}

#[tokio::test]
async fn a_person_can_download_their_data_and_delete_their_account() {
    let s = Server::start(&[]).await;
    s.travel_to("2031-01-01T09:00:00+08:00").await;
    let id = id_number("51010419900307163");
    s.register("13800000006", &id).await;
    let session = s.login("13800000006", PASSWORD).await;
    let r = s.get_as("/api/v1/me/export", &session).await;
    assert_eq!(r.status(), 200);
    assert!(r.headers()[header::CONTENT_DISPOSITION]
        .to_str()
        .unwrap()
        .starts_with("attachment"));
    let data: Value = r.json().await.unwrap();
    assert_eq!(
        data["account"]["id_number"],
        id.as_str(),
        "their own copy is complete"
    );
    assert_eq!(data["account"]["phone"], "13800000006");
    assert_eq!(data["sessions"].as_array().unwrap().len(), 1);

    let r = s
        .client
        .delete(s.url("/api/v1/me"))
        .header("cookie", &session)
        .json(&json!({"password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    assert_eq!(s.get_as("/api/v1/me", &session).await.status(), 401);
    let r = s
        .client
        .post(s.url("/api/v1/auth/login"))
        .json(&json!({"phone": "13800000006", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    // The same person may sign up again (a minute later: one code a minute to a phone).
    s.travel_to("2031-01-01T09:01:05+08:00").await;
    assert_eq!(s.register("13800000006", &id).await.status(), 201);
}

fn catalogue_of(city_rows: &[&str]) -> String {
    let sample = std::fs::read_to_string(common::fixture("sample-catalog.csv")).unwrap();
    let mut lines = sample.lines();
    let mut out = lines.next().unwrap().to_string();
    for line in lines.filter(|l| city_rows.iter().any(|c| l.starts_with(c))) {
        out.push('\n');
        out.push_str(line);
    }
    out
}

async fn upload(s: &Server, session: Option<&str>, csv: String) -> reqwest::Response {
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::text(csv).file_name("catalog.csv"),
    );
    let mut request = s
        .client
        .post(s.url("/api/v1/staff/catalog/import"))
        .multipart(form)
        .header("sec-fetch-site", "same-origin");
    if let Some(cookie) = session {
        request = request.header("cookie", cookie);
    }
    request.send().await.unwrap()
}

#[tokio::test]
async fn only_a_city_officer_imports_and_only_their_city() {
    let s = Server::start(&[]).await;
    create_user(
        &s,
        &[
            "--role",
            "hr_officer",
            "--phone",
            "13100000001",
            "--name",
            "成都人社",
            "--city",
            "成都",
        ],
    );
    create_user(
        &s,
        &[
            "--role",
            "hr_officer",
            "--phone",
            "13100000002",
            "--name",
            "绵阳人社",
            "--city",
            "510700",
        ],
    );
    create_user(
        &s,
        &[
            "--role",
            "institution_staff",
            "--phone",
            "13100000003",
            "--name",
            "机构",
            "--institution",
            "91510100MA6C000001",
        ],
    );
    create_user(
        &s,
        &[
            "--role",
            "evaluator",
            "--phone",
            "13100000004",
            "--name",
            "评价",
            "--evaluation-org",
            "成都示范职业技能评价中心（示例）",
        ],
    );
    create_user(
        &s,
        &[
            "--role",
            "admin",
            "--phone",
            "13100000005",
            "--name",
            "管理员",
        ],
    );
    s.register("13100000006", &id_number("51010419900307173"))
        .await;
    let chengdu_only = catalogue_of(&["CD-"]);

    assert_eq!(upload(&s, None, chengdu_only.clone()).await.status(), 401);
    for phone in ["13100000003", "13100000004", "13100000005"] {
        let session = s.login(phone, "staff password 1").await;
        let r = upload(&s, Some(&session), chengdu_only.clone()).await;
        assert_eq!(r.status(), 403, "{phone}");
    }
    let trainee = s.login("13100000006", PASSWORD).await;
    assert_eq!(
        upload(&s, Some(&trainee), chengdu_only.clone())
            .await
            .status(),
        403
    );

    // Mianyang's officer may not import Chengdu's items: refused, nothing written.
    let mianyang = s.login("13100000002", "staff password 1").await;
    let r = upload(&s, Some(&mianyang), catalogue_of(&["CD-", "MY-"])).await;
    assert_eq!(r.status(), 422);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["error"]["code"], "import_refused");
    let problems = body["error"]["problems"].as_array().unwrap();
    assert_eq!(problems.len(), 2, "the two Chengdu rows: {problems:?}");
    assert!(problems[0]["message"]
        .as_str()
        .unwrap()
        .contains("只能导入本市州"));
    let (_, list) = s.get_json("/api/v1/courses").await;
    assert_eq!(list["total"], 0);

    let chengdu = s.login("13100000001", "staff password 1").await;
    let r = upload(&s, Some(&chengdu), chengdu_only).await;
    assert_eq!(r.status(), 200);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["created"], 2);
    assert_eq!(body["city"], "510100");
}

#[tokio::test]
async fn create_user_checks_each_role_has_its_scope() {
    let s = Server::start(&[]).await;
    let db = s.database();
    let out = peixun(&[
        "create-user",
        "--database-url",
        &db,
        "--role",
        "hr_officer",
        "--phone",
        "13100000009",
        "--password",
        "long enough pw",
        "--name",
        "某人",
    ]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--city"));
    let out = peixun(&["create-user", "--database-url", &db, "--demo"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("5 demo accounts"));
    s.login("13900000004", "peixun-demo-2026").await;
}

#[tokio::test]
async fn the_sign_up_form_works_without_javascript() {
    let s = Server::start(&[]).await;
    let host = s.base.trim_start_matches("http://").to_string();
    let form = |phone: &str, id: &str| {
        s.client
            .post(s.url("/register"))
            .header("origin", format!("http://{host}"))
            .form(&[
                ("name", "王小明"),
                ("id_number", id),
                ("phone", phone),
                ("password", "short"),
            ])
    };
    let r = form("138", "123").send().await.unwrap();
    assert_eq!(r.status(), 400);
    let html = r.text().await.unwrap();
    assert!(html.contains("请修改以下问题"));
    assert!(html.contains("请输入 11 位手机号码"));
    assert!(html.contains("密码至少 8 个字符"));
    assert!(html.contains(r#"value="王小明""#), "what was typed is kept");
    assert!(html.contains(r#"aria-invalid="true""#));

    // The code first: the same form's other button texts it, and the page comes back with
    // the phone kept and where the code went.
    let r = s
        .client
        .post(s.url("/register/code"))
        .header("origin", format!("http://{host}"))
        .form(&[
            ("name", "王小明"),
            ("phone", "13800000008"),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("验证码已发送") && html.contains("138****0008"),
        "{html}"
    );
    assert!(html.contains(r#"value="13800000008""#), "the phone is kept");
    assert!(!html.contains(PASSWORD), "never a password");
    let code = s.texts.wait_for("13800000008", 1).await[0].code().unwrap();
    let r = s
        .client
        .post(s.url("/register"))
        .header("origin", format!("http://{host}"))
        .form(&[
            ("name", "王小明"),
            ("id_number", &id_number("51010419900307183")),
            ("phone", "13800000008"),
            ("code", &code),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()[header::LOCATION], "/me");
    let session = cookie(&r, "peixun_session").unwrap();
    let html = s.get_as("/me", &session).await.text().await.unwrap();
    assert!(html.contains("138****0008"));
    assert!(html.contains("5101**********"));
    let r = s.get("/me").await;
    assert_eq!(r.status(), 303, "signed-out visitors are sent to sign in");
    assert_eq!(r.headers()[header::LOCATION], "/login");
}

async fn upload_page(s: &Server, session: &str, csv: String, dry_run: bool) -> (u16, String) {
    let mut form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::text(csv).file_name("catalog.csv"),
    );
    if dry_run {
        form = form.text("dry_run", "true");
    }
    let r = s
        .client
        .post(s.url("/staff/catalog"))
        .multipart(form)
        .header("cookie", session)
        .header("sec-fetch-site", "same-origin")
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    (status, r.text().await.unwrap())
}

#[tokio::test]
async fn the_upload_page_imports_the_officers_city_without_javascript() {
    let s = Server::start(&[]).await;
    create_user(
        &s,
        &[
            "--role",
            "hr_officer",
            "--phone",
            "13100000001",
            "--name",
            "成都人社",
            "--city",
            "成都",
        ],
    );
    let officer = s.login("13100000001", common::STAFF_PASSWORD).await;
    let page = s.get_as("/staff/catalog", &officer).await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains(r#"enctype="multipart/form-data""#) && html.contains("成都市"));

    let (status, html) = upload_page(&s, &officer, catalogue_of(&["CD-"]), true).await;
    assert_eq!(status, 200, "{html}");
    assert!(html.contains("检查通过（未导入）：将新增 2 项"), "dry run");
    assert_eq!(s.get_json("/api/v1/courses").await.1["total"], 0);
    let (status, html) = upload_page(&s, &officer, catalogue_of(&["CD-"]), false).await;
    assert_eq!(status, 200);
    assert!(
        html.contains("已导入：新增 2 项，更新 0 项，未变 0 项"),
        "{html}"
    );

    // Another city's rows: refused, every problem listed by line, nothing written.
    let (status, html) = upload_page(&s, &officer, catalogue_of(&["MY-"]), false).await;
    assert_eq!(status, 422);
    assert!(
        html.contains("role=\"alert\"") && html.contains("第 2 行"),
        "{html}"
    );
    assert_eq!(s.get_json("/api/v1/courses").await.1["total"], 2);

    s.register("13100000006", &id_number("51010419900307173"))
        .await;
    let trainee = s.login("13100000006", PASSWORD).await;
    assert_eq!(s.get_as("/staff/catalog", &trainee).await.status(), 403);
    let (status, _) = upload_page(&s, &trainee, catalogue_of(&["CD-"]), false).await;
    assert_eq!(status, 403);
}
