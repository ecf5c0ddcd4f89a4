//! `peixun`: the portal's server and command line.

mod api;
mod cli;
mod demo;
mod error;
mod forms;
mod metrics;
mod prefs;
mod request;
mod security;
mod session;
mod state;
mod sync;
mod web;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    init_logging();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(err) => {
            eprintln!("peixun: cannot start the async runtime: {err}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(cli::run(cli))
}

/// Logs go to stderr; `PEIXUN_LOG` (or `RUST_LOG`) sets the filter, `PEIXUN_LOG_FORMAT=json`
/// switches to JSON lines. Requests are logged by method and path only: never query strings
/// or bodies, which may carry personal data.
fn init_logging() {
    use tracing_subscriber::EnvFilter;
    let filter = std::env::var("PEIXUN_LOG")
        .ok()
        .and_then(|f| EnvFilter::try_new(f).ok())
        .or_else(|| EnvFilter::try_from_default_env().ok())
        .unwrap_or_else(|| EnvFilter::new("info,sqlx=warn"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if std::env::var("PEIXUN_LOG_FORMAT").as_deref() == Ok("json") {
        builder.json().init();
    } else {
        builder.init();
    }
}
