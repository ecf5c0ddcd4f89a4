//! `peixun set-policy`: a city's own subsidy numbers (shares, living allowance) and its yearly
//! subsidy budget.

use super::{open, DatabaseArgs};
use app::i18n::Locale;
use clap::Args;
use std::process::ExitCode;

#[derive(Debug, Args)]
pub(super) struct PolicyArgs {
    /// The city (six-digit code or name).
    #[arg(long)]
    city: String,
    /// Use the province's defaults again.
    #[arg(long, conflicts_with_all = ["employed_percent", "certified_percent", "special_ability_percent", "living_allowance_yuan"])]
    reset: bool,
    /// Share of the subsidy standard paid with a certificate and a job (percent).
    #[arg(long, value_parser = clap::value_parser!(u32).range(0..=100))]
    employed_percent: Option<u32>,
    /// Share paid with a certificate only (percent).
    #[arg(long, value_parser = clap::value_parser!(u32).range(0..=100))]
    certified_percent: Option<u32>,
    /// Share paid for a special-ability certificate (percent).
    #[arg(long, value_parser = clap::value_parser!(u32).range(0..=100))]
    special_ability_percent: Option<u32>,
    /// Living allowance per training day, in yuan (e.g. 60 or 45.50).
    #[arg(long)]
    living_allowance_yuan: Option<String>,
    /// The city's subsidy budget for `--year`, in yuan (`none` clears it). Alone, it leaves the
    /// city's shares as they are.
    #[arg(long)]
    budget_yuan: Option<String>,
    /// The calendar year of `--budget-yuan` (this year by default).
    #[arg(long, requires = "budget_yuan", value_parser = clap::value_parser!(i32).range(2000..=2100))]
    year: Option<i32>,
    #[command(flatten)]
    database: DatabaseArgs,
}

pub(super) async fn set_policy(args: PolicyArgs) -> Result<ExitCode, ExitCode> {
    use app::reference::{City, Enumeration};
    let fail = |en: &str, zh: &str| {
        eprintln!("peixun: {en} / {zh}");
        ExitCode::FAILURE
    };
    let city =
        City::parse_lenient(&args.city).ok_or_else(|| fail("unknown city", "没有这个市州"))?;
    let refused = |e: app::error::AppError| fail(&e.message(Locale::en), &e.message(Locale::zh_CN));
    let portal = open(&args.database).await?;
    let operator = app::audit::store::Who::operator();
    if let Some(text) = args.budget_yuan.as_deref() {
        use chrono::Datelike;
        let amount = match text.trim() {
            "none" => None,
            text => Some(
                app::money::Yuan::parse(text)
                    .filter(|y| y.fen() >= 0)
                    .ok_or_else(|| {
                        fail(
                            "--budget-yuan: not an amount in yuan",
                            "--budget-yuan：金额格式不对",
                        )
                    })?,
            ),
        };
        let year = args.year.unwrap_or_else(|| portal.clock.today().year());
        app::subsidy::budget::set_budget(&portal, &operator, city, year, amount)
            .await
            .map_err(refused)?;
        match amount {
            Some(a) => println!(
                "{}: budget for {year} ¥{a} / {} {year} 年度补贴预算 {a} 元",
                city.code(),
                city.label(Locale::zh_CN)
            ),
            None => println!(
                "{}: no budget for {year} / {} {year} 年度不设预算",
                city.code(),
                city.label(Locale::zh_CN)
            ),
        }
        let shares = [
            args.reset,
            args.employed_percent.is_some(),
            args.certified_percent.is_some(),
            args.special_ability_percent.is_some(),
            args.living_allowance_yuan.is_some(),
        ];
        if !shares.contains(&true) {
            return Ok(ExitCode::SUCCESS);
        }
    }
    let current = app::subsidy::service::policy(&portal, city)
        .await
        .map_err(refused)?;
    let policy = if args.reset {
        None
    } else {
        let allowance = match args.living_allowance_yuan.as_deref() {
            None => current.living_allowance_per_day,
            Some(text) => app::money::Yuan::parse(text).ok_or_else(|| {
                fail(
                    "--living-allowance-yuan: not an amount in yuan",
                    "--living-allowance-yuan：金额格式不对",
                )
            })?,
        };
        Some(app::subsidy::rules::Policy {
            employed_percent: args.employed_percent.unwrap_or(current.employed_percent),
            certified_percent: args.certified_percent.unwrap_or(current.certified_percent),
            special_ability_percent: args
                .special_ability_percent
                .unwrap_or(current.special_ability_percent),
            living_allowance_per_day: allowance,
            ..current
        })
    };
    app::subsidy::service::set_policy(&portal, &operator, city, policy.as_ref())
        .await
        .map_err(refused)?;
    let now = app::subsidy::service::policy(&portal, city)
        .await
        .map_err(refused)?;
    let (e, c, s, a) = (
        now.employed_percent,
        now.certified_percent,
        now.special_ability_percent,
        now.living_allowance_per_day,
    );
    println!(
        "{}: {e} % with a job, {c} % certificate only, {s} % special ability, ¥{a} a day / \
         {}：就业 {e}%，仅取证 {c}%，专项能力 {s}%，生活费每天 {a} 元",
        city.code(),
        city.label(Locale::zh_CN),
    );
    Ok(ExitCode::SUCCESS)
}
