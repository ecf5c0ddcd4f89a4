//! Ratings (issue 18): a trainee who completed a class rates it once, changeable for 30 days;
//! the average shows on the course from 10 ratings; comments only reach the institution and
//! the city's HR officers, the rater masked; every rating is in the write trail. Over real
//! HTTP: the API and the 我的报名 form without JavaScript.
// A test: a panic is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::flow::*;
use serde_json::{json, Value};

const CLASS: &str = "S-WELD";

async fn rate(f: &Flow, me: &str, id: i64, body: Value) -> (u16, Value) {
    post(
        &f.s,
        &format!("/api/v1/me/enrollments/{id}/rating"),
        me,
        body,
    )
    .await
}

fn problem(body: &Value, field: &str) -> String {
    body["error"]["fields"][field]
        .as_str()
        .unwrap_or("")
        .to_string()
}

#[tokio::test]
async fn a_completed_class_is_rated_once_changeable_for_thirty_days_and_published_from_ten() {
    let f = flow().await;
    f.s.travel_to_day("2030-02-01").await;
    let mut people = Vec::new();
    for n in 1..=10 {
        let me = trainee(&f.s, n).await;
        let (status, enrolled) = enroll(&f.s, CLASS, &me).await;
        assert_eq!(status, 201, "{enrolled}");
        people.push((me, enrolled["id"].as_i64().unwrap()));
    }
    let (me, id) = people[0].clone();

    // Not before the class is completed.
    let (status, body) = rate(&f, &me, id, json!({"stars": 5})).await;
    assert_eq!(status, 409, "{body}");
    assert!(problem(&body, "enrollment").contains("结业"), "{body}");

    f.s.travel_to_day("2030-05-05").await;
    for (_, id) in &people {
        for to in ["in_training", "completed"] {
            let path = format!("/api/v1/staff/enrollments/{id}/status");
            let (status, body) = post(&f.s, &path, &f.institution, json!({"status": to})).await;
            assert_eq!(status, 200, "{body}");
        }
    }

    // Bad stars are named; nothing is kept.
    for bad in [
        json!({"stars": 0}),
        json!({"stars": 6}),
        json!({"stars": "five"}),
    ] {
        let (status, body) = rate(&f, &me, id, bad.clone()).await;
        assert_eq!(status, 400, "{bad}: {body}");
    }
    let (status, body) = rate(
        &f,
        &me,
        id,
        json!({"stars": 4, "comment": "好".repeat(501)}),
    )
    .await;
    assert_eq!(status, 400, "{body}");
    assert!(!problem(&body, "comment").is_empty(), "{body}");

    let (status, rating) = rate(&f, &me, id, json!({"stars": 4, "comment": " 实操课很好 "})).await;
    assert_eq!(status, 200, "{rating}");
    assert_eq!(rating["stars"], 4);
    assert_eq!(rating["comment"], "实操课很好");
    assert_eq!(rating["editable_until"], "2030-06-04");
    // The person's own copy of their data holds it, comment and all.
    let (status, export) = get(&f.s, "/api/v1/me/export", &me).await;
    assert_eq!(status, 200, "{export}");
    assert_eq!(export["ratings"][0]["comment"], "实操课很好", "{export}");
    // Someone else's enrolment is not mine to rate.
    let (other, _) = &people[1];
    assert_eq!(rate(&f, other, id, json!({"stars": 1})).await.0, 404);

    // One rating: the course publishes no average.
    let (_, course) = f.s.get_json(&format!("/api/v1/courses/{CLASS}")).await;
    assert_eq!(
        course["outcomes"]["average_rating"],
        Value::Null,
        "{course}"
    );
    assert_eq!(course["outcomes"]["ratings"], Value::Null);

    // Changed within the 30 days: one rating still, the new stars.
    f.s.travel_to_day("2030-06-01").await;
    let (status, changed) = rate(&f, &me, id, json!({"stars": 3})).await;
    assert_eq!(status, 200, "{changed}");
    assert_eq!(changed["stars"], 3);
    assert_eq!(changed["comment"], Value::Null);
    assert_eq!(changed["rated_at"], rating["rated_at"], "first given then");

    for (who, id) in &people[1..] {
        assert_eq!(rate(&f, who, *id, json!({"stars": 5})).await.0, 200);
    }
    // Ten ratings: (3 + 9 × 5) / 10 = 4.8.
    let (_, course) = f.s.get_json(&format!("/api/v1/courses/{CLASS}")).await;
    assert_eq!(course["outcomes"]["ratings"], 10, "{course}");
    assert_eq!(course["outcomes"]["average_rating"], 4.8);
    let page =
        f.s.get(&format!("/courses/{CLASS}"))
            .await
            .text()
            .await
            .unwrap();
    assert!(page.contains("4.8 分（满分 5 分，10 人评价）"));
    assert!(!page.contains("实操课很好"), "comments are never published");

    // Past the 30 days: the rating stays as it is.
    f.s.travel_to_day("2030-07-02").await;
    let (status, body) = rate(&f, &me, id, json!({"stars": 1})).await;
    assert_eq!(status, 409, "{body}");
    assert!(problem(&body, "enrollment").contains("30"), "{body}");

    // The comments reach the institution and the city's HR officers, the rater masked.
    let path = format!("/api/v1/staff/classes/{CLASS}/ratings");
    let (status, notes) = get(&f.s, &path, &f.institution).await;
    assert_eq!(status, 200, "{notes}");
    assert_eq!(notes.as_array().unwrap().len(), 10);
    let (status, notes) = get(&f.s, &path, &f.hr).await;
    assert_eq!(status, 200, "{notes}");
    for note in notes.as_array().unwrap() {
        assert!(note["author"].as_str().unwrap().contains('*'), "{note}");
    }
    for outsider in [&f.hr_elsewhere, &f.evaluator, &me] {
        assert_eq!(get(&f.s, &path, outsider).await.0, 403);
    }

    // Each rating and its change are in the city's write trail, from what to what.
    let (status, trail) = get(
        &f.s,
        &format!("/api/v1/staff/audit?record=enrollment:{id}&per_page=100"),
        &f.hr,
    )
    .await;
    assert_eq!(status, 200, "{trail}");
    let rates: Vec<(String, String)> = trail["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "rate")
        .map(|e| {
            (
                e["before"].as_str().unwrap_or("-").to_string(),
                e["after"].as_str().unwrap_or("-").to_string(),
            )
        })
        .collect();
    assert!(
        rates.contains(&("-".into(), "4 stars, a comment".into()))
            && rates.contains(&("4 stars, a comment".into(), "3 stars".into())),
        "{rates:?}"
    );
}

#[tokio::test]
async fn the_rating_form_in_my_enrolments_works_without_javascript() {
    let f = flow().await;
    f.s.travel_to_day("2030-02-01").await;
    let me = trainee(&f.s, 1).await;
    let (_, enrolled) = enroll(&f.s, CLASS, &me).await;
    let id = enrolled["id"].as_i64().unwrap();
    let page =
        f.s.get_as("/me/enrollments", &me)
            .await
            .text()
            .await
            .unwrap();
    assert!(!page.contains("评价这个培训"), "not before completion");
    f.s.travel_to_day("2030-05-05").await;
    for to in ["in_training", "completed"] {
        let path = format!("/api/v1/staff/enrollments/{id}/status");
        assert_eq!(
            post(&f.s, &path, &f.institution, json!({"status": to}))
                .await
                .0,
            200
        );
    }
    let page =
        f.s.get_as("/me/enrollments", &me)
            .await
            .text()
            .await
            .unwrap();
    assert!(page.contains("评价这个培训"));

    let send = |fields: Vec<(&'static str, &'static str)>| {
        f.s.client
            .post(f.s.url(&format!("/me/enrollments/{id}/rating")))
            .header("cookie", &me)
            .header("origin", &f.s.base)
            .form(&fields)
            .send()
    };
    // No stars chosen: the page again, saying so, nothing kept.
    let r = send(vec![("comment", "还行")]).await.unwrap();
    assert_eq!(r.status(), 400);
    assert!(r.text().await.unwrap().contains("应在 1 到 5 之间"));
    let (_, mine) = get(&f.s, "/api/v1/me/enrollments", &me).await;
    assert_eq!(mine["total"], 1);

    let r = send(vec![("stars", "5"), ("comment", "很实用")])
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], "/me/enrollments?rated=1");
    let page =
        f.s.get_as("/me/enrollments?rated=1", &me)
            .await
            .text()
            .await
            .unwrap();
    assert!(page.contains("已保存评价。"));
    assert!(page.contains("您的评价：5 星"));
    assert!(page.contains("可修改至 2030-06-04（含当天）"));
}
