//! The embedded SQLite database: one file in the data directory.
//!
//! One writer connection, taken in turn, and a few reader connections; WAL
//! lets readers work while a write is under way. Every call runs on a
//! blocking thread, since SQLite's calls block. Commits are synced to disk
//! (`synchronous = FULL`) before the server answers.

use std::path::Path;
use std::sync::{Arc, Mutex};

use rusqlite::Connection;

use super::conn::Conn;
use super::{Job, Mode, StoreError};

/// How long a connection waits for another's lock before failing: longer
/// than any single batch takes, short enough to surface a stuck writer.
const BUSY_TIMEOUT_MS: u64 = 10_000;

/// Bytes per database page for new databases. A push of 1,000 visits
/// dirties some thousand 4 KB pages, each its own write at commit; at 16 KB
/// the same push writes a quarter as many (32 KB was slower again).
const PAGE_SIZE: i64 = 16_384;

/// Page cache per connection, in KiB (negative: SQLite's unit for KiB).
const CACHE_KIB: i64 = -65_536;

/// WAL pages after which a commit copies them back into the database file.
/// SQLite's default of 1,000 pages made nearly every 1,000-op push pay for
/// a checkpoint; at 64 MB a page changed by many pushes is copied once.
const WAL_CHECKPOINT_PAGES: i64 = 4_096;

/// Reader connections kept open for reuse; more are opened on demand.
const IDLE_READERS: usize = 4;

pub struct SqliteDb {
    path: std::path::PathBuf,
    writer: Arc<Mutex<Connection>>,
    readers: Arc<Mutex<Vec<Connection>>>,
}

impl SqliteDb {
    /// Opens (creating if needed) the database file at `path`.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        let writer = connect(path)?;

        Ok(Self {
            path: path.to_owned(),
            writer: Arc::new(Mutex::new(writer)),
            readers: Arc::new(Mutex::new(Vec::new())),
        })
    }

    /// Runs `job` in a transaction on a blocking thread.
    pub async fn run<R: Send + 'static>(&self, mode: Mode, job: Job<R>) -> Result<R, StoreError> {
        match mode {
            Mode::Write => {
                let writer = self.writer.clone();
                tokio::task::spawn_blocking(move || {
                    let mut conn = writer.lock().map_err(|_| StoreError::Poisoned)?;
                    in_transaction(&mut conn, "BEGIN IMMEDIATE", job)
                })
                .await?
            }
            Mode::Read => {
                let (readers, path) = (self.readers.clone(), self.path.clone());
                tokio::task::spawn_blocking(move || {
                    let mut conn = take_reader(&readers, &path)?;
                    let result = in_transaction(&mut conn, "BEGIN", job);
                    put_reader(&readers, conn);
                    result
                })
                .await?
            }
        }
    }
}

fn in_transaction<R>(conn: &mut Connection, begin: &str, job: Job<R>) -> Result<R, StoreError> {
    conn.execute_batch(begin)?;
    let result = futures::executor::block_on(job(Conn::Sqlite(conn)));
    match result {
        Ok(value) => {
            conn.execute_batch("COMMIT")?;
            Ok(value)
        }
        Err(e) => {
            if let Err(rollback) = conn.execute_batch("ROLLBACK") {
                tracing::error!(error = %rollback, "rollback failed");
            }
            Err(e)
        }
    }
}

fn connect(path: &Path) -> Result<Connection, StoreError> {
    let conn = Connection::open(path)?;
    conn.busy_timeout(std::time::Duration::from_millis(BUSY_TIMEOUT_MS))?;
    // Takes effect only on a new, empty file; it must come before WAL.
    conn.pragma_update(None, "page_size", PAGE_SIZE)?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    // A county's indexes stay in memory: with SQLite's default 2 MB cache
    // every batch read its index pages back from the file.
    conn.pragma_update(None, "cache_size", CACHE_KIB)?;
    conn.pragma_update(None, "wal_autocheckpoint", WAL_CHECKPOINT_PAGES)?;

    Ok(conn)
}

fn take_reader(readers: &Mutex<Vec<Connection>>, path: &Path) -> Result<Connection, StoreError> {
    let idle = readers.lock().map_err(|_| StoreError::Poisoned)?.pop();
    match idle {
        Some(conn) => Ok(conn),
        None => connect(path),
    }
}

fn put_reader(readers: &Mutex<Vec<Connection>>, conn: Connection) {
    if let Ok(mut idle) = readers.lock()
        && idle.len() < IDLE_READERS
    {
        idle.push(conn);
    }
}
