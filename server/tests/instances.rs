//! Two portal instances on one database, as the province runs them behind a load balancer:
//! an account made on one signs in on the other, a session is valid on both, a lock-out
//! earned on one holds on the other, and people pressing 报名 on both at once never buy more
//! seats than the class has. Runs on SQLite (two processes on one file) and, in the suite's
//! second run, on PostgreSQL.
// A test: a panic is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{id_number, peixun, Server};
use serde_json::{json, Value};

const PASSWORD: &str = "培训 secret 2026";
const PEOPLE: u32 = 24;

async fn post(s: &Server, path: &str, session: Option<&str>, body: Value) -> (u16, Value) {
    let mut request = s.client.post(s.url(path)).json(&body);
    if let Some(cookie) = session {
        request = request.header("cookie", cookie);
    }
    let r = request.send().await.unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_instances_share_accounts_sessions_locks_and_seats() {
    let a = Server::start(&[]).await;
    let fixture = common::fixture("enrolment-catalog.csv");
    let out = peixun(&[
        "import-catalog",
        "--database-url",
        &a.database(),
        fixture.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let b = Server::beside(&a, &[]).await;
    let instances = [&a, &b];

    // Each person signs up on one instance and signs in on the other.
    let mut sessions = Vec::new();
    for n in 0..PEOPLE {
        let (up, down) = (instances[n as usize % 2], instances[(n as usize + 1) % 2]);
        let phone = format!("1390000{n:04}");
        let r = up
            .register(&phone, &id_number(&format!("51010419900307{n:03}")))
            .await;
        assert_eq!(r.status(), 201, "sign-up {n} on one instance");
        sessions.push(down.login(&phone, PASSWORD).await);
    }

    // A session made on one instance is valid on the other, and signing out on one ends it
    // on both.
    let first = &sessions[0];
    for s in instances {
        let r = s.get_as("/api/v1/me", first).await;
        assert_eq!(r.status(), 200);
        let me: Value = r.json().await.unwrap();
        assert_eq!(me["phone"], "139****0000");
    }
    let (status, _) = post(&a, "/api/v1/auth/logout", Some(first), json!({})).await;
    assert_eq!(status, 204);
    assert_eq!(b.get_as("/api/v1/me", first).await.status(), 401);
    sessions[0] = b.login("13900000000", PASSWORD).await;

    // Failed sign-ins count on both: four on alternate instances, the fifth is refused.
    let wrong = json!({"phone": "13900000001", "password": "not the password"});
    for n in 0..4 {
        let (status, _) = post(instances[n % 2], "/api/v1/auth/login", None, wrong.clone()).await;
        assert_eq!(status, 401, "attempt {n}");
    }
    let (status, _) = post(&b, "/api/v1/auth/login", None, wrong).await;
    assert_eq!(
        status, 429,
        "the fifth failure, on the other instance, locks the phone"
    );
    let right = json!({"phone": "13900000001", "password": PASSWORD});
    let (status, _) = post(&a, "/api/v1/auth/login", None, right).await;
    assert_eq!(status, 429, "the lock holds on the first instance too");

    // Everyone presses 报名 on a ten-seat class at once, half on each instance.
    let answers = futures_util::future::join_all(sessions.iter().enumerate().map(|(n, c)| {
        post(
            instances[n % 2],
            "/api/v1/courses/E-TEN/enroll",
            Some(c),
            json!({}),
        )
    }))
    .await;
    let mut approved = 0;
    let mut positions = Vec::new();
    for (status, body) in &answers {
        assert_eq!(*status, 201, "{body}");
        match body["status"].as_str().unwrap() {
            "approved" => approved += 1,
            "waitlisted" => positions.push(body["waitlist_position"].as_u64().unwrap()),
            other => panic!("unexpected status {other}"),
        }
    }
    positions.sort_unstable();
    assert_eq!(
        approved, 10,
        "exactly the capacity is sold across both instances"
    );
    assert_eq!(
        positions,
        (1..=u64::from(PEOPLE) - 10).collect::<Vec<u64>>(),
        "one waiting list, no gaps, no repeats"
    );
    for s in instances {
        let (_, course) = s.get_json("/api/v1/courses/E-TEN").await;
        assert_eq!(course["seats_left"], 0);
    }

    // A cancellation on one instance promotes the head of the waiting list, seen on the other.
    let holder = answers
        .iter()
        .position(|(_, body)| body["status"] == "approved")
        .unwrap();
    let head = answers
        .iter()
        .position(|(_, body)| body["waitlist_position"] == 1)
        .unwrap();
    let id = answers[holder].1["id"].as_i64().unwrap();
    let (status, _) = post(
        &b,
        &format!("/api/v1/me/enrollments/{id}/cancel"),
        Some(&sessions[holder]),
        json!({}),
    )
    .await;
    assert_eq!(status, 200);
    let r = a.get_as("/api/v1/me/enrollments", &sessions[head]).await;
    let mine: Value = r.json().await.unwrap();
    assert_eq!(mine["items"][0]["status"], "approved", "{mine}");
}
