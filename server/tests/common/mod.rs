//! Spawns a real `peixun` on a temporary SQLite file (or a temporary PostgreSQL database, see
//! `database_url`) and talks to it over HTTP.
#![allow(dead_code)]

pub mod flow;
pub mod gateway;
pub mod oidc;

use gateway::Gateway;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

pub const BIN: &str = env!("CARGO_BIN_EXE_peixun");

pub struct Server {
    child: Child,
    pub base: String,
    pub dir: tempfile::TempDir,
    db: String,
    pub client: reqwest::Client,
    /// Everything the server logged so far.
    pub log: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
    /// The security events the server wrote on its standard output so far, one JSON object
    /// each (a line that is not one is kept as a JSON string, for the test to see).
    pub events: std::sync::Arc<std::sync::Mutex<Vec<serde_json::Value>>>,
    /// The SMS gateway the server sends its texts to (unless the test named another with
    /// `--sms-gateway`, then this one hears nothing).
    pub texts: Gateway,
}

impl Server {
    /// A server with the demo catalogue loaded.
    pub async fn demo() -> Server {
        Server::start(&["--demo"]).await
    }

    pub async fn start(extra: &[&str]) -> Server {
        Server::start_in(tempfile::tempdir().expect("temp dir"), extra).await
    }

    /// A server on the database (and key file) kept in `dir`, as a restart finds them.
    pub async fn start_in(dir: tempfile::TempDir, extra: &[&str]) -> Server {
        let db = database_url(dir.path());
        Server::launch(dir, &db, extra, Gateway::start()).await
    }

    /// Another instance on `other`'s database, as behind the province's load balancer; its own
    /// folder for the rest. It holds the same key: the key file beside the same SQLite file, or
    /// the suite's shared key on PostgreSQL.
    /// The same SMS gateway, too: any instance may send a text another queued.
    pub async fn beside(other: &Server, extra: &[&str]) -> Server {
        let dir = tempfile::tempdir().expect("temp dir");
        // Instances of one deployment share the time: one clock file. (Two clocks years
        // apart made one instance's sweep purge the codes the other had just texted.)
        std::os::unix::fs::symlink(other.dir.path().join("clock"), dir.path().join("clock"))
            .expect("share the clock file");
        Server::launch(dir, &other.database(), extra, other.texts.clone()).await
    }

    async fn launch(dir: tempfile::TempDir, db: &str, extra: &[&str], texts: Gateway) -> Server {
        let named = |flag: &str| extra.contains(&flag);
        let mut defaults: Vec<String> = Vec::new();
        if !named("--sms-gateway") {
            defaults.extend(["--sms-gateway".into(), texts.url.clone()]);
        }
        // The suite signs many people up from one address, and staff in again and again.
        if !named("--codes-per-address-per-hour") {
            defaults.extend(["--codes-per-address-per-hour".into(), "100000".into()]);
        }
        if !named("--texts-per-phone-per-hour") {
            defaults.extend(["--texts-per-phone-per-hour".into(), "1000".into()]);
        }
        let mut child = Command::new(BIN)
            .args([
                "serve",
                "--addr",
                "127.0.0.1:0",
                "--database-url",
                db,
                "--site-root",
            ])
            .arg(dir.path().join("site"))
            .arg("--clock-file")
            .arg(dir.path().join("clock"))
            .args(["--metrics-addr", "127.0.0.1:0"])
            .args(&defaults)
            .args(extra)
            .env("PEIXUN_SMS_TOKEN", gateway::TOKEN)
            .env("PEIXUN_OIDC_CLIENT_SECRET", oidc::CLIENT_SECRET)
            .env(
                "PEIXUN_LOG",
                "debug,sqlx=warn,hyper=warn,reqwest=warn,tower_http=debug",
            )
            .env("NO_COLOR", "1")
            .env("PEIXUN_SWEEP_SECONDS", "1")
            .envs(key_env(db))
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn peixun");
        let stdout = child.stdout.take().expect("stdout");
        let events = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let into = events.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let event = serde_json::from_str(&line).unwrap_or(serde_json::Value::String(line));
                into.lock().unwrap().push(event);
            }
        });
        let stderr = child.stderr.take().expect("stderr");
        let (tx, rx) = std::sync::mpsc::channel();
        let log = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let sink = log.clone();
        std::thread::spawn(move || {
            let mut sent = false;
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if !sent {
                    if let Some(addr) = line.split("listening on ").nth(1) {
                        let _ = tx.send(addr.trim().to_string());
                        sent = true;
                    }
                }
                sink.lock().unwrap().push(line);
            }
        });
        let base = rx
            .recv_timeout(Duration::from_secs(60))
            .expect("server did not start");
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client");
        let server = Server {
            child,
            base,
            dir,
            db: db.to_string(),
            client,
            log,
            events,
            texts,
        };
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if let Ok(r) = server.client.get(server.url("/healthz")).send().await {
                if r.status().is_success() {
                    return server;
                }
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("server never became healthy");
    }

    /// Moves the server's clock to `instant` (RFC 3339, e.g. `2030-03-01T09:00:00+08:00`):
    /// every later request sees that time, as if the days had passed. Everyone signed in
    /// stays signed in, as if they had just used the portal (their sessions would otherwise
    /// have lapsed in the days between).
    pub async fn travel_to(&self, instant: &str) {
        let at = chrono::DateTime::parse_from_rfc3339(instant)
            .expect("an RFC 3339 instant")
            .timestamp();
        std::fs::write(self.dir.path().join("clock"), instant).expect("write the clock file");
        let pool = pool(&self.db).await;
        // (A half-made sign-in, its second step owed, is nobody signed in: it keeps its time.)
        sqlx::query("UPDATE sessions SET created_at = $1, last_seen_at = $1 WHERE pending IS NULL")
            .bind(at)
            .execute(&pool)
            .await
            .expect("keep the sessions");
        pool.close().await;
    }

    /// Moves the server's clock to 10:00 in Beijing on `day` (`YYYY-MM-DD`).
    pub async fn travel_to_day(&self, day: &str) {
        self.travel_to(&format!("{day}T10:00:00+08:00")).await;
    }

    /// The metrics, from their own listener (its address is in the log at start).
    pub async fn metrics(&self) -> String {
        let deadline = Instant::now() + Duration::from_secs(20);
        let at = loop {
            let found = self
                .log
                .lock()
                .unwrap()
                .iter()
                .find_map(|l| l.split("metrics at ").nth(1).map(|a| a.trim().to_string()));
            match found {
                Some(at) => break at,
                None if Instant::now() > deadline => panic!("no metrics listener in the log"),
                None => tokio::time::sleep(Duration::from_millis(50)).await,
            }
        };
        let r = self.client.get(&at).send().await.expect("metrics");
        assert_eq!(r.status(), 200);
        r.text().await.expect("metrics text")
    }

    /// The security events so far, once `done` holds of them (the log trails the answer by a
    /// moment); after 5 seconds, whatever has come.
    pub async fn events_until(
        &self,
        done: impl Fn(&[serde_json::Value]) -> bool,
    ) -> Vec<serde_json::Value> {
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            let all = self.events.lock().unwrap().clone();
            if done(&all) || Instant::now() > deadline {
                return all;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.expect("GET")
    }

    pub async fn get_json(&self, path: &str) -> (u16, serde_json::Value) {
        let r = self.get(path).await;
        let status = r.status().as_u16();
        let body = r.json().await.expect("JSON body");
        (status, body)
    }
}

impl Server {
    /// Kills the process with SIGKILL (no shutdown of any kind) and hands back its folder.
    pub fn crash(mut self) -> tempfile::TempDir {
        let _ = self.child.kill();
        let _ = self.child.wait();
        std::mem::replace(&mut self.dir, tempfile::tempdir().expect("temp dir"))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The database of the test that owns `dir`: a SQLite file in it, or — when
/// `PEIXUN_TEST_POSTGRES` names a PostgreSQL server (`postgres://USER@HOST:PORT`) — a database
/// of its own there, created on first use. The same folder always gets the same database.
pub fn database_url(dir: &Path) -> String {
    match postgres_base() {
        None => sqlite_url(dir),
        Some(base) => postgres::database_for(&base, dir),
    }
}

pub fn sqlite_url(dir: &Path) -> String {
    format!("sqlite://{}", dir.join("peixun.db").display())
}

/// The PostgreSQL server the suite runs against, if any.
pub fn postgres_base() -> Option<String> {
    std::env::var("PEIXUN_TEST_POSTGRES")
        .ok()
        .filter(|v| !v.trim().is_empty())
        .map(|v| v.trim().trim_end_matches('/').to_string())
}

/// On PostgreSQL every process of a test (servers, commands) holds the same key, as the
/// province's instances do; on SQLite each finds the key file beside the database.
pub fn shared_key() -> Vec<(&'static str, &'static str)> {
    match postgres_base() {
        Some(_) => vec![(
            "PEIXUN_SECRET_KEY",
            "BwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyAhIiMkJSYnKCkqKywtLi8wMTIzNDU2Nzg5Ojs8PT4/QEFCQ0RFRg==",
        )],
        None => Vec::new(),
    }
}

/// Key files a test gave its database (`own_key_file`): its servers and commands use that file
/// instead of the suite's shared key.
static KEY_FILES: std::sync::Mutex<Vec<(String, PathBuf)>> = std::sync::Mutex::new(Vec::new());

/// Every process on database `db` (servers, and commands given `--database-url db`) reads its
/// key ring from `file` (PEIXUN_KEY_FILE), as a deployment with a key file does: on
/// PostgreSQL too, where the suite otherwise shares one key in the environment.
pub fn own_key_file(db: &str, file: PathBuf) {
    KEY_FILES.lock().unwrap().push((db.to_string(), file));
}

/// The key a process on database `db` is given.
fn key_env(db: &str) -> Vec<(&'static str, String)> {
    let files = KEY_FILES.lock().unwrap();
    match files.iter().find(|(d, _)| d == db) {
        Some((_, file)) => vec![("PEIXUN_KEY_FILE", file.display().to_string())],
        None => shared_key()
            .into_iter()
            .map(|(k, v)| (k, v.to_string()))
            .collect(),
    }
}

/// A pool on a test's database, for checks the API cannot make.
pub async fn pool(url: &str) -> sqlx::AnyPool {
    sqlx::any::install_default_drivers();
    sqlx::AnyPool::connect(url)
        .await
        .expect("connect to the test database")
}

/// Test databases on PostgreSQL: `peixun_t_<pid>_<n>`, one per test folder. A test binary's
/// databases are dropped by the next binary that starts (its process has ended by then), and
/// by `make unit-postgres` when the run ends.
mod postgres {
    use sqlx::{Connection, Executor};
    use std::collections::HashMap;
    use std::path::{Path, PathBuf};
    use std::sync::{Mutex, Once};

    static NAMES: Mutex<Option<HashMap<PathBuf, String>>> = Mutex::new(None);
    static CLEANED: Once = Once::new();

    pub fn database_for(base: &str, dir: &Path) -> String {
        CLEANED.call_once(|| run(drop_stale(base.to_string())));
        let mut names = NAMES.lock().expect("names");
        let names = names.get_or_insert_with(HashMap::new);
        if let Some(name) = names.get(dir) {
            return format!("{base}/{name}");
        }
        let name = format!("peixun_t_{}_{}", std::process::id(), names.len());
        let create = format!("CREATE DATABASE {name}");
        run(admin(base.to_string(), vec![create]));
        names.insert(dir.to_path_buf(), name.clone());
        format!("{base}/{name}")
    }

    /// Runs `f` on a runtime of its own (callers may be inside another runtime, or none).
    fn run(f: impl std::future::Future<Output = ()> + Send + 'static) {
        std::thread::spawn(move || {
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime")
                .block_on(f)
        })
        .join()
        .expect("PostgreSQL admin thread");
    }

    async fn admin(base: String, statements: Vec<String>) {
        let mut conn = sqlx::PgConnection::connect(&format!("{base}/postgres"))
            .await
            .unwrap_or_else(|e| panic!("PEIXUN_TEST_POSTGRES={base}: cannot connect: {e}"));
        for sql in statements {
            conn.execute(sql.as_str()).await.expect("admin statement");
        }
    }

    async fn drop_stale(base: String) {
        let mut conn = sqlx::PgConnection::connect(&format!("{base}/postgres"))
            .await
            .unwrap_or_else(|e| panic!("PEIXUN_TEST_POSTGRES={base}: cannot connect: {e}"));
        let names: Vec<String> = sqlx::query_scalar(
            "SELECT datname::text FROM pg_database WHERE datname LIKE 'peixun\\_t\\_%'",
        )
        .fetch_all(&mut conn)
        .await
        .expect("list test databases");
        for name in names {
            let alive = name
                .split('_')
                .nth(2)
                .is_some_and(|pid| Path::new(&format!("/proc/{pid}")).exists());
            if !alive {
                let _ = conn
                    .execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str())
                    .await;
            }
        }
    }
}

/// Runs `peixun ARGS…` to completion.
pub fn peixun(args: &[&str]) -> Output {
    let db = args
        .iter()
        .position(|a| *a == "--database-url")
        .and_then(|i| args.get(i + 1))
        .copied()
        .unwrap_or_default();
    Command::new(BIN)
        .args(args)
        .env("NO_COLOR", "1")
        .envs(key_env(db))
        .output()
        .expect("run peixun")
}

/// Imports `csv` into `s` with the real binary (`extra`: more flags, such as `--dry-run`),
/// which must succeed; its output (its security events are on its standard error).
pub fn import_csv(s: &Server, csv: &str, extra: &[&str]) -> Output {
    let file = s.dir.path().join("import.csv");
    std::fs::write(&file, csv).unwrap();
    let db = s.database();
    let mut args = vec!["import-catalog", "--database-url", db.as_str()];
    args.extend_from_slice(extra);
    args.push(file.to_str().unwrap());
    let out = peixun(&args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// The enrolment fixture's catalogue with `edit` applied to each of its lines.
pub fn edited_fixture(edit: impl Fn(&str) -> String) -> String {
    let text = std::fs::read_to_string(fixture("enrolment-catalog.csv")).unwrap();
    text.lines().map(edit).collect::<Vec<_>>().join("\n")
}

/// A line of the enrolment fixture, class E-ONE given two seats instead of one.
pub fn e_one_with_two_seats(line: &str) -> String {
    if line.starts_with("E-ONE,") {
        line.replace(",,1,1200.00,", ",,2,1200.00,")
    } else {
        line.to_string()
    }
}

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// A valid identity number with these first 17 digits (the check character computed).
pub fn id_number(first17: &str) -> String {
    const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const C: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];
    let sum: u32 = first17
        .bytes()
        .zip(W)
        .map(|(b, w)| u32::from(b - b'0') * w)
        .sum();
    format!("{first17}{}", C[(sum % 11) as usize])
}

/// The `name=value` of a `Set-Cookie` header for `name`, if the response sets it.
pub fn cookie(response: &reqwest::Response, name: &str) -> Option<String> {
    response
        .headers()
        .get_all(reqwest::header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
        .map(|v| v.split(';').next().unwrap_or_default().to_string())
}

impl Server {
    /// Signs up with the code texted to `phone` (a phone that has an account gets no code:
    /// then a code that cannot be right is sent, as a guesser would).
    pub async fn register(&self, phone: &str, id: &str) -> reqwest::Response {
        let code = self.phone_code(phone, "register").await;
        self.client
            .post(self.url("/api/v1/auth/register"))
            .json(&serde_json::json!({"phone": phone, "password": "培训 secret 2026", "name": "测试学员", "id_number": id, "code": code.unwrap_or_else(|| "000000".into())}))
            .send()
            .await
            .unwrap()
    }

    /// Asks for a code for `purpose` to be texted to `phone` (202) and waits for the text:
    /// its code, or None when the text carries none (a phone that has an account, say).
    pub async fn phone_code(&self, phone: &str, purpose: &str) -> Option<String> {
        self.phone_code_as(phone, purpose, None).await
    }

    /// The same, signed in with `session` (a new phone for the profile).
    pub async fn phone_code_as(
        &self,
        phone: &str,
        purpose: &str,
        session: Option<&str>,
    ) -> Option<String> {
        let before = self.texts.texts_to(phone).len();
        let mut request = self
            .client
            .post(self.url("/api/v1/auth/phone-code"))
            .json(&serde_json::json!({"phone": phone, "purpose": purpose}));
        if let Some(session) = session {
            request = request.header("cookie", session);
        }
        let r = request.send().await.unwrap();
        assert_eq!(
            r.status(),
            202,
            "code for {phone}: {}",
            r.text().await.unwrap()
        );
        let got = self.texts.wait_for(phone, before + 1).await;
        got.last().and_then(|t| t.code())
    }

    /// Signs in and returns the session cookie (`peixun_session=…`). Staff take the second
    /// step with the code texted to their phone, as they would.
    pub async fn login(&self, phone: &str, password: &str) -> String {
        let before = self.texts.texts_to(phone).len();
        let r = self
            .client
            .post(self.url("/api/v1/auth/login"))
            .json(&serde_json::json!({"phone": phone, "password": password}))
            .send()
            .await
            .unwrap();
        let status = r.status().as_u16();
        assert!(
            status == 200 || status == 202,
            "sign-in of {phone}: {status}"
        );
        let session = cookie(&r, "peixun_session").expect("session cookie");
        if status == 200 {
            return session;
        }
        // The text this sign-in asked for (another may be under way for the same phone).
        let second: serde_json::Value = r.json().await.expect("JSON body");
        let reference = second["ref"]
            .as_str()
            .expect("the text's reference")
            .to_string();
        let deadline = Instant::now() + Duration::from_secs(15);
        let code = loop {
            let found = self
                .texts
                .texts_to(phone)
                .into_iter()
                .skip(before)
                .find(|t| t.body["params"]["ref"].as_str() == Some(reference.as_str()));
            if let Some(text) = found {
                break text.code().expect("a sign-in code");
            }
            assert!(
                Instant::now() < deadline,
                "no sign-in text {reference} to {phone}"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        };
        let r = self
            .client
            .post(self.url("/api/v1/auth/second-factor"))
            .header("cookie", &session)
            .json(&serde_json::json!({"code": code}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "second step of {phone}");
        cookie(&r, "peixun_session").expect("session cookie")
    }

    pub async fn get_as(&self, path: &str, session: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .header("cookie", session)
            .send()
            .await
            .unwrap()
    }

    pub fn database(&self) -> String {
        self.db.clone()
    }
}

/// Creates an account from the command line (staff roles), password `staff password 1`.
pub fn create_user(s: &Server, args: &[&str]) {
    let out = create_user_in(&s.database(), args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// `peixun create-user` on database `db` with password `staff password 1`: what it answered.
pub fn create_user_in(db: &str, args: &[&str]) -> Output {
    let mut all = vec![
        "create-user",
        "--database-url",
        db,
        "--password",
        STAFF_PASSWORD,
    ];
    all.extend_from_slice(args);
    peixun(&all)
}

pub const STAFF_PASSWORD: &str = "staff password 1";
