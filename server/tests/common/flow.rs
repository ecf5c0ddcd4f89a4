//! The enrolment-to-subsidy flow the integration suites share: a server with the fixture
//! catalogues, trainees, staff of each role, and the steps between them over the API.
#![allow(dead_code)]

use super::{create_user, id_number, peixun, Server, STAFF_PASSWORD};
use serde_json::{json, Value};

pub const PASSWORD: &str = "培训 secret 2026";

/// A server with the enrolment fixture catalogue imported.
pub async fn server() -> Server {
    server_with(&[]).await
}

/// The same, started with `extra` arguments.
pub async fn server_with(extra: &[&str]) -> Server {
    server_in(tempfile::tempdir().unwrap(), extra).await
}

/// The same, on the database kept in `dir`.
pub async fn server_in(dir: tempfile::TempDir, extra: &[&str]) -> Server {
    let s = Server::start_in(dir, extra).await;
    let fixture = super::fixture("enrolment-catalog.csv");
    let out = peixun(&[
        "import-catalog",
        "--database-url",
        &s.database(),
        fixture.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    s
}

/// Signs up trainee `n` (born 1990-03-07) and returns their session cookie.
pub async fn trainee(s: &Server, n: u32) -> String {
    let phone = format!("1390000{n:04}");
    let id = id_number(&format!("51010419900307{:03}", n % 1000));
    let r = s.register(&phone, &id).await;
    assert_eq!(r.status(), 201, "sign-up {n}: {}", r.text().await.unwrap());
    s.login(&phone, PASSWORD).await
}

pub async fn post(s: &Server, path: &str, session: &str, body: Value) -> (u16, Value) {
    let r = s
        .client
        .post(s.url(path))
        .header("cookie", session)
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    let text = r.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

pub async fn enroll(s: &Server, code: &str, session: &str) -> (u16, Value) {
    post(
        s,
        &format!("/api/v1/courses/{code}/enroll"),
        session,
        json!({}),
    )
    .await
}

pub async fn get(s: &Server, path: &str, session: &str) -> (u16, Value) {
    let r = s.get_as(path, session).await;
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

pub async fn my_enrollment(s: &Server, session: &str, code: &str) -> Value {
    let (status, list) = get(s, "/api/v1/me/enrollments", session).await;
    let list = list["items"].clone();
    assert_eq!(status, 200);
    list.as_array()
        .unwrap()
        .iter()
        .find(|e| e["course"] == code)
        .cloned()
        .unwrap_or(Value::Null)
}

pub async fn seats_left(s: &Server, code: &str) -> u64 {
    let (_, course) = s.get_json(&format!("/api/v1/courses/{code}")).await;
    course["seats_left"].as_u64().unwrap()
}

pub fn failed_rules(body: &Value) -> Vec<String> {
    body["error"]["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["ok"] == false)
        .map(|r| r["rule"].as_str().unwrap().to_string())
        .collect()
}

pub fn reason<'a>(body: &'a Value, rule: &str) -> &'a Value {
    body["error"]["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["rule"] == rule && r["ok"] == false)
        .unwrap_or_else(|| panic!("no failing {rule} in {body}"))
}

/// A class's start and end dates, as the catalogue API gives them.
pub async fn class_dates(s: &Server, code: &str) -> (chrono::NaiveDate, chrono::NaiveDate) {
    let (status, course) = s.get_json(&format!("/api/v1/courses/{code}")).await;
    assert_eq!(status, 200, "{course}");
    let day = |key: &str| course[key].as_str().unwrap().parse().unwrap();
    (day("start_date"), day("end_date"))
}

pub async fn staff(s: &Server, phone: &str, institution: &str) -> String {
    create_user(
        s,
        &[
            "--role",
            "institution_staff",
            "--phone",
            phone,
            "--name",
            "机构老师",
            "--institution",
            institution,
        ],
    );
    s.login(phone, STAFF_PASSWORD).await
}

pub async fn assess(s: &Server, session: &str, body: Value) -> (u16, Value) {
    post(s, "/api/v1/staff/assessments", session, body).await
}

pub async fn staff_as(s: &Server, phone: &str, role: &str, scope: (&str, &str)) -> String {
    create_user(
        s,
        &[
            "--role",
            role,
            "--phone",
            phone,
            "--name",
            "工作人员",
            scope.0,
            scope.1,
        ],
    );
    s.login(phone, STAFF_PASSWORD).await
}

/// The fixture server with the subsidy courses too, an institution (INST-A), its evaluator
/// and the HR officers of Chengdu (the classes' city) and Mianyang.
/// The payee a test's claim names: the trainee's social-security card.
pub fn payee() -> Value {
    json!({"kind": "social_security_card", "account": "6217003810012345678"})
}

pub struct Flow {
    pub s: Server,
    pub institution: String,
    pub evaluator: String,
    pub hr: String,
    pub hr_elsewhere: String,
}

pub async fn flow() -> Flow {
    flow_on(server().await).await
}

/// The flow on server `s` (with the enrolment fixture imported, as `server_in` does).
pub async fn flow_on(s: Server) -> Flow {
    let fixture = super::fixture("subsidy-catalog.csv");
    let out = peixun(&[
        "import-catalog",
        "--database-url",
        &s.database(),
        fixture.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    Flow {
        institution: staff(&s, "13100000001", "INST-A").await,
        evaluator: staff_as(
            &s,
            "13100000003",
            "evaluator",
            ("--evaluation-org", "成都测试评价中心"),
        )
        .await,
        hr: staff_as(&s, "13100000005", "hr_officer", ("--city", "510100")).await,
        hr_elsewhere: staff_as(&s, "13100000006", "hr_officer", ("--city", "510700")).await,
        s,
    }
}

impl Flow {
    /// Takes `me` through class `code` to a pass and returns the certificate id, moving the
    /// server's clock as the days would pass: enrolment on 2030-02-01 (before every fixture
    /// class's deadline), training from the start date (a day's attendance on it), completion
    /// on the end date, a job from ten days later when `employed`, and the assessment on
    /// `issued_on` (default: fifteen days after the end). The clock stays there.
    pub async fn certificate(
        &self,
        me: &str,
        code: &str,
        employed: bool,
        issued_on: Option<&str>,
    ) -> i64 {
        let s = &self.s;
        let (start, end) = class_dates(s, code).await;
        s.travel_to_day("2030-02-01").await;
        let (status, enrolled) = enroll(s, code, me).await;
        assert_eq!(status, 201, "{enrolled}");
        let id = enrolled["id"].as_i64().unwrap();
        let a = &self.institution;
        let staff_post = |path: String, body: Value| async move { post(s, &path, a, body).await };
        s.travel_to_day(&start.to_string()).await;
        let steps = [
            ("status", json!({"status": "in_training"})),
            ("attendance", json!({"date": start.to_string(), "hours": 8})),
        ];
        for (what, body) in steps {
            let (status, answer) =
                staff_post(format!("/api/v1/staff/enrollments/{id}/{what}"), body).await;
            assert_eq!(status, 200, "{what}: {answer}");
        }
        s.travel_to_day(&end.to_string()).await;
        let (status, answer) = staff_post(
            format!("/api/v1/staff/enrollments/{id}/status"),
            json!({"status": "completed"}),
        )
        .await;
        assert_eq!(status, 200, "completed: {answer}");
        let later = end + chrono::Days::new(15);
        s.travel_to_day(&later.to_string()).await;
        if employed {
            let since = end + chrono::Days::new(10);
            let (status, body) = staff_post(
                format!("/api/v1/staff/enrollments/{id}/employment"),
                json!({"employed": true, "employer": "某公司", "since": since.to_string(),
                       "evidence_type": "contract", "evidence_ref": "HT-2030-0001"}),
            )
            .await;
            assert_eq!(status, 200, "{body}");
        }
        let mut body = json!({"enrollment_id": id, "passed": true, "score": 88});
        if let Some(day) = issued_on {
            body["issued_on"] = json!(day);
        }
        let (status, issued) = assess(s, &self.evaluator, body).await;
        assert_eq!(status, 201, "{issued}");
        issued["certificate"]["id"].as_i64().unwrap()
    }

    /// Declares `group` for `me` (living in Chengdu, with `number` as its document) and has
    /// Chengdu's HR officer verify it.
    pub async fn verified_group(&self, me: &str, group: &str, number: &str) {
        let s = &self.s;
        let r = s
            .client
            .put(s.url("/api/v1/me/groups"))
            .header("cookie", me)
            .json(
                &json!({"groups": [group], "evidence": {group: {"number": number}},
                          "city": "510100", "consent": true}),
            )
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
        let (status, queue) = get(s, "/api/v1/staff/group-claims?status=declared", &self.hr).await;
        assert_eq!(status, 200, "{queue}");
        let id = queue["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["group"] == group)
            .and_then(|c| c["id"].as_i64())
            .expect("the claim in the queue");
        let path = format!("/api/v1/staff/group-claims/{id}/decision");
        let (status, body) = post(s, &path, &self.hr, json!({"decision": "verify"})).await;
        assert_eq!(status, 200, "{body}");
    }

    pub async fn claim(&self, me: &str, certificate: i64) -> (u16, Value) {
        post(
            &self.s,
            "/api/v1/me/subsidies",
            me,
            json!({"certificate_id": certificate, "payee": payee()}),
        )
        .await
    }

    /// Marks an approved claim paid (a batch of one, today, with a payment reference).
    pub async fn pay(&self, claim: i64) -> (u16, Value) {
        let path = format!("/api/v1/staff/subsidies/{claim}/paid");
        post(
            &self.s,
            &path,
            &self.hr,
            json!({"reference": "CDCZ-TEST-0001"}),
        )
        .await
    }

    pub async fn decide(&self, hr: &str, claim: i64, body: Value) -> (u16, Value) {
        post(
            &self.s,
            &format!("/api/v1/staff/subsidies/{claim}/decision"),
            hr,
            body,
        )
        .await
    }
}

/// A trainee (61) whose class on `E-TEN` is completed and assessed passed; their session.
pub async fn certified_trainee(s: &Server) -> String {
    let institution = staff(s, "13100000001", "INST-A").await;
    let evaluator = staff_as(
        s,
        "13100000003",
        "evaluator",
        ("--evaluation-org", "成都测试评价中心"),
    )
    .await;
    let me = trainee(s, 61).await;
    let id = enroll(s, "E-TEN", &me).await.1["id"].as_i64().unwrap();
    s.travel_to_day("2030-05-05").await;
    for to in ["in_training", "completed"] {
        let path = format!("/api/v1/staff/enrollments/{id}/status");
        let (status, _) = post(s, &path, &institution, json!({"status": to})).await;
        assert_eq!(status, 200);
    }
    let (status, body) = assess(s, &evaluator, json!({"enrollment_id": id, "passed": true})).await;
    assert_eq!(status, 201, "{body}");
    me
}
