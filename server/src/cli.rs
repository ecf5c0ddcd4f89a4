//! The command line: `peixun serve`, `peixun import-catalog`.

use app::catalog::import::{self, FileKind};
use app::catalog::service::{self, ImportError, ImportOptions, ImportReport};
use app::i18n::Locale;
use app::portal::Portal;
use app::storage::DEFAULT_DATABASE_URL;
use clap::{Args, Parser, Subcommand};
use leptos_i18n::td_string;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

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

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the portal (pages, JSON API and static files).
    Serve(ServeArgs),
    /// Import a demand-catalogue file (.csv in UTF-8 or GBK, or .xlsx): all rows or none.
    ImportCatalog(ImportArgs),
    /// Fetch a city's published catalogue file (http or https) and import it the same way.
    SyncCatalog(SyncArgs),
}

#[derive(Debug, Args)]
struct DatabaseArgs {
    /// Database to use: sqlite://PATH (created when missing).
    #[arg(long, env = "PEIXUN_DATABASE_URL", default_value = DEFAULT_DATABASE_URL)]
    database_url: String,
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

async fn open(database: &DatabaseArgs) -> Result<Portal, ExitCode> {
    Portal::open(&database.database_url).await.map_err(|err| {
        eprintln!("peixun: {err}");
        ExitCode::FAILURE
    })
}

pub async fn run(cli: Cli) -> ExitCode {
    let result = match cli.command {
        Command::Serve(args) => serve(args).await,
        Command::ImportCatalog(args) => import_catalog(args).await,
        Command::SyncCatalog(args) => sync_catalog(args).await,
    };
    result.unwrap_or_else(|code| code)
}

async fn serve(args: ServeArgs) -> Result<ExitCode, ExitCode> {
    let portal = open(&args.database).await?;
    if args.demo {
        crate::demo::load_if_empty(&portal).await.map_err(|err| {
            eprintln!("peixun: cannot load the demo catalogue: {err}");
            ExitCode::FAILURE
        })?;
    }
    crate::web::serve(args, portal).await.map_err(|err| {
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
    let name = args.file.to_string_lossy();
    run_import(
        &portal,
        &bytes,
        FileKind::detect(&name, &bytes),
        args.dry_run,
    )
    .await
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
        Err(ImportError::Refused(errors, warnings)) => {
            for finding in warnings.iter().chain(&errors) {
                eprintln!("{}", finding.describe(Locale::en));
                eprintln!("{}", finding.describe(Locale::zh_CN));
            }
            for locale in [Locale::en, Locale::zh_CN] {
                eprintln!(
                    "{}",
                    td_string!(locale, import.refused, count = errors.len())
                );
            }
            Err(ExitCode::FAILURE)
        }
        Err(ImportError::Storage(err)) => {
            eprintln!("peixun: {err}");
            Err(ExitCode::FAILURE)
        }
    }
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
