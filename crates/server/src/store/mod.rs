//! Storage: one [`Store`] over either embedded SQLite or PostgreSQL.
//!
//! The store's logic is written once against [`conn::Conn`], a minimal SQL
//! connection with an implementation per database ([`sqlite`],
//! [`postgres`]); [`Database`] is the one interface both backends offer
//! (open a transaction, run a job in it, commit or roll back). The same
//! test suite runs against both.
//!
//! The operations live beside this file by subject: [`people`] (areas,
//! users, households, assignments), [`devices`] (enrollment and tokens),
//! [`push`] and [`pull`] (sync), [`status`] and [`report`].

mod batch;
mod batch_rows;
pub mod conn;
pub mod devices;
pub mod office;
pub mod people;
pub mod plan;
pub mod postgres;
pub mod pull;
pub mod push;
pub mod records;
pub mod report;
mod schema;
pub mod sqlite;
pub mod status;

use std::path::Path;

use futures::future::BoxFuture;
use uuid::Uuid;

use conn::Conn;
use fieldledger_model::wire::UserInfo;
pub use records::AuditEntry;

/// Why the store could not do what was asked. Refusals a person can act on
/// (a wrong enrollment code, a forbidden record) are not errors; they are
/// answers, returned as values.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("sqlite")]
    Sqlite(#[from] rusqlite::Error),
    #[error("postgres")]
    Postgres(#[from] tokio_postgres::Error),
    #[error("postgres pool")]
    Pool(#[from] deadpool_postgres::PoolError),
    #[error("postgres pool setup")]
    PoolBuild(#[from] deadpool_postgres::BuildError),
    #[error("blocking task failed")]
    Join(#[from] tokio::task::JoinError),
    #[error("record body")]
    Json(#[from] serde_json::Error),
    #[error("a lock was poisoned by a panic")]
    Poisoned,
    #[error("unexpected column value: {0}")]
    Decode(String),
    #[error("configuration: {0}")]
    Config(String),
    #[error("{0}")]
    Invalid(String),
}

/// Whether a transaction writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Read,
    Write,
}

/// Work to run inside one transaction: committed when it returns `Ok`,
/// rolled back when it returns `Err`.
pub type Job<R> = Box<dyn for<'c> FnOnce(Conn<'c>) -> BoxFuture<'c, Result<R, StoreError>> + Send>;

/// What both databases offer the store.
pub trait Database: Send + Sync {
    /// Runs `job` in a transaction of the given mode.
    fn run<R: Send + 'static>(
        &self,
        mode: Mode,
        job: Job<R>,
    ) -> impl Future<Output = Result<R, StoreError>> + Send;
}

impl Database for sqlite::SqliteDb {
    async fn run<R: Send + 'static>(&self, mode: Mode, job: Job<R>) -> Result<R, StoreError> {
        sqlite::SqliteDb::run(self, mode, job).await
    }
}

impl Database for postgres::PgDb {
    async fn run<R: Send + 'static>(&self, mode: Mode, job: Job<R>) -> Result<R, StoreError> {
        postgres::PgDb::run(self, mode, job).await
    }
}

enum Backend {
    Sqlite(sqlite::SqliteDb),
    Postgres(postgres::PgDb),
}

/// The server's storage.
pub struct Store {
    backend: Backend,
}

/// Who is acting: the user a token belongs to, or an administrator at the
/// command line (`user` of role County, no device).
#[derive(Debug, Clone)]
pub struct Actor {
    pub user: UserInfo,
    /// The county the user works in.
    pub county_id: Uuid,
    pub device_id: Option<Uuid>,
}

impl Store {
    /// Opens the SQLite file at `path` and brings its schema up to date.
    pub async fn open_sqlite(path: &Path) -> Result<Self, StoreError> {
        let store = Self {
            backend: Backend::Sqlite(sqlite::SqliteDb::open(path)?),
        };
        store.migrate().await?;

        Ok(store)
    }

    /// Connects to PostgreSQL and brings the schema up to date; see
    /// [`postgres::PgDb::connect`] for `schema`.
    pub async fn open_postgres(url: &str, schema: Option<&str>) -> Result<Self, StoreError> {
        let store = Self {
            backend: Backend::Postgres(postgres::PgDb::connect(url, schema).await?),
        };
        store.migrate().await?;

        Ok(store)
    }

    /// Which database this is, for logs.
    pub fn kind(&self) -> &'static str {
        match self.backend {
            Backend::Sqlite(_) => "sqlite",
            Backend::Postgres(_) => "postgres",
        }
    }

    async fn migrate(&self) -> Result<(), StoreError> {
        self.write(|mut c| Box::pin(async move { schema::migrate(&mut c).await }))
            .await
    }

    /// Runs `job` in a write transaction.
    pub(crate) async fn write<R, F>(&self, job: F) -> Result<R, StoreError>
    where
        R: Send + 'static,
        F: for<'c> FnOnce(Conn<'c>) -> BoxFuture<'c, Result<R, StoreError>> + Send + 'static,
    {
        self.run(Mode::Write, Box::new(job)).await
    }

    /// Runs `job` in a read-only transaction.
    pub(crate) async fn read<R, F>(&self, job: F) -> Result<R, StoreError>
    where
        R: Send + 'static,
        F: for<'c> FnOnce(Conn<'c>) -> BoxFuture<'c, Result<R, StoreError>> + Send + 'static,
    {
        self.run(Mode::Read, Box::new(job)).await
    }

    async fn run<R: Send + 'static>(&self, mode: Mode, job: Job<R>) -> Result<R, StoreError> {
        match &self.backend {
            Backend::Sqlite(db) => Database::run(db, mode, job).await,
            Backend::Postgres(db) => Database::run(db, mode, job).await,
        }
    }
}

/// Milliseconds since the Unix epoch, as instants are stored.
pub fn millis(at: chrono::DateTime<chrono::Utc>) -> i64 {
    at.timestamp_millis()
}

/// The instant stored as `ms`.
pub fn from_millis(ms: i64) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_timestamp_millis(ms).unwrap_or_default()
}
