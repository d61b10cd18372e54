//! Numbered schema migrations. `PRAGMA user_version` holds the number of the
//! last one applied; each runs in its own transaction with the version bump,
//! so an interrupted upgrade leaves the database at the previous version.
//!
//! Never edit a migration that has shipped: add the next one.

use rusqlite::{Connection, Transaction, params};

use super::error::{Result, StoreError};

/// One step of the schema.
type Migration = fn(&Transaction<'_>) -> Result<()>;

/// Every migration, in order; number `n` is `MIGRATIONS[n - 1]`.
const MIGRATIONS: [Migration; 2] = [base_tables, search_and_drafts];

/// The schema version this build writes.
pub const LATEST: u32 = MIGRATIONS.len() as u32;

/// The schema version of the database behind `conn`.
pub fn version(conn: &Connection) -> Result<u32> {
    Ok(conn.pragma_query_value(None, "user_version", |row| row.get(0))?)
}

/// Brings the database to the latest schema.
pub fn migrate(conn: &mut Connection) -> Result<()> {
    migrate_to(conn, LATEST)
}

/// Applies migrations up to number `target`, each in one transaction. Tests
/// use it to build an older database; the store always goes to [`LATEST`].
pub fn migrate_to(conn: &mut Connection, target: u32) -> Result<()> {
    let found = version(conn)?;
    if found > LATEST {
        return Err(StoreError::TooNew {
            found,
            known: LATEST,
        });
    }
    for number in found + 1..=target.min(LATEST) {
        let tx = conn.transaction()?;
        MIGRATIONS[number as usize - 1](&tx)?;
        tx.pragma_update(None, "user_version", number)?;
        tx.commit()?;
        tracing::info!(schema.version = number, "store migrated");
    }

    Ok(())
}

/// 1: records with their indexed columns, the outbox, conflicts, photos and
/// the sync state.
fn base_tables(tx: &Transaction<'_>) -> Result<()> {
    tx.execute_batch(include_str!("sql/001_base.sql"))?;
    Ok(())
}

/// 2: the reversed ID number column that makes "last digits" search an
/// index range, and the drafts table for half-filled forms.
fn search_and_drafts(tx: &Transaction<'_>) -> Result<()> {
    tx.execute_batch(
        "ALTER TABLE households ADD COLUMN id_rev TEXT NOT NULL DEFAULT '';
         CREATE TABLE drafts (
             key TEXT PRIMARY KEY NOT NULL,
             body TEXT NOT NULL,
             updated_at INTEGER NOT NULL
         ) WITHOUT ROWID;",
    )?;
    let rows: Vec<(String, String)> = {
        let mut stmt = tx.prepare("SELECT id, body FROM households")?;
        let rows = stmt.query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    let mut update = tx.prepare("UPDATE households SET id_rev = ?2 WHERE id = ?1")?;
    for (id, body) in rows {
        let household: fieldledger_model::Household = serde_json::from_str(&body)?;
        update.execute(params![id, reversed(&household.id_number)])?;
    }
    tx.execute_batch("CREATE INDEX households_by_id_tail ON households(id_rev);")?;

    Ok(())
}

/// An ID number written backwards in upper case, so that its last digits
/// are a prefix.
pub(crate) fn reversed(id_number: &str) -> String {
    id_number
        .trim()
        .to_ascii_uppercase()
        .chars()
        .rev()
        .collect()
}
