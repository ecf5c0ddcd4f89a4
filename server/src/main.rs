//! `peixun`: the portal's server and command line.

mod api;
mod cli;
mod demo;
mod error;
mod forms;
mod metrics;
mod oidc;
mod prefs;
mod request;
mod security;
mod session;
mod state;
mod sync;
mod texts;
mod web;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    init_logging(cli.serves());
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
///
/// Security events (`app::audit::events`) are a log of their own, always JSON lines with the
/// request's span, whatever the filter: on standard output while serving (for the log
/// collector), on standard error for a command, whose standard output is its answer.
fn init_logging(serving: bool) {
    use app::audit::events::TARGET;
    use tracing_subscriber::filter::{filter_fn, EnvFilter};
    use tracing_subscriber::fmt::writer::BoxMakeWriter;
    use tracing_subscriber::prelude::*;
    let filter = std::env::var("PEIXUN_LOG")
        .ok()
        .and_then(|f| EnvFilter::try_new(f).ok())
        .or_else(|| EnvFilter::try_from_default_env().ok())
        .unwrap_or_else(|| EnvFilter::new("info,sqlx=warn"));
    // The security events go to their own log only.
    let filter = match format!("{TARGET}=off").parse() {
        Ok(directive) => filter.add_directive(directive),
        Err(_) => filter,
    };
    let general = tracing_subscriber::fmt::layer().with_writer(std::io::stderr);
    let general = if std::env::var("PEIXUN_LOG_FORMAT").as_deref() == Ok("json") {
        general.json().with_filter(filter).boxed()
    } else {
        general.with_filter(filter).boxed()
    };
    let out = if serving {
        BoxMakeWriter::new(std::io::stdout)
    } else {
        BoxMakeWriter::new(std::io::stderr)
    };
    // The request span must pass the filter for events to carry its id.
    let security = tracing_subscriber::fmt::layer()
        .json()
        .flatten_event(true)
        .with_current_span(true)
        .with_span_list(false)
        .with_writer(out)
        .with_filter(filter_fn(|meta| {
            meta.target() == TARGET || (meta.is_span() && meta.name() == "request")
        }));
    tracing_subscriber::registry()
        .with(general)
        .with(security)
        .init();
}
