//! The database: an embedded SQLite file by default. Every command that opens it applies the
//! pending migrations first, so a new, empty file is ready to use.

use crate::error::AppError;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::SqlitePool;
use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/peixun.db";

#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error("unsupported database URL (expected sqlite://PATH): {0}")]
    UnsupportedUrl(String),
    #[error("cannot create the database folder {path}: {source}")]
    Folder {
        path: String,
        source: std::io::Error,
    },
    #[error("cannot open the database: {0}")]
    Connect(#[from] sqlx::Error),
    #[error("cannot apply the database migrations: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

/// A write transaction (see `Db::write_tx`).
pub type WriteTx = sqlx::Transaction<'static, sqlx::Sqlite>;

/// A handle on the database, cheap to clone (a connection pool).
#[derive(Clone, Debug)]
pub struct Db {
    pool: SqlitePool,
}

impl Db {
    /// Opens (creating it and its folder if needed) and migrates the database at `url`.
    pub async fn open(url: &str) -> Result<Db, OpenError> {
        let Some(path) = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
        else {
            return Err(OpenError::UnsupportedUrl(url.to_string()));
        };
        let file = path.split('?').next().unwrap_or_default();
        if file.is_empty() {
            return Err(OpenError::UnsupportedUrl(url.to_string()));
        }
        if let Some(parent) = Path::new(file)
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
        {
            std::fs::create_dir_all(parent).map_err(|source| OpenError::Folder {
                path: parent.display().to_string(),
                source,
            })?;
        }
        // WAL lets readers work while one writer commits; synchronous=FULL makes every
        // acknowledged commit survive a power cut (an enrolment must never be lost).
        let options = SqliteConnectOptions::from_str(&format!("sqlite://{path}"))?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10));
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(options)
            .await?;
        sqlx::migrate!("./migrations").run(&pool).await?;
        Ok(Db { pool })
    }

    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    /// A transaction that writes. It takes SQLite's single write lock with its first statement
    /// (`BEGIN IMMEDIATE`), waiting up to the busy timeout for another writer to finish. A
    /// plain (deferred) transaction that reads first and writes later would instead fail at
    /// once with "database is locked" whenever another writer committed in between: every
    /// transaction that writes must start here.
    pub async fn write_tx(&self) -> Result<WriteTx, sqlx::Error> {
        self.pool.begin_with("BEGIN IMMEDIATE").await
    }

    /// True when the database answers a trivial query.
    pub async fn is_healthy(&self) -> bool {
        sqlx::query_scalar::<_, i64>("SELECT 1")
            .fetch_one(&self.pool)
            .await
            .is_ok()
    }
}

impl From<sqlx::Error> for AppError {
    fn from(err: sqlx::Error) -> Self {
        match err {
            sqlx::Error::RowNotFound => AppError::NotFound,
            other => AppError::Internal(other.to_string()),
        }
    }
}
