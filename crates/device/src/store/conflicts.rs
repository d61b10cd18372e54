//! Conflicts: records with two versions to reconcile, ours and the server's.
//!
//! A conflict comes from a push answered `Conflict` (our version is kept;
//! theirs arrives with the next pull) or from a pull that brings a new
//! version of a record we still have unsent edits to, or that the server
//! flags. The local row keeps our version meanwhile, and every household
//! the record is about shows the conflict flag. Resolving saves a merged
//! version whose base is the server's head.

use chrono::{DateTime, Utc};
use fieldledger_model::wire::{Record, RecordKind};
use rusqlite::{Connection, OptionalExtension, params};
use uuid::Uuid;

use super::error::{Result, StoreError};
use super::records::{self, kind_from_str, uuid_at};
use super::sql::{now_ms, parse_uuid};
use super::{Store, outbox, write};

/// A record with two versions.
#[derive(Debug, Clone, PartialEq)]
pub struct Conflict {
    pub record_id: Uuid,
    pub kind: RecordKind,
    /// The server's head; a merged version is made on top of it.
    pub their_head: Uuid,
    /// The server's version, once pulled.
    pub theirs: Option<Record>,
    /// This phone's version, if it had one.
    pub ours: Option<Record>,
    /// The households the record is about.
    pub households: Vec<Uuid>,
    pub created_at: DateTime<Utc>,
}

/// Keeps our version of a record the server answered `Conflict` for.
pub(crate) fn keep_ours(conn: &Connection, ours: &Record, their_head: Uuid) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO conflicts (record_id, kind, their_head, ours, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT(record_id) DO UPDATE SET their_head = ?3, ours = ?4",
    )?
    .execute(params![
        ours.id().to_string(),
        ours.kind().as_str(),
        their_head.to_string(),
        serde_json::to_string(ours)?,
        now_ms(),
    ])?;
    flag_households(conn, ours.id(), &ours.households())
}

/// Keeps the server's version beside ours (`None` when we have none).
pub(crate) fn keep_both(
    conn: &Connection,
    theirs: &Record,
    their_head: Uuid,
    ours: Option<&Record>,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO conflicts (record_id, kind, their_head, theirs, ours, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT(record_id) DO UPDATE SET their_head = ?3, theirs = ?4, ours = ?5",
    )?
    .execute(params![
        theirs.id().to_string(),
        theirs.kind().as_str(),
        their_head.to_string(),
        serde_json::to_string(theirs)?,
        ours.map(serde_json::to_string).transpose()?,
        now_ms(),
    ])?;
    let mut households = theirs.households();
    households.extend(ours.map(Record::households).unwrap_or_default());
    flag_households(conn, theirs.id(), &households)
}

fn flag_households(conn: &Connection, record_id: Uuid, households: &[Uuid]) -> Result<()> {
    let mut stmt = conn.prepare_cached(
        "INSERT OR IGNORE INTO conflict_households (record_id, household_id) VALUES (?1, ?2)",
    )?;
    for household in households {
        stmt.execute(params![record_id.to_string(), household.to_string()])?;
    }

    Ok(())
}

/// True when record `id` has an unresolved conflict.
pub(crate) fn is_flagged(conn: &Connection, id: Uuid) -> Result<bool> {
    let found: Option<i64> = conn
        .prepare_cached("SELECT 1 FROM conflicts WHERE record_id = ?1")?
        .query_row([id.to_string()], |r| r.get(0))
        .optional()?;

    Ok(found.is_some())
}

fn opt_record(kind: RecordKind, text: Option<String>) -> rusqlite::Result<Option<Record>> {
    let conv = |e: StoreError| rusqlite::Error::ToSqlConversionFailure(Box::new(e));
    text.map(|t| serde_json::from_str::<Record>(&t).map_err(|e| conv(e.into())))
        .transpose()
        .and_then(|r| match &r {
            Some(rec) if rec.kind() != kind => Err(conv(StoreError::Corrupt {
                what: "conflict kind".into(),
            })),
            _ => Ok(r),
        })
}

fn conflict_row(conn: &Connection, row: &rusqlite::Row<'_>) -> rusqlite::Result<Conflict> {
    let record_id = uuid_at(row, 0)?;
    let kind_text: String = row.get(1)?;
    let kind = kind_from_str(&kind_text)
        .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
    let their_head: String = row.get(2)?;
    let mut stmt = conn.prepare_cached(
        "SELECT household_id FROM conflict_households WHERE record_id = ?1 ORDER BY household_id",
    )?;
    let households = stmt
        .query_map([record_id.to_string()], |r| uuid_at(r, 0))?
        .collect::<rusqlite::Result<_>>()?;

    Ok(Conflict {
        record_id,
        kind,
        their_head: parse_uuid(&their_head)?,
        theirs: opt_record(kind, row.get(3)?)?,
        ours: opt_record(kind, row.get(4)?)?,
        households,
        created_at: DateTime::from_timestamp_millis(row.get(5)?).unwrap_or_default(),
    })
}

impl Store {
    /// Every unresolved conflict, oldest first.
    pub fn conflicts(&self) -> Result<Vec<Conflict>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT record_id, kind, their_head, theirs, ours, created_at FROM conflicts
             ORDER BY created_at, record_id",
        )?;
        let rows = stmt.query_map([], |r| conflict_row(&self.conn, r))?;

        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Saves `merged` as the reconciled version of record `record_id`: a new
    /// op whose base is the server's head, which replaces our earlier
    /// unsent versions of the record, and clears the flag. An op of the
    /// record already on its way to the server when this runs is answered
    /// by the server as it sees fit; its answer finds no entry here.
    pub fn resolve_conflict(
        &mut self,
        record_id: Uuid,
        merged: Record,
    ) -> Result<fieldledger_model::wire::Op> {
        if merged.id() != record_id {
            return Err(StoreError::ConflictMismatch { id: record_id });
        }
        let tx = self.conn.transaction()?;
        let their_head: Option<String> = tx
            .query_row(
                "SELECT their_head FROM conflicts WHERE record_id = ?1",
                [record_id.to_string()],
                |r| r.get(0),
            )
            .optional()?;
        let their_head = their_head.ok_or(StoreError::NoConflict { id: record_id })?;
        let their_head = parse_uuid(&their_head)?;
        let stale: Vec<Uuid> = outbox::pending_of(&tx, record_id)?
            .iter()
            .map(|p| p.op_id)
            .collect();
        outbox::remove(&tx, &stale)?;
        records::write(&tx, &merged, Some(their_head))?;
        let op = write::save(&tx, merged)?;
        tx.execute(
            "DELETE FROM conflicts WHERE record_id = ?1",
            [record_id.to_string()],
        )?;
        tx.commit()?;
        tracing::info!(record.id = %record_id, "conflict resolved");

        Ok(op)
    }
}
