//! The key that seals personal data at rest can be replaced while the portal runs: every
//! sealed value names its key, `peixun rotate-key` seals them all again under a new one, the
//! running portal reads the changed key file by itself, and an old key is retired only once
//! no value needs it. The same with `--cipher sm4` (SM4-GCM, HMAC-SM3). Over real HTTP against
//! spawned servers (SQLite, or PostgreSQL with PEIXUN_TEST_POSTGRES), each with a key file.
// A test: a panic is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::flow::*;
use common::{database_url, own_key_file, peixun, Server};
use serde_json::json;
use std::path::{Path, PathBuf};

const ACCOUNT: &str = "6222021234567890123";

/// Every column the test fills with a sealed value: (table, column).
const SEALED: &[(&str, &str)] = &[
    ("users", "phone_sealed"),
    ("users", "id_sealed"),
    ("users", "payee_account_sealed"),
    ("group_claims", "group_sealed"),
    ("group_claims", "evidence_sealed"),
    ("subsidy_claims", "payee_account_sealed"),
    ("payment_batch_claims", "payee_account_sealed"),
];

/// The key a stored value names: the two marker bytes and the id, or 0 (the first versions).
fn key_of(sealed: &[u8]) -> u16 {
    match sealed {
        [0xA5, 0x4B, hi, lo, ..] => u16::from_be_bytes([*hi, *lo]),
        _ => 0,
    }
}

/// How many stored sealed values name each key, over `SEALED` and the claims' kept facts.
async fn keys_in_use(db: &str) -> std::collections::BTreeMap<u16, usize> {
    use base64::Engine;
    let pool = common::pool(db).await;
    let mut found = std::collections::BTreeMap::new();
    for (table, column) in SEALED {
        let values: Vec<Vec<u8>> = sqlx::query_scalar(&format!(
            "SELECT {column} FROM {table} WHERE {column} IS NOT NULL"
        ))
        .fetch_all(&pool)
        .await
        .unwrap();
        assert!(
            !values.is_empty(),
            "the test put a value in {table}.{column}"
        );
        for v in values {
            *found.entry(key_of(&v)).or_default() += 1;
        }
    }
    for column in ["verdicts", "breakdown"] {
        let texts: Vec<String> = sqlx::query_scalar(&format!(
            "SELECT {column} FROM subsidy_claims WHERE {column} IS NOT NULL"
        ))
        .fetch_all(&pool)
        .await
        .unwrap();
        assert!(!texts.is_empty(), "the test kept a claim's {column}");
        for t in texts {
            let b64 = t.strip_prefix("sealed:").expect("kept facts are sealed");
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(b64)
                .unwrap();
            *found.entry(key_of(&bytes)).or_default() += 1;
        }
    }
    pool.close().await;
    found
}

/// The `seal` lines of a key file: (id, cipher, staged).
fn seal_lines(file: &Path) -> Vec<(u16, String, bool)> {
    std::fs::read_to_string(file)
        .unwrap()
        .lines()
        .filter(|l| l.starts_with("seal "))
        .map(|l| {
            let w: Vec<&str> = l.split_whitespace().collect();
            (w[1].parse().unwrap(), w[2].to_string(), w.len() > 4)
        })
        .collect()
}

fn rotate_key(db: &str, extra: &[&str]) -> (bool, String) {
    let mut args = vec!["rotate-key", "--database-url", db];
    args.extend_from_slice(extra);
    let out = peixun(&args);
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), said)
}

/// A trainee with a phone, an identity number, a kept bank account, a declared group with its
/// document, and an approved claim (its kept facts) gathered into a payment batch.
async fn a_trainee_with_everything_sealed(f: &Flow) -> String {
    let me = trainee(&f.s, 41).await;
    let r =
        f.s.client
            .put(f.s.url("/api/v1/me/payee"))
            .header("cookie", &me)
            .json(&json!({"kind": "bank_account", "bank": "中国农业银行", "account": ACCOUNT}))
            .send()
            .await
            .unwrap();
    assert_eq!(r.status(), 200);
    f.verified_group(&me, "veteran", "TY-2019-0042").await;
    let certificate = f.certificate(&me, "S-WELD", false, None).await;
    let body = json!({"certificate_id": certificate});
    let (status, claim) = post(&f.s, "/api/v1/me/subsidies", &me, body).await;
    assert_eq!(status, 201, "{claim}");
    let id = claim["id"].as_i64().unwrap();
    let (status, body) = f.decide(&f.hr, id, json!({"decision": "approve"})).await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = post(&f.s, "/api/v1/staff/payment-batches", &f.hr, json!({})).await;
    assert_eq!(status, 201, "{body}");
    me
}

/// What the trainee and the HR officer see, which needs every sealed value opened.
async fn everything_reads(f: &Flow, me: &str) {
    let (status, profile) = get(&f.s, "/api/v1/me", me).await;
    assert_eq!(status, 200, "{profile}");
    assert_eq!(profile["phone"], "139****0041", "{profile}");
    let (status, export) = get(&f.s, "/api/v1/me/export", me).await;
    assert_eq!(status, 200, "{export}");
    assert_eq!(export["account"]["phone"], "13900000041", "{export}");
    assert!(export.to_string().contains("TY-2019-0042"), "{export}");
    let (status, payee) = get(&f.s, "/api/v1/me/payee", me).await;
    assert_eq!(
        (status, &payee["payee"]["account"]),
        (200, &json!("****0123"))
    );
    let (status, mine) = get(&f.s, "/api/v1/me/subsidies", me).await;
    assert_eq!(status, 200, "{mine}");
    assert_eq!(mine["items"][0]["status"], "approved", "{mine}");
    let (status, batches) = get(&f.s, "/api/v1/staff/payment-batches", &f.hr).await;
    assert_eq!(status, 200, "{batches}");
    let batch = batches["items"][0]["id"].as_i64().unwrap();
    let path = format!("/api/v1/staff/payment-batches/{batch}?format=csv");
    let r = f.s.get_as(&path, &f.hr).await;
    assert_eq!(r.status(), 200);
    assert!(
        r.text().await.unwrap().contains(ACCOUNT),
        "finance's file, in full"
    );
}

/// A flow on a database whose key ring is in `dir`'s key file (`key`: its text, or None to let
/// the server make one), served with `extra`.
async fn flow_with_key_file(key: Option<&str>, extra: &[&str]) -> (Flow, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("peixun.key");
    if let Some(text) = key {
        use std::os::unix::fs::OpenOptionsExt;
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&file)
            .unwrap();
        std::io::Write::write_all(&mut f, text.as_bytes()).unwrap();
    }
    own_key_file(&database_url(dir.path()), file.clone());
    (flow_on(server_in(dir, extra).await).await, file)
}

/// The key of the first versions: base64 of 64 bytes, no key ids in the values it sealed.
const FIRST_VERSIONS_KEY: &str =
    "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyAhIiMkJSYnKCkqKywtLi8wMTIzNDU2Nzg5Ojs8PT4/QA==";

async fn rotation_while_the_portal_runs(key: Option<&str>, extra: &[&str], cipher: &str) {
    let (f, file) = flow_with_key_file(key, extra).await;
    let db = f.s.database();
    let first = seal_lines(&file);
    assert_eq!(first.len(), usize::from(key.is_none()), "{first:?}");
    let old: u16 = if key.is_some() { 0 } else { 1 };
    if let Some((_, c, _)) = first.first() {
        assert_eq!(c, cipher);
    }
    let me = a_trainee_with_everything_sealed(&f).await;
    let before = keys_in_use(&db).await;
    assert_eq!(
        before.keys().copied().collect::<Vec<_>>(),
        vec![old],
        "{before:?}"
    );

    // The rotation, with the portal serving all along.
    let (ok, said) = rotate_key(&db, &[]);
    assert!(ok, "{said}");
    let new = old + 1;
    assert!(
        said.contains(&format!("sealed under key {new}")),
        "names the key: {said}"
    );
    assert!(said.contains("--retire"), "says what comes next: {said}");
    let after = keys_in_use(&db).await;
    assert_eq!(
        after.keys().copied().collect::<Vec<_>>(),
        vec![new],
        "{after:?}"
    );
    assert_eq!(
        after.values().sum::<usize>(),
        before.values().sum::<usize>()
    );
    let lines = seal_lines(&file);
    assert_eq!(
        lines.iter().filter(|l| !l.2).count(),
        2,
        "the old key stays: {lines:?}"
    );
    assert!(lines.iter().all(|(_, c, _)| c == cipher), "{lines:?}");

    // The running portal opens the values sealed under the key it did not have ...
    everything_reads(&f, &me).await;
    // ... signs in by phone as before (the hash key never changes) ...
    f.s.login("13900000041", PASSWORD).await;
    // ... and seals what is new under the new key.
    let other = trainee(&f.s, 42).await;
    let (status, _) = get(&f.s, "/api/v1/me", &other).await;
    assert_eq!(status, 200);
    assert_eq!(
        keys_in_use(&db).await.keys().copied().collect::<Vec<_>>(),
        vec![new]
    );
    assert!(
        f.s.log
            .lock()
            .unwrap()
            .iter()
            .any(|l| l.contains("the key file changed")),
        "the portal logged the new key"
    );

    // The old key retired: the file holds the new key only, and a restarted portal reads all.
    let (ok, said) = rotate_key(&db, &["--retire"]);
    assert!(ok, "{said}");
    assert!(said.contains(&format!("retired key(s) {old}")), "{said}");
    assert_eq!(seal_lines(&file), vec![(new, cipher.to_string(), false)]);
    if let Some(text) = key {
        let kept = std::fs::read_to_string(&file).unwrap();
        let sealing_half = &text[..40];
        assert!(
            !kept.contains(sealing_half),
            "the first key's sealing half is gone"
        );
    }
    let Flow {
        s,
        institution,
        evaluator,
        hr,
        hr_elsewhere,
    } = f;
    let s = Server::start_in(s.crash(), extra).await;
    let f = Flow {
        s,
        institution,
        evaluator,
        hr,
        hr_elsewhere,
    };
    let me = f.s.login("13900000041", PASSWORD).await;
    everything_reads(&f, &me).await;
}

#[tokio::test]
async fn a_first_versions_key_is_rotated_while_the_portal_runs_and_retired() {
    rotation_while_the_portal_runs(Some(FIRST_VERSIONS_KEY), &[], "xchacha20poly1305").await;
}

#[tokio::test]
async fn an_sm4_key_ring_seals_everything_and_rotates_the_same_way() {
    rotation_while_the_portal_runs(None, &["--cipher", "sm4"], "sm4-gcm").await;
}

/// Two machines, each with its own copy of the key file: the new key is staged and copied
/// before it takes over, and retiring the old one waits until no value needs it.
#[tokio::test]
async fn instances_on_other_machines_take_the_key_staged_first() {
    let (f, file) = flow_with_key_file(None, &[]).await;
    let db = f.s.database();
    let me = a_trainee_with_everything_sealed(&f).await;
    // The other machine's copy of the key file.
    let elsewhere = f.s.dir.path().join("elsewhere.key");
    let copy = |from: &Path, to: &Path| {
        let text = std::fs::read(from).unwrap();
        let temp = to.with_extension("tmp");
        std::fs::write(&temp, text).unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&temp, std::fs::Permissions::from_mode(0o600)).unwrap();
        std::fs::rename(&temp, to).unwrap();
    };
    copy(&file, &elsewhere);
    let other = Server::beside(&f.s, &["--key-file", elsewhere.to_str().unwrap()]).await;

    let (ok, said) = rotate_key(&db, &["--stage"]);
    assert!(ok, "{said}");
    assert!(said.contains("key 2 staged"), "{said}");
    assert_eq!(seal_lines(&file)[1], (2, "xchacha20poly1305".into(), true));
    // A staged key seals nothing yet.
    trainee(&f.s, 43).await;
    assert_eq!(
        keys_in_use(&db).await.keys().copied().collect::<Vec<_>>(),
        vec![1]
    );
    copy(&file, &elsewhere);
    tokio::time::sleep(std::time::Duration::from_secs(3)).await;

    let (ok, said) = rotate_key(&db, &[]);
    assert!(ok, "{said}");
    // The other machine (its file still says staged) opens what is now sealed under key 2 ...
    let on_other = other.login("13900000041", PASSWORD).await;
    let (status, export) = get(&other, "/api/v1/me/export", &on_other).await;
    assert_eq!(status, 200, "{export}");
    assert_eq!(
        export["account"]["id_number"].as_str().map(str::len),
        Some(18)
    );
    // ... and still seals under key 1, so the old key cannot be retired yet.
    let late = other
        .register("13900000044", &common::id_number("51010419900307044"))
        .await;
    let status = late.status();
    assert_eq!(status, 201, "{}", late.text().await.unwrap());
    let (ok, said) = rotate_key(&db, &["--retire"]);
    assert!(!ok, "retired a key still in use: {said}");
    assert!(said.contains("still sealed under key(s) 1"), "{said}");
    assert_eq!(seal_lines(&file).len(), 2, "nothing retired");

    assert!(
        said.contains("rotate-key --reseal"),
        "says what to do: {said}"
    );

    // Once the other machine has the file, a run without a new key catches what it sealed
    // meanwhile (the new account's phone and identity number, and its code's text: phone and
    // parameters).
    copy(&file, &elsewhere);
    tokio::time::sleep(std::time::Duration::from_secs(3)).await;
    let (ok, said) = rotate_key(&db, &["--reseal"]);
    assert!(ok, "{said}");
    assert!(
        said.contains("key 2 (xchacha20poly1305): 4 sealed again"),
        "{said}"
    );
    let (ok, said) = rotate_key(&db, &["--retire"]);
    assert!(ok, "{said}");
    assert_eq!(
        seal_lines(&file),
        vec![(2, "xchacha20poly1305".into(), false)]
    );
    everything_reads(&f, &me).await;
}

#[tokio::test]
async fn a_key_in_the_environment_or_a_wrong_cipher_is_refused_with_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let db = common::sqlite_url(dir.path());
    let out = std::process::Command::new(common::BIN)
        .args(["rotate-key", "--database-url", &db])
        .env("PEIXUN_SECRET_KEY", FIRST_VERSIONS_KEY)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("--key-file"), "{said}");

    // A key file made for SM4 is not opened as XChaCha20 by mistake, and the reverse.
    own_key_file(&db, dir.path().join("peixun.key"));
    let out = common::peixun(&[
        "create-user",
        "--demo",
        "--database-url",
        &db,
        "--cipher",
        "sm4",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = common::peixun(&[
        "create-user",
        "--demo",
        "--database-url",
        &db,
        "--cipher",
        "xchacha20poly1305",
    ]);
    assert!(!out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains("sm4-gcm") && said.contains("rotate-key"),
        "{said}"
    );
}
