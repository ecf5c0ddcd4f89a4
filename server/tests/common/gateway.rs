//! A stand-in for the SMS gateway a deployment names with `--sms-gateway`: a real HTTP server
//! on loopback that takes `POST /texts` as the gateway's contract says, records every text it
//! accepts, and can be told to fail (an outage) or to stop answering for a while.
#![allow(dead_code)]

use axum::http::{HeaderMap, StatusCode};
use serde_json::Value;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The bearer token the suite's servers are given (`PEIXUN_SMS_TOKEN`).
pub const TOKEN: &str = "test-sms-token";

/// A text as the gateway received it.
#[derive(Debug, Clone)]
pub struct Received {
    pub body: Value,
    pub authorization: Option<String>,
    pub idempotency_key: Option<String>,
}

impl Received {
    pub fn phone(&self) -> &str {
        self.body["phone"].as_str().unwrap_or_default()
    }

    pub fn template(&self) -> &str {
        self.body["template"].as_str().unwrap_or_default()
    }

    pub fn code(&self) -> Option<String> {
        self.body["params"]["code"].as_str().map(str::to_string)
    }
}

#[derive(Default)]
struct State {
    accepted: Mutex<Vec<Received>>,
    down: AtomicBool,
    attempts: AtomicUsize,
}

#[derive(Clone)]
pub struct Gateway {
    /// The address to give `--sms-gateway`.
    pub url: String,
    state: Arc<State>,
}

impl Gateway {
    /// Starts a gateway on a thread of its own (it lives as long as the test process).
    pub fn start() -> Gateway {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind the gateway");
        listener.set_nonblocking(true).expect("non-blocking");
        let url = format!("http://{}/texts", listener.local_addr().expect("address"));
        let state = Arc::new(State::default());
        let shared = state.clone();
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime");
            runtime.block_on(async move {
                let listener = tokio::net::TcpListener::from_std(listener).expect("listener");
                let app = axum::Router::new()
                    .route("/texts", axum::routing::post(take))
                    .with_state(shared);
                let _ = axum::serve(listener, app).await;
            });
        });
        Gateway { url, state }
    }

    /// Every text the gateway accepted, oldest first.
    pub fn texts(&self) -> Vec<Received> {
        self.state.accepted.lock().unwrap().clone()
    }

    /// The texts accepted for `phone`.
    pub fn texts_to(&self, phone: &str) -> Vec<Received> {
        self.texts()
            .into_iter()
            .filter(|t| t.phone() == phone)
            .collect()
    }

    /// Every post, accepted or refused.
    pub fn attempts(&self) -> usize {
        self.state.attempts.load(Ordering::SeqCst)
    }

    /// While down, every post is answered 503 and nothing is recorded.
    pub fn set_down(&self, down: bool) {
        self.state.down.store(down, Ordering::SeqCst);
    }

    /// Waits (at most 15 s) until `phone` has received `n` texts; returns them all.
    pub async fn wait_for(&self, phone: &str, n: usize) -> Vec<Received> {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let got = self.texts_to(phone);
            if got.len() >= n {
                return got;
            }
            assert!(
                Instant::now() < deadline,
                "{phone} received {} text(s), not {n}",
                got.len()
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

async fn take(
    axum::extract::State(state): axum::extract::State<Arc<State>>,
    headers: HeaderMap,
    body: String,
) -> StatusCode {
    state.attempts.fetch_add(1, Ordering::SeqCst);
    if state.down.load(Ordering::SeqCst) {
        return StatusCode::SERVICE_UNAVAILABLE;
    }
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    let Ok(body) = serde_json::from_str::<Value>(&body) else {
        return StatusCode::BAD_REQUEST;
    };
    state.accepted.lock().unwrap().push(Received {
        body,
        authorization: header("authorization"),
        idempotency_key: header("idempotency-key"),
    });
    StatusCode::OK
}
