//! Where a command finds its database and the key ring that protects personal data in it.

use app::accounts::vault::{Cipher, Vault};
use app::portal::{Portal, Settings};
use app::storage::{Backend, DEFAULT_DATABASE_URL};
use clap::Args;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Args)]
pub(super) struct DatabaseArgs {
    /// Database to use: sqlite://PATH (created when missing) or postgres://USER@HOST:PORT/NAME.
    #[arg(long, env = "PEIXUN_DATABASE_URL", default_value = DEFAULT_DATABASE_URL)]
    pub(super) database_url: String,
    /// File holding the key that encrypts personal data (created when missing). Default: the
    /// database's folder, `peixun.key`. `PEIXUN_SECRET_KEY` (the ring's text, or the first
    /// versions' base64 of 64 bytes) overrides it.
    #[arg(long, env = "PEIXUN_KEY_FILE")]
    key_file: Option<PathBuf>,
    /// The algorithms of a new key file: `xchacha20poly1305` (XChaCha20-Poly1305 and
    /// HMAC-SHA-256, the default) or `sm4` (SM4-GCM and HMAC-SM3, for 密评 / GB/T 39786). An
    /// existing key file must seal with the cipher given (see `peixun rotate-key --cipher`).
    #[arg(long, env = "PEIXUN_CIPHER", value_parser = cipher)]
    pub(super) cipher: Option<Cipher>,
}

impl DatabaseArgs {
    /// The key file: as given, or `peixun.key` beside a SQLite file. A PostgreSQL database is
    /// shared by instances on many machines, which must all hold the same key: it is never
    /// made up on the spot.
    fn key_file(&self) -> Result<PathBuf, String> {
        if let Some(file) = &self.key_file {
            return Ok(file.clone());
        }
        match Backend::of_url(&self.database_url) {
            Some(Backend::Postgres) => Err(
                "PostgreSQL: give every instance the same key, with --key-file (PEIXUN_KEY_FILE) \
                 or PEIXUN_SECRET_KEY (使用 PostgreSQL 时，所有实例须使用同一密钥)"
                    .to_string(),
            ),
            _ => {
                let path = self
                    .database_url
                    .trim_start_matches("sqlite://")
                    .trim_start_matches("sqlite:");
                let file = path.split('?').next().unwrap_or_default();
                Ok(std::path::Path::new(file)
                    .parent()
                    .unwrap_or(std::path::Path::new("."))
                    .join("peixun.key"))
            }
        }
    }

    fn vault(&self) -> Result<Vault, String> {
        match std::env::var("PEIXUN_SECRET_KEY") {
            Ok(key) if !key.is_empty() => {
                let vault =
                    Vault::from_base64(&key).map_err(|e| format!("PEIXUN_SECRET_KEY: {e}"))?;
                let found = vault.ring().current().map(|k| k.cipher);
                match self.cipher {
                    Some(asked) if Some(asked) != found => Err(format!(
                        "PEIXUN_SECRET_KEY does not seal with {} (--cipher)",
                        asked.code()
                    )),
                    _ => Ok(vault),
                }
            }
            _ => Vault::load_or_create(&self.key_file()?, self.cipher).map_err(|e| e.to_string()),
        }
    }
}

pub(super) async fn open(database: &DatabaseArgs) -> Result<Portal, ExitCode> {
    open_with(database, Settings::default()).await
}

pub(super) async fn open_with(
    database: &DatabaseArgs,
    settings: Settings,
) -> Result<Portal, ExitCode> {
    let fail = |err: &dyn std::fmt::Display| {
        eprintln!("peixun: {err}");
        ExitCode::FAILURE
    };
    let vault = database.vault().map_err(|e| fail(&e))?;
    let portal =
        (Portal::open(&database.database_url, vault, settings).await).map_err(|e| fail(&e))?;
    let sealed = app::privacy::service::seal_what_was_clear(&portal).await;
    sealed.map_err(|e| fail(&e))?;
    Ok(portal)
}

fn cipher(value: &str) -> Result<Cipher, String> {
    Cipher::parse(value)
        .ok_or_else(|| format!("{value:?}: the ciphers are xchacha20poly1305 and sm4"))
}
