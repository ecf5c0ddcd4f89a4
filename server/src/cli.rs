//! The command line: `peixun serve`, `peixun import-catalog`.

use app::access::Role;
use app::accounts::service as accounts;
use app::accounts::NewAccount;
use app::catalog::import::{self, FileKind};
use app::catalog::service::{self, ImportOptions, ImportReport};
use app::error::AppError;
use app::i18n::Locale;
use app::portal::{Portal, Settings};
use clap::{Args, Parser, Subcommand};
use leptos_i18n::td_string;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

mod backup;
mod database;
mod keys;
mod outbox;
mod policy;

use database::{open, open_with, DatabaseArgs};

#[derive(Debug, Parser)]
#[command(
    name = "peixun",
    version,
    about = "Peixun (我要培训一件事): the Sichuan skills-training portal",
    long_about = "Peixun (我要培训一件事): the Sichuan skills-training portal.\n\n\
        Every command that opens the database applies pending migrations first; a new SQLite \
        file (and its folder) is created when missing."
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

impl Cli {
    /// Whether this run serves the portal: its standard output is then free for the security
    /// log; a command's standard output is its answer.
    pub fn serves(&self) -> bool {
        matches!(self.command, Command::Serve(_))
    }
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the portal (pages, JSON API and static files).
    Serve(ServeArgs),
    /// Import a demand-catalogue file (.csv in UTF-8 or GBK, or .xlsx): all rows or none.
    ImportCatalog(ImportArgs),
    /// Fetch a city's published catalogue file (http or https) and import it the same way.
    SyncCatalog(SyncArgs),
    /// Create an account (staff roles with their scope), or with --demo one demo account per role.
    CreateUser(CreateUserArgs),
    /// Set a city's own subsidy numbers (payout shares and living allowance), or with --reset
    /// put it back on the province's defaults (100 / 80 / 60 %, 50 元 a day).
    SetPolicy(policy::PolicyArgs),
    /// Seal every personal value again under a new key, while the portal runs (see README,
    /// Security); `--stage` and `--retire` for instances on several machines.
    RotateKey(keys::RotateArgs),
    /// Copy a SQLite database (consistently, while the portal runs) and its key file to DIR.
    Backup(backup::BackupArgs),
    /// List the texts in the outbox, oldest first (for development and tests: codes in full).
    Outbox(outbox::OutboxArgs),
    /// Print the OpenAPI 3.1 document of the JSON API (as `GET /api/openapi.json` serves it).
    Openapi,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
#[value(rename_all = "snake_case")]
enum RoleArg {
    Trainee,
    InstitutionStaff,
    Evaluator,
    HrOfficer,
    Admin,
}

impl From<RoleArg> for Role {
    fn from(r: RoleArg) -> Role {
        match r {
            RoleArg::Trainee => Role::Trainee,
            RoleArg::InstitutionStaff => Role::InstitutionStaff,
            RoleArg::Evaluator => Role::Evaluator,
            RoleArg::HrOfficer => Role::HrOfficer,
            RoleArg::Admin => Role::Admin,
        }
    }
}

#[derive(Debug, Args)]
struct CreateUserArgs {
    /// Create the demo accounts listed in the README instead (skipping those that exist).
    #[arg(long, conflicts_with_all = ["role", "phone", "password", "name"])]
    demo: bool,
    #[arg(long, value_enum, required_unless_present = "demo")]
    role: Option<RoleArg>,
    #[arg(long, required_unless_present = "demo")]
    phone: Option<String>,
    /// The password (better: set PEIXUN_NEW_PASSWORD, which stays out of the shell history).
    #[arg(
        long,
        env = "PEIXUN_NEW_PASSWORD",
        required_unless_present = "demo",
        hide_env_values = true
    )]
    password: Option<String>,
    #[arg(long, required_unless_present = "demo")]
    name: Option<String>,
    /// institution_staff: the institution's code.
    #[arg(long)]
    institution: Option<String>,
    /// evaluator: the evaluation organisation's name.
    #[arg(long)]
    evaluation_org: Option<String>,
    /// hr_officer: the city (six-digit code or name).
    #[arg(long)]
    city: Option<String>,
    /// trainee: the identity number (read from PEIXUN_NEW_ID_NUMBER if not given).
    #[arg(long, env = "PEIXUN_NEW_ID_NUMBER", hide_env_values = true)]
    id_number: Option<String>,
    #[command(flatten)]
    database: DatabaseArgs,
}

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
    /// Read the time from this file (an RFC 3339 instant) instead of the system's clock: for
    /// tests and training drills that must see days pass, never for a real deployment.
    #[arg(long, value_name = "FILE")]
    pub clock_file: Option<PathBuf>,
}

#[derive(Debug, Args)]
struct ImportArgs {
    /// The file to import.
    file: PathBuf,
    /// Only check the file; write nothing.
    #[arg(long)]
    dry_run: bool,
    #[command(flatten)]
    database: DatabaseArgs,
}

#[derive(Debug, Args)]
struct SyncArgs {
    /// The address of the city's catalogue file.
    url: String,
    /// Only check the file; write nothing.
    #[arg(long)]
    dry_run: bool,
    /// Give up when the download takes longer than this many seconds.
    #[arg(long, default_value_t = 60, value_parser = clap::value_parser!(u64).range(1..=3600))]
    timeout: u64,
    #[command(flatten)]
    database: DatabaseArgs,
}

pub async fn run(cli: Cli) -> ExitCode {
    let result = match cli.command {
        Command::Serve(args) => serve(args).await,
        Command::ImportCatalog(args) => import_catalog(args).await,
        Command::SyncCatalog(args) => sync_catalog(args).await,
        Command::CreateUser(args) => create_user(args).await,
        Command::SetPolicy(args) => policy::set_policy(args).await,
        Command::RotateKey(args) => keys::rotate_key(args).await,
        Command::Outbox(args) => outbox::outbox(args).await,
        Command::Backup(args) => backup::backup(args).await,
        Command::Openapi => print_openapi(),
    };
    result.unwrap_or_else(|code| code)
}

async fn serve(args: ServeArgs) -> Result<ExitCode, ExitCode> {
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
        ..Settings::default()
    };
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
    crate::texts::deliver(portal.clone(), gateway);
    let served = crate::web::serve(
        args.addr,
        args.metrics_addr,
        &args.site_root,
        exposure,
        args.public_url,
        std::time::Duration::from_secs(args.header_read_timeout),
        portal,
    );
    served.await.map_err(|err| {
        eprintln!("peixun: {err}");
        ExitCode::FAILURE
    })?;
    Ok(ExitCode::SUCCESS)
}

async fn import_catalog(args: ImportArgs) -> Result<ExitCode, ExitCode> {
    let bytes = match read_limited(&args.file) {
        Ok(bytes) => bytes,
        Err(message) => {
            eprintln!("peixun: {}: {message}", args.file.display());
            return Err(ExitCode::FAILURE);
        }
    };
    let portal = open(&args.database).await?;
    let kind = FileKind::detect(&args.file.to_string_lossy(), &bytes);
    run_import(&portal, &bytes, kind, args.dry_run).await
}

async fn sync_catalog(args: SyncArgs) -> Result<ExitCode, ExitCode> {
    let portal = open(&args.database).await?;
    let timeout = std::time::Duration::from_secs(args.timeout);
    let (bytes, kind) = crate::sync::fetch(&args.url, timeout)
        .await
        .map_err(|err| {
            eprintln!("peixun: {}", crate::sync::describe(&err, Locale::en));
            eprintln!("peixun: {}", crate::sync::describe(&err, Locale::zh_CN));
            ExitCode::FAILURE
        })?;
    run_import(&portal, &bytes, kind, args.dry_run).await
}

/// Checks and stores one file, printing the report in English and Chinese.
async fn run_import(
    portal: &Portal,
    bytes: &[u8],
    kind: FileKind,
    dry_run: bool,
) -> Result<ExitCode, ExitCode> {
    let parsed = import::parse(bytes, kind);
    let options = ImportOptions {
        dry_run,
        ..Default::default()
    };
    match service::import(portal, parsed, options).await {
        Ok(report) => {
            print_report(&report);
            Ok(ExitCode::SUCCESS)
        }
        Err(err @ AppError::FileRefused { .. }) => {
            if let AppError::FileRefused { problems, warnings } = &err {
                for finding in warnings.iter().chain(problems) {
                    eprintln!("{}", finding.message_en);
                    eprintln!("{}", finding.message);
                }
            }
            eprintln!("{}", err.message(Locale::en));
            eprintln!("{}", err.message(Locale::zh_CN));
            Err(ExitCode::FAILURE)
        }
        Err(err) => {
            eprintln!("peixun: {err}");
            Err(ExitCode::FAILURE)
        }
    }
}

async fn create_user(args: CreateUserArgs) -> Result<ExitCode, ExitCode> {
    let portal = open(&args.database).await?;
    if args.demo {
        let created = crate::demo::create_accounts(&portal).await.map_err(|err| {
            eprintln!("peixun: {err}");
            ExitCode::FAILURE
        })?;
        println!("{created} demo accounts created (see README) / 已创建 {created} 个演示账号");
        return Ok(ExitCode::SUCCESS);
    }
    let account = NewAccount {
        role: args.role.map(Role::from).unwrap_or(Role::Trainee),
        phone: args.phone.unwrap_or_default(),
        password: args.password.unwrap_or_default(),
        name: args.name.unwrap_or_default(),
        institution: args.institution,
        evaluation_org: args.evaluation_org,
        city: args.city,
        id_number: args.id_number,
    };
    match accounts::create_account(&portal, account).await {
        Ok(id) => {
            println!("account {id} created / 已创建账号 {id}");
            Ok(ExitCode::SUCCESS)
        }
        Err(err) => {
            let (en, zh) = (err.message(Locale::en), err.message(Locale::zh_CN));
            eprintln!("peixun: {en} / {zh}");
            if let Some(fields) = err.fields() {
                for (field, problem) in &fields.0 {
                    eprintln!(
                        "  --{}: {} / {}",
                        field.replace('_', "-"),
                        problem.message(Locale::en),
                        problem.message(Locale::zh_CN)
                    );
                }
            }
            Err(ExitCode::FAILURE)
        }
    }
}

fn print_openapi() -> Result<ExitCode, ExitCode> {
    let (_, doc) = crate::api::router();
    let text = serde_json::to_string_pretty(&doc).map_err(|err| {
        eprintln!("peixun: {err}");
        ExitCode::FAILURE
    })?;
    println!("{text}");
    Ok(ExitCode::SUCCESS)
}

/// Reads a file, refusing one over the size limit before reading it all.
fn read_limited(path: &std::path::Path) -> Result<Vec<u8>, String> {
    let meta = std::fs::metadata(path).map_err(|e| e.to_string())?;
    if meta.len() > import::MAX_FILE_BYTES as u64 {
        let problem = import::Problem::FileTooLarge;
        return Err(format!(
            "{} / {}",
            problem.message(Locale::en),
            problem.message(Locale::zh_CN)
        ));
    }
    std::fs::read(path).map_err(|e| e.to_string())
}

fn print_report(report: &ImportReport) {
    for finding in &report.warnings {
        println!("{}", finding.describe(Locale::en));
        println!("{}", finding.describe(Locale::zh_CN));
    }
    for locale in [Locale::en, Locale::zh_CN] {
        let summary = td_string!(
            locale,
            import.summary,
            created = report.created,
            updated = report.updated,
            unchanged = report.unchanged
        );
        if report.dry_run {
            println!("{summary} ({})", td_string!(locale, import.dry_run));
        } else {
            println!("{summary}");
        }
    }
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
