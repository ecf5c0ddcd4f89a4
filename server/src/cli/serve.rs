//! `peixun serve`: the portal, with everything a deployment sets.

use super::database::{open_with, DatabaseArgs};
use super::oidc_args::OidcArgs;
use app::portal::Settings;
use clap::Args;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "PEIXUN_ADDR", default_value = "127.0.0.1:3000")]
    pub addr: SocketAddr,
    #[command(flatten)]
    database: DatabaseArgs,
    /// Load the demo catalogue when the catalogue is empty.
    #[arg(long, env = "PEIXUN_DEMO")]
    pub demo: bool,
    /// Folder of the built site (CSS, JS, WASM, icons), as `make build` writes it.
    #[arg(long, env = "PEIXUN_SITE_ROOT", default_value = "target/site")]
    pub site_root: PathBuf,
    /// The portal is served over HTTPS (behind a TLS proxy): Secure cookies and HSTS.
    #[arg(long, env = "PEIXUN_HTTPS")]
    pub https: bool,
    /// Behind N proxies (the bare flag: one): the client address is the one the outermost
    /// trusted proxy saw, N entries from the right of `X-Forwarded-For`. Entries further left
    /// are the client's to write and never count.
    #[arg(long, env = "PEIXUN_TRUST_PROXY", value_name = "N", num_args = 0..=1,
          default_missing_value = "1", value_parser = proxy_hops)]
    pub trust_proxy: Option<u8>,
    /// The address people reach the portal at (e.g. https://px.sc.gov.cn): what the QR code of
    /// a certificate opens. Without it, the address this server listens on.
    #[arg(long, env = "PEIXUN_PUBLIC_URL", value_name = "URL", value_parser = public_url)]
    pub public_url: Option<String>,
    /// 主办单位: who runs the site, shown in every page's footer (never on a demo database).
    #[arg(long, env = "PEIXUN_SITE_SPONSOR", value_name = "NAME")]
    pub site_sponsor: Option<String>,
    /// 网站标识码: the government-website code, shown in the footer.
    #[arg(long, env = "PEIXUN_SITE_CODE", value_name = "CODE")]
    pub site_code: Option<String>,
    /// ICP 备案号, shown in the footer and linked to the MIIT registry.
    #[arg(long, env = "PEIXUN_ICP", value_name = "NUMBER")]
    pub icp: Option<String>,
    /// 公安备案号, shown in the footer and linked to the public-security registry.
    #[arg(long, env = "PEIXUN_PUBLIC_SECURITY_RECORD", value_name = "NUMBER")]
    pub public_security_record: Option<String>,
    /// Serve the Prometheus metrics at `/metrics` on this address only (e.g. 127.0.0.1:9464);
    /// without it there are none. Never on the public address.
    #[arg(long, env = "PEIXUN_METRICS_ADDR")]
    pub metrics_addr: Option<SocketAddr>,
    /// The SMS gateway's address: texts (codes, notices) are posted there as JSON
    /// `{"phone", "template", "params"}` with `Authorization: Bearer $PEIXUN_SMS_TOKEN`.
    /// Without it, texts wait in the outbox (`peixun outbox`).
    #[arg(long, env = "PEIXUN_SMS_GATEWAY", value_name = "URL", value_parser = gateway_url)]
    pub sms_gateway: Option<GatewayUrl>,
    /// Texts a phone may be sent in an hour (codes and notices together).
    #[arg(long, env = "PEIXUN_TEXTS_PER_PHONE_PER_HOUR", default_value_t = 5,
          value_parser = clap::value_parser!(u32).range(1..))]
    pub texts_per_phone_per_hour: u32,
    /// Codes one client address may ask for in an hour (raise it for a test suite that signs
    /// many people up from one address).
    #[arg(long, env = "PEIXUN_CODES_PER_ADDRESS_PER_HOUR", default_value_t = 30,
          value_parser = clap::value_parser!(u32).range(1..))]
    pub codes_per_address_per_hour: u32,
    /// Sign-in attempts allowed per client address per minute.
    #[arg(long, env = "PEIXUN_LOGIN_ATTEMPTS_PER_MINUTE", default_value_t = 300, value_parser = clap::value_parser!(u32).range(1..))]
    pub login_attempts_per_minute: u32,
    /// Seconds a client has to send a request's headers before the connection is closed, so
    /// that slow clients cannot hold connections open (slowloris).
    #[arg(long, env = "PEIXUN_HEADER_READ_TIMEOUT", value_name = "SECONDS", default_value_t = 10,
          value_parser = clap::value_parser!(u64).range(1..=300))]
    pub header_read_timeout: u64,
    #[command(flatten)]
    oidc: OidcArgs,
    /// Read the time from this file (an RFC 3339 instant) instead of the system's clock: for
    /// tests and training drills that must see days pass, never for a real deployment.
    #[arg(long, value_name = "FILE")]
    pub clock_file: Option<PathBuf>,
}

pub(super) async fn serve(args: ServeArgs) -> Result<ExitCode, ExitCode> {
    let settings = Settings {
        login_attempts_per_minute: args.login_attempts_per_minute,
        texts_per_phone_per_hour: args.texts_per_phone_per_hour,
        codes_per_address_per_hour: args.codes_per_address_per_hour,
        identifiers: app::deployment::SiteIdentifiers {
            sponsor: args.site_sponsor.clone(),
            site_code: args.site_code.clone(),
            icp: args.icp.clone(),
            public_security: args.public_security_record.clone(),
        },
        real_name_service: args.oidc.oidc_issuer.is_some(),
        ..Settings::default()
    };
    let oidc = args.oidc.config().map_err(|err| {
        eprintln!("peixun: {err}");
        ExitCode::FAILURE
    })?;
    let mut portal = open_with(&args.database, settings).await?;
    if let Some(file) = &args.clock_file {
        portal = portal.with_clock(app::clock::Clock::from_file(file));
        tracing::warn!(file = %file.display(), "the clock is read from a file, not the system");
    }
    if args.demo {
        crate::demo::load_if_empty(&portal).await.map_err(|err| {
            eprintln!("peixun: cannot load the demo catalogue: {err}");
            ExitCode::FAILURE
        })?;
        crate::demo::create_accounts(&portal).await.map_err(|err| {
            eprintln!("peixun: cannot create the demo accounts: {err}");
            ExitCode::FAILURE
        })?;
    }
    let exposure = crate::state::Exposure {
        https: args.https,
        trust_proxy: args.trust_proxy.unwrap_or(0),
    };
    if args.https && args.public_url.is_none() {
        tracing::warn!("--https without --public-url: QR codes open the listening address");
    }
    let gateway = args
        .sms_gateway
        .and_then(|url| url.0)
        .map(|url| crate::texts::Gateway {
            url,
            token: std::env::var("PEIXUN_SMS_TOKEN").unwrap_or_default(),
        });
    if gateway.is_none() {
        tracing::warn!("no --sms-gateway: texts wait in the outbox (peixun outbox)");
    }
    let listen = crate::web::Listen {
        addr: args.addr,
        metrics: args.metrics_addr,
        site_root: args.site_root.clone(),
        exposure,
        public_url: args.public_url,
        header_read_timeout: std::time::Duration::from_secs(args.header_read_timeout),
        oidc,
        gateway,
    };
    let served = crate::web::serve(listen, portal);
    served.await.map_err(|err| {
        eprintln!("peixun: {err}");
        ExitCode::FAILURE
    })?;
    Ok(ExitCode::SUCCESS)
}

/// A web address at the root of its host: `https://px.sc.gov.cn` (a trailing slash is dropped).
fn public_url(value: &str) -> Result<String, String> {
    let url = reqwest::Url::parse(value.trim())
        .map_err(|err| format!("{value:?} is not a web address ({err})"))?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err(format!("{value:?} is not an http or https address"));
    }
    if url.path() != "/" || url.query().is_some() || url.fragment().is_some() {
        return Err(format!(
            "{value:?}: the portal is served at the root of its address"
        ));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(format!("{value:?} carries a user name"));
    }
    Ok(url.as_str().trim_end_matches('/').to_string())
}

/// `--sms-gateway`: an http or https address; empty means none.
#[derive(Debug, Clone)]
pub struct GatewayUrl(Option<String>);

fn gateway_url(value: &str) -> Result<GatewayUrl, String> {
    if value.trim().is_empty() {
        return Ok(GatewayUrl(None));
    }
    let url = reqwest::Url::parse(value.trim())
        .map_err(|err| format!("{value:?} is not a web address ({err})"))?;
    match url.scheme() {
        "http" | "https" => Ok(GatewayUrl(Some(url.to_string()))),
        _ => Err(format!("{value:?} is not an http or https address")),
    }
}

/// `--trust-proxy N`: a number of proxies (up to 16); `true` and `false`, as the flag's
/// environment variable took before it had a value, are 1 and 0.
fn proxy_hops(value: &str) -> Result<u8, String> {
    match value.trim() {
        "true" => Ok(1),
        "false" => Ok(0),
        n => n
            .parse::<u8>()
            .ok()
            .filter(|n| *n <= 16)
            .ok_or_else(|| format!("{n:?} is not a number of proxies from 0 to 16")),
    }
}
