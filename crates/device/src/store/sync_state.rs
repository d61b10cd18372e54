//! What the sync engine keeps between runs (the pull cursor, the device id)
//! and how pulled changes are taken in.
//!
//! A pulled change is one of:
//! - **known**: its head is our local head, or an op of the record still in
//!   our outbox, or the base one of them was edited from. Our copy is the
//!   same or newer; nothing changes.
//! - **in conflict**: the server flags it, or we already flagged the record,
//!   or we still hold unsent (or rejected) edits to it. Both versions are
//!   kept and the household flagged.
//! - otherwise **newer**: it overwrites our copy and its head becomes ours.
//!
//! Areas and instructors are written by offices only and always overwrite.

use fieldledger_model::wire::{Change, RecordKind};
use rusqlite::{Connection, OptionalExtension, params};

use super::error::{Result, StoreError};
use super::{Store, conflicts, outbox, records};

/// The sync state key of the pull cursor.
const CURSOR: &str = "cursor";

fn get(conn: &Connection, key: &str) -> Result<Option<String>> {
    let mut stmt = conn.prepare_cached("SELECT value FROM sync_state WHERE key = ?1")?;
    Ok(stmt.query_row([key], |r| r.get(0)).optional()?)
}

fn set(conn: &Connection, key: &str, value: &str) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO sync_state (key, value) VALUES (?1, ?2)
         ON CONFLICT(key) DO UPDATE SET value = ?2",
    )?
    .execute(params![key, value])?;
    Ok(())
}

/// Takes one pulled change in, inside the caller's transaction.
fn take(conn: &Connection, change: &Change) -> Result<()> {
    let record = &change.record;
    let kind = record.kind();
    if matches!(kind, RecordKind::Area | RecordKind::Instructor) {
        return records::write(conn, record, Some(change.head));
    }
    let local = records::load(conn, kind, record.id())?;
    let pending = outbox::pending_of(conn, record.id())?;
    let flagged = conflicts::is_flagged(conn, record.id())?;
    let known = local.as_ref().is_some_and(|l| l.head == Some(change.head))
        || pending
            .iter()
            .any(|p| p.op_id == change.head || p.base == Some(change.head));
    if change.conflict || flagged || (!pending.is_empty() && !known) {
        tracing::info!(record.id = %record.id(), "pulled version kept beside ours");
        return conflicts::keep_both(conn, record, change.head, local.as_ref().map(|l| &l.record));
    }
    if known {
        return Ok(());
    }

    records::write(conn, record, Some(change.head))
}

impl Store {
    /// The position in the server's change feed pulled so far.
    pub fn cursor(&self) -> Result<u64> {
        match get(&self.conn, CURSOR)? {
            None => Ok(0),
            Some(text) => text.parse().map_err(|_| StoreError::Corrupt {
                what: "cursor".into(),
            }),
        }
    }

    /// Takes a page of pulled changes in and moves the cursor to
    /// `new_cursor`, all in one transaction.
    pub fn apply_pull(&mut self, changes: &[Change], new_cursor: u64) -> Result<()> {
        let _span =
            tracing::debug_span!("apply_pull", batch.len = changes.len(), cursor = new_cursor)
                .entered();
        let tx = self.conn.transaction()?;
        for change in changes {
            take(&tx, change)?;
        }
        set(&tx, CURSOR, &new_cursor.to_string())?;
        tx.commit()?;

        Ok(())
    }

    /// A value the sync engine keeps (device id, user, last sync time…).
    pub fn sync_value(&self, key: &str) -> Result<Option<String>> {
        get(&self.conn, key)
    }

    /// Keeps a value for the sync engine.
    pub fn set_sync_value(&mut self, key: &str, value: &str) -> Result<()> {
        set(&self.conn, key, value)
    }

    /// Writes changes as already held by the server, without the pull
    /// rules and without moving the cursor: for demonstration data only.
    pub(crate) fn import_synced(&mut self, changes: &[Change]) -> Result<()> {
        let tx = self.conn.transaction()?;
        for change in changes {
            records::write(&tx, &change.record, Some(change.head))?;
        }
        tx.commit()?;

        Ok(())
    }
}
