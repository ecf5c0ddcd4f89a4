//! Fund integrity II, payment: every claim names its payee (the trainee's social-security card
//! or bank account, sealed at rest and shown masked, or the institution that ran the class);
//! the HR officer gathers approved claims into a batch, downloads it for finance (CSV with a
//! BOM and XLSX, no cell that runs as a formula), and marks it paid with a date and a
//! reference; a bank return (退票) sends a claim back to approved for a later batch; a city's
//! yearly budget is shown against what is approved and paid, and approving past it needs a
//! confirmation. Over real HTTP against a spawned server (SQLite, or PostgreSQL with
//! PEIXUN_TEST_POSTGRES).
// A test: a panic is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::flow::*;
use serde_json::{json, Value};

const ACCOUNT: &str = "6222021234567890123";
const CARD: &str = "6217003810012345678";

fn bank(bank: &str, account: &str) -> Value {
    json!({"kind": "bank_account", "bank": bank, "account": account})
}

fn card(account: &str) -> Value {
    json!({"kind": "social_security_card", "account": account})
}

/// A claim of `me` for a pass in class `code`, paid to `payee`, approved by Chengdu's HR
/// officer; its id.
async fn approved(f: &Flow, me: &str, code: &str, payee: Value) -> i64 {
    let certificate = f.certificate(me, code, false, None).await;
    let body = json!({"certificate_id": certificate, "payee": payee});
    let (status, claim) = post(&f.s, "/api/v1/me/subsidies", me, body).await;
    assert_eq!(status, 201, "{claim}");
    let id = claim["id"].as_i64().unwrap();
    let (status, body) = f.decide(&f.hr, id, json!({"decision": "approve"})).await;
    assert_eq!(status, 200, "{body}");
    id
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

async fn batch(f: &Flow, who: &str, body: Value) -> (u16, Value) {
    post(&f.s, "/api/v1/staff/payment-batches", who, body).await
}

async fn pay(f: &Flow, batch: i64, body: Value) -> (u16, Value) {
    let path = format!("/api/v1/staff/payment-batches/{batch}/paid");
    post(&f.s, &path, &f.hr, body).await
}

/// A batch's download: status, content type, cache control and the bytes.
async fn download(f: &Flow, batch: i64, format: &str) -> (u16, String, String, Vec<u8>) {
    let path = format!("/api/v1/staff/payment-batches/{batch}?format={format}");
    let r = f.s.get_as(&path, &f.hr).await;
    let header = |name: &str| {
        r.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string()
    };
    let (kind, cache) = (header("content-type"), header("cache-control"));
    (
        r.status().as_u16(),
        kind,
        cache,
        r.bytes().await.unwrap().to_vec(),
    )
}

/// The CSV download's rows, by header name.
fn csv_rows(bytes: &[u8]) -> Vec<std::collections::HashMap<String, String>> {
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "UTF-8 with a BOM");
    let mut reader = csv::Reader::from_reader(&bytes[3..]);
    let headers: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            headers
                .iter()
                .cloned()
                .zip(r.iter().map(str::to_string))
                .collect()
        })
        .collect()
}

/// The XLSX download's first sheet, as text cells by header name (numbers as they read).
fn xlsx_rows(bytes: Vec<u8>) -> Vec<std::collections::HashMap<String, calamine::Data>> {
    use calamine::{Reader, Xlsx};
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).expect("an XLSX file");
    let sheet = book.sheet_names()[0].clone();
    let range = book.worksheet_range(&sheet).unwrap();
    let mut rows = range.rows();
    let headers: Vec<String> = rows.next().unwrap().iter().map(|c| c.to_string()).collect();
    rows.map(|r| headers.iter().cloned().zip(r.iter().cloned()).collect())
        .collect()
}

fn row_of<V>(
    rows: &[std::collections::HashMap<String, V>],
    claim: i64,
) -> &std::collections::HashMap<String, V>
where
    V: ToString,
{
    rows.iter()
        .find(|r| r["申领编号"].to_string() == claim.to_string())
        .expect("the claim's row")
}

#[tokio::test]
async fn a_batch_is_downloaded_paid_and_a_bank_return_joins_a_later_batch() {
    let f = flow().await;
    let (me, other) = (trainee(&f.s, 21).await, trainee(&f.s, 22).await);
    let (_, profile) = get(&f.s, "/api/v1/me", &me).await;
    let name = profile["name"].as_str().unwrap().to_string();
    // A bank name that would run as a formula in a spreadsheet, and an account with spaces.
    let formula = "=HYPERLINK(\"http://evil.example\",\"银行\")";
    let first = approved(&f, &me, "S-WELD", bank(formula, "6222 0212 3456 7890 123")).await;
    let second = approved(&f, &other, "S-COOK", card(CARD)).await;
    let (amount_1, amount_2) = (
        my_claim(&f, &me, first).await["amount_yuan"].clone(),
        my_claim(&f, &other, second).await["amount_yuan"].clone(),
    );
    assert_eq!((&amount_1, &amount_2), (&json!("960.00"), &json!("800.00")));

    // Only the HR officer, of the claims' city.
    for (who, expected) in [(&me, 403), (&f.institution, 403)] {
        let (status, body) = batch(&f, who, json!({})).await;
        assert_eq!(status, expected, "{body}");
    }
    let (status, body) = batch(&f, &f.hr_elsewhere, json!({"claims": [first]})).await;
    assert_eq!(status, 404, "another city's claim is not found: {body}");
    let (status, body) = batch(&f, &f.hr, json!({"claims": []})).await;
    assert_eq!(status, 400, "{body}");

    // Every approved claim of the city, when none are named.
    let (status, made) = batch(&f, &f.hr, json!({})).await;
    assert_eq!(status, 201, "{made}");
    let id = made["id"].as_i64().unwrap();
    assert_eq!(made["status"], "open", "{made}");
    assert_eq!(made["claims_count"], 2, "{made}");
    assert_eq!(made["total_yuan"], "1760.00", "{made}");
    let shown = made.to_string();
    assert!(
        !shown.contains(ACCOUNT) && !shown.contains(CARD),
        "masked: {made}"
    );
    assert!(
        shown.contains("****0123") && shown.contains("****5678"),
        "{made}"
    );
    // A claim joins one batch at a time.
    let (status, body) = batch(&f, &f.hr, json!({"claims": [first]})).await;
    assert_eq!(status, 409, "{body}");
    let (status, body) = batch(&f, &f.hr, json!({})).await;
    assert_eq!(status, 409, "nothing left to gather: {body}");
    assert_eq!(my_claim(&f, &me, first).await["batch_id"], id);

    let (status, list) = get(&f.s, "/api/v1/staff/payment-batches", &f.hr).await;
    assert_eq!(status, 200, "{list}");
    assert_eq!(list["total"], 1, "{list}");
    assert_eq!(list["items"][0]["id"], id, "{list}");
    let (_, elsewhere) = get(&f.s, "/api/v1/staff/payment-batches", &f.hr_elsewhere).await;
    assert_eq!(elsewhere["total"], 0, "{elsewhere}");
    let path = format!("/api/v1/staff/payment-batches/{id}?format=json");
    let (status, body) = get(&f.s, &path, &f.hr_elsewhere).await;
    assert_eq!(status, 404, "{body}");

    // For finance: CSV (UTF-8 with a BOM) and XLSX, full payees, nothing that runs.
    let (status, kind, cache, bytes) = download(&f, id, "csv").await;
    assert_eq!(status, 200);
    assert!(kind.starts_with("text/csv"), "{kind}");
    assert_eq!(cache, "no-store");
    let rows = csv_rows(&bytes);
    assert_eq!(rows.len(), 2);
    let row = row_of(&rows, first);
    assert_eq!(row["收款人"], name);
    assert_eq!(row["账号"], ACCOUNT);
    assert_eq!(row["开户银行"], format!("'{formula}"));
    assert_eq!(row["金额（元）"], "960.00");
    assert_eq!(row_of(&rows, second)["账号"], CARD);
    let (status, kind, cache, bytes) = download(&f, id, "xlsx").await;
    assert_eq!(status, 200);
    assert!(kind.contains("spreadsheetml"), "{kind}");
    assert_eq!(cache, "no-store");
    let rows = xlsx_rows(bytes);
    let row = row_of(&rows, first);
    assert_eq!(row["账号"].to_string(), ACCOUNT);
    assert_eq!(row["开户银行"].to_string(), format!("'{formula}"));
    assert_eq!(row["金额（元）"], calamine::Data::Float(960.0));
    let (status, _, _, _) = download(&f, id, "pdf").await;
    assert_eq!(status, 400);

    // Paid with a date (not in the future) and finance's reference.
    for (body, field) in [
        (json!({"paid_on": "2030-05-15"}), "reference"),
        (
            json!({"paid_on": "2030-02-30", "reference": "R"}),
            "paid_on",
        ),
        (
            json!({"paid_on": "2031-01-01", "reference": "R"}),
            "paid_on",
        ),
    ] {
        let (status, answer) = pay(&f, id, body).await;
        assert_eq!(status, 400, "{answer}");
        assert!(answer["error"]["fields"][field].is_string(), "{answer}");
    }
    let paid = json!({"paid_on": "2030-05-15", "reference": "CDCZ-2030-0001"});
    let (status, body) = pay(&f, id, paid.clone()).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["status"], "paid", "{body}");
    let (status, body) = pay(&f, id, paid).await;
    assert_eq!(status, 409, "paid once: {body}");
    for (who, claim) in [(&me, first), (&other, second)] {
        let mine = my_claim(&f, who, claim).await;
        assert_eq!(mine["status"], "paid", "{mine}");
        assert_eq!(mine["paid_on"], "2030-05-15", "{mine}");
        assert_eq!(mine["payment_reference"], "CDCZ-2030-0001", "{mine}");
    }

    // A bank return: with a reason, back to approved, and the trainee told.
    let returned = format!("/api/v1/staff/subsidies/{first}/returned");
    let (status, body) = post(&f.s, &returned, &f.hr, json!({})).await;
    assert_eq!(status, 400, "{body}");
    let (status, body) = post(&f.s, &returned, &f.hr_elsewhere, json!({"reason": "x"})).await;
    assert_eq!(status, 404, "{body}");
    let (status, body) = post(&f.s, &returned, &f.hr, json!({"reason": "账户已销户"})).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["status"], "approved", "{body}");
    let (status, body) = post(&f.s, &returned, &f.hr, json!({"reason": "再退"})).await;
    assert_eq!(status, 409, "returned once: {body}");
    let mine = my_claim(&f, &me, first).await;
    assert_eq!(mine["status"], "approved", "{mine}");
    assert_eq!(mine["batch_id"], Value::Null, "{mine}");
    let last = mine["timeline"].as_array().unwrap().last().unwrap().clone();
    assert!(
        last["reason"].as_str().unwrap().contains("账户已销户"),
        "{last}"
    );
    let (_, inbox) = get(&f.s, "/api/v1/me/notifications", &me).await;
    assert!(inbox.to_string().contains("账户已销户"), "{inbox}");
    // The paid batch keeps the returned claim, marked so.
    let (_, kept) = get(&f.s, &format!("/api/v1/staff/payment-batches/{id}"), &f.hr).await;
    let item = kept["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["claim_id"] == first)
        .cloned()
        .unwrap();
    assert_eq!(item["returned_reason"], "账户已销户", "{kept}");

    // The trainee names a new account, and the claim joins a later batch.
    let path = format!("/api/v1/me/subsidies/{first}/payee");
    let r =
        f.s.client
            .put(f.s.url(&path))
            .header("cookie", &me)
            .json(&card(CARD))
            .send()
            .await
            .unwrap();
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    let (status, again) = batch(&f, &f.hr, json!({"claims": [first]})).await;
    assert_eq!(status, 201, "{again}");
    let later = again["id"].as_i64().unwrap();
    assert_ne!(later, id);
    assert_eq!(again["total_yuan"], "960.00", "{again}");
    let (_, _, _, bytes) = download(&f, later, "csv").await;
    assert_eq!(row_of(&csv_rows(&bytes), first)["账号"], CARD);
    let (status, body) = pay(
        &f,
        later,
        json!({"paid_on": "2030-05-15", "reference": "CDCZ-2030-0002"}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let mine = my_claim(&f, &me, first).await;
    assert_eq!(
        (&mine["status"], &mine["payment_reference"]),
        (&json!("paid"), &json!("CDCZ-2030-0002")),
        "{mine}"
    );
    // The trail names who gathered, paid and returned.
    let (_, trail) = get(&f.s, "/api/v1/staff/audit?per_page=100", &f.hr).await;
    let actions: Vec<&str> = trail["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["action"].as_str())
        .collect();
    for action in ["payment_batch", "payment_batch_paid", "claim_returned"] {
        assert!(actions.contains(&action), "{action}: {actions:?}");
    }
}

#[tokio::test]
async fn payees_are_sealed_at_rest_shown_masked_and_kept_on_the_profile() {
    let f = flow().await;
    let me = trainee(&f.s, 31).await;
    let certificate = f.certificate(&me, "S-WELD", false, None).await;
    let claim = |payee: Option<Value>| {
        let mut body = json!({"certificate_id": certificate});
        if let Some(p) = payee {
            body["payee"] = p;
        }
        body
    };
    // No payee given and none kept; a payee that cannot be paid.
    for (payee, field) in [
        (None, "payee"),
        (Some(json!({"kind": "cash"})), "payee.kind"),
        (
            Some(json!({"kind": "bank_account", "account": ACCOUNT})),
            "payee.bank",
        ),
        (Some(bank("中国农业银行", "12ab")), "payee.account"),
        (Some(card("123")), "payee.account"),
    ] {
        let (status, body) = post(&f.s, "/api/v1/me/subsidies", &me, claim(payee)).await;
        assert_eq!(status, 400, "{body}");
        assert!(
            body["error"]["fields"][field].is_string(),
            "{field}: {body}"
        );
    }
    let (status, none) = get(&f.s, "/api/v1/me/payee", &me).await;
    assert_eq!((status, &none["payee"]), (200, &Value::Null), "{none}");
    let kept =
        f.s.client
            .put(f.s.url("/api/v1/me/payee"))
            .header("cookie", &me)
            .json(&bank("中国农业银行", ACCOUNT))
            .send()
            .await
            .unwrap();
    assert_eq!(kept.status(), 200);
    let (_, kept) = get(&f.s, "/api/v1/me/payee", &me).await;
    assert_eq!(kept["payee"]["kind"], "bank_account", "{kept}");
    assert_eq!(kept["payee"]["bank"], "中国农业银行", "{kept}");
    assert_eq!(kept["payee"]["account"], "****0123", "{kept}");

    // A claim without a payee is paid to the kept one.
    let (status, made) = post(&f.s, "/api/v1/me/subsidies", &me, claim(None)).await;
    assert_eq!(status, 201, "{made}");
    assert_eq!(made["payee"]["account"], "****0123", "{made}");
    let (_, queue) = get(&f.s, "/api/v1/staff/subsidies", &f.hr).await;
    assert_eq!(queue["items"][0]["payee"]["account"], "****0123", "{queue}");
    assert!(!queue.to_string().contains(ACCOUNT), "{queue}");
    let (_, export) = get(&f.s, "/api/v1/me/export", &me).await;
    assert!(!export.to_string().contains(ACCOUNT), "{export}");

    // Paid to the institution that ran the class.
    let other = trainee(&f.s, 32).await;
    let id = approved(&f, &other, "S-COOK", json!({"kind": "institution"})).await;
    let mine = my_claim(&f, &other, id).await;
    assert_eq!(mine["payee"]["kind"], "institution", "{mine}");
    assert_eq!(
        mine["payee"]["name"], "甲职业技能培训学校（测试）",
        "{mine}"
    );
    let (status, made) = batch(&f, &f.hr, json!({"claims": [id]})).await;
    assert_eq!(status, 201, "{made}");
    let (_, _, _, bytes) = download(&f, made["id"].as_i64().unwrap(), "csv").await;
    let rows = csv_rows(&bytes);
    assert_eq!(row_of(&rows, id)["收款人"], "甲职业技能培训学校（测试）");

    // Never in clear at rest, never in the log.
    let pool = common::pool(&f.s.database()).await;
    if common::postgres_base().is_some() {
        for table in [
            "users",
            "subsidy_claims",
            "audit_writes",
            "payment_batch_claims",
        ] {
            let found: i64 = sqlx::query_scalar(&format!(
                "SELECT COUNT(*) FROM {table} t WHERE strpos(CAST(row_to_json(t) AS text), $1) > 0"
            ))
            .bind(ACCOUNT)
            .fetch_one(&pool)
            .await
            .unwrap();
            assert_eq!(found, 0, "in clear in {table}");
        }
    }
    pool.close().await;
    for entry in std::fs::read_dir(f.s.dir.path()).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() && !path.ends_with("peixun.key") {
            let bytes = std::fs::read(&path).unwrap();
            assert!(
                !bytes
                    .windows(ACCOUNT.len())
                    .any(|w| w == ACCOUNT.as_bytes()),
                "in clear in {}",
                path.display()
            );
        }
    }
    let log = f.s.log.lock().unwrap().join("\n");
    assert!(!log.contains(ACCOUNT), "in the log");
}

#[tokio::test]
async fn a_claim_undone_while_in_an_open_batch_leaves_it_unpaid() {
    let f = flow().await;
    let (me, other) = (trainee(&f.s, 41).await, trainee(&f.s, 42).await);
    let first = approved(&f, &me, "S-WELD", card(CARD)).await;
    let second = approved(&f, &other, "S-COOK", card(CARD)).await;
    let (status, made) = batch(&f, &f.hr, json!({})).await;
    assert_eq!(status, 201, "{made}");
    let id = made["id"].as_i64().unwrap();
    let number = my_claim(&f, &me, first).await["certificate_id"]
        .as_i64()
        .unwrap();
    let (_, wallet) = get(&f.s, "/api/v1/me/certificates", &me).await;
    let number = wallet["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == number)
        .and_then(|c| c["number"].as_str())
        .unwrap()
        .to_string();
    let path = format!("/api/v1/staff/certificates/{number}/revoke");
    let (status, body) = post(&f.s, &path, &f.hr, json!({"reason": "考试作弊"})).await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = pay(
        &f,
        id,
        json!({"paid_on": "2030-05-15", "reference": "CDCZ-2030-0009"}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body["total_yuan"], "800.00",
        "only what is still in it: {body}"
    );
    assert_eq!(my_claim(&f, &me, first).await["status"], "stopped");
    assert_eq!(my_claim(&f, &other, second).await["status"], "paid");
}

#[tokio::test]
async fn one_claim_is_paid_with_a_reference_and_the_decision_no_longer_pays() {
    let f = flow().await;
    let me = trainee(&f.s, 51).await;
    let id = approved(&f, &me, "S-WELD", card(CARD)).await;
    let (status, body) = f.decide(&f.hr, id, json!({"decision": "paid"})).await;
    assert_eq!(status, 400, "paid only with a date and a reference: {body}");
    let path = format!("/api/v1/staff/subsidies/{id}/paid");
    let (status, body) = post(&f.s, &path, &f.hr, json!({})).await;
    assert_eq!(status, 400, "{body}");
    assert!(body["error"]["fields"]["reference"].is_string(), "{body}");
    let (status, body) = post(&f.s, &path, &f.hr, json!({"reference": "CDCZ-1"})).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["status"], "paid", "{body}");
    let mine = my_claim(&f, &me, id).await;
    assert_eq!(mine["payment_reference"], "CDCZ-1", "{mine}");
    assert_eq!(
        mine["paid_on"], "2030-05-15",
        "today, when not given: {mine}"
    );
    let (_, list) = get(&f.s, "/api/v1/staff/payment-batches", &f.hr).await;
    assert_eq!(list["items"][0]["status"], "paid", "a batch of one: {list}");
    assert_eq!(list["items"][0]["claims_count"], 1, "{list}");
}

async fn budget(f: &Flow, who: &str) -> (u16, Value) {
    get(&f.s, "/api/v1/staff/subsidy-budget?year=2030", who).await
}

#[tokio::test]
async fn approving_past_the_citys_yearly_budget_needs_a_confirmation() {
    let f = flow().await;
    let out = common::peixun(&[
        "set-policy",
        "--database-url",
        &f.s.database(),
        "--city",
        "510100",
        "--budget-yuan",
        "1500",
        "--year",
        "2030",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("1500.00"));
    let (me, other) = (trainee(&f.s, 61).await, trainee(&f.s, 62).await);
    approved(&f, &me, "S-WELD", card(CARD)).await;
    let (status, body) = budget(&f, &f.hr).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["budget_yuan"], "1500.00", "{body}");
    assert_eq!(body["approved_yuan"], "960.00", "{body}");
    assert_eq!(body["paid_yuan"], "0.00", "{body}");
    let (status, body) = budget(&f, &f.hr_elsewhere).await;
    assert_eq!(
        (status, &body["budget_yuan"]),
        (200, &Value::Null),
        "{body}"
    );
    let (status, _) = budget(&f, &me).await;
    assert_eq!(status, 403);

    let certificate = f.certificate(&other, "S-COOK", false, None).await;
    let body = json!({"certificate_id": certificate, "payee": card(CARD)});
    let (status, claim) = post(&f.s, "/api/v1/me/subsidies", &other, body).await;
    assert_eq!(status, 201, "{claim}");
    let id = claim["id"].as_i64().unwrap();
    let (status, body) = f.decide(&f.hr, id, json!({"decision": "approve"})).await;
    assert_eq!(status, 409, "past the budget: {body}");
    assert!(body["error"]["fields"]["budget"].is_string(), "{body}");
    assert_eq!(my_claim(&f, &other, id).await["status"], "submitted");
    let (status, body) = f
        .decide(
            &f.hr,
            id,
            json!({"decision": "approve", "confirm_over_budget": true}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (_, body) = budget(&f, &f.hr).await;
    assert_eq!(body["approved_yuan"], "1760.00", "{body}");
}
