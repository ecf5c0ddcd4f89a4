//! "用统一身份认证登录": the OpenID Connect relying party for the province's unified identity
//! service (天府通办 / the national government-service platform), with the `openidconnect`
//! crate: the authorization code flow with PKCE, a state used once and a nonce, the ID token
//! checked against the issuer's published keys (signature, issuer, audience, expiry, nonce).
//! What it asserts (real name, identity number, phone) goes to
//! `app::accounts::real_name_service`, which decides what the sign-in does.

use app::accounts::real_name::Asserted;
use app::accounts::real_name_service;
use app::error::{AppError, AppResult, FieldProblem};
use app::portal::Portal;
use openidconnect::core::{CoreClient, CoreProviderMetadata, CoreResponseType};
use openidconnect::{
    AuthenticationFlow, AuthorizationCode, ClientId, ClientSecret, CsrfToken, IssuerUrl, Nonce,
    PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, Scope, TokenResponse,
};
use openidconnect::{EndpointMaybeSet, EndpointNotSet, EndpointSet};
use std::time::{Duration, Instant};
use tokio::sync::RwLock;

/// The client as discovery makes it: authorization endpoint known, token and user-info
/// endpoints as the provider's metadata says.
type Client = CoreClient<
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointMaybeSet,
    EndpointMaybeSet,
>;

/// The claims that carry what the service asserts (configurable: providers name them).
#[derive(Debug, Clone)]
pub struct ClaimNames {
    pub name: String,
    pub id_number: String,
    pub phone: String,
}

#[derive(Debug, Clone)]
pub struct OidcConfig {
    pub issuer: String,
    pub client_id: String,
    pub client_secret: String,
    /// `{public-url}/auth/oidc/callback`.
    pub redirect: String,
    pub claims: ClaimNames,
    pub scopes: Vec<String>,
}

/// The relying party: its configuration and the provider's metadata (discovered on first use,
/// again after an hour, so a provider's new keys are found).
pub struct Oidc {
    config: OidcConfig,
    http: openidconnect::reqwest::Client,
    metadata: RwLock<Option<(Instant, CoreProviderMetadata)>>,
}

const REDISCOVER: Duration = Duration::from_secs(3600);

/// Why the service's answer was not taken (logged; the person is told to try again).
fn failed(what: &str, detail: impl std::fmt::Display) -> AppError {
    tracing::warn!(%detail, "unified identity sign-in refused: {what}");
    AppError::field("real_name", FieldProblem::CodeExpired)
}

impl Oidc {
    pub fn new(config: OidcConfig) -> Result<Oidc, String> {
        IssuerUrl::new(config.issuer.clone()).map_err(|e| format!("--oidc-issuer: {e}"))?;
        RedirectUrl::new(config.redirect.clone()).map_err(|e| format!("--public-url: {e}"))?;
        let http = openidconnect::reqwest::ClientBuilder::new()
            // Following redirects would let a provider's answer send us anywhere (SSRF).
            .redirect(openidconnect::reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(10))
            .build()
            .map_err(|e| e.to_string())?;
        Ok(Oidc {
            config,
            http,
            metadata: RwLock::new(None),
        })
    }

    async fn metadata(&self) -> AppResult<CoreProviderMetadata> {
        if let Some((at, m)) = self.metadata.read().await.as_ref() {
            if at.elapsed() < REDISCOVER {
                return Ok(m.clone());
            }
        }
        let issuer = IssuerUrl::new(self.config.issuer.clone()).map_err(|e| failed("issuer", e))?;
        let found = CoreProviderMetadata::discover_async(issuer, &self.http)
            .await
            .map_err(|e| {
                tracing::error!(err = %e, "cannot read the identity service's discovery document");
                AppError::Internal(format!("OpenID discovery: {e}"))
            })?;
        *self.metadata.write().await = Some((Instant::now(), found.clone()));
        Ok(found)
    }

    /// This service as the provider's client, calling back to our redirect address.
    async fn client(&self) -> AppResult<Client> {
        Ok(CoreClient::from_provider_metadata(
            self.metadata().await?,
            ClientId::new(self.config.client_id.clone()),
            Some(ClientSecret::new(self.config.client_secret.clone())),
        )
        .set_redirect_uri(
            RedirectUrl::new(self.config.redirect.clone()).map_err(|e| failed("redirect", e))?,
        ))
    }

    /// Where to send the browser: the provider's authorization page, for a sign-in whose
    /// state, nonce and PKCE verifier are kept (ten minutes, used once).
    pub async fn start(&self, portal: &Portal) -> AppResult<String> {
        let client = self.client().await?;
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let mut request = client
            .authorize_url(
                AuthenticationFlow::<CoreResponseType>::AuthorizationCode,
                CsrfToken::new_random,
                Nonce::new_random,
            )
            .set_pkce_challenge(challenge);
        for scope in self.config.scopes.iter().filter(|s| *s != "openid") {
            request = request.add_scope(Scope::new(scope.clone()));
        }
        let (url, state, nonce) = request.url();
        real_name_service::remember_login(
            portal,
            state.secret(),
            nonce.secret(),
            verifier.secret(),
        )
        .await?;
        Ok(url.to_string())
    }

    /// The provider sent the browser back with `code` for the sign-in of `state`: the code is
    /// exchanged (with the PKCE verifier), the ID token checked, its claims read.
    pub async fn finish(&self, portal: &Portal, code: &str, state: &str) -> AppResult<Asserted> {
        let (nonce, verifier) = real_name_service::recall_login(portal, state).await?;
        let client = self.client().await?;
        let token = client
            .exchange_code(AuthorizationCode::new(code.to_string()))
            .map_err(|e| failed("no token endpoint", e))?
            .set_pkce_verifier(PkceCodeVerifier::new(verifier))
            .request_async(&self.http)
            .await
            .map_err(|e| failed("the code was not exchanged", e))?;
        let id_token = token
            .id_token()
            .ok_or_else(|| failed("no ID token", "the token answer carried none"))?;
        let checked = id_token
            .claims(&client.id_token_verifier(), &Nonce::new(nonce))
            .map_err(|e| failed("the ID token", e))?;
        let subject = format!("{}#{}", self.config.issuer, checked.subject().as_str());
        // The token is checked: its payload's own claims (whatever the provider names them).
        let payload = payload_of(&id_token.to_string()).map_err(|e| failed("the ID token", e))?;
        let text = |name: &str| {
            payload
                .get(name)
                .and_then(|v| v.as_str())
                .map(str::to_string)
        };
        let c = &self.config.claims;
        let (Some(name), Some(id_number)) = (text(&c.name), text(&c.id_number)) else {
            return Err(failed("claims", "no name or identity number"));
        };
        Ok(Asserted {
            subject,
            name,
            id_number,
            phone: text(&c.phone),
        })
    }
}

/// The JSON payload of a compact JWS (already verified by the caller).
fn payload_of(jws: &str) -> Result<serde_json::Map<String, serde_json::Value>, String> {
    use base64::Engine;
    let part = jws.split('.').nth(1).ok_or("not a JWS")?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(part.trim_end_matches('='))
        .map_err(|e| e.to_string())?;
    serde_json::from_slice(&bytes).map_err(|e| e.to_string())
}
