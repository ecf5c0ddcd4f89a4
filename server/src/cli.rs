//! The command line: `peixun serve`, `peixun import-catalog`.

use app::access::Role;
use app::accounts::service as accounts;
use app::accounts::NewAccount;
use app::catalog::import::{self, FileKind};
use app::catalog::service::{self, ImportOptions, ImportReport};
use app::error::AppError;
use app::i18n::Locale;
use app::portal::Portal;
use clap::{Args, Parser, Subcommand};
use leptos_i18n::td_string;
use std::path::PathBuf;
use std::process::ExitCode;

mod backup;
mod database;
mod keys;
mod oidc_args;
mod outbox;
mod policy;
mod serve;

use serve::ServeArgs;

use database::{open, DatabaseArgs};

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

// `serve` has many flags; the command line is read once, so its size does not matter.
#[allow(clippy::large_enum_variant)]
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
        Command::Serve(args) => serve::serve(args).await,
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
