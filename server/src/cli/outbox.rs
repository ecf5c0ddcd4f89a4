//! `peixun outbox`: the texts waiting for (or taken by) the SMS gateway, oldest first. For
//! development and tests, where no gateway runs: the codes are shown in full.

use super::{open, DatabaseArgs};
use clap::Args;
use std::process::ExitCode;

#[derive(Debug, Args)]
pub(super) struct OutboxArgs {
    /// Only the texts to this phone.
    #[arg(long)]
    phone: Option<String>,
    /// One JSON array of `{"phone", "template", "params", "created_at", "status"}`.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    database: DatabaseArgs,
}

pub(super) async fn outbox(args: OutboxArgs) -> Result<ExitCode, ExitCode> {
    let portal = open(&args.database).await?;
    let texts = app::texts::service::outbox(&portal, args.phone.as_deref())
        .await
        .map_err(|err| {
            eprintln!("peixun: {err}");
            ExitCode::FAILURE
        })?;
    if args.json {
        let text = serde_json::to_string_pretty(&texts).map_err(|err| {
            eprintln!("peixun: {err}");
            ExitCode::FAILURE
        })?;
        println!("{text}");
        return Ok(ExitCode::SUCCESS);
    }
    if texts.is_empty() {
        println!("the outbox is empty / 没有短信");
    }
    for t in texts {
        let params = serde_json::Value::Object(t.params).to_string();
        println!(
            "{}  {}  {:<8}  {}  {}",
            t.created_at, t.phone, t.status, t.template, params
        );
    }
    Ok(ExitCode::SUCCESS)
}
