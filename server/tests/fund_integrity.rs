//! Fund integrity: money follows verified facts and named people. Over real HTTP against a
//! spawned server (SQLite, or PostgreSQL with PEIXUN_TEST_POSTGRES), its clock moved as the
//! days of a class would pass.
// A test: a panic is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::flow::*;
use serde_json::{json, Value};

async fn enrolled(f: &Flow, me: &str, code: &str) -> i64 {
    f.s.travel_to_day("2030-02-01").await;
    let (status, body) = enroll(&f.s, code, me).await;
    assert_eq!(status, 201, "{body}");
    body["id"].as_i64().unwrap()
}

async fn staff_step(f: &Flow, id: i64, what: &str, body: Value) -> (u16, Value) {
    post(
        &f.s,
        &format!("/api/v1/staff/enrollments/{id}/{what}"),
        &f.institution,
        body,
    )
    .await
}

#[tokio::test]
async fn a_special_ability_certificate_of_one_occupation_is_subsidised_once() {
    let f = flow().await;
    let me = trainee(&f.s, 1).await;
    let first = f.certificate(&me, "S-CHILI", false, None).await;
    let (status, body) = f.claim(&me, first).await;
    assert_eq!(status, 201, "{body}");
    // The same occupation and certificate type again, in another class: no level to tell
    // them apart, so it is the same subsidy.
    let second = f.certificate(&me, "S-CHILI2", false, None).await;
    let (status, refused) = f.claim(&me, second).await;
    assert_eq!(status, 422, "{refused}");
    assert_eq!(failed_rules(&refused), ["same_occupation_level"]);
}

#[tokio::test]
async fn attendance_only_on_days_of_the_class() {
    let f = flow().await;
    let me = trainee(&f.s, 2).await;
    let id = enrolled(&f, &me, "S-WELD").await;
    f.s.travel_to_day("2030-03-05").await;
    // The day before the class starts, and a day after it ends (once it has), are refused.
    let (status, body) = staff_step(
        &f,
        id,
        "attendance",
        json!({"date": "2030-02-28", "hours": 4}),
    )
    .await;
    assert_eq!(status, 400, "{body}");
    let said = body["error"]["fields"]["date"].as_str().unwrap();
    assert_eq!(said, "应为 2030-03-01 到 2030-03-05 之间的日期");
    let said_en = body["error"]["fields_en"]["date"].as_str().unwrap();
    assert_eq!(said_en, "must be a date from 2030-03-01 to 2030-03-05");
    let (status, body) = staff_step(
        &f,
        id,
        "attendance",
        json!({"date": "2030-03-01", "hours": 4}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    f.s.travel_to_day("2030-06-01").await;
    let (status, body) = staff_step(
        &f,
        id,
        "attendance",
        json!({"date": "2030-05-01", "hours": 4}),
    )
    .await;
    assert_eq!(status, 400, "{body}");
    let said = body["error"]["fields"]["date"].as_str().unwrap();
    assert_eq!(said, "应为 2030-03-01 到 2030-04-30 之间的日期");
    let (_, mine) = get(&f.s, "/api/v1/me/enrollments", &me).await;
    assert_eq!(
        mine["items"][0]["hours_attended"], 4,
        "nothing else written"
    );
}

#[tokio::test]
async fn training_not_before_the_start_and_completion_not_before_the_end() {
    let f = flow().await;
    let me = trainee(&f.s, 3).await;
    let id = enrolled(&f, &me, "S-WELD").await;
    f.s.travel_to_day("2030-02-28").await;
    let (status, body) = staff_step(&f, id, "status", json!({"status": "in_training"})).await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(
        body["error"]["fields"]["status"],
        "要到 2030-03-01 才能这样做"
    );
    f.s.travel_to_day("2030-03-01").await;
    let (status, body) = staff_step(&f, id, "status", json!({"status": "in_training"})).await;
    assert_eq!(status, 200, "{body}");
    f.s.travel_to_day("2030-04-29").await;
    let (status, body) = staff_step(&f, id, "status", json!({"status": "completed"})).await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(
        body["error"]["fields"]["status"],
        "要到 2030-04-30 才能这样做"
    );
    assert_eq!(
        my_enrollment(&f.s, &me, "S-WELD").await["status"],
        "in_training"
    );
    f.s.travel_to_day("2030-04-30").await;
    let (status, body) = staff_step(&f, id, "status", json!({"status": "completed"})).await;
    assert_eq!(status, 200, "{body}");
}

#[tokio::test]
async fn a_certificate_is_issued_between_the_end_of_the_class_and_today() {
    let f = flow().await;
    let me = trainee(&f.s, 4).await;
    let id = enrolled(&f, &me, "S-WELD").await;
    f.s.travel_to_day("2030-03-01").await;
    assert_eq!(
        staff_step(&f, id, "status", json!({"status": "in_training"}))
            .await
            .0,
        200
    );
    f.s.travel_to_day("2030-04-30").await;
    assert_eq!(
        staff_step(&f, id, "status", json!({"status": "completed"}))
            .await
            .0,
        200
    );
    f.s.travel_to_day("2030-05-10").await;
    for day in ["2030-04-29", "2029-01-01", "2030-05-11"] {
        let (status, body) = assess(
            &f.s,
            &f.evaluator,
            json!({"enrollment_id": id, "passed": true, "score": 80, "issued_on": day}),
        )
        .await;
        assert_eq!(status, 400, "{day}: {body}");
        assert_eq!(
            body["error"]["fields"]["issued_on"],
            "应为 2030-04-30 到 2030-05-10 之间的日期"
        );
    }
    let (status, body) = assess(
        &f.s,
        &f.evaluator,
        json!({"enrollment_id": id, "passed": true, "score": 80, "issued_on": "2030-04-30"}),
    )
    .await;
    assert_eq!(status, 201, "{body}");
}

/// The percent a claim pays for `code` when the job is recorded as `employment`.
async fn percent_with_job(f: &Flow, n: u32, code: &str, employment: Value) -> Value {
    let me = trainee(&f.s, n).await;
    let certificate = f.certificate(&me, code, false, None).await;
    let (_, mine) = get(&f.s, "/api/v1/me/enrollments", &me).await;
    let id = mine["items"][0]["id"].as_i64().unwrap();
    let (status, body) = staff_step(f, id, "employment", employment).await;
    assert_eq!(status, 200, "{body}");
    let (status, claim) = f.claim(&me, certificate).await;
    assert_eq!(status, 201, "{claim}");
    claim["percent"].clone()
}

#[tokio::test]
async fn a_job_pays_in_full_only_within_six_months_and_with_evidence() {
    let f = flow().await;
    // S-WELD ends on 2030-04-30; the certificate flow leaves the clock at 2030-05-15.
    let in_time = json!({"employed": true, "employer": "某公司", "since": "2030-05-10",
                         "evidence_type": "social_insurance", "evidence_ref": "SB-001"});
    assert_eq!(percent_with_job(&f, 11, "S-WELD", in_time).await, 100);
    let no_evidence = json!({"employed": true, "employer": "某公司", "since": "2030-05-10"});
    assert_eq!(percent_with_job(&f, 12, "S-WELD", no_evidence).await, 80);
    let before_training = json!({"employed": true, "employer": "某公司", "since": "2029-05-10",
                                 "evidence_type": "contract", "evidence_ref": "HT-1"});
    assert_eq!(
        percent_with_job(&f, 13, "S-WELD", before_training).await,
        80
    );
}

#[tokio::test]
async fn a_job_found_more_than_six_months_after_completion_pays_eighty_percent() {
    let f = flow().await;
    let me = trainee(&f.s, 14).await;
    let certificate = f.certificate(&me, "S-COOK", false, None).await;
    let (_, mine) = get(&f.s, "/api/v1/me/enrollments", &me).await;
    let id = mine["items"][0]["id"].as_i64().unwrap();
    // Completed on 2030-04-30; the job starts on 2030-11-15, six and a half months later.
    f.s.travel_to_day("2030-11-20").await;
    let late = json!({"employed": true, "employer": "某公司", "since": "2030-11-15",
                      "evidence_type": "contract", "evidence_ref": "HT-2"});
    assert_eq!(staff_step(&f, id, "employment", late).await.0, 200);
    let (status, claim) = f.claim(&me, certificate).await;
    assert_eq!(status, 201, "{claim}");
    assert_eq!(claim["percent"], 80, "{claim}");
}

/// The write trail as `session` reads it, filtered by `query`.
async fn trail(f: &Flow, session: &str, query: &str) -> (u16, Value) {
    get(&f.s, &format!("/api/v1/staff/audit?{query}"), session).await
}

fn actions(page: &Value) -> Vec<(String, String, String)> {
    let mut all: Vec<(String, String, String)> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["actor_role"].as_str().unwrap().to_string(),
                e["action"].as_str().unwrap().to_string(),
                e["after"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    all.reverse();
    all
}

#[tokio::test]
async fn every_write_of_the_flow_names_who_made_it_and_outlives_their_account() {
    let f = flow().await;
    common::create_user(
        &f.s,
        &[
            "--role",
            "hr_officer",
            "--phone",
            "13100000009",
            "--name",
            "公式",
            "--city",
            "510100",
        ],
    );
    // A name that reads as a spreadsheet formula, as an account from before names were
    // checked may hold (the download below must neutralise it).
    let pool = common::pool(&f.s.database()).await;
    sqlx::query("UPDATE users SET name = '=公式' WHERE name = '公式'")
        .execute(&pool)
        .await
        .unwrap();
    pool.close().await;
    let hr = f.s.login("13100000009", common::STAFF_PASSWORD).await;
    let me = trainee(&f.s, 21).await;
    let certificate = f.certificate(&me, "S-WELD", true, None).await;
    let (status, claim) = f.claim(&me, certificate).await;
    assert_eq!(status, 201, "{claim}");
    let claim_id = claim["id"].as_i64().unwrap();
    for step in ["approve"] {
        let (status, body) = f.decide(&hr, claim_id, json!({"decision": step})).await;
        assert_eq!(status, 200, "{step}: {body}");
    }
    let (_, mine) = get(&f.s, "/api/v1/me/enrollments", &me).await;
    let enrollment = mine["items"][0]["id"].as_i64().unwrap();

    // The enrolment's record: enrolled by the trainee, moved on and attended by the
    // institution, a job recorded, assessed by the evaluator.
    let (status, page) = trail(&f, &f.hr, &format!("record=enrollment:{enrollment}")).await;
    assert_eq!(status, 200, "{page}");
    assert_eq!(
        actions(&page),
        [
            ("trainee".into(), "status".into(), "approved".into()),
            (
                "institution_staff".into(),
                "status".into(),
                "in_training".into()
            ),
            (
                "institution_staff".into(),
                "attendance".into(),
                "2030-03-01 8h".into()
            ),
            (
                "institution_staff".into(),
                "status".into(),
                "completed".into()
            ),
            (
                "institution_staff".into(),
                "employment".into(),
                "employed by 某公司 since 2030-05-10 (contract HT-2030-0001)".into()
            ),
            ("evaluator".into(), "assessment".into(), "passed 88".into()),
        ]
    );
    let first = &page["items"][5];
    assert_eq!(first["before"], Value::Null);
    assert_eq!(page["items"][4]["before"], "approved", "from what to what");
    assert!(first["actor_ref"].as_str().unwrap().starts_with("P-"));
    assert_eq!(first["actor_name"], "测试**");
    assert_eq!(first["city"], "510100");

    // The claim: submitted by the trainee, approved by the named HR officer; the timeline
    // names them too, masked.
    let (_, page) = trail(&f, &f.hr, &format!("record=claim:{claim_id}")).await;
    assert_eq!(
        actions(&page),
        [
            ("trainee".into(), "claim".into(), "submitted".into()),
            ("hr_officer".into(), "claim".into(), "approved".into()),
        ]
    );
    let officer = page["items"][0]["actor_ref"].as_str().unwrap().to_string();
    assert_eq!(page["items"][0]["actor_name"], "=**");
    let (_, claims) = get(&f.s, "/api/v1/me/subsidies", &me).await;
    let made = claims["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == claim_id)
        .unwrap();
    assert_eq!(made["timeline"][1]["actor"], "hr_officer");
    assert_eq!(made["timeline"][1]["actor_name"], "=**");

    // Only HR officers (their city's) and admins read it.
    let (status, _) = trail(&f, &f.institution, "").await;
    assert_eq!(status, 403);
    let (status, page) = trail(&f, &f.hr_elsewhere, "").await;
    assert_eq!(status, 200);
    assert_eq!(page["total"], 0, "another city's writes: {page}");
    let (status, body) = trail(&f, &f.hr, "from=2030-02-30").await;
    assert_eq!(status, 400, "{body}");

    // A download for a spreadsheet: BOM, and no cell that runs as a formula.
    let r =
        f.s.get_as(
            &format!("/api/v1/staff/audit?format=csv&actor={officer}"),
            &f.hr,
        )
        .await;
    assert_eq!(r.status(), 200);
    assert!(r.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    let bytes = r.bytes().await.unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "UTF-8 with BOM");
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    assert!(text.contains(",'=**,"), "{text}");
    assert!(!text.contains(",=**,"), "{text}");

    // The officer's account is deleted: their writes stay, under the same reference, nameless.
    let r =
        f.s.client
            .delete(f.s.url("/api/v1/me"))
            .header("cookie", &hr)
            .json(&json!({"password": common::STAFF_PASSWORD}))
            .send()
            .await
            .unwrap();
    assert!(r.status().is_success(), "{}", r.status());
    let (_, page) = trail(&f, &f.hr, &format!("actor={officer}")).await;
    assert_eq!(page["total"], 1, "{page}");
    assert_eq!(page["items"][0]["actor_name"], Value::Null);
    assert_eq!(page["items"][0]["after"], "approved");
}

#[tokio::test]
async fn the_trail_cannot_be_changed_or_deleted() {
    use app::accounts::vault::Vault;
    use app::portal::{Portal, Settings};
    let dir = tempfile::tempdir().unwrap();
    let portal = Portal::open(
        &common::database_url(dir.path()),
        Vault::ephemeral().unwrap(),
        Settings::default(),
    )
    .await
    .unwrap();
    let write = app::audit::store::Write {
        record: "claim:1".into(),
        action: "claim",
        city: Some("510100"),
        before: Some("approved".into()),
        after: Some("paid".into()),
    };
    let who = app::audit::store::Who::operator();
    let mut tx = portal.db.write_tx().await.unwrap();
    app::audit::store::record_write(&mut tx, "2030-05-01T00:00:00+00:00", &who, &write)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let mut conn = portal.db.pool().acquire().await.unwrap();
    for sql in [
        "UPDATE audit_writes SET after_value = 'rejected'",
        "UPDATE audit_writes SET actor_ref = 'someone else'",
        "DELETE FROM audit_writes",
    ] {
        let refused = sqlx::query(sql).execute(&mut *conn).await;
        assert!(refused.is_err(), "{sql} must be refused");
    }
    let kept: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM audit_writes WHERE after_value = 'paid'")
            .fetch_one(&mut *conn)
            .await
            .unwrap();
    assert_eq!(kept, 1);
}

async fn delete_account(f: &Flow, session: &str) -> (u16, Value) {
    let r =
        f.s.client
            .delete(f.s.url("/api/v1/me"))
            .header("cookie", session)
            .json(&json!({"password": PASSWORD}))
            .send()
            .await
            .unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn the_subsidy_history_follows_the_person_not_the_account() {
    let f = flow().await;
    let me = trainee(&f.s, 31).await;
    let weld = f.certificate(&me, "S-WELD", false, None).await;
    let (status, claim) = f.claim(&me, weld).await;
    assert_eq!(status, 201, "{claim}");
    let claim_id = claim["id"].as_i64().unwrap();

    // While the claim is open the account stays, and says why.
    let (status, refused) = delete_account(&f, &me).await;
    assert_eq!(status, 409, "{refused}");
    let said = refused["error"]["fields"]["account"].as_str().unwrap();
    assert!(said.contains("1 个未办结的补贴申领"), "{refused}");
    let (_, mine) = get(&f.s, "/api/v1/me", &me).await;
    assert!(mine["name"].is_string(), "still there: {mine}");

    let (status, body) = f
        .decide(&f.hr, claim_id, json!({"decision": "approve"}))
        .await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = f.pay(claim_id).await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = delete_account(&f, &me).await;
    assert!(status < 300, "{status} {body}");

    // The same person signs up again: the welder's subsidy was paid to them already.
    let again = trainee(&f.s, 31).await;
    let weld_again = f.certificate(&again, "S-WELD", false, None).await;
    let (status, refused) = f.claim(&again, weld_again).await;
    assert_eq!(status, 422, "{refused}");
    assert_eq!(failed_rules(&refused), ["same_occupation_level"]);
    let cap = reason_ok(&refused, "yearly_cap")["message"]
        .as_str()
        .unwrap();
    assert!(
        cap.contains("今年已申领 1 次"),
        "the paid claim counts: {cap}"
    );
}

/// A rule's verdict, met or not.
fn reason_ok<'a>(body: &'a Value, rule: &str) -> &'a Value {
    body["error"]["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["rule"] == rule)
        .unwrap_or_else(|| panic!("no {rule} in {body}"))
}

#[tokio::test]
async fn the_living_allowance_follows_the_days_attended_and_the_claim_says_how() {
    let f = flow().await;
    let me = trainee(&f.s, 41).await;
    f.verified_group(&me, "poverty_monitored", "JC-5101-2026-0041")
        .await;
    // S-WELD: 120 hours over 61 days, 2 a day; the flow records one day of 8 hours.
    let certificate = f.certificate(&me, "S-WELD", false, None).await;
    let (status, claim) = f.claim(&me, certificate).await;
    assert_eq!(status, 201, "{claim}");
    assert_eq!(
        claim["amount_yuan"], "1010.00",
        "960 + one day's 50: {claim}"
    );
    assert_eq!(
        claim["breakdown"],
        json!({
            "standard_yuan": "1200.00",
            "share_percent": 80,
            "training_subsidy_yuan": "960.00",
            "attended_days": 1,
            "living_allowance_yuan": "50.00",
            "groups": ["poverty_monitored"],
            "employed": false
        })
    );
    // The HR officer sees the same breakdown.
    let (_, queue) = get(&f.s, "/api/v1/staff/subsidies", &f.hr).await;
    assert_eq!(queue["items"][0]["breakdown"], claim["breakdown"]);
    assert_eq!(
        queue["items"][0]["signals"],
        json!([]),
        "nothing to look at twice"
    );
}

#[tokio::test]
async fn the_hr_queue_flags_what_to_look_at_twice_without_refusing() {
    let f = flow().await;
    let me = trainee(&f.s, 51).await;
    // The institution trained them and records the job itself.
    let certificate = f.certificate(&me, "S-WELD", true, None).await;
    let (_, mine) = get(&f.s, "/api/v1/me/enrollments", &me).await;
    let id = mine["items"][0]["id"].as_i64().unwrap();
    // Two more days of attendance entered two weeks after the class ended.
    for day in ["2030-03-02", "2030-03-03"] {
        let (status, body) =
            staff_step(&f, id, "attendance", json!({"date": day, "hours": 2})).await;
        assert_eq!(status, 200, "{body}");
    }
    // Groups changed the day of the claim.
    let r = f
        .s
        .client
        .put(f.s.url("/api/v1/me/groups"))
        .header("cookie", &me)
        .json(
            &json!({"groups": ["graduate"], "evidence": {"graduate": {"number": "BY-2024-0051"}},
                          "city": "510100", "consent": true}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let (status, claim) = f.claim(&me, certificate).await;
    assert_eq!(status, 201, "signals never refuse: {claim}");
    let (_, queue) = get(&f.s, "/api/v1/staff/subsidies", &f.hr).await;
    assert_eq!(
        queue["items"][0]["signals"],
        json!([
            "groups_changed_recently",
            "attendance_after_the_end",
            "job_recorded_by_the_institution"
        ])
    );
    let page =
        f.s.get_as("/staff/subsidies", &f.hr)
            .await
            .text()
            .await
            .unwrap();
    assert!(
        page.contains("多数考勤在结业后补录"),
        "the page says it too"
    );
}

#[tokio::test]
async fn a_job_recorded_after_the_claim_tops_it_up_once_through_the_same_review() {
    let f = flow().await;
    let me = trainee(&f.s, 61).await;
    // Certified on 2030-05-15 without a job: 80 % of 1 200.
    let certificate = f.certificate(&me, "S-WELD", false, None).await;
    let (status, first) = f.claim(&me, certificate).await;
    assert_eq!(status, 201, "{first}");
    assert_eq!(first["amount_yuan"], "960.00");
    let first_id = first["id"].as_i64().unwrap();
    let approve = json!({"decision": "approve"});
    assert_eq!(f.decide(&f.hr, first_id, approve).await.0, 200);
    assert_eq!(f.pay(first_id).await.0, 200);
    // Nothing more is due until a job that counts is recorded.
    let (status, _) = f.claim(&me, certificate).await;
    assert_eq!(status, 409);
    let (_, mine) = get(&f.s, "/api/v1/me/enrollments", &me).await;
    let id = mine["items"][0]["id"].as_i64().unwrap();
    f.s.travel_to_day("2030-06-20").await;
    let job = json!({"employed": true, "employer": "某公司", "since": "2030-06-01",
                     "evidence_type": "contract", "evidence_ref": "HT-61"});
    assert_eq!(staff_step(&f, id, "employment", job).await.0, 200);

    // The trainee is offered the difference, and claims it.
    let (_, offers) = get(&f.s, "/api/v1/me/subsidies", &me).await;
    let offer = offers["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["status"] == "eligible")
        .cloned()
        .unwrap_or_else(|| panic!("a top-up offered: {offers}"));
    assert_eq!(offer["amount_yuan"], "240.00");
    assert_eq!(offer["top_up_of"], first_id);
    let (status, top_up) = f.claim(&me, certificate).await;
    assert_eq!(status, 201, "{top_up}");
    assert_eq!(
        (top_up["percent"].as_u64(), top_up["amount_yuan"].as_str()),
        (Some(100), Some("240.00"))
    );
    assert_eq!(top_up["top_up_of"], first_id);
    assert_eq!(top_up["status"], "submitted");
    // Once.
    let (status, body) = f.claim(&me, certificate).await;
    assert_eq!(status, 409, "{body}");
    // The same review: the HR officer approves it like any claim.
    let top_up_id = top_up["id"].as_i64().unwrap();
    let (status, body) = f
        .decide(&f.hr, top_up_id, json!({"decision": "approve"}))
        .await;
    assert_eq!(status, 200, "{body}");
    // It is not another subsidy: the yearly cap still counts one.
    let other = f.certificate(&me, "S-COOK", false, None).await;
    let (status, claim) = f.claim(&me, other).await;
    assert_eq!(status, 201, "{claim}");
    let cap = claim["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["rule"] == "yearly_cap")
        .unwrap()["message"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(cap.contains("今年已申领 1 次"), "{cap}");
}
