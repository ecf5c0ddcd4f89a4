//! The API's contract (../shared/docs/api.md) where it is the same for every endpoint: every
//! list in one envelope with its pages, a malformed body named field by field (400, never
//! 422), repeated boolean facets read as "either", and a claim's rule verdicts apart from the
//! HR officer's note.
// A test: a panic is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::flow::*;
use serde_json::{json, Value};

/// Walks a list by pages: the envelope's four fields, page 1 of everything, then one item per
/// page; the second page holds the second item. Returns the whole first page.
async fn paged(s: &common::Server, path: &str, session: &str) -> Value {
    let join = if path.contains('?') { '&' } else { '?' };
    let (status, all) = get(s, path, session).await;
    assert_eq!(status, 200, "{path}: {all}");
    for key in ["items", "total", "page", "per_page"] {
        assert!(all.get(key).is_some(), "{path} lacks `{key}`: {all}");
    }
    let total = all["total"].as_u64().unwrap();
    assert!(total >= 2, "{path}: the test needs two items, has {all}");
    assert_eq!(all["page"], 1, "{path}");
    assert_eq!(all["per_page"], 20, "{path}");
    let items = all["items"].as_array().unwrap();
    assert_eq!(items.len() as u64, total.min(20), "{path}");
    let (_, first) = get(s, &format!("{path}{join}per_page=1"), session).await;
    let (_, second) = get(s, &format!("{path}{join}per_page=1&page=2"), session).await;
    assert_eq!(first["total"], total, "{path}");
    assert_eq!(
        (first["page"].as_u64(), first["per_page"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(
        (second["page"].as_u64(), second["per_page"].as_u64()),
        (Some(2), Some(1))
    );
    assert_eq!(
        first["items"].as_array().unwrap().len(),
        1,
        "{path}: {first}"
    );
    assert_eq!(
        first["items"][0], items[0],
        "{path}: page 1 of 1 is the first item"
    );
    assert_eq!(
        second["items"][0], items[1],
        "{path}: page 2 of 1 is the second item"
    );
    let (_, beyond) = get(s, &format!("{path}{join}page=99"), session).await;
    assert_eq!(beyond["items"], json!([]), "{path}: past the last page");
    assert_eq!(beyond["total"], total, "{path}");
    for (bad, field) in [
        ("per_page=0", "per_page"),
        ("per_page=101", "per_page"),
        ("page=x", "page"),
    ] {
        let (status, body) = get(s, &format!("{path}{join}{bad}"), session).await;
        assert_eq!(status, 400, "{path}{join}{bad}: {body}");
        assert!(
            body["error"]["fields"][field].is_string(),
            "{path}{join}{bad}: {body}"
        );
    }
    all
}

/// Takes `me` through class `code` to "completed" without an assessment.
async fn completed(f: &Flow, me: &str, code: &str) {
    f.s.travel_to_day("2030-02-01").await;
    let (status, enrolled) = enroll(&f.s, code, me).await;
    assert_eq!(status, 201, "{enrolled}");
    let id = enrolled["id"].as_i64().unwrap();
    f.s.travel_to_day("2030-05-05").await;
    for to in ["in_training", "completed"] {
        let path = format!("/api/v1/staff/enrollments/{id}/status");
        let (status, body) = post(&f.s, &path, &f.institution, json!({"status": to})).await;
        assert_eq!(status, 200, "{body}");
    }
}

#[tokio::test]
async fn every_list_answers_in_one_envelope_and_keeps_to_its_pages() {
    let f = flow().await;
    let s = &f.s;
    let me = trainee(s, 1).await;
    let other = trainee(s, 2).await;
    let weld = f.certificate(&me, "S-WELD", false, None).await;
    f.certificate(&me, "S-TEA", false, None).await;
    let cook = f.certificate(&other, "S-COOK", false, None).await;
    let (status, claim) = f.claim(&me, weld).await;
    assert_eq!(status, 201, "{claim}");
    assert_eq!(f.claim(&other, cook).await.0, 201);
    completed(&f, &other, "S-CHILI").await;
    completed(&f, &other, "S-ELEC4").await;
    let enrolment = get(s, "/api/v1/me/enrollments", &me).await.1["items"][0]["id"].clone();
    for (kind, id) in [("enrollment", enrolment), ("subsidy", claim["id"].clone())] {
        let (status, body) = post(
            s,
            "/api/v1/me/disputes",
            &me,
            json!({"kind": kind, "id": id, "note": "不是我"}),
        )
        .await;
        assert_eq!(status, 201, "{body}");
    }

    paged(s, "/api/v1/me/enrollments", &me).await;
    paged(s, "/api/v1/me/certificates", &me).await;
    paged(s, "/api/v1/me/disputes", &me).await;
    let inbox = paged(s, "/api/v1/me/notifications", &me).await;
    assert!(inbox["unread"].as_u64().unwrap() >= 2, "{inbox}");
    paged(s, "/api/v1/staff/classes", &f.institution).await;
    paged(s, "/api/v1/staff/subsidies", &f.hr).await;
    paged(s, "/api/v1/staff/disputes", &f.hr).await;
    paged(s, "/api/v1/staff/assessments", &f.evaluator).await;

    // 我的补贴: what may still be claimed first, then the claims, paged together.
    let mine = paged(s, "/api/v1/me/subsidies", &me).await;
    assert_eq!(mine["total"], 2, "{mine}");
    assert_eq!(mine["items"][0]["status"], "eligible", "{mine}");
    assert_eq!(mine["items"][1]["status"], "submitted", "{mine}");

    // A filter of a staff list pages what it keeps.
    let (status, submitted) = get(
        s,
        "/api/v1/staff/subsidies?status=submitted&per_page=1",
        &f.hr,
    )
    .await;
    assert_eq!(status, 200, "{submitted}");
    assert_eq!(
        (
            submitted["total"].as_u64(),
            submitted["items"].as_array().map(Vec::len)
        ),
        (Some(2), Some(1))
    );
    let (status, body) = get(s, "/api/v1/staff/subsidies?colour=red", &f.hr).await;
    assert_eq!(status, 400, "an unknown parameter is named: {body}");
    assert!(body["error"]["fields"]["colour"].is_string(), "{body}");
}

#[tokio::test]
async fn a_malformed_body_is_400_and_names_the_field() {
    let f = flow().await;
    let s = &f.s;
    let me = trainee(s, 1).await;
    let send = |body: &'static str, content_type: &'static str| {
        s.client
            .post(s.url("/api/v1/me/subsidies"))
            .header("cookie", &me)
            .header("content-type", content_type)
            .body(body)
            .send()
    };
    for (body, field) in [
        (r#"{"certificate_id": "seven"}"#, "certificate_id"),
        (r#"{}"#, "certificate_id"),
        (r#"{"certificate_id": 1.5}"#, "certificate_id"),
        (r#"{"certificate_id": "#, "body"),
        (r#"[1, 2]"#, "body"),
    ] {
        let r = send(body, "application/json").await.unwrap();
        assert_eq!(r.status(), 400, "{body}");
        let answer: Value = r.json().await.unwrap();
        assert_eq!(
            answer["error"]["code"], "invalid_request",
            "{body}: {answer}"
        );
        assert!(
            answer["error"]["fields"][field].is_string(),
            "{body}: {answer}"
        );
        assert!(
            answer["error"]["fields_en"][field].is_string(),
            "{body}: {answer}"
        );
    }
    // A field deep inside the body is named by its path.
    let (status, answer) = post(
        s,
        "/api/v1/eligibility/check",
        &me,
        json!({"certificates": [{"occupation": "电工", "level": 5}]}),
    )
    .await;
    assert_eq!(status, 400, "{answer}");
    assert!(
        answer["error"]["fields"]["certificates[0].level"].is_string(),
        "{answer}"
    );
    // Not sent as JSON at all: 415, as before.
    let r = send(r#"{"certificate_id": 1}"#, "text/plain")
        .await
        .unwrap();
    assert_eq!(r.status(), 415);
    // 422 stays for what a rule refuses: a claim for a certificate without a standard.
    let none = f.certificate(&me, "S-NOSUB", false, None).await;
    let (status, refused) = f.claim(&me, none).await;
    assert_eq!(status, 422, "{refused}");
    assert_eq!(refused["error"]["code"], "not_eligible");
}

#[tokio::test]
async fn a_repeated_boolean_facet_means_either_value() {
    let s = server().await;
    let total = |path: &'static str| {
        let s = &s;
        async move {
            let (status, body) = s.get_json(path).await;
            assert_eq!(status, 200, "{path}: {body}");
            body["total"].as_u64().unwrap()
        }
    };
    let everything = total("/api/v1/courses").await;
    let free = total("/api/v1/courses?free=true").await;
    assert!(free < everything, "the fixture has free and paid courses");
    assert_eq!(
        total("/api/v1/courses?free=true&free=false").await,
        everything
    );
    assert_eq!(
        total("/api/v1/courses?free=false&free=true").await,
        everything
    );
    assert_eq!(total("/api/v1/courses?free=true&free=true").await, free);
    assert_eq!(
        total("/api/v1/courses?has_seats=true&has_seats=false").await,
        everything
    );
    let (status, _) = s.get_json("/api/v1/courses?free=maybe").await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn a_claim_carries_its_rule_verdicts_and_the_officers_note_apart() {
    let f = flow().await;
    let s = &f.s;
    let me = trainee(s, 1).await;
    let weld = f.certificate(&me, "S-WELD", false, None).await;
    let tea = f.certificate(&me, "S-TEA", false, None).await;
    let (_, mine) = get(s, "/api/v1/me/subsidies", &me).await;
    let eligible = &mine["items"][0];
    assert_eq!(eligible["status"], "eligible");
    let rules = |claim: &Value| -> Vec<String> {
        claim["reasons"]
            .as_array()
            .unwrap_or_else(|| panic!("no reasons in {claim}"))
            .iter()
            .inspect(|r| assert!(r["message"].is_string() && r["message_en"].is_string()))
            .map(|r| r["rule"].as_str().unwrap().to_string())
            .collect()
    };
    for rule in [
        "yearly_cap",
        "same_occupation_level",
        "higher_level_held",
        "claim_window",
    ] {
        assert!(
            rules(eligible).contains(&rule.to_string()),
            "{rule} in {eligible}"
        );
    }
    let (status, claim) = f.claim(&me, weld).await;
    assert_eq!(status, 201, "{claim}");
    assert!(
        claim.get("reason").is_none(),
        "HR's words are `note`: {claim}"
    );
    assert_eq!(claim["note"], Value::Null);
    assert!(
        claim["reasons"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["ok"] == true),
        "{claim}"
    );
    assert!(
        rules(&claim).contains(&"claim_window".to_string()),
        "{claim}"
    );
    let id = claim["id"].as_i64().unwrap();
    let (status, body) = f
        .decide(
            &f.hr,
            id,
            json!({"decision": "reject", "reason": "材料不全"}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (_, mine) = get(s, "/api/v1/me/subsidies", &me).await;
    let rejected = mine["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .unwrap();
    assert_eq!(rejected["status"], "rejected");
    assert_eq!(rejected["note"], "材料不全");
    assert!(!rules(rejected).is_empty(), "{rejected}");
    let (_, queue) = get(s, "/api/v1/staff/subsidies", &f.hr).await;
    let staff_view = &queue["items"][0];
    assert_eq!(staff_view["note"], "材料不全", "{queue}");
    assert!(staff_view.get("reason").is_none(), "{queue}");
    assert!(!rules(staff_view).is_empty(), "{queue}");
    let _ = tea;
}
