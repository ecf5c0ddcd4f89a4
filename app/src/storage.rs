//! The database: an embedded SQLite file by default, PostgreSQL for many instances on one
//! database. Both are reached through sqlx's `Any` driver with the same queries (written in
//! the SQL both understand: `$n` parameters, integers for flags, sums cast to BIGINT); each has
//! its own migrations folder with the same tables. Every command that opens the database
//! applies the pending migrations first, so a new, empty database is ready to use.

use crate::error::AppError;
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, ConnectOptions, Executor};
use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/peixun.db";

#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error("unsupported database URL (expected sqlite://PATH or postgres://…): {0}")]
    UnsupportedUrl(String),
    #[error("cannot create the database folder {path}: {source}")]
    Folder {
        path: String,
        source: std::io::Error,
    },
    #[error("cannot create the database file {path} for its owner only: {source}")]
    File {
        path: String,
        source: std::io::Error,
    },
    #[error("cannot open the database: {0}")]
    Connect(#[from] sqlx::Error),
    #[error("cannot apply the database migrations: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

/// Makes the SQLite file its owner's only (0600), creating it when missing; SQLite gives its
/// journal files the same mode. Every personal number in it is sealed, but what they are
/// sealed beside (names, enrolments, claims) is personal too.
#[cfg(unix)]
fn owner_only(file: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
    if file.exists() {
        let mode = std::fs::metadata(file)?.permissions().mode();
        if mode & 0o077 != 0 {
            tracing::warn!(file = %file.display(), "the database file could be read by others; made 0600");
            std::fs::set_permissions(file, std::fs::Permissions::from_mode(0o600))?;
        }
        return Ok(());
    }
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(file)
        .map(|_| ())
}

#[cfg(not(unix))]
fn owner_only(_: &Path) -> std::io::Result<()> {
    Ok(())
}

/// Which database a `Db` talks to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn of_url(url: &str) -> Option<Backend> {
        if url.starts_with("sqlite:") {
            Some(Backend::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Some(Backend::Postgres)
        } else {
            None
        }
    }
}

/// A connection taken from the pool (or a transaction's, through `&mut *tx`).
pub type Conn = sqlx::AnyConnection;

/// A write transaction (see `Db::write_tx`): its connection (`&mut *tx`), and what is to be
/// said once its writes are kept.
pub struct WriteTx {
    tx: sqlx::Transaction<'static, sqlx::Any>,
    on_commit: Vec<Box<dyn FnOnce() + Send>>,
}

impl WriteTx {
    /// Runs `then` once this transaction has committed: never for writes rolled back (by
    /// `rollback`, an error, or the transaction dropped unfinished). A request given up while
    /// its commit is under way may have its writes kept and `then` never run.
    pub fn on_commit(&mut self, then: impl FnOnce() + Send + 'static) {
        self.on_commit.push(Box::new(then));
    }

    pub async fn commit(self) -> Result<(), sqlx::Error> {
        self.tx.commit().await?;
        for then in self.on_commit {
            then();
        }
        Ok(())
    }

    pub async fn rollback(self) -> Result<(), sqlx::Error> {
        self.tx.rollback().await
    }
}

impl std::ops::Deref for WriteTx {
    type Target = Conn;
    fn deref(&self) -> &Conn {
        &self.tx
    }
}

impl std::ops::DerefMut for WriteTx {
    fn deref_mut(&mut self) -> &mut Conn {
        &mut self.tx
    }
}

/// A handle on the database, cheap to clone (a connection pool).
#[derive(Clone, Debug)]
pub struct Db {
    pool: AnyPool,
    backend: Backend,
}

/// The PostgreSQL advisory lock every write transaction holds (see `Db::write_tx`); the
/// number is arbitrary, only Peixun uses it.
const WRITE_LOCK: i64 = 0x7065_6978_756e; // "peixun"

impl Db {
    /// Opens (creating a SQLite file and its folder if needed) and migrates the database at
    /// `url`: `sqlite://PATH` or `postgres://USER@HOST:PORT/NAME`.
    pub async fn open(url: &str) -> Result<Db, OpenError> {
        sqlx::any::install_default_drivers();
        match Backend::of_url(url) {
            Some(Backend::Sqlite) => Self::open_sqlite(url).await,
            Some(Backend::Postgres) => Self::open_postgres(url).await,
            None => Err(OpenError::UnsupportedUrl(url.to_string())),
        }
    }

    async fn open_sqlite(url: &str) -> Result<Db, OpenError> {
        let path = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
            .unwrap_or_default();
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
        owner_only(Path::new(file)).map_err(|source| OpenError::File {
            path: file.to_string(),
            source,
        })?;
        let options = AnyConnectOptions::from_str(&format!("sqlite://{file}?mode=rwc"))?
            .disable_statement_logging();
        let pool = AnyPoolOptions::new()
            .max_connections(8)
            .acquire_timeout(Duration::from_secs(10))
            .after_connect(|conn, _| {
                Box::pin(async move {
                    // WAL lets readers work while one writer commits; synchronous=FULL makes
                    // every acknowledged commit survive a power cut (an enrolment must never
                    // be lost); a writer waits up to 10 s for another to finish.
                    conn.execute(
                        "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; \
                         PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000;",
                    )
                    .await?;
                    Ok(())
                })
            })
            .connect_with(options)
            .await?;
        sqlx::migrate!("./migrations/sqlite").run(&pool).await?;
        Ok(Db {
            pool,
            backend: Backend::Sqlite,
        })
    }

    async fn open_postgres(url: &str) -> Result<Db, OpenError> {
        let options = AnyConnectOptions::from_str(url)?.disable_statement_logging();
        let pool = AnyPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(options)
            .await?;
        // Instances starting together: the migrator takes its own advisory lock, so only one
        // applies a migration and the others wait and find it done.
        sqlx::migrate!("./migrations/postgres").run(&pool).await?;
        Ok(Db {
            pool,
            backend: Backend::Postgres,
        })
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// A sub-select of the strings in the JSON array bound at `$n`, for `column IN (…)`: one
    /// statement for any number of values, so it is prepared once.
    pub fn json_strings(&self, n: usize) -> String {
        match self.backend {
            Backend::Sqlite => format!("SELECT value FROM json_each(${n})"),
            Backend::Postgres => format!("SELECT json_array_elements_text(CAST(${n} AS json))"),
        }
    }

    /// A transaction that writes. Writers take turns, on both backends, so that a rule that
    /// reads before it writes (a seat left, the person's yearly subsidy cap, one claim per
    /// certificate) sees every earlier write and no other writer can slip in between; readers
    /// never wait.
    ///
    /// - SQLite: the file's single write lock, taken by the first statement
    ///   (`BEGIN IMMEDIATE`), waiting up to the busy timeout. A plain (deferred) transaction
    ///   that reads first and writes later would instead fail with "database is locked"
    ///   whenever another writer committed in between.
    /// - PostgreSQL: a transaction-scoped advisory lock, the same for every instance on the
    ///   database, released by commit or rollback (also when the instance dies).
    ///
    /// Every transaction that writes must start here.
    pub async fn write_tx(&self) -> Result<WriteTx, sqlx::Error> {
        let tx = match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => {
                let mut tx = self.pool.begin().await?;
                sqlx::query("SELECT pg_advisory_xact_lock($1)")
                    .bind(WRITE_LOCK)
                    .execute(&mut *tx)
                    .await?;
                tx
            }
        };
        Ok(WriteTx {
            tx,
            on_commit: Vec::new(),
        })
    }

    /// True when the database answers a trivial query.
    pub async fn is_healthy(&self) -> bool {
        sqlx::query_scalar::<_, i64>("SELECT CAST(1 AS BIGINT)")
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

#[cfg(test)]
mod tests {
    use super::Db;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;

    #[tokio::test]
    async fn what_is_owed_on_commit_is_told_only_for_writes_kept() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("t.db").display());
        let db = Db::open(&url).await.unwrap();
        let told = Arc::new(AtomicUsize::new(0));
        let owe = |tx: &mut super::WriteTx| {
            let told = told.clone();
            tx.on_commit(move || {
                told.fetch_add(1, Ordering::SeqCst);
            });
        };
        let mut tx = db.write_tx().await.unwrap();
        owe(&mut tx);
        tx.rollback().await.unwrap();
        let mut tx = db.write_tx().await.unwrap();
        owe(&mut tx);
        drop(tx);
        assert_eq!(told.load(Ordering::SeqCst), 0, "rolled back, dropped");
        let mut tx = db.write_tx().await.unwrap();
        owe(&mut tx);
        owe(&mut tx);
        tx.commit().await.unwrap();
        assert_eq!(told.load(Ordering::SeqCst), 2, "both, once committed");
    }
}
