//! Eligibility and enrolment over real HTTP against a spawned server on a temporary SQLite
//! file: seats under concurrency, the waiting list, each rule's refusal, privacy between
//! trainees, and the institution console's scope.
// A test: a panic is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::flow::*;
use common::{create_user, peixun, Server, STAFF_PASSWORD};
use serde_json::{json, Value};

#[tokio::test]
async fn sixty_people_press_enrol_on_ten_seats_at_once() {
    let s = server().await;
    let mut sessions = Vec::new();
    for n in 0..60 {
        sessions.push(trainee(&s, n).await);
    }
    let answers =
        futures_util::future::join_all(sessions.iter().map(|c| enroll(&s, "E-TEN", c))).await;
    let mut approved = 0;
    let mut positions = Vec::new();
    for (status, body) in &answers {
        assert_eq!(*status, 201, "{body}");
        match body["status"].as_str().unwrap() {
            "approved" => {
                approved += 1;
                assert!(body.get("waitlist_position").is_none());
            }
            "waitlisted" => positions.push(body["waitlist_position"].as_u64().unwrap()),
            other => panic!("unexpected status {other}"),
        }
    }
    positions.sort_unstable();
    assert_eq!(approved, 10, "exactly the capacity is sold");
    assert_eq!(
        positions,
        (1..=50).collect::<Vec<u64>>(),
        "waiting list 1..50, no gaps, no repeats"
    );
    assert_eq!(seats_left(&s, "E-TEN").await, 0);

    // One approved person cancels: position 1 is promoted in the same step.
    let first_waiting = answers
        .iter()
        .position(|(_, b)| b["waitlist_position"] == 1)
        .unwrap();
    let second_waiting = answers
        .iter()
        .position(|(_, b)| b["waitlist_position"] == 2)
        .unwrap();
    let leaver = answers
        .iter()
        .position(|(_, b)| b["status"] == "approved")
        .unwrap();
    let id = answers[leaver].1["id"].as_i64().unwrap();
    let (status, cancelled) = post(
        &s,
        &format!("/api/v1/me/enrollments/{id}/cancel"),
        &sessions[leaver],
        json!({}),
    )
    .await;
    assert_eq!(status, 200, "{cancelled}");
    assert_eq!(cancelled["status"], "cancelled");
    let promoted = my_enrollment(&s, &sessions[first_waiting], "E-TEN").await;
    assert_eq!(promoted["status"], "approved");
    let steps: Vec<&str> = promoted["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["status"].as_str().unwrap())
        .collect();
    assert_eq!(steps, ["waitlisted", "approved"]);
    assert_eq!(promoted["timeline"][1]["actor"], "system");
    let next = my_enrollment(&s, &sessions[second_waiting], "E-TEN").await;
    assert_eq!(next["waitlist_position"], 1, "everyone moves up one");
    assert_eq!(
        seats_left(&s, "E-TEN").await,
        0,
        "the freed seat was taken by the promotion"
    );

    // The promoted person is told, and the header counts it unread.
    let (_, inbox) = get(&s, "/api/v1/me/notifications", &sessions[first_waiting]).await;
    assert_eq!(inbox["unread"], 2);
    assert_eq!(inbox["items"][0]["status"], "approved");
    assert!(inbox["items"][0]["message"]
        .as_str()
        .unwrap()
        .contains("已录取"));
    assert!(inbox["items"][1]["message_en"]
        .as_str()
        .unwrap()
        .contains("waiting list"));
    let (status, _) = post(
        &s,
        "/api/v1/me/notifications/read",
        &sessions[first_waiting],
        json!({}),
    )
    .await;
    assert_eq!(status, 204);
    let (_, inbox) = get(&s, "/api/v1/me/notifications", &sessions[first_waiting]).await;
    assert_eq!(inbox["unread"], 0);
}

#[tokio::test]
async fn each_rule_refuses_with_its_reason() {
    let s = server().await;
    let me = trainee(&s, 1).await;

    let (status, body) = enroll(&s, "E-VET", &me).await;
    assert_eq!(status, 422);
    assert_eq!(body["error"]["code"], "not_eligible");
    assert_eq!(failed_rules(&body), ["group"]);
    assert!(reason(&body, "group")["message"]
        .as_str()
        .unwrap()
        .contains("退役军人"));
    assert!(reason(&body, "group")["message_en"]
        .as_str()
        .unwrap()
        .contains("Veterans"));

    // Born 1990-03-07: 39 on 2030-03-01, over the limit of 30.
    let (status, body) = enroll(&s, "E-YOUNG", &me).await;
    assert_eq!(status, 422);
    assert_eq!(failed_rules(&body), ["age"]);
    assert!(reason(&body, "age")["message"]
        .as_str()
        .unwrap()
        .contains("39 岁"));

    let (status, body) = enroll(&s, "E-CLOSED", &me).await;
    assert_eq!(status, 422);
    assert_eq!(failed_rules(&body), ["enroll_deadline"]);
    assert!(reason(&body, "enroll_deadline")["message"]
        .as_str()
        .unwrap()
        .contains("2026-01-01 截止"));

    let (status, body) = enroll(&s, "E-STARTED", &me).await;
    assert_eq!(status, 422);
    assert_eq!(failed_rules(&body), ["enroll_deadline", "class_started"]);

    for code in ["E-OPEN1", "E-OPEN2", "E-OPEN3"] {
        assert_eq!(enroll(&s, code, &me).await.0, 201);
    }
    let (status, body) = enroll(&s, "E-OPEN1", &me).await;
    assert_eq!(status, 409, "already enrolled: {body}");
    assert_eq!(body["error"]["code"], "conflict");
    assert!(body["error"]["fields"]["status"]
        .as_str()
        .unwrap()
        .contains("已经报名"));

    let (status, body) = enroll(&s, "E-TEN", &me).await;
    assert_eq!(status, 422);
    assert_eq!(failed_rules(&body), ["active_enrollments"]);
    assert!(reason(&body, "active_enrollments")["message"]
        .as_str()
        .unwrap()
        .contains("最多 3 个"));

    // Cancelling one makes room again.
    let id = my_enrollment(&s, &me, "E-OPEN3").await["id"]
        .as_i64()
        .unwrap();
    let (status, _) = post(
        &s,
        &format!("/api/v1/me/enrollments/{id}/cancel"),
        &me,
        json!({}),
    )
    .await;
    assert_eq!(status, 200);
    let (status, again) = post(
        &s,
        &format!("/api/v1/me/enrollments/{id}/cancel"),
        &me,
        json!({}),
    )
    .await;
    assert_eq!(
        status, 409,
        "a cancelled enrolment cannot be cancelled again: {again}"
    );
    assert_eq!(enroll(&s, "E-TEN", &me).await.0, 201);

    assert_eq!(enroll(&s, "NO-SUCH", &me).await.0, 404);
    assert_eq!(
        s.client
            .post(s.url("/api/v1/courses/E-TEN/enroll"))
            .json(&json!({}))
            .send()
            .await
            .unwrap()
            .status(),
        401
    );
}

#[tokio::test]
async fn nobody_reads_or_cancels_another_persons_enrolment() {
    let s = server().await;
    let alice = trainee(&s, 1).await;
    let bob = trainee(&s, 2).await;
    let (_, mine) = enroll(&s, "E-OPEN1", &alice).await;
    let id = mine["id"].as_i64().unwrap();
    let (status, body) = post(
        &s,
        &format!("/api/v1/me/enrollments/{id}/cancel"),
        &bob,
        json!({}),
    )
    .await;
    assert_eq!(status, 404, "{body}");
    let (_, bobs) = get(&s, "/api/v1/me/enrollments", &bob).await;
    let bobs = bobs["items"].clone();
    assert_eq!(bobs, json!([]));
    assert_eq!(
        my_enrollment(&s, &alice, "E-OPEN1").await["status"],
        "approved"
    );
    let (_, bob_inbox) = get(&s, "/api/v1/me/notifications", &bob).await;
    assert_eq!(bob_inbox["items"], json!([]));
    // Staff endpoints are not for trainees.
    assert_eq!(get(&s, "/api/v1/staff/classes", &alice).await.0, 403);
    assert_eq!(
        get(&s, "/api/v1/staff/classes/E-OPEN1/roster", &alice)
            .await
            .0,
        403
    );
    let (status, _) = post(
        &s,
        &format!("/api/v1/staff/enrollments/{id}/status"),
        &alice,
        json!({"status": "rejected", "reason": "x"}),
    )
    .await;
    assert_eq!(status, 403);
}

#[tokio::test]
async fn an_institution_runs_its_own_classes_and_only_those() {
    let s = server().await;
    let a = staff(&s, "13100000001", "INST-A").await;
    let b = staff(&s, "13100000002", "INST-B").await;
    let first = trainee(&s, 1).await;
    let second = trainee(&s, 2).await;
    let (_, e1) = enroll(&s, "E-ONE", &first).await;
    let (_, e2) = enroll(&s, "E-ONE", &second).await;
    assert_eq!(
        (e1["status"].as_str(), e2["status"].as_str()),
        (Some("approved"), Some("waitlisted"))
    );
    let (id1, id2) = (e1["id"].as_i64().unwrap(), e2["id"].as_i64().unwrap());

    // Classes with counts: only the institution's own.
    let (status, classes) = get(&s, "/api/v1/staff/classes", &a).await;
    let classes = classes["items"].clone();
    assert_eq!(status, 200);
    let codes: Vec<&str> = classes
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["code"].as_str().unwrap())
        .collect();
    assert!(
        codes.contains(&"E-ONE") && !codes.contains(&"E-B"),
        "{codes:?}"
    );
    let one = classes
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["code"] == "E-ONE")
        .unwrap();
    assert_eq!(
        (
            one["approved"].as_u64(),
            one["waitlisted"].as_u64(),
            one["seats_left"].as_u64()
        ),
        (Some(1), Some(1), Some(0))
    );

    // The roster masks identity numbers and phones; the read is in the trainee's audit trail.
    let (status, roster) = get(&s, "/api/v1/staff/classes/E-ONE/roster", &a).await;
    assert_eq!(status, 200);
    let entry = &roster["entries"][0];
    assert_eq!(entry["name"], "测试学员");
    assert!(
        entry["id_number"].as_str().unwrap().contains("**********"),
        "{entry}"
    );
    assert_eq!(entry["phone"], "139****0001");
    assert_eq!(roster["entries"][1]["waitlist_position"], 1);
    let (_, export) = get(&s, "/api/v1/me/export", &first).await;
    let audit = export["audit"].as_array().unwrap();
    assert!(
        audit
            .iter()
            .any(|a| a["action"] == "roster_read" && a["detail"] == "E-ONE"),
        "{audit:?}"
    );
    assert_eq!(export["enrollments"][0]["course"], "E-ONE");

    // Institution B can neither read nor touch A's class.
    assert_eq!(
        get(&s, "/api/v1/staff/classes/E-ONE/roster", &b).await.0,
        403
    );
    let (status, body) = post(
        &s,
        &format!("/api/v1/staff/enrollments/{id1}/status"),
        &b,
        json!({"status": "rejected", "reason": "不是本校学员"}),
    )
    .await;
    assert_eq!(status, 403, "{body}");
    assert!(!body.to_string().contains("测试学员"));
    let (status, _) = post(
        &s,
        &format!("/api/v1/staff/enrollments/{id1}/attendance"),
        &b,
        json!({"date": "2030-03-01", "hours": 4}),
    )
    .await;
    assert_eq!(status, 403);
    assert_eq!(
        my_enrollment(&s, &first, "E-ONE").await["status"],
        "approved"
    );

    // A rejection needs a reason; with one, the seat goes to the waiting list's head.
    let (status, body) = post(
        &s,
        &format!("/api/v1/staff/enrollments/{id1}/status"),
        &a,
        json!({"status": "rejected"}),
    )
    .await;
    assert_eq!(status, 400);
    assert!(body["error"]["fields"]["reason"].is_string());
    let (status, _) = post(
        &s,
        &format!("/api/v1/staff/enrollments/{id1}/status"),
        &a,
        json!({"status": "rejected", "reason": "材料不全"}),
    )
    .await;
    assert_eq!(status, 200);
    let rejected = my_enrollment(&s, &first, "E-ONE").await;
    assert_eq!(rejected["status"], "rejected");
    assert_eq!(rejected["reason"], "材料不全");
    assert_eq!(rejected["timeline"][1]["actor"], "staff");
    assert_eq!(
        my_enrollment(&s, &second, "E-ONE").await["status"],
        "approved"
    );

    // Forward only: in training, attendance, completed, employment.
    let (status, body) = post(
        &s,
        &format!("/api/v1/staff/enrollments/{id2}/status"),
        &a,
        json!({"status": "completed"}),
    )
    .await;
    assert_eq!(status, 409, "cannot skip training: {body}");
    s.travel_to_day("2030-03-02").await;
    let (status, _) = post(
        &s,
        &format!("/api/v1/staff/enrollments/{id2}/status"),
        &a,
        json!({"status": "in_training"}),
    )
    .await;
    assert_eq!(status, 200);
    let (status, body) = post(
        &s,
        &format!("/api/v1/staff/enrollments/{id2}/attendance"),
        &a,
        json!({"date": "2030-03-01", "hours": 13}),
    )
    .await;
    assert_eq!(status, 400, "{body}");
    let (status, _) = post(
        &s,
        &format!("/api/v1/staff/enrollments/{id2}/attendance"),
        &a,
        json!({"date": "2030-03-01", "hours": 6}),
    )
    .await;
    assert_eq!(status, 200);
    let (status, _) = post(
        &s,
        &format!("/api/v1/staff/enrollments/{id2}/attendance"),
        &a,
        json!({"date": "2030-03-02", "hours": 4}),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        my_enrollment(&s, &second, "E-ONE").await["hours_attended"],
        10
    );
    s.travel_to_day("2030-04-30").await;
    let (status, _) = post(
        &s,
        &format!("/api/v1/staff/enrollments/{id2}/status"),
        &a,
        json!({"status": "completed"}),
    )
    .await;
    assert_eq!(status, 200);
    let (status, body) = post(
        &s,
        &format!("/api/v1/staff/enrollments/{id2}/employment"),
        &a,
        json!({"employed": true}),
    )
    .await;
    assert_eq!(status, 400, "an employer is needed: {body}");
    let (status, _) = post(
        &s,
        &format!("/api/v1/staff/enrollments/{id2}/employment"),
        &a,
        json!({"employed": true, "employer": "四川某电力公司", "since": "2030-04-20"}),
    )
    .await;
    assert_eq!(status, 200);
    let (_, roster) = get(&s, "/api/v1/staff/classes/E-ONE/roster", &a).await;
    let done = roster["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == id2)
        .unwrap();
    assert_eq!(
        (done["status"].as_str(), done["employer"].as_str()),
        (Some("completed"), Some("四川某电力公司"))
    );
    let (_, inbox) = get(&s, "/api/v1/me/notifications", &second).await;
    let statuses: Vec<&str> = inbox["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["status"].as_str().unwrap())
        .collect();
    assert_eq!(
        statuses,
        ["completed", "in_training", "approved", "waitlisted"],
        "every change reaches the inbox"
    );
}

#[tokio::test]
async fn anyone_can_ask_what_they_qualify_for() {
    let s = server().await;
    let ask = |body: Value| {
        let s = &s;
        async move {
            let r = s
                .client
                .post(s.url("/api/v1/eligibility/check"))
                .json(&body)
                .send()
                .await
                .unwrap();
            let status = r.status().as_u16();
            (status, r.json::<Value>().await.unwrap())
        }
    };
    let (status, answer) =
        ask(json!({"groups": ["veteran"], "birth_date": "1990-03-07", "city": "成都"})).await;
    assert_eq!(status, 200, "{answer}");
    let codes: Vec<&str> = answer["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["course"].as_str().unwrap())
        .collect();
    assert!(codes.contains(&"E-VET"), "{codes:?}");
    assert!(!codes.contains(&"E-YOUNG"), "too old for it");
    assert!(!codes.contains(&"E-CLOSED") && !codes.contains(&"E-STARTED"));
    let vet = answer["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["course"] == "E-VET")
        .unwrap();
    assert_eq!(vet["subsidy_yuan"], "600.00");
    assert_eq!(vet["free_training"], true);

    let (status, one) =
        ask(json!({"groups": [], "birth_date": "1990-03-07", "course": "E-VET"})).await;
    assert_eq!(status, 200);
    assert_eq!(one["items"][0]["eligible"], false);

    // A higher certificate of the same occupation: eligible to join, but no subsidy.
    let (_, held) = ask(json!({"birth_date": "1990-03-07", "course": "E-TEN", "certificates": [{"occupation": "电工", "level": "高级工"}]})).await;
    let item = &held["items"][0];
    assert_eq!(item["eligible"], true);
    assert_eq!(item["subsidy_yuan"], "0.00");
    assert!(item["subsidy_reasons"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["rule"] == "higher_level_held" && r["ok"] == false));

    let (status, bad) =
        ask(json!({"groups": ["pirate"], "birth_date": "1990-02-30", "city": "Atlantis"})).await;
    assert_eq!(status, 400);
    for field in ["groups", "birth_date", "city"] {
        assert!(bad["error"]["fields"][field].is_string(), "{field}: {bad}");
    }
    let r = s
        .client
        .post(s.url("/api/v1/eligibility/check"))
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
}

#[tokio::test]
async fn enrolment_works_from_the_pages_without_javascript() {
    let s = server().await;
    let me = trainee(&s, 1).await;
    // The course page tells a signed-in trainee why, and offers the form.
    let page = s.get_as("/courses/E-VET", &me).await.text().await.unwrap();
    assert!(
        page.contains("本班只面向退役军人"),
        "the group reason is shown"
    );
    let page = s.get_as("/courses/E-TEN", &me).await.text().await.unwrap();
    assert!(page.contains(r#"action="/courses/E-TEN/enroll""#));
    assert!(page.contains("1000.00"), "the subsidy estimate is shown");

    let r = s
        .client
        .post(s.url("/courses/E-TEN/enroll"))
        .header("cookie", &me)
        .header("origin", &s.base)
        .form(&[("_", "")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], "/me/enrollments?enrolled=approved");
    let page = s
        .get_as("/me/enrollments?enrolled=approved", &me)
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("电工（初级）十人班") && page.contains("报名成功"));
    assert!(page.contains("已录取"));

    // A refusal renders the course page again with the reason, as 422.
    let r = s
        .client
        .post(s.url("/courses/E-VET/enroll"))
        .header("cookie", &me)
        .header("origin", &s.base)
        .form(&[("_", "")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("本班只面向退役军人"));

    // Staff see the class in their console, and the header counts unread messages.
    let page = s.get_as("/me/inbox", &me).await.text().await.unwrap();
    assert!(page.contains("1 条未读"), "inbox page");
    let a = staff(&s, "13100000001", "INST-A").await;
    let page = s
        .get_as("/staff/classes/E-TEN", &a)
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("139****0001") && !page.contains("13900000001"));
    let page = s
        .get_as(
            "/eligibility?submitted=1&groups=veteran&birth_date=1990-03-07&city=510100",
            &me,
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("退役军人适应性培训（电子商务）"));
}

#[tokio::test]
async fn the_catalogue_can_show_only_what_i_may_join() {
    let s = server().await;
    let me = trainee(&s, 1).await;
    assert_eq!(enroll(&s, "E-OPEN1", &me).await.0, 201);
    let codes = |v: &Value| -> Vec<String> {
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["code"].as_str().unwrap().to_string())
            .collect()
    };
    let (status, mine) = get(&s, "/api/v1/courses?eligible=true&per_page=100", &me).await;
    assert_eq!(status, 200, "{mine}");
    let mine = codes(&mine);
    for code in ["E-TEN", "E-ONE", "E-OPEN2", "E-B"] {
        assert!(mine.contains(&code.to_string()), "{code} in {mine:?}");
    }
    for code in ["E-VET", "E-YOUNG", "E-CLOSED", "E-STARTED", "E-OPEN1"] {
        assert!(!mine.contains(&code.to_string()), "{code} not in {mine:?}");
    }
    let (_, page) = get(&s, "/api/v1/courses?eligible=true&per_page=2&page=2", &me).await;
    assert_eq!(page["total"].as_u64().unwrap() as usize, mine.len());
    assert_eq!(page["items"].as_array().unwrap().len(), 2);
    // Signed out, the filter means nothing: every course is listed.
    let (_, all) = s
        .get_json("/api/v1/courses?eligible=true&per_page=100")
        .await;
    assert_eq!(all["total"], 10);
    // The page offers it to a trainee and keeps it in the address.
    let html = s
        .get_as("/courses?eligible=true", &me)
        .await
        .text()
        .await
        .unwrap();
    assert!(
        html.contains(r#"id="f-eligible""#)
            && html.contains("电工（初级）十人班")
            && !html.contains("青年无人机驾驶员")
    );
}

#[tokio::test]
async fn every_staff_endpoint_checks_role_and_scope() {
    let s = server().await;
    let a = staff(&s, "13100000001", "INST-A").await;
    let b = staff(&s, "13100000002", "INST-B").await;
    create_user(
        &s,
        &[
            "--role",
            "evaluator",
            "--phone",
            "13100000003",
            "--name",
            "评价",
            "--evaluation-org",
            "成都评价中心",
        ],
    );
    create_user(
        &s,
        &[
            "--role",
            "hr_officer",
            "--phone",
            "13100000004",
            "--name",
            "绵阳人社",
            "--city",
            "绵阳",
        ],
    );
    create_user(
        &s,
        &[
            "--role",
            "hr_officer",
            "--phone",
            "13100000005",
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
            "admin",
            "--phone",
            "13100000006",
            "--name",
            "管理员",
        ],
    );
    let evaluator = s.login("13100000003", STAFF_PASSWORD).await;
    let mianyang = s.login("13100000004", STAFF_PASSWORD).await;
    let chengdu = s.login("13100000005", STAFF_PASSWORD).await;
    let admin = s.login("13100000006", STAFF_PASSWORD).await;
    let learner = trainee(&s, 1).await;
    let id = enroll(&s, "E-ONE", &learner).await.1["id"]
        .as_i64()
        .unwrap();
    s.travel_to_day("2030-03-02").await;
    let (status, _) = post(
        &s,
        &format!("/api/v1/staff/enrollments/{id}/status"),
        &a,
        json!({"status": "in_training"}),
    )
    .await;
    assert_eq!(status, 200);

    let outsiders = [
        ("trainee", &learner),
        ("evaluator", &evaluator),
        ("hr_officer", &mianyang),
        ("admin", &admin),
        ("institution B", &b),
    ];
    for (who, session) in outsiders {
        for (method, path, body) in [
            (
                "GET",
                "/api/v1/staff/classes/E-ONE/roster".to_string(),
                Value::Null,
            ),
            (
                "POST",
                format!("/api/v1/staff/enrollments/{id}/status"),
                json!({"status": "completed"}),
            ),
            (
                "POST",
                format!("/api/v1/staff/enrollments/{id}/attendance"),
                json!({"date": "2030-03-01", "hours": 4}),
            ),
            (
                "POST",
                format!("/api/v1/staff/enrollments/{id}/employment"),
                json!({"employed": true, "employer": "某公司", "since": "2030-03-01"}),
            ),
        ] {
            let (status, answer) = if method == "GET" {
                get(&s, &path, session).await
            } else {
                post(&s, &path, session, body).await
            };
            assert_eq!(status, 403, "{who}: {method} {path}: {answer}");
            assert!(
                !answer.to_string().contains("测试学员"),
                "{who} sees no personal data"
            );
        }
        if who != "institution B" {
            assert_eq!(
                get(&s, "/api/v1/staff/classes", session).await.0,
                403,
                "{who}"
            );
        }
    }
    // The city's HR officer may record the employment outcome; the class's own staff all of it.
    let (status, body) = post(
        &s,
        &format!("/api/v1/staff/enrollments/{id}/employment"),
        &chengdu,
        json!({"employed": true, "employer": "某公司", "since": "2030-03-01"}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let (status, _) = post(
        &s,
        &format!("/api/v1/staff/enrollments/{id}/status"),
        &chengdu,
        json!({"status": "completed"}),
    )
    .await;
    assert_eq!(status, 403, "only the institution moves an enrolment on");
    assert_eq!(
        get(&s, "/api/v1/staff/classes/E-ONE/roster", &a).await.0,
        200
    );
    assert_eq!(
        get(&s, "/api/v1/staff/classes/NO-SUCH/roster", &a).await.0,
        404
    );
    let (status, _) = post(
        &s,
        "/api/v1/staff/enrollments/999999/status",
        &a,
        json!({"status": "completed"}),
    )
    .await;
    assert_eq!(status, 404);
}

/// The check page's form posts: the answer is on the page that answers the post, the birth
/// date in no address (the form, its pages, its links), and the answer is not cached.
#[tokio::test]
async fn the_question_is_posted_and_never_in_an_address() {
    let s = server().await;
    let form = s.get("/eligibility").await.text().await.unwrap();
    assert!(
        form.contains(r#"<form method="post" action="/eligibility""#),
        "{form}"
    );
    let r = s
        .client
        .post(s.url("/eligibility"))
        .header("origin", &s.base)
        .form(&[
            ("submitted", "1"),
            ("groups", "veteran"),
            ("birth_date", "1990-03-07"),
            ("city", "510100"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["cache-control"], "no-store");
    let html = r.text().await.unwrap();
    assert!(html.contains("个课程符合条件"), "{html}");
    assert!(html.contains("退役军人适应性培训（电子商务）"));
    // The date is only the form's value again, never in a link.
    assert!(!html.contains("birth_date=1990"), "{html}");
    assert!(html.contains(r#"value="1990-03-07""#));
    // A bad answer is named on the same page (400), nothing kept.
    let r = s
        .client
        .post(s.url("/eligibility"))
        .header("origin", &s.base)
        .form(&[("submitted", "1"), ("birth_date", "1990-02-30")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("应为 YYYY-MM-DD 格式的日期"));
    // From another site it is refused like every form post.
    let r = s
        .client
        .post(s.url("/eligibility"))
        .header("origin", "https://elsewhere.example")
        .form(&[("submitted", "1"), ("birth_date", "1990-03-07")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
}

#[tokio::test]
async fn the_question_page_names_a_bad_answer() {
    let s = server().await;
    let r = s
        .get("/eligibility?submitted=1&birth_date=1990-02-30&city=510100")
        .await;
    assert_eq!(r.status(), 400);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("role=\"alert\"") && html.contains("应为 YYYY-MM-DD 格式的日期"),
        "{html}"
    );
    // Not yet asked: the form alone, 200.
    let r = s.get("/eligibility").await;
    assert_eq!(r.status(), 200);
    assert!(!r.text().await.unwrap().contains("个课程符合条件"));
}

#[tokio::test]
async fn a_pass_issues_the_certificate_anyone_can_verify_by_number_and_name() {
    let s = server().await;
    let a = staff(&s, "13100000001", "INST-A").await;
    create_user(
        &s,
        &[
            "--role",
            "evaluator",
            "--phone",
            "13100000003",
            "--name",
            "评价员",
            "--evaluation-org",
            "成都测试评价中心",
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
            "乙评价员",
            "--evaluation-org",
            "乙评价中心",
        ],
    );
    let evaluator = s.login("13100000003", STAFF_PASSWORD).await;
    let other = s.login("13100000004", STAFF_PASSWORD).await;
    let me = trainee(&s, 1).await;
    let id = enroll(&s, "E-TEN", &me).await.1["id"].as_i64().unwrap();

    let (status, body) = assess(&s, &evaluator, json!({"enrollment_id": id, "passed": true})).await;
    assert_eq!(
        status, 409,
        "only a completed enrolment is assessed: {body}"
    );
    s.travel_to_day("2030-05-05").await;
    for to in ["in_training", "completed"] {
        let (status, _) = post(
            &s,
            &format!("/api/v1/staff/enrollments/{id}/status"),
            &a,
            json!({"status": to}),
        )
        .await;
        assert_eq!(status, 200);
    }
    let (status, _) = assess(&s, &other, json!({"enrollment_id": id, "passed": true})).await;
    assert_eq!(status, 403, "another organisation's class");
    assert_eq!(
        assess(&s, &a, json!({"enrollment_id": id, "passed": true}))
            .await
            .0,
        403,
        "not an evaluator"
    );
    let (status, body) = assess(
        &s,
        &evaluator,
        json!({"enrollment_id": id, "passed": true, "score": 101}),
    )
    .await;
    assert_eq!(status, 400, "{body}");

    let (status, body) = assess(
        &s,
        &evaluator,
        json!({"enrollment_id": id, "passed": true, "score": 86, "issued_on": "2030-05-01"}),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    let cert = &body["certificate"];
    let number = cert["number"].as_str().unwrap().to_string();
    assert!(number.starts_with("PX2030"), "{number}");
    assert_eq!(
        (
            cert["occupation"].as_str(),
            cert["level"].as_str(),
            cert["certificate_type"].as_str()
        ),
        (Some("电工"), Some("level5"), Some("skill_level"))
    );
    assert_eq!(cert["issuer"], "成都测试评价中心");
    assert_eq!(cert["issued_on"], "2030-05-01");
    assert_eq!(
        assess(&s, &evaluator, json!({"enrollment_id": id, "passed": true}))
            .await
            .0,
        409,
        "one certificate per enrolment"
    );

    let (_, wallet) = get(&s, "/api/v1/me/certificates", &me).await;
    let wallet = wallet["items"].clone();
    assert_eq!(wallet[0]["number"], number.as_str());
    let (_, export) = get(&s, "/api/v1/me/export", &me).await;
    assert_eq!(export["certificates"][0]["number"], number.as_str());

    let verify = |number: &str, name: &str| {
        let url = format!(
            "/api/v1/certificates/verify?number={}&name={}",
            number,
            form_urlencoded::byte_serialize(name.as_bytes()).collect::<String>()
        );
        let s = &s;
        async move { s.get_json(&url).await }
    };
    let (status, ok) = verify(&number, "测试学员").await;
    assert_eq!(status, 200);
    assert_eq!(ok["valid"], true);
    assert_eq!(ok["holder"], "测试**", "the name is masked");
    assert_eq!(ok["level"], "level5");
    let (_, wrong_name) = verify(&number, "张三").await;
    let (_, unknown) = verify("PX202699999999", "测试学员").await;
    assert_eq!(wrong_name, json!({"valid": false}));
    assert_eq!(
        wrong_name, unknown,
        "a wrong name and an unknown number look the same"
    );

    // The wallet page shows the certificate with its QR code; the verification page answers
    // the posted number and name (the name never goes into an address).
    let page = s
        .get_as("/me/certificates", &me)
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains(&number) && page.contains("<svg") && page.contains("role=\"img\""));
    let post_form = |fields: Vec<(&'static str, String)>| {
        let s = &s;
        async move {
            let r = s
                .client
                .post(s.url("/verify"))
                .form(&fields)
                .send()
                .await
                .unwrap();
            let status = r.status().as_u16();
            (status, r.text().await.unwrap())
        }
    };
    let (status, html) = post_form(vec![
        ("number", number.clone()),
        ("name", "测试学员".into()),
    ])
    .await;
    assert_eq!(status, 200);
    assert!(html.contains("证书真实有效") && html.contains("测试**") && !html.contains("测试学员"));
    let (_, html) = post_form(vec![("number", number.clone()), ("name", "张三".into())]).await;
    assert!(html.contains("没有找到与编号和姓名相符的证书"));

    let mut limited = 0;
    for _ in 0..40 {
        if verify(&number, "测试学员").await.0 == 429 {
            limited += 1;
        }
    }
    assert!(limited > 0, "verification is rate-limited per address");
}

/// Enrols trainee `n` in E-TEN, takes them through training to a pass, and returns their
/// session and certificate id.
async fn certified(s: &Server, a: &str, evaluator: &str, n: u32, employed: bool) -> (String, i64) {
    let me = trainee(s, n).await;
    s.travel_to_day("2030-02-01").await;
    let id = enroll(s, "E-TEN", &me).await.1["id"].as_i64().unwrap();
    s.travel_to_day("2030-05-05").await;
    for to in ["in_training", "completed"] {
        let (status, _) = post(
            s,
            &format!("/api/v1/staff/enrollments/{id}/status"),
            a,
            json!({"status": to}),
        )
        .await;
        assert_eq!(status, 200);
    }
    if employed {
        let (status, _) = post(
            s,
            &format!("/api/v1/staff/enrollments/{id}/employment"),
            a,
            json!({"employed": true, "employer": "某电力公司", "since": "2030-05-01",
                   "evidence_type": "contract", "evidence_ref": "HT-001"}),
        )
        .await;
        assert_eq!(status, 200);
    }
    let (status, body) = assess(s, evaluator, json!({"enrollment_id": id, "passed": true})).await;
    assert_eq!(status, 201, "{body}");
    (me, body["certificate"]["id"].as_i64().unwrap())
}

#[tokio::test]
async fn a_certificate_is_claimed_once_for_what_its_outcome_earns() {
    let s = server().await;
    let a = staff(&s, "13100000001", "INST-A").await;
    create_user(
        &s,
        &[
            "--role",
            "evaluator",
            "--phone",
            "13100000003",
            "--name",
            "评价员",
            "--evaluation-org",
            "成都测试评价中心",
        ],
    );
    let evaluator = s.login("13100000003", STAFF_PASSWORD).await;

    // Certificate without a job: 80 % of the 1 000-yuan standard.
    let (me, certificate) = certified(&s, &a, &evaluator, 1, false).await;
    let (status, claim) = post(
        &s,
        "/api/v1/me/subsidies",
        &me,
        json!({"certificate_id": certificate, "payee": payee()}),
    )
    .await;
    assert_eq!(status, 201, "{claim}");
    assert_eq!(
        (
            claim["amount_yuan"].as_str(),
            claim["percent"].as_u64(),
            claim["status"].as_str()
        ),
        (Some("800.00"), Some(80), Some("submitted"))
    );
    assert_eq!(claim["timeline"][0]["status"], "submitted");
    let (status, again) = post(
        &s,
        "/api/v1/me/subsidies",
        &me,
        json!({"certificate_id": certificate, "payee": payee()}),
    )
    .await;
    assert_eq!(status, 409, "{again}");
    let (_, list) = get(&s, "/api/v1/me/subsidies", &me).await;
    let list = list["items"].clone();
    assert_eq!(list.as_array().unwrap().len(), 1);

    // Certificate and a job: 100 %. Nobody claims another person's certificate.
    let (other, certificate2) = certified(&s, &a, &evaluator, 2, true).await;
    let (status, _) = post(
        &s,
        "/api/v1/me/subsidies",
        &me,
        json!({"certificate_id": certificate2, "payee": payee()}),
    )
    .await;
    assert_eq!(status, 404);
    let (status, claim) = post(
        &s,
        "/api/v1/me/subsidies",
        &other,
        json!({"certificate_id": certificate2, "payee": payee()}),
    )
    .await;
    assert_eq!(status, 201, "{claim}");
    assert_eq!(claim["amount_yuan"], "1000.00");

    // The same occupation and level is subsidised once, ever: a second 电工 level-5 certificate
    // (from another class) is refused with the rule that says why.
    s.travel_to_day("2030-02-01").await;
    let id = enroll(&s, "E-B", &me).await.1["id"].as_i64().unwrap();
    let b = staff(&s, "13100000002", "INST-B").await;
    s.travel_to_day("2030-05-05").await;
    for to in ["in_training", "completed"] {
        post(
            &s,
            &format!("/api/v1/staff/enrollments/{id}/status"),
            &b,
            json!({"status": to}),
        )
        .await;
    }
    create_user(
        &s,
        &[
            "--role",
            "evaluator",
            "--phone",
            "13100000004",
            "--name",
            "乙评价员",
            "--evaluation-org",
            "乙评价中心",
        ],
    );
    let evaluator_b = s.login("13100000004", STAFF_PASSWORD).await;
    let (_, body) = assess(
        &s,
        &evaluator_b,
        json!({"enrollment_id": id, "passed": true}),
    )
    .await;
    let third = body["certificate"]["id"].as_i64().unwrap();
    let (status, refused) = post(
        &s,
        "/api/v1/me/subsidies",
        &me,
        json!({"certificate_id": third, "payee": payee()}),
    )
    .await;
    assert_eq!(status, 422, "{refused}");
    assert_eq!(failed_rules(&refused), ["same_occupation_level"]);
    assert!(reason(&refused, "same_occupation_level")["message"]
        .as_str()
        .unwrap()
        .contains("同一职业同一等级只补贴一次"));
}

/// Signs in a new account of a staff `role` with its scope flag.
#[tokio::test]
async fn the_whole_flow_from_enrolment_to_a_paid_subsidy() {
    let f = flow().await;
    let s = &f.s;
    let me = trainee(s, 1).await;
    let (status, enrolled) = enroll(s, "E-TEN", &me).await;
    assert_eq!(status, 201);
    let id = enrolled["id"].as_i64().unwrap();
    s.travel_to_day("2030-05-05").await;
    for to in ["in_training", "completed"] {
        let (status, _) = post(
            s,
            &format!("/api/v1/staff/enrollments/{id}/status"),
            &f.institution,
            json!({"status": to}),
        )
        .await;
        assert_eq!(status, 200);
    }
    post(
        s,
        &format!("/api/v1/staff/enrollments/{id}/employment"),
        &f.institution,
        json!({"employed": true, "employer": "国网成都供电公司", "since": "2030-05-01",
               "evidence_type": "social_insurance", "evidence_ref": "SB-510100-0001"}),
    )
    .await;

    // The evaluator's work list has the completed enrolment, name masked; a pass certifies.
    let (status, list) = get(s, "/api/v1/staff/assessments", &f.evaluator).await;
    let list = list["items"].clone();
    assert_eq!(status, 200);
    let waiting = list
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["enrollment_id"] == id)
        .expect("listed");
    assert_eq!(waiting["name"], "测试**");
    let (status, issued) = assess(
        s,
        &f.evaluator,
        json!({"enrollment_id": id, "passed": true, "score": 91}),
    )
    .await;
    assert_eq!(status, 201, "{issued}");
    let certificate = issued["certificate"]["id"].as_i64().unwrap();
    let (_, list) = get(s, "/api/v1/staff/assessments", &f.evaluator).await;
    let list = list["items"].clone();
    assert!(
        list.as_array()
            .unwrap()
            .iter()
            .all(|c| c["enrollment_id"] != id),
        "no longer waiting"
    );

    // Before claiming, the certificate shows as eligible with what a claim would pay.
    let (_, mine) = get(s, "/api/v1/me/subsidies", &me).await;
    let mine = mine["items"].clone();
    assert_eq!(mine[0]["status"], "eligible");
    assert_eq!(mine[0]["id"], Value::Null);
    assert_eq!(mine[0]["amount_yuan"], "1000.00");
    let (status, claim) = f.claim(&me, certificate).await;
    assert_eq!(status, 201, "{claim}");
    let claim_id = claim["id"].as_i64().unwrap();

    // HR of the class's city sees it (masked); another city's officer neither sees nor touches it.
    let (status, queue) = get(s, "/api/v1/staff/subsidies?status=submitted", &f.hr).await;
    let queue = queue["items"].clone();
    assert_eq!(status, 200);
    let row = queue
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == claim_id)
        .expect("in the queue")
        .clone();
    assert_eq!(row["claimant"], "测试**");
    assert!(row["id_number"].as_str().unwrap().contains("**********"));
    assert_eq!(
        (row["employed"].as_bool(), row["amount_yuan"].as_str()),
        (Some(true), Some("1000.00"))
    );
    let (_, elsewhere) = get(s, "/api/v1/staff/subsidies", &f.hr_elsewhere).await;
    let elsewhere = elsewhere["items"].clone();
    assert_eq!(elsewhere, json!([]));
    assert_eq!(
        f.decide(&f.hr_elsewhere, claim_id, json!({"decision": "approve"}))
            .await
            .0,
        404
    );

    // Paid only once approved; a rejection needs a reason; each step once.
    let (status, _) = post(
        s,
        &format!("/api/v1/staff/subsidies/{claim_id}/paid"),
        &f.hr,
        json!({"reference": "CDCZ-2030-0001"}),
    )
    .await;
    assert_eq!(status, 409);
    let (status, body) = f
        .decide(&f.hr, claim_id, json!({"decision": "reject"}))
        .await;
    assert_eq!(status, 400, "{body}");
    assert!(body["error"]["fields"]["reason"].is_string());
    let (status, body) = f
        .decide(&f.hr, claim_id, json!({"decision": "maybe"}))
        .await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(
        f.decide(&f.hr, claim_id, json!({"decision": "review"}))
            .await
            .1["status"],
        "under_review"
    );
    assert_eq!(
        f.decide(&f.hr, claim_id, json!({"decision": "approve"}))
            .await
            .1["status"],
        "approved"
    );
    assert_eq!(
        f.decide(&f.hr, claim_id, json!({"decision": "approve"}))
            .await
            .0,
        409
    );
    let (status, paid) = post(
        s,
        &format!("/api/v1/staff/subsidies/{claim_id}/paid"),
        &f.hr,
        json!({"reference": "CDCZ-2030-0001"}),
    )
    .await;
    assert_eq!((status, paid["status"].as_str()), (200, Some("paid")));

    // The trainee sees every step, in the claim's timeline and in the inbox.
    let (_, mine) = get(s, "/api/v1/me/subsidies", &me).await;
    let mine = mine["items"].clone();
    let steps: Vec<&str> = mine[0]["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["status"].as_str().unwrap())
        .collect();
    assert_eq!(steps, ["submitted", "under_review", "approved", "paid"]);
    assert_eq!(mine[0]["status"], "paid");
    let (_, inbox) = get(s, "/api/v1/me/notifications", &me).await;
    let kinds: Vec<(&str, &str)> = inbox["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| (n["kind"].as_str().unwrap(), n["status"].as_str().unwrap()))
        .collect();
    for step in [
        ("certificate", "issued"),
        ("subsidy", "submitted"),
        ("subsidy", "approved"),
        ("subsidy", "paid"),
    ] {
        assert!(kinds.contains(&step), "{step:?} in {kinds:?}");
    }
    let paid_note = inbox["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["status"] == "paid")
        .unwrap();
    assert!(
        paid_note["message"].as_str().unwrap().contains("已发放"),
        "{paid_note}"
    );

    // Roles: institution staff, evaluators and trainees have no business in the review queue.
    for who in [&f.institution, &f.evaluator, &me] {
        assert_eq!(get(s, "/api/v1/staff/subsidies", who).await.0, 403);
        assert_eq!(
            f.decide(who, claim_id, json!({"decision": "approve"}))
                .await
                .0,
            403
        );
        assert_eq!(get(s, "/api/v1/staff/disputes", who).await.0, 403);
        let paid = format!("/api/v1/staff/subsidies/{claim_id}/paid");
        assert_eq!(post(s, &paid, who, json!({})).await.0, 403);
        let resolve = "/api/v1/staff/disputes/1/resolve";
        assert_eq!(
            post(s, resolve, who, json!({"resolution": "x"})).await.0,
            403
        );
    }
    assert_eq!(get(s, "/api/v1/staff/assessments", &f.hr).await.0, 403);

    // Operations see the same flow in the metrics, by route template, never a person.
    let metrics = s.metrics().await;
    for line in [
        "peixun_enrolments_total{status=\"approved\"} 1",
        "peixun_assessments_total{result=\"passed\"} 1",
        "peixun_subsidy_claims_total{status=\"paid\"} 1",
        "route=\"/api/v1/staff/subsidies/{id}/paid\"",
    ] {
        assert!(metrics.contains(line), "{line} in\n{metrics}");
    }
    assert!(
        !metrics.contains("1390000"),
        "no phone number in the metrics"
    );
}

#[tokio::test]
async fn a_rejected_claim_tells_why_and_may_be_made_again() {
    let f = flow().await;
    let me = trainee(&f.s, 2).await;
    let certificate = f.certificate(&me, "S-COOK", false, None).await;
    let claim = f.claim(&me, certificate).await.1["id"].as_i64().unwrap();
    let (status, _) = f
        .decide(
            &f.hr,
            claim,
            json!({"decision": "reject", "reason": "就业证明材料不全"}),
        )
        .await;
    assert_eq!(status, 200);
    let (_, mine) = get(&f.s, "/api/v1/me/subsidies", &me).await;
    let mine = mine["items"].clone();
    let rejected = mine
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == claim)
        .unwrap();
    assert_eq!(
        (rejected["status"].as_str(), rejected["note"].as_str()),
        (Some("rejected"), Some("就业证明材料不全"))
    );
    // A rejected claim does not count: the certificate is claimable again.
    assert!(mine
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["status"] == "eligible" && c["certificate_id"] == certificate));
    assert_eq!(f.claim(&me, certificate).await.0, 201);
}

#[tokio::test]
async fn a_city_sets_its_own_shares_and_allowance() {
    let f = flow().await;
    let me = trainee(&f.s, 3).await;
    let out = peixun(&[
        "set-policy",
        "--database-url",
        &f.s.database(),
        "--city",
        "成都市",
        "--employed-percent",
        "90",
        "--certified-percent",
        "70",
        "--special-ability-percent",
        "50",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("70"));
    let bad = peixun(&[
        "set-policy",
        "--database-url",
        &f.s.database(),
        "--city",
        "成都市",
        "--certified-percent",
        "130",
    ]);
    assert!(!bad.status.success());

    // The course page's pre-check and the claim use the city's numbers.
    let check: Value = f.s.client.post(f.s.url("/api/v1/eligibility/check"))
        .json(&json!({"groups": ["unemployed"], "birth_date": "1990-03-07", "city": "510100", "course": "S-WELD"}))
        .send().await.unwrap().json().await.unwrap();
    assert_eq!(check["items"][0]["subsidy_yuan"], "1080.00", "{check}");
    let certificate = f.certificate(&me, "S-WELD", false, None).await;
    let (status, claim) = f.claim(&me, certificate).await;
    assert_eq!(status, 201, "{claim}");
    assert_eq!(
        (claim["percent"].as_u64(), claim["amount_yuan"].as_str()),
        (Some(70), Some("840.00"))
    );
    let special = f.certificate(&me, "S-CHILI", false, None).await;
    assert_eq!(f.claim(&me, special).await.1["amount_yuan"], "250.00");

    // Back on the province's defaults: 80 % for a certificate without a job.
    let out = peixun(&[
        "set-policy",
        "--database-url",
        &f.s.database(),
        "--city",
        "510100",
        "--reset",
    ]);
    assert!(out.status.success());
    let other = trainee(&f.s, 4).await;
    let certificate = f.certificate(&other, "S-WELD", false, None).await;
    assert_eq!(
        f.claim(&other, certificate).await.1["amount_yuan"],
        "960.00"
    );
}

#[tokio::test]
async fn three_claims_a_year_and_twelve_months_to_claim() {
    let f = flow().await;
    let me = trainee(&f.s, 5).await;
    // Thirteen months after the certificate was issued, it is past the claim window.
    let old = f.certificate(&me, "S-TEA", false, None).await;
    f.s.travel_to_day("2031-06-16").await;
    let (status, refused) = f.claim(&me, old).await;
    assert_eq!(status, 422, "{refused}");
    assert_eq!(failed_rules(&refused), ["claim_window"]);
    assert!(reason(&refused, "claim_window")["message"]
        .as_str()
        .unwrap()
        .contains("12"));

    for code in ["E-TEN", "S-WELD", "S-COOK"] {
        let certificate = f.certificate(&me, code, false, None).await;
        let (status, body) = f.claim(&me, certificate).await;
        assert_eq!(status, 201, "{code}: {body}");
    }
    let fourth = f.certificate(&me, "S-CHILI", false, None).await;
    let (status, refused) = f.claim(&me, fourth).await;
    assert_eq!(status, 422, "{refused}");
    assert_eq!(failed_rules(&refused), ["yearly_cap"]);
    assert!(reason(&refused, "yearly_cap")["message"]
        .as_str()
        .unwrap()
        .contains('3'));
    // Not listed as claimable either.
    let (_, mine) = get(&f.s, "/api/v1/me/subsidies", &me).await;
    let mine = mine["items"].clone();
    assert!(
        mine.as_array()
            .unwrap()
            .iter()
            .all(|c| c["status"] != "eligible"),
        "{mine}"
    );
}

#[tokio::test]
async fn this_is_not_me_reaches_the_citys_hr_officer() {
    let f = flow().await;
    let s = &f.s;
    let me = trainee(s, 6).await;
    let stranger = trainee(s, 7).await;
    let enrolment = enroll(s, "E-TEN", &me).await.1["id"].as_i64().unwrap();

    let (status, filed) = post(
        s,
        "/api/v1/me/disputes",
        &me,
        json!({"kind": "enrollment", "id": enrolment, "note": "我没有报名这个班"}),
    )
    .await;
    assert_eq!(status, 201, "{filed}");
    assert_eq!(filed["status"], "open");
    let dispute = filed["id"].as_i64().unwrap();
    assert_eq!(
        post(
            s,
            "/api/v1/me/disputes",
            &me,
            json!({"kind": "enrollment", "id": enrolment})
        )
        .await
        .0,
        409
    );
    // Another person's record, an attendance never recorded, an unknown kind.
    assert_eq!(
        post(
            s,
            "/api/v1/me/disputes",
            &stranger,
            json!({"kind": "enrollment", "id": enrolment})
        )
        .await
        .0,
        404
    );
    assert_eq!(
        post(
            s,
            "/api/v1/me/disputes",
            &me,
            json!({"kind": "attendance", "id": enrolment})
        )
        .await
        .0,
        404
    );
    let (status, body) = post(
        s,
        "/api/v1/me/disputes",
        &me,
        json!({"kind": "payment", "id": enrolment}),
    )
    .await;
    assert_eq!(status, 400, "{body}");

    let (status, list) = get(s, "/api/v1/staff/disputes?status=open", &f.hr).await;
    let list = list["items"].clone();
    assert_eq!(status, 200);
    assert_eq!(list[0]["id"], dispute);
    assert_eq!(list[0]["claimant"], "测试**");
    assert_eq!(list[0]["note"], "我没有报名这个班");
    assert_eq!(
        get(s, "/api/v1/staff/disputes", &f.hr_elsewhere).await.1["items"],
        json!([])
    );
    let resolve = |hr: &'static str, body: Value| {
        let who = if hr == "here" {
            f.hr.clone()
        } else {
            f.hr_elsewhere.clone()
        };
        async move {
            post(
                s,
                &format!("/api/v1/staff/disputes/{dispute}/resolve"),
                &who,
                body,
            )
            .await
        }
    };
    assert_eq!(
        resolve("elsewhere", json!({"resolution": "x"})).await.0,
        404
    );
    assert_eq!(resolve("here", json!({})).await.0, 400);
    let (status, done) = resolve(
        "here",
        json!({"resolution": "经核实为机构误录，已撤销该报名"}),
    )
    .await;
    assert_eq!(
        (status, done["status"].as_str()),
        (200, Some("resolved")),
        "{done}"
    );
    assert_eq!(resolve("here", json!({"resolution": "again"})).await.0, 409);

    let (_, mine) = get(s, "/api/v1/me/disputes", &me).await;
    let mine = mine["items"].clone();
    assert_eq!(mine[0]["resolution"], "经核实为机构误录，已撤销该报名");
    assert!(
        mine[0].get("claimant").is_none(),
        "the person's own list names nobody"
    );
    let (_, inbox) = get(s, "/api/v1/me/notifications", &me).await;
    assert_eq!(inbox["items"][0]["kind"], "dispute");
    assert!(inbox["items"][0]["message"]
        .as_str()
        .unwrap()
        .contains("经核实为机构误录"));

    // A claim the person disputes is never approved or paid until HR resolves the dispute.
    let certificate = f.certificate(&me, "S-COOK", false, None).await;
    let claim = f.claim(&me, certificate).await.1["id"].as_i64().unwrap();
    let (status, _) = post(
        s,
        "/api/v1/me/disputes",
        &me,
        json!({"kind": "subsidy", "id": claim}),
    )
    .await;
    assert_eq!(status, 201);
    let (_, queue) = get(s, "/api/v1/staff/subsidies", &f.hr).await;
    let queue = queue["items"].clone();
    let row = queue
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == claim)
        .unwrap();
    assert_eq!(row["disputed"], true);
    let (status, refused) = f.decide(&f.hr, claim, json!({"decision": "approve"})).await;
    assert_eq!(status, 409, "{refused}");
    assert!(refused["error"]["fields"]["status"]
        .as_str()
        .unwrap()
        .contains("异议"));
    let (_, open) = get(s, "/api/v1/staff/disputes?status=open", &f.hr).await;
    let open = open["items"].clone();
    let id = open[0]["id"].as_i64().unwrap();
    assert_eq!(open[0]["title"], "中式烹调师·初级工");
    let (status, _) = post(
        s,
        &format!("/api/v1/staff/disputes/{id}/resolve"),
        &f.hr,
        json!({"resolution": "本人来电确认是本人申领"}),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        f.decide(&f.hr, claim, json!({"decision": "approve"}))
            .await
            .0,
        200
    );
}

#[tokio::test]
async fn outcomes_show_only_from_ten_people() {
    let f = flow().await;
    let s = &f.s;
    let mut ids = Vec::new();
    for n in 0..10 {
        let me = trainee(s, 100 + n).await;
        ids.push(enroll(s, "E-TEN", &me).await.1["id"].as_i64().unwrap());
    }
    let set = |id: i64, to: &'static str| {
        let a = f.institution.clone();
        async move {
            post(
                s,
                &format!("/api/v1/staff/enrollments/{id}/status"),
                &a,
                json!({"status": to}),
            )
            .await
            .0
        }
    };
    s.travel_to_day("2030-05-05").await;
    for &id in &ids[..9] {
        assert_eq!(set(id, "in_training").await, 200);
        assert_eq!(set(id, "completed").await, 200);
    }
    let (_, course) = s.get_json("/api/v1/courses/E-TEN").await;
    let o = &course["outcomes"];
    // Ten admitted: shown. Nine ended: every rate hidden.
    assert_eq!(o["enrolled"], 10, "{o}");
    assert_eq!(
        (o["completion_rate"].clone(), o["certificate_rate"].clone()),
        (Value::Null, Value::Null)
    );
    assert_eq!(o["min_people"], 10);
    let page = s.get("/courses/E-TEN").await.text().await.unwrap();
    assert!(page.contains("不足 10 人，不公开"));

    assert_eq!(set(ids[9], "in_training").await, 200);
    assert_eq!(set(ids[9], "dropped").await, 200);
    let (_, course) = s.get_json("/api/v1/courses/E-TEN").await;
    assert_eq!(
        course["outcomes"]["completion_rate"], 90,
        "{}",
        course["outcomes"]
    );
    assert_eq!(
        course["outcomes"]["certificate_rate"],
        Value::Null,
        "nine completers"
    );
    let (_, institution) = s.get_json("/api/v1/institutions/INST-A").await;
    assert_eq!(institution["outcomes"]["enrolled"], 10);
    let (_, other) = s.get_json("/api/v1/institutions/INST-B").await;
    assert_eq!(other["outcomes"]["enrolled"], Value::Null);
    let (_, list) = s.get_json("/api/v1/institutions").await;
    let a = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["code"] == "INST-A")
        .unwrap();
    assert_eq!(a["outcomes"]["completion_rate"], 90);
    // The list (one grouped query for the page) says what each institution's own answer says.
    for item in list["items"].as_array().unwrap() {
        let code = item["code"].as_str().unwrap();
        let (_, one) = s.get_json(&format!("/api/v1/institutions/{code}")).await;
        assert_eq!(item["outcomes"], one["outcomes"], "{code}");
    }

    // The public pages say the same.
    let page = s.get("/institutions/INST-A").await.text().await.unwrap();
    assert!(page.contains("甲职业技能培训学校（测试）"));
    assert!(
        page.contains("<dd>10 人</dd>") && page.contains("<dd>90%</dd>"),
        "{page}"
    );
    assert!(page.contains("电工（初级）十人班"));
    let course = s.get("/courses/E-TEN").await.text().await.unwrap();
    assert!(course.contains("<dd>90%</dd>") && course.contains("href=\"/institutions/INST-A\""));
    assert_eq!(s.get("/institutions/NO-SUCH").await.status(), 404);
}

#[tokio::test]
async fn a_lower_level_or_an_item_without_a_standard_is_not_subsidised() {
    let f = flow().await;
    let me = trainee(&f.s, 8).await;
    // 电工 level 4 claimed first; a level-5 电工 certificate afterwards earns nothing.
    let higher = f.certificate(&me, "S-ELEC4", false, None).await;
    let (status, claim) = f.claim(&me, higher).await;
    assert_eq!(
        (status, claim["amount_yuan"].as_str()),
        (201, Some("1200.00")),
        "{claim}"
    );
    let lower = f.certificate(&me, "E-TEN", false, None).await;
    let (status, refused) = f.claim(&me, lower).await;
    assert_eq!(status, 422, "{refused}");
    assert_eq!(failed_rules(&refused), ["higher_level_held"]);
    assert!(reason(&refused, "higher_level_held")["message"]
        .as_str()
        .unwrap()
        .contains("电工"));
    // A self-paid item (no subsidy standard) is not subsidised.
    let unpaid = f.certificate(&me, "S-NOSUB", false, None).await;
    let (status, refused) = f.claim(&me, unpaid).await;
    assert_eq!(status, 422, "{refused}");
    assert_eq!(failed_rules(&refused), ["no_subsidy_standard"]);
    assert!(!reason(&refused, "no_subsidy_standard")["message"]
        .as_str()
        .unwrap()
        .is_empty());
}
