//! The phone's encrypted local store.
//!
//! One SQLite database (SQLCipher), opened from the data directory the
//! platform gives the app:
//!
//! ```text
//! <dir>/keys/store.key       the database key, readable by the app only
//! <dir>/data/fieldledger.db  the database, with its -wal and -shm files
//! ```
//!
//! Every save writes the record and queues its operation for the server in
//! one transaction, committed durably (WAL, `synchronous = FULL`): when a
//! save returns, the record and its outbox entry survive a crash or a pulled
//! battery together. Records are kept as the model's JSON beside the columns
//! lists, search and the Attachment 4 tally need.

mod conflicts;
mod drafts;
mod error;
mod households;
pub(crate) mod key;
mod ledgers;
pub mod migrations;
mod outbox;
mod photos;
mod records;
mod sql;
mod sync_state;
mod visits;
mod write;

use std::path::{Path, PathBuf};

use chrono::Datelike;
use fieldledger_model::wire::{Op, Record};
use fieldledger_model::{Household, Ledger, Visit};
use rusqlite::Connection;

pub use conflicts::Conflict;
pub use drafts::ledger_draft_key;
pub use error::{Result, StoreError};
pub use households::{HouseholdQuery, HouseholdRow, LedgerState};
pub use key::{StoreKey, open_connection};
pub use migrations::migrate_to;
pub use outbox::{OutboxEntry, OutboxStats, Rejection};
pub use photos::{PhotoMeta, PhotoUpload};

/// The database file, under the data directory.
pub const DB_FILE: &str = "data/fieldledger.db";

/// The key file, under the data directory, apart from the database.
pub const KEY_FILE: &str = "keys/store.key";

/// The phone's store. Writes take `&mut self`; the app keeps one `Store`
/// behind a lock and the sync engine borrows it for short steps.
#[derive(Debug)]
pub struct Store {
    conn: Connection,
    path: PathBuf,
}

impl Store {
    /// Opens the store in the data directory `dir`, creating the key, the
    /// database and the directories on first start and upgrading an older
    /// database in place.
    pub fn open(dir: &Path) -> Result<Self> {
        let db_path = dir.join(DB_FILE);
        let key_path = dir.join(KEY_FILE);
        let key = if db_path.exists() {
            StoreKey::load(&key_path)?
        } else {
            load_or_create_key(&key_path)?
        };
        let data_dir = db_path.parent().unwrap_or(dir);
        std::fs::create_dir_all(data_dir).map_err(|source| StoreError::Io {
            path: data_dir.to_owned(),
            source,
        })?;

        Self::open_with_key(&db_path, &key)
    }

    /// Opens (or creates) the database at `db_path` with `key`, upgrading it
    /// to the latest schema.
    pub fn open_with_key(db_path: &Path, key: &StoreKey) -> Result<Self> {
        let mut conn = open_connection(db_path, key)?;
        migrations::migrate(&mut conn)?;

        Ok(Self {
            conn,
            path: db_path.to_owned(),
        })
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Runs SQLite's full integrity check; true when it finds nothing.
    pub fn integrity_check(&self) -> Result<bool> {
        let verdict: String = self
            .conn
            .query_row("PRAGMA integrity_check", [], |row| row.get(0))?;
        Ok(verdict == "ok")
    }

    /// Saves a household made or edited here, queueing its op. The name is
    /// trimmed and the ID number put in normal form first.
    pub fn save_household(&mut self, household: &Household) -> Result<Op> {
        let mut household = household.clone();
        household.normalise();
        self.save_record(Record::Household(household))
    }

    /// Saves a ledger made or edited here, queueing its op.
    pub fn save_ledger(&mut self, ledger: &Ledger) -> Result<Op> {
        self.save_record(Record::Ledger(ledger.clone()))
    }

    /// Saves a visit made or edited here, queueing its op.
    pub fn save_visit(&mut self, visit: &Visit) -> Result<Op> {
        self.save_record(Record::Visit(visit.clone()))
    }

    /// Saves one record of any kind the phone may write, with its op, in one
    /// durable transaction.
    pub fn save_record(&mut self, record: Record) -> Result<Op> {
        let tx = self.conn.transaction()?;
        let op = write::save(&tx, record)?;
        tx.commit()?;

        Ok(op)
    }

    /// Saves many records in one transaction (an import, say): all of them
    /// with their ops, or none if any is refused.
    pub fn save_all(&mut self, records: Vec<Record>) -> Result<Vec<Op>> {
        let tx = self.conn.transaction()?;
        let ops = records
            .into_iter()
            .map(|r| write::save(&tx, r))
            .collect::<Result<_>>()?;
        tx.commit()?;

        Ok(ops)
    }
}

fn load_or_create_key(path: &Path) -> Result<StoreKey> {
    match StoreKey::load(path) {
        Err(StoreError::KeyMissing { .. }) => {
            let key = StoreKey::generate()?;
            key.save(path)?;
            Ok(key)
        }
        other => other,
    }
}

/// The current calendar year on this phone's clock.
pub fn this_year() -> i32 {
    chrono::Local::now().year()
}
