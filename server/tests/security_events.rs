//! Security events for the record (issue 15): sign-ins, failures, locks, accounts made and
//! every audit-trail write, as JSON lines on the server's standard output under the request's
//! id, for the deployment's log collector. Never a phone, a password or an identity number.
// A test: a panic is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::flow::{enroll, my_enrollment, server, server_with, trainee, PASSWORD};
use common::Server;
use serde_json::{json, Value};

/// Signs in as `phone`: the status and the request id the answer carries.
async fn sign_in(s: &Server, phone: &str, password: &str) -> (u16, String) {
    let r = s
        .client
        .post(s.url("/api/v1/auth/login"))
        .json(&json!({"phone": phone, "password": password}))
        .send()
        .await
        .unwrap();
    let id = r.headers()["x-request-id"].to_str().unwrap().to_string();
    (r.status().as_u16(), id)
}

/// The one event `name` logged under request `id`.
async fn event_of(s: &Server, name: &str, id: &str) -> Value {
    let found = s
        .events_until(|all| {
            all.iter()
                .any(|e| e["event"] == name && e["span"]["request_id"] == id)
        })
        .await;
    let mut of: Vec<Value> = found
        .into_iter()
        .filter(|e| e["event"] == name && e["span"]["request_id"] == id)
        .collect();
    assert_eq!(of.len(), 1, "one {name} under {id}: {of:?}");
    of.remove(0)
}

#[tokio::test]
async fn sign_ins_and_their_failures_are_logged_under_their_request_and_never_name_the_phone() {
    let s = server().await;
    let _ = trainee(&s, 71).await;
    let phone = "13900000071";

    let (status, wrong) = sign_in(&s, phone, "wrong password 1").await;
    assert_eq!(status, 401);
    let (status, right) = sign_in(&s, phone, PASSWORD).await;
    assert_eq!(status, 200);
    let failed = event_of(&s, "sign_in_failed", &wrong).await;
    let signed = event_of(&s, "sign_in", &right).await;
    assert_eq!(failed["reason"], "password");
    assert!(failed["account"].is_i64(), "{failed}");
    assert_eq!(failed["account"], signed["account"], "the same account");
    assert_eq!(signed["role"], "trainee");
    for e in [&failed, &signed] {
        assert_eq!(e["target"], "security");
        assert_eq!(e["client"], "127.0.0.1", "{e}");
        assert!(e["timestamp"].is_string(), "{e}");
    }

    // A phone no one has: the same unknown phone is one reference, another is another.
    let (_, a) = sign_in(&s, "13900000999", "guess 1").await;
    let (_, b) = sign_in(&s, "13900000999", "guess 2").await;
    let (_, c) = sign_in(&s, "13900000998", "guess 3").await;
    let [a, b, c] = [
        event_of(&s, "sign_in_failed", &a).await,
        event_of(&s, "sign_in_failed", &b).await,
        event_of(&s, "sign_in_failed", &c).await,
    ];
    assert_eq!(a["reason"], "no_account");
    assert!(a.get("account").is_none(), "{a}");
    assert!(a["phone_ref"].is_string(), "{a}");
    assert_eq!(a["phone_ref"], b["phone_ref"]);
    assert_ne!(a["phone_ref"], c["phone_ref"]);

    let all = serde_json::to_string(&*s.events.lock().unwrap()).unwrap();
    let id = common::id_number("51010419900307071");
    for secret in [
        phone,
        "13900000999",
        "wrong password 1",
        "guess 1",
        PASSWORD,
        &id,
    ] {
        assert!(!all.contains(secret), "{secret} in the security log");
    }
}

#[tokio::test]
async fn a_lock_is_logged_when_it_starts_and_each_attempt_it_refuses() {
    let s = server().await;
    let _ = trainee(&s, 72).await;
    let phone = "13900000072";
    let mut last = (0, String::new());
    for n in 0..5 {
        last = sign_in(&s, phone, &format!("wrong password {n}")).await;
    }
    assert_eq!(last.0, 429, "the fifth failure locks");
    let locked = event_of(&s, "sign_in_locked", &last.1).await;
    assert!(locked["account"].is_i64(), "{locked}");
    assert!(locked["retry_after_secs"].as_i64().unwrap() > 0, "{locked}");

    let (status, refused) = sign_in(&s, phone, PASSWORD).await;
    assert_eq!(status, 429);
    let refused = event_of(&s, "sign_in_failed", &refused).await;
    assert_eq!(refused["reason"], "locked");
    assert_eq!(refused["account"], locked["account"]);
}

#[tokio::test]
async fn a_client_over_its_sign_in_limit_is_logged() {
    let s = server_with(&["--login-attempts-per-minute", "3"]).await;
    let mut last = (0, String::new());
    for n in 0..4 {
        last = sign_in(&s, "13900000999", &format!("guess {n}")).await;
    }
    assert_eq!(last.0, 429);
    let throttled = event_of(&s, "client_throttled", &last.1).await;
    assert_eq!(throttled["client"], "127.0.0.1");
    assert!(throttled["retry_after_secs"].as_i64().unwrap() > 0);
}

#[tokio::test]
async fn every_audit_trail_write_is_logged_without_its_values() {
    let s = server().await;
    let _ = common::flow::certified_trainee(&s).await;
    let pool = common::pool(&s.database()).await;
    // The catalogue's import was the command line's (its events went to its standard error).
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT record, action FROM audit_writes WHERE actor_role <> 'operator' ORDER BY id",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert!(rows.len() >= 3, "the flow writes the trail: {rows:?}");
    let changed = |all: &[Value]| -> Vec<(String, String)> {
        all.iter()
            .filter(|e| e["event"] == "record_changed")
            .map(|e| {
                let text = |k: &str| e[k].as_str().unwrap_or_default().to_string();
                (text("record"), text("action"))
            })
            .collect()
    };
    let all = s.events_until(|all| changed(all).len() >= rows.len()).await;
    assert_eq!(changed(&all), rows, "one event for each write, in order");
    for e in all.iter().filter(|e| e["event"] == "record_changed") {
        for kept_out in ["before", "after", "before_value", "after_value"] {
            assert!(e.get(kept_out).is_none(), "{e}");
        }
        assert!(e["actor_role"].is_string(), "{e}");
        assert!(
            e["span"]["request_id"].is_string(),
            "made by a request: {e}"
        );
    }
}

/// A write that is not kept is not reported: a dry run that would give a waiting trainee the
/// new seat of a raised class writes the trail in its transaction, then rolls it back.
#[tokio::test]
async fn a_write_rolled_back_is_never_logged_as_made() {
    let s = server().await;
    s.travel_to_day("2030-02-01").await;
    let (first, second) = (trainee(&s, 81).await, trainee(&s, 82).await);
    assert_eq!(enroll(&s, "E-ONE", &first).await.1["status"], "approved");
    assert_eq!(enroll(&s, "E-ONE", &second).await.1["status"], "waitlisted");
    let raised = common::edited_fixture(common::e_one_with_two_seats);
    let changed = |out: &std::process::Output| {
        String::from_utf8_lossy(&out.stderr)
            .lines()
            .filter(|l| l.contains("\"record_changed\""))
            .map(str::to_string)
            .collect::<Vec<_>>()
    };

    let checked = common::import_csv(&s, &raised, &["--dry-run"]);
    assert_eq!(changed(&checked), Vec::<String>::new());
    assert_eq!(
        my_enrollment(&s, &second, "E-ONE").await["status"],
        "waitlisted"
    );

    let imported = common::import_csv(&s, &raised, &[]);
    let events = changed(&imported);
    assert!(
        events.iter().any(|e| e.contains("\"enrollment:")),
        "the seat given is reported once kept: {events:?}"
    );
    assert_eq!(
        my_enrollment(&s, &second, "E-ONE").await["status"],
        "approved"
    );
}

#[tokio::test]
async fn accounts_made_by_sign_up_and_on_the_command_line_are_logged_with_their_role() {
    let s = server().await;
    let r = s
        .register("13900000073", &common::id_number("51010419900307073"))
        .await;
    assert_eq!(r.status(), 201);
    let id = r.headers()["x-request-id"].to_str().unwrap().to_string();
    let made = event_of(&s, "account_created", &id).await;
    assert_eq!(made["role"], "trainee");
    assert_eq!(made["via"], "sign_up");

    // The command line's standard output is its own answer: its events go to standard error.
    let out = common::create_user_in(
        &s.database(),
        &[
            "--role",
            "hr_officer",
            "--phone",
            "13100000077",
            "--name",
            "人社专员",
            "--city",
            "510100",
        ],
    );
    assert!(out.status.success(), "{out:?}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(!stdout.contains("account_created"), "{stdout}");
    let made: Vec<Value> = String::from_utf8_lossy(&out.stderr)
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter(|e| e["event"] == "account_created")
        .collect();
    assert_eq!(made.len(), 1, "{out:?}");
    assert_eq!(made[0]["role"], "hr_officer");
    assert_eq!(made[0]["scope"], "510100");
    assert_eq!(made[0]["via"], "command_line");
    assert!(!made[0].to_string().contains("13100000077"));
}
