//! `serve`'s flags for the province's unified identity service (OpenID Connect).

use crate::oidc::{ClaimNames, OidcConfig};
use clap::Args;
use std::path::PathBuf;

#[derive(Debug, Args)]
pub(super) struct OidcArgs {
    /// The unified identity service's issuer (its discovery document is
    /// `{issuer}/.well-known/openid-configuration`). With it, "用统一身份认证登录" is offered
    /// and subsidy claims need a verified real name.
    #[arg(
        long,
        env = "PEIXUN_OIDC_ISSUER",
        value_name = "URL",
        requires = "oidc_client_id"
    )]
    pub oidc_issuer: Option<String>,
    /// This portal's client id at the service.
    #[arg(long, env = "PEIXUN_OIDC_CLIENT_ID", value_name = "ID")]
    pub oidc_client_id: Option<String>,
    /// A file holding the client secret (or `PEIXUN_OIDC_CLIENT_SECRET`; never a flag).
    #[arg(long, value_name = "FILE")]
    pub oidc_client_secret_file: Option<PathBuf>,
    /// The claim carrying the real name.
    #[arg(long, env = "PEIXUN_OIDC_NAME_CLAIM", default_value = "name")]
    pub oidc_name_claim: String,
    /// The claim carrying the identity number.
    #[arg(long, env = "PEIXUN_OIDC_ID_NUMBER_CLAIM", default_value = "id_number")]
    pub oidc_id_number_claim: String,
    /// The claim carrying the mobile number.
    #[arg(long, env = "PEIXUN_OIDC_PHONE_CLAIM", default_value = "phone_number")]
    pub oidc_phone_claim: String,
    /// The scopes asked for, space-separated (`openid` is always asked).
    #[arg(
        long,
        env = "PEIXUN_OIDC_SCOPES",
        default_value = "openid profile phone"
    )]
    pub oidc_scopes: String,
}

impl OidcArgs {
    /// The relying party's configuration, with the callback at `public_url` (filled in when
    /// the listener is bound); none without `--oidc-issuer`.
    pub(super) fn config(&self) -> Result<Option<OidcConfig>, String> {
        let Some(issuer) = &self.oidc_issuer else {
            return Ok(None);
        };
        let secret = match &self.oidc_client_secret_file {
            Some(file) => std::fs::read_to_string(file)
                .map_err(|e| format!("--oidc-client-secret-file {}: {e}", file.display()))?
                .trim()
                .to_string(),
            None => std::env::var("PEIXUN_OIDC_CLIENT_SECRET").unwrap_or_default(),
        };
        if secret.is_empty() {
            return Err(
                "--oidc-issuer needs the client secret: PEIXUN_OIDC_CLIENT_SECRET or \
                 --oidc-client-secret-file (统一身份认证需要客户端密钥)"
                    .into(),
            );
        }
        Ok(Some(OidcConfig {
            issuer: issuer.trim_end_matches('/').to_string(),
            client_id: self.oidc_client_id.clone().unwrap_or_default(),
            client_secret: secret,
            redirect: String::new(),
            claims: ClaimNames {
                name: self.oidc_name_claim.clone(),
                id_number: self.oidc_id_number_claim.clone(),
                phone: self.oidc_phone_claim.clone(),
            },
            scopes: self
                .oidc_scopes
                .split_whitespace()
                .map(str::to_string)
                .collect(),
        }))
    }
}
