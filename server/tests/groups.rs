//! Verified groups (fund integrity I, item 1): a group that brings money or entry counts only
//! once the HR officer of the city where the person lives has verified its evidence. Runs on
//! SQLite and, under `make unit-postgres`, on PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::flow::{enroll, failed_rules, flow, get, my_enrollment, post, seats_left, trainee};
use common::{create_user, Server, STAFF_PASSWORD};
use serde_json::{json, Value};

async fn put_groups(s: &Server, me: &str, body: Value) -> (u16, Value) {
    let r = s
        .client
        .put(s.url("/api/v1/me/groups"))
        .header("cookie", me)
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

/// Declares `group` with its document, living in Chengdu, with consent.
async fn declare(s: &Server, me: &str, group: &str, number: &str) -> Value {
    let (status, body) = put_groups(
        s,
        me,
        json!({"groups": [group], "evidence": {group: {"number": number}},
               "city": "510100", "consent": true}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    body
}

async fn my_groups(s: &Server, me: &str) -> Value {
    let (status, body) = get(s, "/api/v1/me/groups", me).await;
    assert_eq!(status, 200, "{body}");
    body["items"].clone()
}

/// The id of the one group claim the HR officer sees waiting.
async fn waiting_claim(s: &Server, hr: &str) -> i64 {
    let (status, queue) = get(s, "/api/v1/staff/group-claims?status=declared", hr).await;
    assert_eq!(status, 200, "{queue}");
    assert_eq!(queue["total"], 1, "{queue}");
    queue["items"][0]["id"].as_i64().unwrap()
}

async fn decide(s: &Server, hr: &str, id: i64, body: Value) -> (u16, Value) {
    post(
        s,
        &format!("/api/v1/staff/group-claims/{id}/decision"),
        hr,
        body,
    )
    .await
}

fn fields(body: &Value) -> Vec<String> {
    body["error"]["fields"]
        .as_object()
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default()
}

#[tokio::test]
async fn a_declaration_needs_its_evidence_the_city_and_separate_consent() {
    let f = flow().await;
    let me = trainee(&f.s, 11).await;
    let (status, body) = put_groups(&f.s, &me, json!({"groups": ["poverty_monitored"]})).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(
        fields(&body),
        ["city", "consent", "evidence.poverty_monitored"],
        "{body}"
    );
    let (status, body) = put_groups(
        &f.s,
        &me,
        json!({"groups": ["veteran"], "evidence": {"veteran": {"type": "diploma", "number": "X1"}},
               "city": "510100", "consent": true}),
    )
    .await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(
        fields(&body),
        ["evidence.veteran.number", "evidence.veteran.type"],
        "the group's own document, and a plausible number: {body}"
    );
    assert_eq!(my_groups(&f.s, &me).await, json!([]), "nothing half-saved");
    // Groups that bring neither money nor entry need no evidence and no consent.
    let (status, body) = put_groups(&f.s, &me, json!({"groups": ["youth"]})).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        my_groups(&f.s, &me).await,
        json!([{"group": "youth", "status": "declared", "reason": null, "evidence": null,
                "evidence_number": null, "needs_verification": false}])
    );
}

#[tokio::test]
async fn a_declared_group_adds_nothing_until_verified_then_the_allowance_follows_the_days() {
    let f = flow().await;
    // Both declare the poverty-monitored group; only the second one's is verified.
    let waiting = trainee(&f.s, 21).await;
    declare(&f.s, &waiting, "poverty_monitored", "JC-5101-2026-0021").await;
    assert_eq!(
        my_groups(&f.s, &waiting).await[0]["status"],
        "declared",
        "awaiting verification"
    );
    let page =
        f.s.get_as("/courses/S-WELD", &waiting)
            .await
            .text()
            .await
            .unwrap();
    assert!(page.contains("待核验"), "the course page says it waits");
    let id = waiting_claim(&f.s, &f.hr).await;

    // Another city's officer neither sees nor decides it; a trainee may not either.
    let (_, elsewhere) = get(
        &f.s,
        "/api/v1/staff/group-claims?status=declared",
        &f.hr_elsewhere,
    )
    .await;
    assert_eq!(elsewhere["total"], 0, "{elsewhere}");
    let (status, _) = decide(&f.s, &f.hr_elsewhere, id, json!({"decision": "verify"})).await;
    assert_eq!(status, 404);
    let (status, _) = decide(&f.s, &waiting, id, json!({"decision": "verify"})).await;
    assert_eq!(status, 403);

    let certificate = f.certificate(&waiting, "S-WELD", false, None).await;
    let (status, claim) = f.claim(&waiting, certificate).await;
    assert_eq!(status, 201, "{claim}");
    assert_eq!(claim["amount_yuan"], "960.00", "no allowance: {claim}");
    assert_eq!(claim["breakdown"]["groups"], json!([]));
    assert_eq!(claim["breakdown"]["living_allowance_yuan"], "0.00");

    let verified = trainee(&f.s, 22).await;
    declare(&f.s, &verified, "poverty_monitored", "JC-5101-2026-0022").await;
    let (_, queue) = get(&f.s, "/api/v1/staff/group-claims?status=declared", &f.hr).await;
    let item = queue["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["evidence_number"].as_str().unwrap().ends_with("0022"))
        .cloned()
        .unwrap();
    assert_eq!(item["group"], "poverty_monitored");
    assert_eq!(item["evidence_type"], "poverty_monitoring_record");
    assert_eq!(item["person"], "测试**", "masked: {item}");
    assert!(
        !item["evidence_number"]
            .as_str()
            .unwrap()
            .contains("5101-2026"),
        "the document number is masked: {item}"
    );
    assert_eq!(item["consent_version"], "2026-12-01");
    let (status, decided) = decide(
        &f.s,
        &f.hr,
        item["id"].as_i64().unwrap(),
        json!({"decision": "verify"}),
    )
    .await;
    assert_eq!(status, 200, "{decided}");
    assert_eq!(decided["status"], "verified");
    assert_eq!(my_groups(&f.s, &verified).await[0]["status"], "verified");
    let certificate = f.certificate(&verified, "S-WELD", false, None).await;
    let (status, claim) = f.claim(&verified, certificate).await;
    assert_eq!(status, 201, "{claim}");
    assert_eq!(
        claim["amount_yuan"], "1010.00",
        "960 + one attended day's 50: {claim}"
    );
    assert_eq!(claim["breakdown"]["groups"], json!(["poverty_monitored"]));
    assert_eq!(claim["breakdown"]["attended_days"], 1);
}

#[tokio::test]
async fn a_group_only_application_waits_without_a_seat_until_verification() {
    let f = flow().await;
    let seats = seats_left(&f.s, "E-VET").await;
    let me = trainee(&f.s, 31).await;
    declare(&f.s, &me, "veteran", "TY-2019-000031").await;
    let page =
        f.s.get_as("/courses/E-VET", &me)
            .await
            .text()
            .await
            .unwrap();
    assert!(
        page.contains("待核验") && page.contains("提交报名（群体身份核验后确认）"),
        "the course page offers to apply"
    );
    let (status, applied) = enroll(&f.s, "E-VET", &me).await;
    assert_eq!(status, 201, "{applied}");
    assert_eq!(applied["status"], "applied", "waits for verification");
    assert_eq!(seats_left(&f.s, "E-VET").await, seats, "holds no seat");

    // Without a declaration the class stays closed to them.
    let other = trainee(&f.s, 32).await;
    let (status, refused) = enroll(&f.s, "E-VET", &other).await;
    assert_eq!(status, 422, "{refused}");
    assert_eq!(failed_rules(&refused), ["group"]);

    let id = waiting_claim(&f.s, &f.hr).await;
    let (status, _) = decide(&f.s, &f.hr, id, json!({"decision": "verify"})).await;
    assert_eq!(status, 200);
    let (status, again) = decide(&f.s, &f.hr, id, json!({"decision": "verify"})).await;
    assert_eq!(status, 409, "decided once: {again}");
    let enrolment = my_enrollment(&f.s, &me, "E-VET").await;
    assert_eq!(enrolment["status"], "approved", "decided at verification");
    assert_eq!(seats_left(&f.s, "E-VET").await, seats - 1);
    let (_, inbox) = get(&f.s, "/api/v1/me/notifications", &me).await;
    let texts: Vec<&str> = inbox["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["message"].as_str().unwrap())
        .collect();
    assert!(
        texts.iter().any(|t| t.contains("已核验")),
        "told of the verification: {texts:?}"
    );
    assert!(
        texts.contains(&"您申报的群体身份：已核验"),
        "the inbox does not name the group: {texts:?}"
    );

    // A rejected group: its application is decided too, and the same document is not taken
    // again.
    let third = trainee(&f.s, 33).await;
    declare(&f.s, &third, "veteran", "TY-2019-000033").await;
    let (status, applied) = enroll(&f.s, "E-VET", &third).await;
    assert_eq!((status, applied["status"].as_str()), (201, Some("applied")));
    let id = waiting_claim(&f.s, &f.hr).await;
    let (status, body) = decide(&f.s, &f.hr, id, json!({"decision": "reject"})).await;
    assert_eq!(status, 400, "a rejection needs a reason: {body}");
    assert_eq!(fields(&body), ["reason"]);
    let (status, _) = decide(
        &f.s,
        &f.hr,
        id,
        json!({"decision": "reject", "reason": "退役证号与退役军人信息系统不符"}),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        my_groups(&f.s, &third).await,
        json!([{"group": "veteran", "status": "rejected",
                "reason": "退役证号与退役军人信息系统不符", "evidence": "veteran_certificate",
                "evidence_number": "**********0033", "needs_verification": true}])
    );
    let enrolment = my_enrollment(&f.s, &third, "E-VET").await;
    assert_eq!(enrolment["status"], "rejected", "{enrolment}");
    assert!(
        enrolment["reason"].as_str().unwrap().contains("未通过核验"),
        "{enrolment}"
    );
    assert_eq!(seats_left(&f.s, "E-VET").await, seats - 1);
    let (status, body) = put_groups(
        &f.s,
        &third,
        json!({"groups": ["veteran"], "evidence": {"veteran": {"number": "ty-2019-000033 "}},
               "city": "510100", "consent": true}),
    )
    .await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(fields(&body), ["evidence.veteran.number"]);
    assert!(body["error"]["fields"]["evidence.veteran.number"]
        .as_str()
        .unwrap()
        .contains("未通过核验"));
    declare(&f.s, &third, "veteran", "TY-2020-100033").await;
    assert_eq!(my_groups(&f.s, &third).await[0]["status"], "declared");
}

#[tokio::test]
async fn moving_city_sends_verified_groups_back_and_every_step_is_in_the_trail() {
    let f = flow().await;
    let me = trainee(&f.s, 41).await;
    declare(&f.s, &me, "veteran", "TY-2019-000041").await;
    let id = waiting_claim(&f.s, &f.hr).await;
    let (status, _) = decide(&f.s, &f.hr, id, json!({"decision": "verify"})).await;
    assert_eq!(status, 200);

    // They move to Mianyang: its officer verifies again, Chengdu's no longer sees it.
    let (status, body) = put_groups(
        &f.s,
        &me,
        json!({"groups": ["veteran"], "city": "510700", "consent": true}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(my_groups(&f.s, &me).await[0]["status"], "declared");
    let (_, chengdu) = get(&f.s, "/api/v1/staff/group-claims?status=declared", &f.hr).await;
    assert_eq!(chengdu["total"], 0, "{chengdu}");
    assert_eq!(waiting_claim(&f.s, &f.hr_elsewhere).await, id);
    let (status, refused) = enroll(&f.s, "E-VET", &me).await;
    assert_eq!((status, refused["status"].as_str()), (201, Some("applied")));

    // Removing the group ends what it gave: the waiting application is decided.
    let (status, body) = put_groups(&f.s, &me, json!({"groups": []})).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(my_groups(&f.s, &me).await, json!([]));
    let (_, all) = get(&f.s, "/api/v1/me/enrollments", &me).await;
    assert_eq!(all["items"][0]["status"], "rejected", "{all}");

    // The write trail names each step, never the group itself.
    create_user(
        &f.s,
        &[
            "--role",
            "admin",
            "--phone",
            "13100000009",
            "--name",
            "管理员",
        ],
    );
    let admin = f.s.login("13100000009", STAFF_PASSWORD).await;
    let (status, trail) = get(
        &f.s,
        &format!("/api/v1/staff/audit?record=group_claim:{id}&per_page=100"),
        &admin,
    )
    .await;
    assert_eq!(status, 200, "{trail}");
    let steps: Vec<(String, String, String)> = trail["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["action"].as_str().unwrap().to_string(),
                e["actor_role"].as_str().unwrap().to_string(),
                format!(
                    "{}→{}",
                    e["before"].as_str().unwrap_or("-"),
                    e["after"].as_str().unwrap_or("-")
                ),
            )
        })
        .collect();
    let expected: Vec<(String, String, String)> = [
        ("group_declared", "trainee", "-→declared"),
        ("group_verification", "hr_officer", "declared→verified"),
        ("residence_city", "trainee", "verified→declared"),
        ("group_removed", "trainee", "declared→removed"),
    ]
    .iter()
    .map(|(a, r, c)| (a.to_string(), r.to_string(), c.to_string()))
    .collect();
    let mut sorted = steps.clone();
    sorted.sort_by_key(|s| expected.iter().position(|e| e == s));
    assert_eq!(sorted, expected, "{trail}");
    assert!(!trail.to_string().contains("veteran"), "{trail}");
}

#[tokio::test]
async fn groups_and_their_evidence_are_sealed_at_rest() {
    let s = Server::start(&[]).await;
    let me = trainee(&s, 51).await;
    declare(&s, &me, "disabled", "CJ51010419900307051").await;
    let pool = common::pool(&s.database()).await;
    let clear: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE groups != ''")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(clear, 0);
    drop(pool);
    let secrets = ["CJ51010419900307051", "disabled", "disability_certificate"];
    for entry in std::fs::read_dir(s.dir.path()).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() && !path.ends_with("peixun.key") {
            let bytes = std::fs::read(&path).unwrap();
            for secret in secrets {
                assert!(
                    !bytes.windows(secret.len()).any(|w| w == secret.as_bytes()),
                    "{secret} in clear in {}",
                    path.display()
                );
            }
        }
    }
    if common::postgres_base().is_some() {
        let pool = common::pool(&s.database()).await;
        for table in ["users", "group_claims", "audit_writes", "notifications"] {
            for secret in secrets {
                let found: i64 = sqlx::query_scalar(&format!(
                    "SELECT COUNT(*) FROM {table} t WHERE strpos(CAST(row_to_json(t) AS text), $1) > 0"
                ))
                .bind(secret)
                .fetch_one(&pool)
                .await
                .unwrap();
                assert_eq!(found, 0, "{secret} in clear in {table}");
            }
        }
    }
}

#[tokio::test]
async fn groups_saved_before_verification_existed_now_wait_for_it() {
    let s = Server::start(&[]).await;
    let me = trainee(&s, 61).await;
    let pool = common::pool(&s.database()).await;
    sqlx::query("UPDATE users SET groups = ';veteran;youth;' WHERE role = 'trainee'")
        .execute(&pool)
        .await
        .unwrap();
    pool.close().await;
    let dir = s.crash();
    let s = Server::start_in(dir, &[]).await;
    let me = {
        let _ = me;
        s.login("13900000061", common::flow::PASSWORD).await
    };
    let groups = my_groups(&s, &me).await;
    let statuses: Vec<(&str, &str)> = groups
        .as_array()
        .unwrap()
        .iter()
        .map(|g| (g["group"].as_str().unwrap(), g["status"].as_str().unwrap()))
        .collect();
    assert_eq!(statuses, [("veteran", "declared"), ("youth", "declared")]);
    let pool = common::pool(&s.database()).await;
    let clear: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE groups != ''")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(clear, 0, "sealed, and the clear column emptied");
}
