//! `peixun backup DIR`: a consistent copy of a SQLite database, taken while the portal runs
//! (SQLite's `VACUUM INTO`: one read transaction, so the copy is one moment of the database),
//! with the key file beside it: one without the other is no backup. PostgreSQL has its own
//! tools (`pg_dump`, see README).

use super::{open, DatabaseArgs};
use app::storage::Backend;
use clap::Args;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Debug, Args)]
pub(super) struct BackupArgs {
    /// The folder to write `peixun.db` and `peixun.key` to (created; it must be empty).
    dir: PathBuf,
    #[command(flatten)]
    database: DatabaseArgs,
}

fn fail(en: &str, zh: &str) -> ExitCode {
    eprintln!("peixun: {en} / {zh}");
    ExitCode::FAILURE
}

pub(super) async fn backup(args: BackupArgs) -> Result<ExitCode, ExitCode> {
    if Backend::of_url(&args.database.database_url) != Some(Backend::Sqlite) {
        return Err(fail(
            "PostgreSQL is backed up with its own tools: `pg_dump --format=custom` of the database, and a copy of the key file (see README)",
            "PostgreSQL 请用 pg_dump 备份数据库，并另行备份密钥文件（见 README）",
        ));
    }
    let dir = &args.dir;
    if dir.exists()
        && std::fs::read_dir(dir)
            .map(|mut d| d.next().is_some())
            .unwrap_or(true)
    {
        return Err(fail(
            &format!(
                "{} is not an empty folder: a backup is never written over another",
                dir.display()
            ),
            "目标文件夹不是空的：不会覆盖已有的备份",
        ));
    }
    private_dir(dir).map_err(|e| fail(&format!("{}: {e}", dir.display()), "无法创建备份文件夹"))?;
    let portal = open(&args.database).await?;
    let db_copy = dir.join("peixun.db");
    let target = db_copy.to_string_lossy().replace('\'', "''");
    // Owner-only before SQLite writes a byte into it.
    owner_only_file(&db_copy).map_err(|e| fail(&e.to_string(), "无法创建备份文件"))?;
    std::fs::remove_file(&db_copy).map_err(|e| fail(&e.to_string(), "无法创建备份文件"))?;
    let copied = sqlx::query(&format!("VACUUM INTO '{target}'"))
        .execute(portal.db.pool())
        .await;
    if let Err(err) = copied {
        return Err(fail(
            &format!("cannot copy the database: {err}"),
            "无法复制数据库",
        ));
    }
    set_owner_only(&db_copy).map_err(|e| fail(&e.to_string(), "无法设置备份文件权限"))?;
    match portal.vault.path() {
        Some(key) => {
            let text = std::fs::read(key).map_err(|e| fail(&e.to_string(), "无法读取密钥文件"))?;
            write_owner_only(&dir.join("peixun.key"), &text)
                .map_err(|e| fail(&e.to_string(), "无法写入密钥文件"))?;
        }
        None => eprintln!(
            "peixun: the key is in PEIXUN_SECRET_KEY: keep it with this backup yourself / 密钥在环境变量中，请自行与备份一同保存"
        ),
    }
    println!(
        "backed up to {} (peixun.db and peixun.key) / 已备份到 {}",
        dir.display(),
        dir.display()
    );
    Ok(ExitCode::SUCCESS)
}

#[cfg(unix)]
fn private_dir(dir: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
}

#[cfg(not(unix))]
fn private_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)
}

fn owner_only_file(path: &Path) -> std::io::Result<()> {
    write_owner_only(path, b"")
}

#[cfg(unix)]
fn write_owner_only(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    f.write_all(bytes)?;
    f.sync_all()
}

#[cfg(not(unix))]
fn write_owner_only(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    std::fs::write(path, bytes)
}

#[cfg(unix)]
fn set_owner_only(path: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
}

#[cfg(not(unix))]
fn set_owner_only(_: &Path) -> std::io::Result<()> {
    Ok(())
}
