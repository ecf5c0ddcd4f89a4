//! OpenID providers for the tests. `Provider` is the real one (npm `oidc-provider`, started
//! from `end2end/oidc-provider.mjs`, installed by `make deps-npm`); `StandIn` is a provider
//! of our own that answers with ID tokens broken on purpose (a wrong nonce, issuer, audience or
//! signature), to show the portal refuses each.
#![allow(dead_code)]

use super::{cookie, Server};
use serde_json::{json, Value};
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub const CLIENT_ID: &str = "peixun";
pub const CLIENT_SECRET: &str = "peixun-test-secret";

/// A running `oidc-provider`.
pub struct Provider {
    pub issuer: String,
    child: Child,
}

impl Drop for Provider {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Provider {
    /// Starts the provider with `people` (`{"login": {"name", "id_number", "phone_number"}}`).
    pub fn start(people: Value) -> Provider {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../end2end");
        assert!(
            dir.join("node_modules/oidc-provider").exists(),
            "npm's oidc-provider is missing: run `make deps-npm` first"
        );
        let mut child = Command::new("node")
            .arg("oidc-provider.mjs")
            .current_dir(&dir)
            .env("OIDC_PORT", "0")
            .env("OIDC_PEOPLE", people.to_string())
            .env("OIDC_CLIENT_SECRET", CLIENT_SECRET)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start node oidc-provider.mjs");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(issuer) = line.strip_prefix("issuer=") {
                    let _ = tx.send(issuer.to_string());
                }
            }
        });
        let issuer = rx
            .recv_timeout(Duration::from_secs(30))
            .expect("the OpenID provider did not start");
        Provider { issuer, child }
    }

    /// The flags that point a portal at this provider.
    pub fn flags(&self) -> Vec<String> {
        vec![
            "--oidc-issuer".into(),
            self.issuer.clone(),
            "--oidc-client-id".into(),
            CLIENT_ID.into(),
        ]
    }
}

/// What came of a sign-in through a provider.
#[derive(Debug)]
pub struct Outcome {
    /// Where the portal sent the browser at the end (`/me`, `/auth/oidc/link`, …).
    pub location: String,
    /// The portal's session cookie, if it set one.
    pub session: Option<String>,
    /// The status of the portal's last answer.
    pub status: u16,
}

/// Signs in to `s` as `login` through the provider's own pages, as a browser would: the
/// portal's redirect, the provider's sign-in and consent forms, and back to the portal.
pub async fn sign_in(s: &Server, login: &str, carrying: Option<&str>) -> Outcome {
    let provider = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .build()
        .unwrap();
    let mut start = s.client.get(s.url("/auth/oidc/start"));
    if let Some(c) = carrying {
        start = start.header("cookie", c);
    }
    let r = start.send().await.unwrap();
    assert_eq!(
        r.status(),
        303,
        "the portal sends the browser to the provider"
    );
    let mut next = location(&r);
    for _ in 0..20 {
        if next.starts_with(&s.base) {
            let mut back = s.client.get(&next);
            if let Some(c) = carrying {
                back = back.header("cookie", c);
            }
            let r = back.send().await.unwrap();
            let status = r.status().as_u16();
            let session = cookie(&r, "peixun_session");
            let location = r
                .headers()
                .get("location")
                .map(|v| v.to_str().unwrap().to_string())
                .unwrap_or_default();
            return Outcome {
                location,
                session,
                status,
            };
        }
        let r = provider.get(&next).send().await.unwrap();
        if r.status().is_redirection() {
            next = absolute(&next, &location(&r));
            continue;
        }
        let page = r.text().await.unwrap();
        let (action, mut fields) = form_of(&page);
        if fields.iter().any(|(k, _)| k == "login") {
            fields.retain(|(k, _)| k != "login" && k != "password");
            fields.push(("login".into(), login.into()));
            fields.push(("password".into(), "any password".into()));
        }
        let r = provider
            .post(absolute(&next, &action))
            .form(&fields)
            .send()
            .await
            .unwrap();
        assert!(
            r.status().is_redirection(),
            "the provider's form: {}",
            r.status()
        );
        next = absolute(&next, &location(&r));
    }
    panic!("never came back to the portal");
}

fn location(r: &reqwest::Response) -> String {
    r.headers()
        .get("location")
        .expect("a redirect")
        .to_str()
        .unwrap()
        .to_string()
}

fn absolute(base: &str, href: &str) -> String {
    reqwest::Url::parse(base)
        .unwrap()
        .join(href)
        .unwrap()
        .to_string()
}

/// The first form of a page: its action and its hidden and text inputs' names and values.
fn form_of(page: &str) -> (String, Vec<(String, String)>) {
    let attr = |tag: &str, name: &str| -> Option<String> {
        let at = tag.find(&format!("{name}=\""))? + name.len() + 2;
        let end = tag[at..].find('"')? + at;
        Some(tag[at..end].replace("&amp;", "&"))
    };
    let start = page.find("<form").expect("a form");
    let tag_end = page[start..].find('>').unwrap() + start;
    let action = attr(&page[start..tag_end], "action").unwrap_or_default();
    let mut fields = Vec::new();
    let mut rest = &page[tag_end..];
    while let Some(i) = rest.find("<input") {
        let end = rest[i..].find('>').unwrap() + i;
        let tag = &rest[i..end];
        if let Some(name) = attr(tag, "name") {
            fields.push((name, attr(tag, "value").unwrap_or_default()));
        }
        rest = &rest[end..];
    }
    (action, fields)
}

/// How the stand-in provider breaks its ID token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flaw {
    /// None: a token the portal must take (shows the stand-in is otherwise sound).
    None,
    WrongNonce,
    WrongIssuer,
    WrongAudience,
    /// A signature the published key does not verify.
    WrongKey,
    Expired,
}

#[derive(Default)]
struct StandInState {
    nonce: String,
    flaw: Option<Flaw>,
    claims: Value,
}

/// A provider of our own, on loopback, whose token endpoint answers with the token the test
/// asks for (see `Flaw`).
pub struct StandIn {
    pub issuer: String,
    state: Arc<Mutex<StandInState>>,
}

impl StandIn {
    pub fn start(claims: Value) -> StandIn {
        use base64::Engine;
        use rsa::pkcs8::DecodePrivateKey;
        use rsa::traits::PublicKeyParts;
        let pem = std::fs::read_to_string(super::fixture("stand-in-provider-key.pem")).unwrap();
        let key = rsa::RsaPrivateKey::from_pkcs8_pem(&pem).expect("the stand-in's key");
        let b64 = |b: &[u8]| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(b);
        let jwk = json!({"kty": "RSA", "use": "sig", "alg": "RS256", "kid": "stand-in",
                         "n": b64(&key.n().to_bytes_be()), "e": b64(&key.e().to_bytes_be())});
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let issuer = format!("http://{}", listener.local_addr().unwrap());
        let state = Arc::new(Mutex::new(StandInState {
            claims,
            ..Default::default()
        }));
        let (iss, shared) = (issuer.clone(), state.clone());
        std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async move {
                use axum::routing::{get, post};
                let discovery = json!({
                    "issuer": iss,
                    "authorization_endpoint": format!("{iss}/auth"),
                    "token_endpoint": format!("{iss}/token"),
                    "jwks_uri": format!("{iss}/jwks"),
                    "response_types_supported": ["code"],
                    "subject_types_supported": ["public"],
                    "id_token_signing_alg_values_supported": ["RS256"],
                });
                let keys = json!({"keys": [jwk]});
                let token_issuer = iss.clone();
                let app = axum::Router::new()
                    .route(
                        "/.well-known/openid-configuration",
                        get(move || async move { axum::Json(discovery) }),
                    )
                    .route("/jwks", get(move || async move { axum::Json(keys) }))
                    .route(
                        "/token",
                        post(move || {
                            let (state, iss, key) =
                                (shared.clone(), token_issuer.clone(), key.clone());
                            async move { axum::Json(token(&state, &iss, &key)) }
                        }),
                    );
                let listener = tokio::net::TcpListener::from_std(listener).unwrap();
                let _ = axum::serve(listener, app).await;
            });
        });
        StandIn { issuer, state }
    }

    pub fn flags(&self) -> Vec<String> {
        vec![
            "--oidc-issuer".into(),
            self.issuer.clone(),
            "--oidc-client-id".into(),
            CLIENT_ID.into(),
        ]
    }

    /// The next token is for `nonce` (as the portal asked) with `flaw`.
    pub fn answer(&self, nonce: &str, flaw: Flaw) {
        let mut s = self.state.lock().unwrap();
        s.nonce = nonce.to_string();
        s.flaw = Some(flaw);
    }
}

fn token(state: &Mutex<StandInState>, issuer: &str, key: &rsa::RsaPrivateKey) -> Value {
    use base64::Engine;
    use rsa::pkcs1v15::SigningKey;
    use rsa::signature::{SignatureEncoding, Signer};
    let s = state.lock().unwrap();
    let flaw = s.flaw.unwrap_or(Flaw::None);
    let now = chrono::Utc::now().timestamp();
    let mut claims = s.claims.clone();
    claims["iss"] = json!(if flaw == Flaw::WrongIssuer {
        "http://elsewhere.example"
    } else {
        issuer
    });
    claims["aud"] = json!(if flaw == Flaw::WrongAudience {
        "someone-else"
    } else {
        CLIENT_ID
    });
    claims["nonce"] = json!(if flaw == Flaw::WrongNonce {
        "not-the-nonce"
    } else {
        s.nonce.as_str()
    });
    claims["iat"] = json!(now - 10);
    claims["exp"] = json!(if flaw == Flaw::Expired {
        now - 5
    } else {
        now + 300
    });
    let b64 = |b: &[u8]| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(b);
    let header = b64(json!({"alg": "RS256", "kid": "stand-in", "typ": "JWT"})
        .to_string()
        .as_bytes());
    let payload = b64(claims.to_string().as_bytes());
    let input = format!("{header}.{payload}");
    let signer = SigningKey::<sha2::Sha256>::new(key.clone());
    let mut signature = signer.sign(input.as_bytes()).to_bytes().to_vec();
    if flaw == Flaw::WrongKey {
        // Not the signature of this token under the published key.
        signature[10] ^= 0x5a;
    }
    let signature = b64(&signature);
    json!({"access_token": "stand-in-access", "token_type": "Bearer", "expires_in": 300,
           "id_token": format!("{input}.{signature}")})
}

/// The `state` and `nonce` of the portal's redirect to a provider.
pub fn state_and_nonce(location: &str) -> (String, String) {
    let url = reqwest::Url::parse(location).unwrap();
    let get = |k: &str| {
        url.query_pairs()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.to_string())
            .unwrap_or_else(|| panic!("no {k} in {location}"))
    };
    (get("state"), get("nonce"))
}
