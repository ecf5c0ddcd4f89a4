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

/// Signs in as `phone` from `client` (the address the trusted proxy saw).
async fn sign_in_from(s: &Server, client: &str, phone: &str, password: &str) -> reqwest::Response {
    s.client
        .post(s.url("/api/v1/auth/login"))
        .header("x-forwarded-for", client)
        .json(&json!({"phone": phone, "password": password}))
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn failures_from_one_client_never_lock_the_owner_out_from_another() {
    let s = Server::start(&["--trust-proxy"]).await;
    common::flow::trainee(&s, 31).await;
    let phone = "13900000031";
    let mut locked = false;
    for _ in 0..8 {
        let r = sign_in_from(&s, "203.0.113.7", phone, "a guessed password").await;
        locked |= r.status() == 429;
    }
    assert!(locked, "the guessing client is stopped");
    // Even with the right password, that client waits out its lock…
    let r = sign_in_from(&s, "203.0.113.7", phone, common::flow::PASSWORD).await;
    assert_eq!(r.status(), 429);
    // …while the owner, elsewhere, signs in and is told of the failed attempts.
    let r = sign_in_from(&s, "198.51.100.20", phone, common::flow::PASSWORD).await;
    assert_eq!(r.status(), 200, "the owner is not locked out");
    let me = common::cookie(&r, "peixun_session").unwrap();
    let (status, inbox) = common::flow::get(&s, "/api/v1/me/notifications", &me).await;
    assert_eq!(status, 200);
    let told = inbox["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["kind"] == "account")
        .unwrap_or_else(|| panic!("no word of the failed attempts: {inbox}"));
    let message = told["message"].as_str().unwrap();
    assert!(message.contains('8') || message.contains('9'), "{message}");
    assert!(
        told["message_en"].as_str().unwrap().contains("sign-in"),
        "{told}"
    );
}

#[tokio::test]
async fn the_client_is_the_address_the_trusted_proxy_appended() {
    let s = Server::start(&["--trust-proxy", "--login-attempts-per-minute", "5"]).await;
    let mut codes = Vec::new();
    for i in 0..7 {
        // The first entries are the client's to write; the proxy appended the last.
        let chain = format!("10.9.8.{i}, 203.0.113.50");
        let phone = format!("1360000010{i}");
        codes.push(
            sign_in_from(&s, &chain, &phone, "whatever it is")
                .await
                .status()
                .as_u16(),
        );
    }
    assert!(
        codes.contains(&429),
        "the entries a client writes are not its address: {codes:?}"
    );
    // Whatever the client writes before the proxy's entry changes nothing.
    let r = sign_in_from(
        &s,
        "not-an-address, 203.0.113.50",
        "13600000200",
        "whatever",
    )
    .await;
    assert_eq!(r.status(), 429);
}

#[tokio::test]
async fn two_trusted_proxies_take_the_address_two_hops_from_the_right() {
    let s = Server::start(&["--trust-proxy", "2", "--login-attempts-per-minute", "5"]).await;
    let mut codes = Vec::new();
    for i in 0..7 {
        let chain = format!("spoofed-{i}, 203.0.113.60, 10.1.1.{i}");
        let phone = format!("1360000011{i}");
        codes.push(
            sign_in_from(&s, &chain, &phone, "whatever it is")
                .await
                .status()
                .as_u16(),
        );
    }
    assert!(codes.contains(&429), "{codes:?}");
    // Another client behind the same two proxies is not affected.
    let r = sign_in_from(
        &s,
        "203.0.113.61, 10.1.1.1",
        "13600000120",
        "whatever it is",
    )
    .await;
    assert_eq!(r.status(), 401);
}

#[tokio::test]
async fn an_ipv6_client_is_one_client_across_its_64() {
    let s = Server::start(&["--trust-proxy", "--login-attempts-per-minute", "5"]).await;
    let mut codes = Vec::new();
    for i in 0..7 {
        let address = format!("2001:db8:77:1:{i:x}::{:x}", i * 7 + 1);
        let phone = format!("1360000013{i}");
        codes.push(
            sign_in_from(&s, &address, &phone, "whatever it is")
                .await
                .status()
                .as_u16(),
        );
    }
    assert!(codes.contains(&429), "{codes:?}");
    let r = sign_in_from(&s, "2001:db8:77:2::1", "13600000140", "whatever it is").await;
    assert_eq!(r.status(), 401, "the next /64 is another client");
}

#[tokio::test]
async fn throttle_counts_are_purged_once_they_no_longer_matter() {
    let s = Server::start(&["--trust-proxy"]).await;
    s.travel_to("2030-03-01T09:00:00+08:00").await;
    for i in 0..20 {
        let client = format!("192.0.2.{i}");
        sign_in_from(
            &s,
            &client,
            &format!("1360000015{}", i % 10),
            "whatever it is",
        )
        .await;
    }
    let pool = common::pool(&s.database()).await;
    let count = || async {
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM login_throttle")
            .fetch_one(&pool)
            .await
            .unwrap()
    };
    assert!(count().await >= 20);
    s.travel_to("2030-05-01T09:00:00+08:00").await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while count().await > 0 && std::time::Instant::now() < deadline {
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    assert_eq!(
        count().await,
        0,
        "the sweep purges counts older than they matter"
    );
}

/// A form post of `body` to `path`, as a browser sends it from `origin`.
async fn form_from(s: &Server, origin: &str, path: &str, body: &str) -> reqwest::Response {
    s.client
        .post(s.url(path))
        .header("origin", origin)
        .header("sec-fetch-site", "cross-site")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body.to_string())
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn another_site_cannot_post_the_sign_in_or_sign_up_forms() {
    let s = Server::start(&[]).await;
    common::flow::trainee(&s, 41).await;
    // A page elsewhere signing the visitor in to the attacker's account (login forgery)…
    let password = "%E5%9F%B9%E8%AE%AD+secret+2026";
    let body = format!("phone=13900000041&password={password}");
    let r = form_from(&s, "https://evil.example", "/login", &body).await;
    assert_eq!(r.status(), 403, "a cross-site sign-in is refused");
    assert!(common::cookie(&r, "peixun_session").is_none());
    // …or signing someone up.
    let id = common::id_number("51010419900307042");
    let body =
        format!("phone=13900000042&password={password}&name=%E5%BC%A0%E4%B8%89&id_number={id}");
    let r = form_from(&s, "https://evil.example", "/register", &body).await;
    assert_eq!(r.status(), 403, "a cross-site sign-up is refused");
    let r = s
        .client
        .post(s.url("/api/v1/auth/login"))
        .json(&json!({"phone": "13900000042", "password": common::flow::PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401, "no account was made");
    // The same form from this site works; and JSON without a cookie stays open to other sites,
    // as the open API promises.
    let here = s.base.clone();
    let r = s
        .client
        .post(s.url("/login"))
        .header("origin", &here)
        .header("sec-fetch-site", "same-origin")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("phone=13900000041&password={password}"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303, "{}", r.text().await.unwrap());
    let r = s
        .client
        .post(s.url("/api/v1/eligibility/check"))
        .header("origin", "https://another-government-site.example")
        .json(&json!({"birth_date": "1990-03-07", "groups": []}))
        .send()
        .await
        .unwrap();
    assert_ne!(r.status(), 403, "the open API answers other sites");
}

#[tokio::test]
async fn under_https_the_session_cookie_is_host_only() {
    let s = Server::start(&["--https"]).await;
    let id = common::id_number("51010419900307043");
    assert_eq!(s.register("13900000043", &id).await.status(), 201);
    let r = s
        .client
        .post(s.url("/api/v1/auth/login"))
        .json(&json!({"phone": "13900000043", "password": common::flow::PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let set = r
        .headers()
        .get_all(reqwest::header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .find(|v| v.contains("peixun_session"))
        .expect("a session cookie");
    assert!(set.starts_with("__Host-peixun_session="), "{set}");
    assert!(
        set.contains("; Secure") && set.contains("; Path=/"),
        "{set}"
    );
    assert!(!set.to_ascii_lowercase().contains("domain="), "{set}");
    let token = common::cookie(&r, "__Host-peixun_session").unwrap();
    assert_eq!(s.get_as("/api/v1/me", &token).await.status(), 200);
    // The same token under the plain name (a cookie a neighbouring site could have planted)
    // is nobody's session.
    let planted = token.replacen("__Host-", "", 1);
    assert_eq!(s.get_as("/api/v1/me", &planted).await.status(), 401);
}

#[tokio::test]
async fn signing_in_ends_the_session_it_replaces() {
    let s = Server::start(&[]).await;
    let old = common::flow::trainee(&s, 44).await;
    assert_eq!(s.get_as("/api/v1/me", &old).await.status(), 200);
    // Signing in again from a browser that still carries a session (someone else's, say, on a
    // shared phone, or one planted before sign-in).
    let r = s
        .client
        .post(s.url("/api/v1/auth/login"))
        .header("cookie", &old)
        .json(&json!({"phone": "13900000044", "password": common::flow::PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let new = common::cookie(&r, "peixun_session").unwrap();
    assert_ne!(new, old);
    assert_eq!(
        s.get_as("/api/v1/me", &old).await.status(),
        401,
        "the old session ended"
    );
    assert_eq!(s.get_as("/api/v1/me", &new).await.status(), 200);
}

#[tokio::test]
async fn a_search_is_bounded_in_length_and_in_values_per_filter() {
    let s = Server::start(&[]).await;
    // Sixty short words, each within the limit, are one query over it.
    let words = vec!["q=%E7%94%B5%E5%B7%A5"; 60].join("&");
    let (status, body) = s.get_json(&format!("/api/v1/courses?{words}")).await;
    assert_eq!(status, 400, "{body}");
    assert!(body["error"]["fields"]["q"].is_string(), "{body}");
    let districts = |n: usize| {
        (0..n)
            .map(|i| format!("district=d{i}"))
            .collect::<Vec<_>>()
            .join("&")
    };
    let (status, body) = s
        .get_json(&format!("/api/v1/courses?{}", districts(21)))
        .await;
    assert_eq!(status, 400, "{body}");
    let told = body["error"]["fields"]["district"]
        .as_str()
        .unwrap_or_default();
    assert!(told.contains("20"), "the limit is named: {body}");
    let (status, _) = s
        .get_json(&format!("/api/v1/courses?{}", districts(20)))
        .await;
    assert_eq!(status, 200);
    // The page refuses it with the same words, never a server error.
    let r = s.get(&format!("/courses?{}", districts(500))).await;
    assert!(
        r.status().is_client_error() || r.status() == 200,
        "{}",
        r.status()
    );
    assert!(
        r.text().await.unwrap().contains("最多 20 个"),
        "the limit is told"
    );
}

#[tokio::test]
async fn personal_and_staff_answers_are_never_kept_by_a_cache() {
    let s = Server::demo().await;
    let me = common::flow::trainee(&s, 51).await;
    for path in [
        "/me",
        "/me/enrollments",
        "/courses",
        "/api/v1/me",
        "/api/v1/me/notifications",
        "/api/v1/me/enrollments",
    ] {
        let r = s.get_as(path, &me).await;
        assert_eq!(r.status(), 200, "{path}");
        let cache = r
            .headers()
            .get("cache-control")
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default();
        assert!(cache.contains("no-store"), "{path}: {cache:?}");
    }
    // What anyone may see stays cacheable.
    let r = s.get("/api/v1/courses").await;
    let cache = r.headers().get("cache-control");
    assert!(
        !cache.is_some_and(|v| v.to_str().unwrap().contains("no-store")),
        "{cache:?}"
    );
}

#[tokio::test]
async fn a_refused_sign_up_never_shows_the_identity_number_again() {
    let s = Server::start(&[]).await;
    let id = common::id_number("51010419900307052");
    let body = format!("phone=13900000052&password=short&name=%E5%BC%A0%E4%B8%89&id_number={id}");
    let r = s
        .client
        .post(s.url("/register"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let page = r.text().await.unwrap();
    assert!(
        page.contains("13900000052") || page.contains("139****0052"),
        "the form is kept"
    );
    assert!(!page.contains(&id), "the identity number is echoed");
    assert!(
        !page.contains(&id[..14]),
        "most of the identity number is echoed"
    );
}

/// Signs up with `name`; the status and the answer.
async fn sign_up_named(s: &Server, n: u32, name: &str) -> (u16, serde_json::Value) {
    let phone = format!("1390000{n:04}");
    let code = s.phone_code(&phone, "register").await;
    let r = s
        .client
        .post(s.url("/api/v1/auth/register"))
        .json(&json!({
            "phone": phone,
            "password": common::flow::PASSWORD,
            "name": name,
            "id_number": common::id_number(&format!("51010419900307{:03}", n % 1000)),
            "code": code,
        }))
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.json().await.unwrap())
}

#[tokio::test]
async fn names_in_every_script_pass_and_spoofing_marks_do_not() {
    let s = Server::start(&[]).await;
    // Yi, Tibetan (with its syllable mark), Uyghur, Mongolian in Han with the middle dot.
    for (n, name) in [
        (61, "ꀉꂿꃅꉢ"),
        (62, "བཀྲ་ཤིས་"),
        (63, "ئەخمەت"),
        (64, "巴特尔·额尔敦"),
    ] {
        let (status, body) = sign_up_named(&s, n, name).await;
        assert_eq!(status, 201, "{name}: {body}");
        assert_eq!(body["name"], name);
    }
    // The middle dot's look-alikes are the middle dot.
    for (n, typed) in [
        (65, "阿依・木呷"),
        (66, "阿依•木呷"),
        (67, "阿依．木呷"),
        (68, "阿依‧木呷"),
    ] {
        let (status, body) = sign_up_named(&s, n, typed).await;
        assert_eq!(status, 201, "{typed}: {body}");
        assert_eq!(body["name"], "阿依·木呷", "{typed}");
    }
    // A right-to-left override makes a row in a staff console read as something else.
    for (n, bad) in [
        (69, "张三\u{202E}员务公"),
        (70, "张\u{200B}三"),
        (71, "张三1"),
        (72, "<张三>"),
    ] {
        let (status, body) = sign_up_named(&s, n, bad).await;
        assert_eq!(status, 400, "{bad:?}: {body}");
        assert!(body["error"]["fields"]["name"].is_string(), "{body}");
    }
}

#[cfg(unix)]
#[tokio::test]
async fn the_database_and_its_key_are_readable_by_the_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    if common::postgres_base().is_some() {
        return; // PostgreSQL keeps its own files.
    }
    let s = Server::start(&[]).await;
    common::flow::trainee(&s, 73).await;
    for file in ["peixun.db", "peixun.db-wal", "peixun.key"] {
        let path = s.dir.path().join(file);
        if let Ok(meta) = std::fs::metadata(&path) {
            let mode = meta.permissions().mode() & 0o777;
            assert_eq!(mode & 0o077, 0, "{file} is {mode:o}");
        } else {
            assert_ne!(file, "peixun.db", "no database file");
        }
    }
    // A key file others can read is refused at start, with what to do.
    let dir = s.crash();
    let key = dir.path().join("peixun.key");
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o644)).unwrap();
    let db = common::sqlite_url(dir.path());
    // Every command opens the key as the server does.
    let out = common::create_user_in(
        &db,
        &[
            "--role",
            "hr_officer",
            "--phone",
            "13100000073",
            "--name",
            "成都人社",
            "--city",
            "成都",
        ],
    );
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "started with a readable key: {said}");
    assert!(
        said.contains("peixun.key") && said.contains("600"),
        "{said}"
    );
}

#[tokio::test]
async fn many_people_signing_in_at_once_from_one_address_are_never_refused_for_colliding() {
    // One school's network, a class signing in together: every attempt is counted on the
    // address's one row, and none may be refused because another was counted at that moment.
    let s = Server::start(&[]).await;
    let answers = futures_util::future::join_all((0..150).map(|n| {
        s.client
            .post(s.url("/api/v1/auth/login"))
            .json(&json!({"phone": format!("1370000{n:04}"), "password": "not the password"}))
            .send()
    }))
    .await;
    let codes: Vec<u16> = answers
        .into_iter()
        .map(|r| r.unwrap().status().as_u16())
        .collect();
    assert!(codes.iter().all(|c| *c == 401), "{codes:?}");
}

/// A trainee of `s` who passed E-TEN's assessment: their session.
/// The wallet page as a browser that names `host` and `proto` would get it.
async fn wallet_asked_as(s: &Server, me: &str, host: &str, proto: &str) -> String {
    let r = s
        .client
        .get(s.url("/me/certificates"))
        .header("cookie", me)
        .header("host", host)
        .header("x-forwarded-proto", proto)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    r.text().await.unwrap()
}

#[tokio::test]
async fn the_qr_code_opens_the_portals_public_address_whatever_the_request_says() {
    let s = common::flow::server_with(&["--public-url", "https://px.sc.gov.cn/"]).await;
    let me = common::flow::certified_trainee(&s).await;
    let page = wallet_asked_as(&s, &me, "evil.example", "javascript").await;
    assert!(
        page.contains("https://px.sc.gov.cn/verify?number=PX"),
        "the verification address is the public one"
    );
    assert!(!page.contains("evil.example") && !page.contains("javascript:"));

    // Without --public-url, the address the portal listens on (never the request's Host).
    let s = common::flow::server().await;
    let me = common::flow::certified_trainee(&s).await;
    let page = wallet_asked_as(&s, &me, "evil.example", "https").await;
    assert!(
        !page.contains("evil.example"),
        "the Host header is believed"
    );
    assert!(page.contains(&format!("{}/verify?number=PX", s.base)));
}

#[test]
fn a_public_url_that_is_no_web_address_is_refused_at_start() {
    for bad in [
        "px.sc.gov.cn",
        "ftp://px.sc.gov.cn",
        "https://px.sc.gov.cn/?q=1",
    ] {
        // `timeout`: a server that took it would serve until stopped.
        let out = std::process::Command::new("timeout")
            .args(["20", common::BIN, "serve", "--addr", "127.0.0.1:0"])
            .args(["--public-url", bad])
            .output()
            .unwrap();
        assert!(!out.status.success(), "{bad} accepted");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("--public-url") && !err.contains("unexpected argument"),
            "{bad}: {err}"
        );
    }
}

#[tokio::test]
async fn a_fault_of_ours_shows_a_request_id_the_log_files_its_cause_under() {
    let s = common::flow::server().await;
    let me = common::flow::certified_trainee(&s).await;
    // Storage breaks under the wallet: the certificates' table is gone.
    let pool = common::pool(&s.database()).await;
    sqlx::query("ALTER TABLE certificates RENAME TO certificates_gone")
        .execute(&pool)
        .await
        .unwrap();

    let r = s.get_as("/api/v1/me/certificates", &me).await;
    assert_eq!(r.status(), 500);
    let header = r.headers().get("x-request-id").cloned().unwrap();
    let id = header.to_str().unwrap().to_string();
    assert!(id.len() >= 8, "{id}");
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["error"]["request_id"], id.as_str(), "{body}");
    assert!(!body.to_string().contains("certificates"), "{body}");

    let r = s.get_as("/me/certificates", &me).await;
    assert_eq!(r.status(), 500);
    let page_id = r.headers().get("x-request-id").cloned().unwrap();
    let page_id = page_id.to_str().unwrap().to_string();
    assert_ne!(page_id, id, "each request has its own");
    let page = r.text().await.unwrap();
    assert!(page.contains(&page_id), "the page tells its request id");
    assert!(!page.contains("certificates_gone") && !page.contains("no such table"));

    // The log holds the cause under each id, for whoever is told the id.
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let log = s.log.lock().unwrap().join("\n");
    for id in [&id, &page_id] {
        let line = log
            .lines()
            .find(|l| l.contains(id.as_str()) && l.contains("ERROR"))
            .unwrap_or_else(|| panic!("no error logged under {id}:\n{log}"));
        assert!(line.contains("certificates"), "the cause is logged: {line}");
    }
}

#[tokio::test]
async fn every_page_carries_the_policy_of_its_own_scripts_under_load() {
    let s = Server::demo().await;
    let me = common::flow::trainee(&s, 62).await;
    let pages = [
        "/",
        "/courses",
        "/courses?q=%E7%94%B5%E5%B7%A5",
        "/login",
        "/register",
        "/verify",
        "/me",
        "/me/enrollments",
        "/me/inbox",
        "/no-such-page",
    ];
    let asks = (0..120).map(|i| {
        let (s, me) = (&s, &me);
        let path = pages[i % pages.len()];
        async move {
            let mut ask = s.client.get(s.url(path));
            if i % 2 == 0 {
                ask = ask.header("cookie", me);
            }
            let r = ask.send().await.unwrap();
            let status = r.status().as_u16();
            let csp = r
                .headers()
                .get("content-security-policy")
                .map(|v| v.to_str().unwrap().to_string())
                .unwrap_or_default();
            (path, status, csp, r.text().await.unwrap())
        }
    });
    for (path, status, csp, page) in futures_util::future::join_all(asks).await {
        assert!(status < 500, "{path}: {status}");
        if (300..400).contains(&status) {
            continue;
        }
        let nonce = csp
            .split("'nonce-")
            .nth(1)
            .and_then(|rest| rest.split('\'').next())
            .unwrap_or_else(|| panic!("{path} ({status}) without its CSP: {csp:?}"));
        assert!(
            page.contains(&format!("nonce=\"{nonce}\"")),
            "{path}: the policy's nonce is not its scripts'"
        );
    }
    // Rendered with it the first time: the safeguard's second rendering never needed.
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let log = s.log.lock().unwrap().join("\n");
    assert!(!log.contains("without its CSP"), "{log}");
}

/// Slowloris: a client that sends its headers a line at a time, never finishing, is cut off
/// once the header-read time is up, and the portal goes on serving everyone else.
#[tokio::test]
async fn a_client_that_trickles_its_headers_is_cut_off() {
    use std::io::{Read, Write};
    let s = Server::start(&["--header-read-timeout", "1"]).await;
    let addr = s.base.trim_start_matches("http://").to_string();
    let ended = tokio::task::spawn_blocking(move || {
        let mut stream = std::net::TcpStream::connect(addr).unwrap();
        stream
            .set_read_timeout(Some(std::time::Duration::from_millis(500)))
            .unwrap();
        stream
            .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
            .unwrap();
        let mut buf = [0u8; 256];
        // A header line every half second: each arrives well within the time, the whole never.
        for n in 0..16 {
            if stream
                .write_all(format!("X-Slow-{n}: 1\r\n").as_bytes())
                .is_err()
            {
                return Some(());
            }
            match stream.read(&mut buf) {
                Err(e)
                    if e.kind() == std::io::ErrorKind::WouldBlock
                        || e.kind() == std::io::ErrorKind::TimedOut => {}
                // Closed (or an answer refusing the request): cut off.
                Ok(_) | Err(_) => return Some(()),
            }
        }
        None
    })
    .await
    .unwrap();
    assert!(
        ended.is_some(),
        "still connected after 8 seconds of trickled headers"
    );
    let r = s.client.get(s.url("/healthz")).send().await.unwrap();
    assert_eq!(r.status(), 200, "others are still served");
}

/// A catalogue of `n` classes in Chengdu open to everyone, starting a day apart from
/// 2030-03-01 (so the check lists them in code order), imported into `s`.
fn import_open_classes(s: &Server, n: u32) {
    let header = std::fs::read_to_string(common::fixture("enrolment-catalog.csv")).unwrap();
    let mut csv = header.lines().next().unwrap().to_string();
    let first = chrono::NaiveDate::from_ymd_opt(2030, 3, 1).unwrap();
    for i in 0..n {
        let start = first + chrono::Days::new(u64::from(i));
        let end = start + chrono::Days::new(30);
        csv.push_str(&format!(
            "\nG-{i:03},电工（初级）{i}班,电工,,advanced_manufacturing,510100,武侯区,INST-A,\
             甲职业技能培训学校（测试）,成都测试评价中心,level5,skill_level,night,regular,all,\
             18,60,120,{start},{end},2030-02-20,10,1800.00,1000.00,,成都市武侯区测试路1号,,"
        ));
    }
    common::import_csv(s, &csv, &[]);
}

/// `peixun_eligibility_assessed_total` from the metrics listener.
async fn assessed(s: &Server) -> u64 {
    s.metrics()
        .await
        .lines()
        .find(|l| l.starts_with("peixun_eligibility_assessed_total"))
        .and_then(|l| l.split_whitespace().last())
        .map_or(0, |n| n.parse().unwrap())
}

#[tokio::test]
async fn the_anonymous_check_judges_only_as_many_courses_as_its_page_needs() {
    let s = Server::start(&[]).await;
    import_open_classes(&s, 300);
    let ask = |body: serde_json::Value| {
        let s = &s;
        async move {
            let r = s
                .client
                .post(s.url("/api/v1/eligibility/check"))
                .json(&body)
                .send()
                .await
                .unwrap();
            (
                r.status().as_u16(),
                r.json::<serde_json::Value>().await.unwrap(),
            )
        }
    };
    let codes = |answer: &serde_json::Value| -> Vec<String> {
        answer["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["course"].as_str().unwrap().to_string())
            .collect()
    };
    let person = json!({"birth_date": "1990-03-07", "city": "510100"});
    let with = |page: u32, per_page: u32| {
        let mut body = person.clone();
        body["page"] = json!(page);
        body["per_page"] = json!(per_page);
        body
    };
    let before = assessed(&s).await;
    let (status, first) = ask(with(1, 5)).await;
    assert_eq!(status, 200, "{first}");
    assert_eq!(codes(&first), ["G-000", "G-001", "G-002", "G-003", "G-004"]);
    assert_eq!(
        (first["page"].clone(), first["more"].clone()),
        (json!(1), json!(true))
    );
    let judged = assessed(&s).await - before;
    assert!(
        (6..=100).contains(&judged),
        "a page of 5 judged {judged} of the 300 courses"
    );
    // The next page goes on where the first stopped.
    let (_, second) = ask(with(2, 5)).await;
    assert_eq!(
        codes(&second),
        ["G-005", "G-006", "G-007", "G-008", "G-009"]
    );
    // The last page says there is no more, and how many there were in all.
    let (_, last) = ask(with(6, 50)).await;
    assert_eq!(codes(&last).len(), 50);
    assert_eq!(codes(&last)[49], "G-299");
    assert_eq!(
        (last["more"].clone(), last["total"].clone()),
        (json!(false), json!(300))
    );
    // Pages are bounded: a client cannot ask for more work than the check will do.
    for (page, per_page, field) in [(0, 5, "page"), (1, 51, "per_page"), (21, 50, "page")] {
        let (status, body) = ask(with(page, per_page)).await;
        assert_eq!(status, 400, "{page} × {per_page}: {body}");
        assert!(body["error"]["fields"][field].is_string(), "{body}");
    }
}
