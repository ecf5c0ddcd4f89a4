//! Durability on SQLite (WAL, `synchronous=FULL`): the server is killed with SIGKILL in the
//! middle of a burst of enrolments, restarted on the same file, and every enrolment it had
//! acknowledged (2xx) is still there, the seat count matches the enrolments holding seats, and
//! `PRAGMA integrity_check` is ok. Three rounds, one class each. On PostgreSQL (the suite's
//! second run) the same, less the SQLite-only integrity check.
// A test: a panic is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{id_number, peixun, Server};
use serde_json::{json, Value};
use std::time::Duration;

const PASSWORD: &str = "培训 secret 2026";
const PEOPLE: u32 = 24;

async fn enrol(client: reqwest::Client, url: String, session: String) -> Option<i64> {
    let r = client
        .post(url)
        .header("cookie", session)
        .json(&json!({}))
        .send()
        .await
        .ok()?;
    if !r.status().is_success() {
        return None;
    }
    r.json::<Value>().await.ok()?["id"].as_i64()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn acknowledged_enrolments_survive_a_kill_mid_burst() {
    let mut s = Server::start(&[]).await;
    let fixture = common::fixture("enrolment-catalog.csv");
    let out = peixun(&[
        "import-catalog",
        "--database-url",
        &s.database(),
        fixture.to_str().unwrap(),
    ]);
    assert!(out.status.success());
    let mut sessions = Vec::new();
    for n in 0..PEOPLE {
        let phone = format!("1380000{n:04}");
        let r = s
            .register(&phone, &id_number(&format!("51010419900307{n:03}")))
            .await;
        assert_eq!(r.status(), 201);
        sessions.push(s.login(&phone, PASSWORD).await);
    }

    for (round, code) in ["E-TEN", "E-OPEN1", "E-OPEN2"].into_iter().enumerate() {
        let (acked_tx, mut acked_rx) = tokio::sync::mpsc::unbounded_channel();
        let url = s.url(&format!("/api/v1/courses/{code}/enroll"));
        for (person, session) in sessions.iter().enumerate() {
            let (client, url, session, tx) = (
                s.client.clone(),
                url.clone(),
                session.clone(),
                acked_tx.clone(),
            );
            tokio::spawn(async move {
                if let Some(id) = enrol(client, url, session).await {
                    let _ = tx.send((person, id));
                }
            });
        }
        drop(acked_tx);
        // Kill once a few have been acknowledged: the rest are in flight or not yet sent.
        let mut acked = Vec::new();
        while acked.len() < 4 {
            match tokio::time::timeout(Duration::from_secs(30), acked_rx.recv()).await {
                Ok(Some(a)) => acked.push(a),
                _ => break,
            }
        }
        let dir = s.crash();
        // Answers that arrived before the kill count too.
        while let Ok(a) = acked_rx.try_recv() {
            acked.push(a);
        }
        assert!(!acked.is_empty(), "round {round}: nothing was acknowledged");

        s = Server::start_in(dir, &[]).await;
        for (person, id) in &acked {
            let r = s.get_as("/api/v1/me/enrollments", &sessions[*person]).await;
            assert_eq!(
                r.status(),
                200,
                "round {round}: the session survived the restart"
            );
            let mine: Value = r.json().await.unwrap();
            assert!(
                mine["items"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|e| e["id"] == *id),
                "round {round}: acknowledged enrolment {id} of person {person} lost"
            );
        }
        let pool = common::pool(&s.database()).await;
        if s.database().starts_with("sqlite:") {
            let check: String = sqlx::query_scalar("PRAGMA integrity_check")
                .fetch_one(&pool)
                .await
                .unwrap();
            assert_eq!(check, "ok", "round {round}");
        }
        let (taken, holding): (i64, i64) = sqlx::query_as(
            "SELECT seats_taken, (SELECT COUNT(*) FROM enrollments WHERE course_code = $1 AND holds_seat = 1) \
             FROM courses WHERE code = $1",
        )
        .bind(code)
        .fetch_one(&pool)
        .await
        .unwrap();
        assert_eq!(
            taken, holding,
            "round {round}: seat count and enrolments agree"
        );
        pool.close().await;
    }
}
