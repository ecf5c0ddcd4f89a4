//! `peixun rotate-key`: a new key seals every personal value while the portal runs.

use super::{open, DatabaseArgs};
use app::accounts::vault::Cipher;
use app::privacy::rotation::{self, RotationError, REFRESH};
use clap::Args;
use std::process::ExitCode;

#[derive(Debug, Args)]
pub(super) struct RotateArgs {
    /// Only add the new key, staged: it opens values but seals none until `peixun rotate-key`
    /// runs again. Copy the key file to every machine that serves the portal in between.
    #[arg(long, conflicts_with = "retire")]
    stage: bool,
    /// Remove the keys that no longer seal, once no value is sealed under them (checked).
    #[arg(long, conflicts_with = "reseal")]
    retire: bool,
    /// No new key: seal under the current key what is still under an older one (what an
    /// instance sealed before it read the new key file).
    #[arg(long, conflicts_with = "stage")]
    reseal: bool,
    #[command(flatten)]
    database: DatabaseArgs,
}

pub(super) async fn rotate_key(mut args: RotateArgs) -> Result<ExitCode, ExitCode> {
    // --cipher names the new key's cipher here, not the one the key file must already have.
    let cipher: Option<Cipher> = args.database.cipher.take();
    let portal = open(&args.database).await?;
    let Some(file) = portal.vault.path().map(|p| p.display().to_string()) else {
        eprintln!(
            "peixun: PEIXUN_SECRET_KEY holds the key: rotation rewrites a key file, so put the \
             key in one (--key-file) first / 密钥在环境变量中：轮换需要密钥文件"
        );
        return Err(ExitCode::FAILURE);
    };
    let failed = |err: RotationError| {
        eprintln!("peixun: {err}");
        ExitCode::FAILURE
    };
    if args.stage {
        let id = rotation::stage(&portal, cipher).map_err(failed)?;
        println!(
            "key {id} staged in {file}: copy the file to every machine that serves the portal, \
             then run `peixun rotate-key` / 已加入待用密钥 {id}：将密钥文件复制到每台服务器后，再运行 peixun rotate-key"
        );
        return Ok(ExitCode::SUCCESS);
    }
    if args.retire {
        let dropped = rotation::retire(&portal).await.map_err(failed)?;
        let list: Vec<String> = dropped.iter().map(u16::to_string).collect();
        match list.is_empty() {
            true => println!("no key to retire / 没有可停用的密钥"),
            false => println!(
                "retired key(s) {0} from {file}: no value needs them / 已停用密钥 {0}",
                list.join(", ")
            ),
        }
        return Ok(ExitCode::SUCCESS);
    }
    // Instances on this machine look at the file every REFRESH: give them two looks.
    let settle = REFRESH * 2 + std::time::Duration::from_millis(500);
    let done = match args.reseal {
        true => rotation::reseal(&portal, std::time::Duration::ZERO).await,
        false => rotation::rotate(&portal, cipher, settle).await,
    };
    let done = done.map_err(failed)?;
    println!(
        "every value is sealed under key {} ({}): {} sealed again, {} in all / 全部数据已使用密钥 {} 加密（重新加密 {} 项）",
        done.key,
        done.cipher.code(),
        done.resealed,
        done.last.total(),
        done.key,
        done.resealed,
    );
    if done.last.unreadable > 0 {
        eprintln!(
            "peixun: {} value(s) open under no key of the ring and were left as they are / {} 项数据无法解开，未改动",
            done.last.unreadable, done.last.unreadable
        );
    }
    if !done.retirable.is_empty() {
        let list: Vec<String> = done.retirable.iter().map(u16::to_string).collect();
        println!(
            "older key(s) {0} stay in {file} until `peixun rotate-key --retire` (once every instance reads this file) / 旧密钥 {0} 保留，确认所有实例已读取新文件后运行 --retire 停用",
            list.join(", ")
        );
    }
    Ok(ExitCode::SUCCESS)
}
