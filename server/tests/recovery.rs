//! Fund integrity II: a certificate revoked or corrected by a named person, the claims on it
//! stopped, the money already paid recovered (追回), and certificate numbers that cannot be
//! walked. Over real HTTP against a spawned server (SQLite, or PostgreSQL with
//! PEIXUN_TEST_POSTGRES).
// A test: a panic is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::flow::*;
use serde_json::{json, Value};

/// The trainee's only certificate of `code`, as their wallet lists it.
async fn wallet_entry(f: &Flow, me: &str, id: i64) -> Value {
    let (status, wallet) = get(&f.s, "/api/v1/me/certificates", me).await;
    assert_eq!(status, 200, "{wallet}");
    wallet["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .cloned()
        .expect("the certificate in the wallet")
}

async fn verify(f: &Flow, number: &str, name: &str) -> Value {
    let path = format!(
        "/api/v1/certificates/verify?number={}&name={}",
        urlencoding(number),
        urlencoding(name)
    );
    let (status, body) = f.s.get_json(&path).await;
    assert_eq!(status, 200, "{body}");
    body
}

fn urlencoding(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

/// A claim for `certificate`, approved and paid by Chengdu's HR officer; its id.
async fn paid_claim(f: &Flow, me: &str, certificate: i64) -> i64 {
    let (status, claim) = f.claim(me, certificate).await;
    assert_eq!(status, 201, "{claim}");
    let id = claim["id"].as_i64().unwrap();
    let (status, body) = f.decide(&f.hr, id, json!({"decision": "approve"})).await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = f.pay(id).await;
    assert_eq!(status, 200, "{body}");
    id
}

async fn revoke(f: &Flow, who: &str, number: &str, body: Value) -> (u16, Value) {
    let path = format!("/api/v1/staff/certificates/{number}/revoke");
    post(&f.s, &path, who, body).await
}

async fn my_claim(f: &Flow, me: &str, id: i64) -> Value {
    let (status, mine) = get(&f.s, "/api/v1/me/subsidies", me).await;
    assert_eq!(status, 200, "{mine}");
    mine["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .cloned()
        .expect("the claim")
}

#[tokio::test]
async fn a_revoked_certificate_verifies_as_revoked_and_its_paid_claim_is_recovered() {
    let f = flow().await;
    let me = trainee(&f.s, 11).await;
    let (_, profile) = get(&f.s, "/api/v1/me", &me).await;
    let name = profile["name"].as_str().unwrap().to_string();
    let certificate = f.certificate(&me, "S-WELD", false, None).await;
    let number = wallet_entry(&f, &me, certificate).await["number"]
        .as_str()
        .unwrap()
        .to_string();
    let claim = paid_claim(&f, &me, certificate).await;
    let paid = my_claim(&f, &me, claim).await["amount_yuan"].clone();

    // Only the issuing organisation's evaluator or the city's HR officer, and with a reason.
    let other_org = staff_as(
        &f.s,
        "13100000009",
        "evaluator",
        ("--evaluation-org", "别的评价中心"),
    )
    .await;
    for (who, expected) in [(&other_org, 403), (&f.institution, 403), (&me, 403)] {
        let (status, body) = revoke(&f, who, &number, json!({"reason": "考试作弊"})).await;
        assert_eq!(status, expected, "{body}");
    }
    let (status, body) = revoke(&f, &f.hr_elsewhere, &number, json!({"reason": "x"})).await;
    assert_eq!(
        status, 404,
        "another city's certificate is not found: {body}"
    );
    let (status, body) = revoke(&f, &f.evaluator, &number, json!({"reason": " "})).await;
    assert_eq!(status, 400, "{body}");
    assert!(body["error"]["fields"]["reason"].is_string(), "{body}");
    assert_eq!(verify(&f, &number, &name).await["valid"], true);

    let (status, body) = revoke(&f, &f.evaluator, &number, json!({"reason": "考试作弊"})).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["status"], "revoked", "{body}");
    let (status, again) = revoke(&f, &f.hr, &number, json!({"reason": "再次"})).await;
    assert_eq!(status, 409, "revoked once: {again}");

    // Verification: revoked for the right number and name, nothing for anything else.
    assert_eq!(
        verify(&f, &number, &name).await,
        json!({"valid": false, "status": "revoked"})
    );
    assert_eq!(verify(&f, &number, "别人").await, json!({"valid": false}));
    assert_eq!(
        wallet_entry(&f, &me, certificate).await["status"],
        "revoked"
    );

    // The money paid on it is due back; the trainee sees it on the claim and in the inbox.
    let mine = my_claim(&f, &me, claim).await;
    assert_eq!(mine["status"], "paid", "{mine}");
    assert_eq!(mine["recovery"]["status"], "due", "{mine}");
    assert_eq!(mine["recovery"]["amount_yuan"], paid);
    assert_eq!(mine["recovery"]["reason"], "考试作弊");
    let (_, inbox) = get(&f.s, "/api/v1/me/notifications", &me).await;
    assert!(
        inbox["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["kind"] == "recovery" && n["status"] == "due"),
        "{inbox}"
    );
    // The account cannot be deleted while money is due back.
    let r =
        f.s.client
            .delete(f.s.url("/api/v1/me"))
            .header("cookie", &me)
            .json(&json!({"password": PASSWORD}))
            .send()
            .await
            .unwrap();
    assert_eq!(r.status(), 409, "{}", r.text().await.unwrap());

    // The city's HR officer sees it (the claimant masked), another city does not.
    let (status, list) = get(&f.s, "/api/v1/staff/recoveries", &f.hr).await;
    assert_eq!(status, 200, "{list}");
    let items = list["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{list}");
    let recovery = &items[0];
    assert_eq!(recovery["claim_id"], claim);
    assert_eq!(recovery["status"], "due");
    assert_eq!(recovery["amount_yuan"], paid);
    assert_eq!(recovery["certificate_number"], number.as_str());
    assert!(
        !recovery["claimant"].as_str().unwrap().contains(&name[3..]),
        "masked: {recovery}"
    );
    let (_, elsewhere) = get(&f.s, "/api/v1/staff/recoveries", &f.hr_elsewhere).await;
    assert_eq!(elsewhere["items"], json!([]));
    let (status, _) = get(&f.s, "/api/v1/staff/recoveries", &f.evaluator).await;
    assert_eq!(status, 403);
    // The institution sees the recoveries of its classes.
    let (status, theirs) = get(&f.s, "/api/v1/staff/recoveries", &f.institution).await;
    assert_eq!(status, 200, "{theirs}");
    assert_eq!(theirs["items"][0]["claim_id"], claim);

    let id = recovery["id"].as_i64().unwrap();
    let path = format!("/api/v1/staff/recoveries/{id}");
    let done = json!({"status": "recovered", "reason": "已退回财政专户"});
    let (status, body) = post(&f.s, &path, &f.hr_elsewhere, done.clone()).await;
    assert_eq!(status, 404, "{body}");
    let (status, body) = post(&f.s, &path, &f.hr, json!({"status": "recovered"})).await;
    assert_eq!(status, 400, "a reason is needed: {body}");
    let (status, body) = post(&f.s, &path, &f.hr, json!({"status": "due", "reason": "x"})).await;
    assert_eq!(status, 400, "{body}");
    let (status, body) = post(&f.s, &path, &f.hr, done.clone()).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["status"], "recovered");
    assert!(body["decided_by"].is_string(), "named: {body}");
    assert!(body["decided_at"].is_string(), "{body}");
    let (status, body) = post(&f.s, &path, &f.hr, done).await;
    assert_eq!(status, 409, "decided once: {body}");
    assert_eq!(
        my_claim(&f, &me, claim).await["recovery"]["status"],
        "recovered"
    );

    // The trail names each step.
    let (_, trail) = get(&f.s, "/api/v1/staff/audit?per_page=100", &f.hr).await;
    let actions: Vec<&str> = trail["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["action"].as_str().unwrap())
        .collect();
    for action in ["certificate_revoked", "recovery_opened", "recovery"] {
        assert!(actions.contains(&action), "{action} in {actions:?}");
    }
}

#[tokio::test]
async fn revoking_stops_an_unpaid_claim_and_the_certificate_cannot_be_claimed_again() {
    let f = flow().await;
    let me = trainee(&f.s, 12).await;
    let certificate = f.certificate(&me, "S-COOK", false, None).await;
    let number = wallet_entry(&f, &me, certificate).await["number"]
        .as_str()
        .unwrap()
        .to_string();
    let (status, claim) = f.claim(&me, certificate).await;
    assert_eq!(status, 201, "{claim}");
    let claim = claim["id"].as_i64().unwrap();
    let (status, body) = revoke(&f, &f.hr, &number, json!({"reason": "冒名顶替"})).await;
    assert_eq!(status, 200, "{body}");
    let mine = my_claim(&f, &me, claim).await;
    assert_eq!(mine["status"], "stopped", "{mine}");
    assert!(mine["recovery"].is_null(), "nothing was paid: {mine}");
    let (_, list) = get(&f.s, "/api/v1/staff/recoveries", &f.hr).await;
    assert_eq!(list["items"], json!([]));
    // A stopped claim is never approved, and the certificate is not claimable any more.
    let (status, body) = f.decide(&f.hr, claim, json!({"decision": "approve"})).await;
    assert_eq!(status, 409, "{body}");
    let (status, body) = f.claim(&me, certificate).await;
    assert!(status == 409 || status == 422, "{status} {body}");
}

#[tokio::test]
async fn a_correction_changes_the_date_and_score_with_a_reason_and_a_name() {
    let f = flow().await;
    let me = trainee(&f.s, 13).await;
    let (_, profile) = get(&f.s, "/api/v1/me", &me).await;
    let name = profile["name"].as_str().unwrap().to_string();
    let certificate = f.certificate(&me, "S-TEA", false, None).await;
    let number = wallet_entry(&f, &me, certificate).await["number"]
        .as_str()
        .unwrap()
        .to_string();
    let path = format!("/api/v1/staff/certificates/{number}/correct");
    // The class ended on 2030-04-30; the clock is on 2030-05-15.
    let (status, body) = post(
        &f.s,
        &path,
        &f.evaluator,
        json!({"issued_on": "2030-05-01", "score": 91}),
    )
    .await;
    assert_eq!(status, 400, "a reason is needed: {body}");
    let (status, body) = post(
        &f.s,
        &path,
        &f.evaluator,
        json!({"issued_on": "2030-04-01", "reason": "录入错误"}),
    )
    .await;
    assert_eq!(status, 400, "before the class ended: {body}");
    assert!(body["error"]["fields"]["issued_on"].is_string(), "{body}");
    let (status, body) = post(
        &f.s,
        &path,
        &f.evaluator,
        json!({"score": 101, "reason": "录入错误"}),
    )
    .await;
    assert_eq!(status, 400, "{body}");
    let (status, body) = post(
        &f.s,
        &path,
        &f.hr_elsewhere,
        json!({"score": 90, "reason": "录入错误"}),
    )
    .await;
    assert_eq!(status, 404, "{body}");
    let (status, body) = post(
        &f.s,
        &path,
        &f.evaluator,
        json!({"issued_on": "2030-05-01", "score": 91, "reason": "录入错误"}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["issued_on"], "2030-05-01", "{body}");
    assert_eq!(verify(&f, &number, &name).await["issued_on"], "2030-05-01");
    let (_, trail) = get(&f.s, "/api/v1/staff/audit?per_page=100", &f.hr).await;
    let corrected = trail["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["action"] == "certificate_corrected")
        .cloned()
        .expect("the correction in the trail");
    assert!(
        corrected["before"].as_str().unwrap().contains("2030-05-15"),
        "{corrected}"
    );
    assert!(
        corrected["after"].as_str().unwrap().contains("2030-05-01"),
        "{corrected}"
    );
}

#[tokio::test]
async fn certificate_numbers_do_not_walk_and_a_changed_character_never_verifies() {
    let f = flow().await;
    let me = trainee(&f.s, 14).await;
    let (_, profile) = get(&f.s, "/api/v1/me", &me).await;
    let name = profile["name"].as_str().unwrap().to_string();
    let a = f.certificate(&me, "S-WELD", false, None).await;
    let b = f.certificate(&me, "S-COOK", false, None).await;
    let number = |c: Value| c["number"].as_str().unwrap().to_string();
    let (first, second) = (
        number(wallet_entry(&f, &me, a).await),
        number(wallet_entry(&f, &me, b).await),
    );
    for n in [&first, &second] {
        assert!(n.starts_with("PX2030"), "{n}");
        assert_eq!(n.len(), 17, "{n}");
        assert!(
            n[6..]
                .chars()
                .all(|c| c.is_ascii_digit() || c.is_ascii_uppercase()),
            "{n}"
        );
    }
    // Not one after the other: the random part differs in more than its last places.
    assert_ne!(first[6..13], second[6..13], "{first} {second}");
    // Each character of a number is checked: one changed never verifies.
    assert_eq!(verify(&f, &first, &name).await["valid"], true);
    let mut typo: Vec<char> = first.chars().collect();
    typo[9] = if typo[9] == '7' { '8' } else { '7' };
    let typo: String = typo.into_iter().collect();
    assert_eq!(verify(&f, &typo, &name).await, json!({"valid": false}));

    // A number of the old form keeps verifying.
    let pool = common::pool(&f.s.database()).await;
    sqlx::query("UPDATE certificates SET number = 'PX203000000001' WHERE id = $1")
        .bind(a)
        .execute(&pool)
        .await
        .unwrap();
    assert_eq!(verify(&f, "PX203000000001", &name).await["valid"], true);

    // Verification answers no other site's script: no CORS headers.
    let r =
        f.s.client
            .get(f.s.url("/api/v1/certificates/verify?number=PX1&name=x"))
            .header("origin", "https://example.org")
            .send()
            .await
            .unwrap();
    assert!(
        r.headers().get("access-control-allow-origin").is_none(),
        "{:?}",
        r.headers()
    );
}

/// The trainee disputes a record ("这不是我"); its id.
async fn dispute(f: &Flow, me: &str, kind: &str, id: i64) -> i64 {
    let body = json!({"kind": kind, "id": id, "note": "不是我本人"});
    let (status, filed) = post(&f.s, "/api/v1/me/disputes", me, body).await;
    assert_eq!(status, 201, "{filed}");
    filed["id"].as_i64().unwrap()
}

async fn resolve(f: &Flow, id: i64, body: Value) -> (u16, Value) {
    let path = format!("/api/v1/staff/disputes/{id}/resolve");
    post(&f.s, &path, &f.hr, body).await
}

#[tokio::test]
async fn a_dispute_that_voids_the_enrolment_revokes_its_certificate_and_recovers_the_money() {
    let f = flow().await;
    let me = trainee(&f.s, 15).await;
    let (_, profile) = get(&f.s, "/api/v1/me", &me).await;
    let name = profile["name"].as_str().unwrap().to_string();
    let certificate = f.certificate(&me, "S-WELD", false, None).await;
    let number = wallet_entry(&f, &me, certificate).await["number"]
        .as_str()
        .unwrap()
        .to_string();
    let claim = paid_claim(&f, &me, certificate).await;
    let enrollment = my_enrollment(&f.s, &me, "S-WELD").await["id"]
        .as_i64()
        .unwrap();
    let id = dispute(&f, &me, "enrollment", enrollment).await;

    // An unknown action, or one that does not fit, changes nothing.
    let (status, body) = resolve(&f, id, json!({"note": "核实", "action": "burn"})).await;
    assert_eq!(status, 400, "{body}");
    let (status, body) =
        resolve(&f, id, json!({"note": "核实", "action": "void_attendance"})).await;
    assert_eq!(status, 400, "dates are needed: {body}");
    assert!(body["error"]["fields"]["dates"].is_string(), "{body}");
    assert_eq!(verify(&f, &number, &name).await["valid"], true);

    let (status, body) = resolve(
        &f,
        id,
        json!({"note": "经核实为冒名报名", "action": "void_enrollment"}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["status"], "resolved", "{body}");
    assert_eq!(body["action"], "void_enrollment", "{body}");
    assert_eq!(my_enrollment(&f.s, &me, "S-WELD").await["status"], "voided");
    assert_eq!(
        verify(&f, &number, &name).await,
        json!({"valid": false, "status": "revoked"})
    );
    let mine = my_claim(&f, &me, claim).await;
    assert_eq!(mine["recovery"]["status"], "due", "{mine}");
    assert_eq!(mine["recovery"]["cause"], "enrollment_voided", "{mine}");
    // The institution is told.
    let (_, told) = get(&f.s, "/api/v1/me/notifications", &f.institution).await;
    assert!(
        told["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["kind"] == "dispute" && n["status"] == "void_enrollment"),
        "{told}"
    );
    let (status, body) = resolve(&f, id, json!({"note": "again", "action": "none"})).await;
    assert_eq!(status, 409, "resolved once: {body}");
}

#[tokio::test]
async fn a_dispute_can_void_attendance_days_or_stop_a_claim() {
    let f = flow().await;
    let me = trainee(&f.s, 16).await;
    let certificate = f.certificate(&me, "S-COOK", false, None).await;
    let (status, claim) = f.claim(&me, certificate).await;
    assert_eq!(status, 201, "{claim}");
    let claim = claim["id"].as_i64().unwrap();
    let enrollment = my_enrollment(&f.s, &me, "S-COOK").await["id"]
        .as_i64()
        .unwrap();

    // Attendance: the day recorded (the class's first) is voided; the claim on it stops.
    let id = dispute(&f, &me, "attendance", enrollment).await;
    let (status, body) = resolve(
        &f,
        id,
        json!({"note": "当天未到课", "action": "void_attendance", "dates": ["2030-13-01"]}),
    )
    .await;
    assert_eq!(status, 400, "{body}");
    let (status, body) = resolve(
        &f,
        id,
        json!({"note": "当天未到课", "action": "void_attendance", "dates": ["2030-03-01"]}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let (_, roster) = get(&f.s, "/api/v1/staff/classes/S-COOK/roster", &f.institution).await;
    let row = roster["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == enrollment)
        .cloned()
        .expect("on the roster");
    assert_eq!(row["hours_attended"], 0, "{row}");
    assert_eq!(my_claim(&f, &me, claim).await["status"], "stopped");

    // A claim of someone else's making is stopped by its own dispute.
    let other = trainee(&f.s, 17).await;
    let certificate = f.certificate(&other, "S-TEA", false, None).await;
    let (_, claim) = f.claim(&other, certificate).await;
    let claim = claim["id"].as_i64().unwrap();
    let id = dispute(&f, &other, "subsidy", claim).await;
    let (status, body) = resolve(
        &f,
        id,
        json!({"resolution": "申领非本人所为", "action": "stop_claim"}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(my_claim(&f, &other, claim).await["status"], "stopped");
}

#[tokio::test]
async fn a_raised_capacity_goes_to_the_waiting_list_first() {
    let s = server().await;
    s.travel_to_day("2030-02-01").await;
    let (first, second, third) = (
        trainee(&s, 21).await,
        trainee(&s, 22).await,
        trainee(&s, 23).await,
    );
    assert_eq!(enroll(&s, "E-ONE", &first).await.1["status"], "approved");
    assert_eq!(enroll(&s, "E-ONE", &second).await.1["status"], "waitlisted");
    assert_eq!(enroll(&s, "E-ONE", &third).await.1["status"], "waitlisted");

    // The city raises the class to two seats: the head of the waiting list gets the new one.
    let raised = common::edited_fixture(common::e_one_with_two_seats);
    let unchanged = common::edited_fixture(str::to_string);
    assert_ne!(
        raised, unchanged,
        "the fixture's capacity is where the test expects"
    );
    common::import_csv(&s, &raised, &[]);
    assert_eq!(
        my_enrollment(&s, &second, "E-ONE").await["status"],
        "approved"
    );
    assert_eq!(
        my_enrollment(&s, &third, "E-ONE").await["status"],
        "waitlisted"
    );
    assert_eq!(seats_left(&s, "E-ONE").await, 0);
    let (_, inbox) = get(&s, "/api/v1/me/notifications", &second).await;
    assert!(
        inbox["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["kind"] == "enrollment" && n["status"] == "approved"),
        "{inbox}"
    );
}

#[tokio::test]
async fn when_a_class_starts_its_waiting_list_is_released_with_a_reason() {
    let s = server().await;
    s.travel_to_day("2030-02-01").await;
    let (first, second) = (trainee(&s, 24).await, trainee(&s, 25).await);
    assert_eq!(enroll(&s, "E-ONE", &first).await.1["status"], "approved");
    assert_eq!(enroll(&s, "E-ONE", &second).await.1["status"], "waitlisted");
    // The day before the start nothing changes; on the start date (2030-03-01) the server's
    // sweep (every second in the suite) releases the waiting place.
    s.travel_to_day("2030-02-28").await;
    tokio::time::sleep(std::time::Duration::from_millis(2500)).await;
    assert_eq!(
        my_enrollment(&s, &second, "E-ONE").await["status"],
        "waitlisted"
    );
    s.travel_to_day("2030-03-01").await;
    let mut released = Value::Null;
    for _ in 0..100 {
        released = my_enrollment(&s, &second, "E-ONE").await;
        if released["status"] != "waitlisted" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(released["status"], "cancelled", "{released}");
    let (_, inbox) = get(&s, "/api/v1/me/notifications", &second).await;
    let told = inbox["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["kind"] == "enrollment" && n["status"] == "cancelled")
        .cloned()
        .expect("told in the inbox");
    assert!(
        told["message"].as_str().unwrap().contains("班级已开班"),
        "{told}"
    );
    assert_eq!(
        my_enrollment(&s, &first, "E-ONE").await["status"],
        "approved"
    );
}
