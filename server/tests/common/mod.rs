//! Spawns a real `peixun` on a temporary SQLite file and talks to it over HTTP.
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

pub const BIN: &str = env!("CARGO_BIN_EXE_peixun");

pub struct Server {
    child: Child,
    pub base: String,
    pub dir: tempfile::TempDir,
    pub client: reqwest::Client,
    /// Everything the server logged so far.
    pub log: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
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
        let mut child = Command::new(BIN)
            .args([
                "serve",
                "--addr",
                "127.0.0.1:0",
                "--database-url",
                &db,
                "--site-root",
            ])
            .arg(dir.path().join("site"))
            .args(extra)
            .env("PEIXUN_LOG", "debug,sqlx=warn,hyper=warn,tower_http=debug")
            .env("NO_COLOR", "1")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn peixun");
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
            client,
            log,
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

pub fn database_url(dir: &Path) -> String {
    format!("sqlite://{}", dir.join("peixun.db").display())
}

/// Runs `peixun ARGS…` to completion.
pub fn peixun(args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("run peixun")
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
    pub async fn register(&self, phone: &str, id: &str) -> reqwest::Response {
        self.client
            .post(self.url("/api/v1/auth/register"))
            .json(&serde_json::json!({"phone": phone, "password": "培训 secret 2026", "name": "测试学员", "id_number": id}))
            .send()
            .await
            .unwrap()
    }

    /// Signs in and returns the session cookie (`peixun_session=…`).
    pub async fn login(&self, phone: &str, password: &str) -> String {
        let r = self
            .client
            .post(self.url("/api/v1/auth/login"))
            .json(&serde_json::json!({"phone": phone, "password": password}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "sign-in of {phone}");
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
        database_url(self.dir.path())
    }
}

/// Creates an account from the command line (staff roles), password `staff password 1`.
pub fn create_user(s: &Server, args: &[&str]) {
    let db = s.database();
    let mut all = vec![
        "create-user",
        "--database-url",
        db.as_str(),
        "--password",
        STAFF_PASSWORD,
    ];
    all.extend_from_slice(args);
    let out = peixun(&all);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

pub const STAFF_PASSWORD: &str = "staff password 1";
