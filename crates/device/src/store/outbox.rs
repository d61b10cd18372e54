//! The outbox: operations made on this phone and not yet held by the server,
//! in the order they were made (`seq`).
//!
//! An entry leaves the outbox when the server answers its op with any
//! durable outcome. A rejected entry stays, with the server's code and
//! reason, for the user to see and fix; it is skipped by
//! [`Store::outbox_batch`] so that it never holds back the rest. Saving the
//! record again supersedes it: the rejected entry is removed and the new
//! version queued.

use chrono::{DateTime, Utc};
use fieldledger_model::wire::{ErrorCode, Op, OpResult, Outcome};
use rusqlite::{Connection, OptionalExtension, params};
use uuid::Uuid;

use super::Store;
use super::conflicts;
use super::error::Result;
use super::sql::{json_at, now_ms};

/// One queued operation.
#[derive(Debug, Clone, PartialEq)]
pub struct OutboxEntry {
    /// Position in the outbox; later entries have larger numbers.
    pub seq: i64,
    pub op: Op,
    /// Size of the op's JSON, in bytes.
    pub bytes: usize,
    /// Pushes tried so far.
    pub attempts: u32,
    /// What went wrong on the last try, if it failed without an answer.
    pub last_error: Option<String>,
    /// Set when the server refused the op.
    pub rejected: Option<Rejection>,
    pub created_at: DateTime<Utc>,
}

/// The server's refusal of an op.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    pub code: ErrorCode,
    /// What to fix, in Chinese, as the server wrote it.
    pub reason: String,
}

/// How the outbox stands, for the sync badge and the device report.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OutboxStats {
    /// Entries waiting to be sent, rejected ones not included.
    pub queued: u32,
    /// Age of the oldest waiting entry, in seconds.
    pub oldest_queued_secs: Option<u64>,
    /// Entries the server refused.
    pub rejected: u32,
}

const ENTRY_COLUMNS: &str =
    "seq, op, bytes, attempts, last_error, rejected_code, rejected_reason, created_at";

fn entry(row: &rusqlite::Row<'_>) -> rusqlite::Result<OutboxEntry> {
    let code: Option<String> = row.get(5)?;
    let reason: Option<String> = row.get(6)?;
    let rejected = code.map(|code| Rejection {
        code: serde_json::from_value(serde_json::Value::String(code)).unwrap_or(ErrorCode::Unknown),
        reason: reason.unwrap_or_default(),
    });
    let created_ms: i64 = row.get(7)?;

    Ok(OutboxEntry {
        seq: row.get(0)?,
        op: json_at(row, 1)?,
        bytes: row.get::<_, i64>(2)?.try_into().unwrap_or(0),
        attempts: row.get(3)?,
        last_error: row.get(4)?,
        rejected,
        created_at: DateTime::from_timestamp_millis(created_ms).unwrap_or_default(),
    })
}

fn code_name(code: ErrorCode) -> String {
    match serde_json::to_value(code) {
        Ok(serde_json::Value::String(name)) => name,
        _ => "unknown".to_owned(),
    }
}

/// Queues `op` inside the caller's transaction.
pub(crate) fn enqueue(conn: &Connection, op: &Op) -> Result<()> {
    let json = serde_json::to_string(op)?;
    conn.prepare_cached(
        "INSERT INTO outbox (op_id, kind, record_id, base, op, bytes, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        op.op_id.to_string(),
        op.record.kind().as_str(),
        op.record.id().to_string(),
        op.base.map(|b| b.to_string()),
        json,
        json.len() as i64,
        now_ms(),
    ])?;
    let seq = conn.last_insert_rowid();
    let mut link = conn.prepare_cached(
        "INSERT OR IGNORE INTO outbox_households (seq, household_id) VALUES (?1, ?2)",
    )?;
    for household in op.record.households() {
        link.execute(params![seq, household.to_string()])?;
    }

    Ok(())
}

/// The op ids and bases of the record's entries still in the outbox,
/// rejected ones included, oldest first.
pub(crate) fn pending_of(conn: &Connection, record_id: Uuid) -> Result<Vec<Pending>> {
    let mut stmt = conn.prepare_cached(
        "SELECT op_id, base, rejected_code IS NOT NULL FROM outbox
         WHERE record_id = ?1 ORDER BY seq",
    )?;
    let rows = stmt.query_map([record_id.to_string()], |row| {
        let op_id: String = row.get(0)?;
        let base: Option<String> = row.get(1)?;
        Ok(Pending {
            op_id: super::sql::parse_uuid(&op_id)?,
            base: base.as_deref().map(super::sql::parse_uuid).transpose()?,
            rejected: row.get(2)?,
        })
    })?;

    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// An outbox entry of one record, as the save and pull logic sees it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Pending {
    pub op_id: Uuid,
    pub base: Option<Uuid>,
    pub rejected: bool,
}

/// Removes the record's entries; used when a new version subsumes them.
pub(crate) fn remove(conn: &Connection, op_ids: &[Uuid]) -> Result<()> {
    let mut stmt = conn.prepare_cached("DELETE FROM outbox WHERE op_id = ?1")?;
    for op_id in op_ids {
        stmt.execute([op_id.to_string()])?;
    }

    Ok(())
}

impl Store {
    /// The next operations to push, oldest first, rejected entries skipped:
    /// at most `max_ops` of them and at most `max_bytes` of JSON, except
    /// that the first entry is returned whatever its size so that a large
    /// op cannot stall the outbox.
    pub fn outbox_batch(&self, max_ops: usize, max_bytes: usize) -> Result<Vec<OutboxEntry>> {
        self.outbox_batch_after(0, max_ops, max_bytes)
    }

    /// As [`Store::outbox_batch`], from the entries after position `after`:
    /// the batch that follows one still on its way to the server.
    pub fn outbox_batch_after(
        &self,
        after: i64,
        max_ops: usize,
        max_bytes: usize,
    ) -> Result<Vec<OutboxEntry>> {
        let sql = format!(
            "SELECT {ENTRY_COLUMNS} FROM outbox WHERE rejected_code IS NULL AND seq > ?2 \
             ORDER BY seq LIMIT ?1"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut rows = stmt.query([max_ops as i64, after])?;
        let (mut batch, mut total) = (Vec::new(), 0usize);
        while let Some(row) = rows.next()? {
            let e = entry(row)?;
            if !batch.is_empty() && total + e.bytes > max_bytes {
                break;
            }
            total += e.bytes;
            batch.push(e);
        }

        Ok(batch)
    }

    /// The entries the server refused, oldest first.
    pub fn rejected(&self) -> Result<Vec<OutboxEntry>> {
        let sql = format!(
            "SELECT {ENTRY_COLUMNS} FROM outbox WHERE rejected_code IS NOT NULL ORDER BY seq"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map([], entry)?;

        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Notes a push of `op_ids` that got no answer (`error` says why) or
    /// was sent (`error` is `None`).
    pub fn record_attempt(&mut self, op_ids: &[Uuid], error: Option<&str>) -> Result<()> {
        let tx = self.conn.transaction()?;
        {
            let mut stmt = tx.prepare_cached(
                "UPDATE outbox SET attempts = attempts + 1, last_error = ?2, last_attempt_at = ?3
                 WHERE op_id = ?1",
            )?;
            for op_id in op_ids {
                stmt.execute(params![op_id.to_string(), error, now_ms()])?;
            }
        }
        tx.commit()?;

        Ok(())
    }

    /// Applies the server's answers to a push, all in one transaction:
    /// durable outcomes leave the outbox, a conflict also keeps our version
    /// in the conflicts, a refusal marks the entry rejected. Answers for ops
    /// no longer in the outbox (superseded meanwhile) are ignored.
    pub fn apply_push_results(&mut self, results: &[OpResult]) -> Result<()> {
        let _span = tracing::debug_span!("apply_push_results", batch.len = results.len()).entered();
        let tx = self.conn.transaction()?;
        for result in results {
            apply_result(&tx, result)?;
        }
        tx.commit()?;

        Ok(())
    }

    /// How the outbox stands.
    pub fn outbox_stats(&self) -> Result<OutboxStats> {
        let (queued, oldest, rejected): (u32, Option<i64>, u32) = self.conn.query_row(
            "SELECT count(*) FILTER (WHERE rejected_code IS NULL),
                    min(created_at) FILTER (WHERE rejected_code IS NULL),
                    count(*) FILTER (WHERE rejected_code IS NOT NULL)
             FROM outbox",
            [],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
        )?;
        let oldest_queued_secs =
            oldest.map(|ms| (now_ms().saturating_sub(ms).max(0) / 1000) as u64);

        Ok(OutboxStats {
            queued,
            oldest_queued_secs,
            rejected,
        })
    }
}

fn apply_result(conn: &Connection, result: &OpResult) -> Result<()> {
    let op_id = result.op_id.to_string();
    match &result.outcome {
        // The common answer needs no read of the op: removing it is all.
        Outcome::Applied | Outcome::AlreadyApplied => {
            let removed = conn
                .prepare_cached("DELETE FROM outbox WHERE op_id = ?1")?
                .execute([&op_id])?;
            if removed == 0 {
                tracing::debug!(op.id = %result.op_id, "answer for an op no longer queued");
            }
            Ok(())
        }
        Outcome::Conflict { head } => {
            let op: Option<String> = conn
                .prepare_cached("SELECT op FROM outbox WHERE op_id = ?1")?
                .query_row([&op_id], |row| row.get(0))
                .optional()?;
            let Some(op) = op else {
                tracing::debug!(op.id = %result.op_id, "answer for an op no longer queued");
                return Ok(());
            };
            let op: Op = serde_json::from_str(&op)?;
            conflicts::keep_ours(conn, &op.record, *head)?;
            remove(conn, &[result.op_id])
        }
        Outcome::Rejected { code, reason } => {
            tracing::info!(op.id = %result.op_id, code = ?code, "op rejected by the server");
            conn.prepare_cached(
                "UPDATE outbox SET rejected_code = ?2, rejected_reason = ?3 WHERE op_id = ?1",
            )?
            .execute(params![op_id, code_name(*code), reason])?;
            Ok(())
        }
    }
}
