//! A re-imported catalogue that moves a class's dates, format or address tells everyone
//! enrolled in it (issue 18 item 8), in both languages; other changes (a fee) and a file that
//! changes nothing tell no one. Over real HTTP, the file imported by the real binary.
// A test: a panic is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::flow::*;
use common::Server;
use serde_json::Value;

fn reimport(s: &Server, edit: impl Fn(&str) -> String) {
    common::import_csv(s, &common::edited_fixture(edit), &[]);
}

async fn messages(s: &Server, me: &str) -> Vec<Value> {
    let (status, inbox) = get(s, "/api/v1/me/notifications", me).await;
    assert_eq!(status, 200, "{inbox}");
    inbox["items"].as_array().unwrap().clone()
}

#[tokio::test]
async fn people_enrolled_hear_of_new_dates_format_or_address_and_of_nothing_else() {
    let s = server().await;
    s.travel_to_day("2030-02-01").await;
    let me = trainee(&s, 1).await;
    let (status, enrolled) = enroll(&s, "E-TEN", &me).await;
    assert_eq!(status, 201, "{enrolled}");
    let before = messages(&s, &me).await.len();

    // The same file again, and a new fee: nobody is told.
    reimport(&s, |l| l.to_string());
    reimport(&s, |l| {
        if l.starts_with("E-TEN,") {
            l.replace(",1800.00,", ",1600.00,")
        } else {
            l.to_string()
        }
    });
    assert_eq!(messages(&s, &me).await.len(), before);

    // A week later, and at weekends.
    reimport(&s, |l| {
        if l.starts_with("E-TEN,") {
            l.replace(",night,", ",weekend,")
                .replace("2030-03-01,2030-04-30", "2030-03-08,2030-05-07")
        } else {
            l.to_string()
        }
    });
    let now = messages(&s, &me).await;
    assert_eq!(now.len(), before + 1, "{now:?}");
    let told = &now[0];
    assert_eq!(told["kind"], "enrollment");
    assert_eq!(told["status"], "class_changed");
    assert_eq!(told["subject_id"], enrolled["id"]);
    let zh = told["message"].as_str().unwrap();
    assert!(
        zh.contains("班级信息有变化")
            && zh.contains("培训日期改为 2030-03-08 至 2030-05-07")
            && zh.contains("班型改为周末班"),
        "{zh}"
    );
    assert!(!zh.contains("地址"), "the address did not change: {zh}");
    let en = told["message_en"].as_str().unwrap();
    assert!(
        en.contains("2030-03-08 to 2030-05-07") && en.contains("Weekend classes"),
        "{en}"
    );
    // The inbox page says it too.
    let page = s.get_as("/me/inbox", &me).await.text().await.unwrap();
    assert!(page.contains("培训日期改为 2030-03-08 至 2030-05-07"));

    // Someone no longer enrolled is not told.
    let (_, mine) = get(&s, "/api/v1/me/enrollments", &me).await;
    let id = mine["items"][0]["id"].as_i64().unwrap();
    let path = format!("/api/v1/me/enrollments/{id}/cancel");
    assert_eq!(post(&s, &path, &me, serde_json::json!({})).await.0, 200);
    let count = messages(&s, &me).await.len();
    reimport(&s, |l| {
        if l.starts_with("E-TEN,") {
            l.replace("2030-03-01,2030-04-30", "2030-03-15,2030-05-14")
        } else {
            l.to_string()
        }
    });
    assert_eq!(messages(&s, &me).await.len(), count);
}
