//! Saving a record made or edited on this phone: the checks, the row and the
//! outbox entry, in one transaction.
//!
//! The new op's base is the record's local head, so consecutive offline
//! edits chain. When the head is an op the server rejected, that op never
//! reached the server: the rejected entries are superseded by the new
//! version, whose base goes back to what the first of them was edited from.

use fieldledger_model::SCHEMA_VERSION;
use fieldledger_model::id::new_id;
use fieldledger_model::wire::{Op, Record, RecordKind};
use rusqlite::{Connection, OptionalExtension, params};
use uuid::Uuid;

use super::error::{Result, StoreError};
use super::{outbox, records};

/// Checks `record`, writes it and queues its op, inside the caller's
/// transaction. Returns the op.
pub(crate) fn save(conn: &Connection, record: Record) -> Result<Op> {
    let kind = record.kind();
    let _span = tracing::debug_span!("save", record.kind = kind.as_str(), record.id = %record.id())
        .entered();
    check(conn, &record)?;
    let base = base_superseding_rejected(conn, kind, record.id())?;
    let op = Op {
        op_id: new_id(),
        base,
        schema: SCHEMA_VERSION,
        record,
    };
    records::write(conn, &op.record, Some(op.op_id))?;
    outbox::enqueue(conn, &op)?;

    Ok(op)
}

/// Refuses records with errors, read-only kinds and references to
/// households this phone does not hold.
fn check(conn: &Connection, record: &Record) -> Result<()> {
    let kind = record.kind();
    if matches!(kind, RecordKind::Area | RecordKind::Instructor) {
        return Err(StoreError::ReadOnly { kind });
    }
    let report = record.validate();
    if report.has_errors() {
        return Err(StoreError::Invalid { kind, report });
    }
    match record {
        Record::Ledger(l) => check_ledger(conn, l),
        Record::Visit(v) => v
            .households
            .iter()
            .try_for_each(|h| known_household(conn, *h)),
        _ => Ok(()),
    }
}

fn known_household(conn: &Connection, id: Uuid) -> Result<()> {
    if records::household_exists(conn, id)? {
        Ok(())
    } else {
        Err(StoreError::UnknownHousehold { id })
    }
}

/// A household has one ledger a year: another ledger id for the same year
/// is refused.
fn check_ledger(conn: &Connection, ledger: &fieldledger_model::Ledger) -> Result<()> {
    known_household(conn, ledger.household_id)?;
    let other: Option<String> = conn
        .prepare_cached(
            "SELECT id FROM ledgers WHERE household_id = ?1 AND year = ?2 AND id != ?3",
        )?
        .query_row(
            params![
                ledger.household_id.to_string(),
                ledger.year,
                ledger.id.to_string()
            ],
            |row| row.get(0),
        )
        .optional()?;
    match other {
        Some(_) => Err(StoreError::LedgerExists {
            household: ledger.household_id,
            year: ledger.year,
        }),
        None => Ok(()),
    }
}

/// The base for a new version of the record, removing its rejected entries.
fn base_superseding_rejected(
    conn: &Connection,
    kind: RecordKind,
    id: Uuid,
) -> Result<Option<Uuid>> {
    let head = records::head(conn, kind, id)?;
    let rejected: Vec<outbox::Pending> = outbox::pending_of(conn, id)?
        .into_iter()
        .filter(|p| p.rejected)
        .collect();
    if rejected.is_empty() {
        return Ok(head);
    }
    let ids: Vec<Uuid> = rejected.iter().map(|p| p.op_id).collect();
    outbox::remove(conn, &ids)?;
    tracing::info!(record.id = %id, superseded = ids.len(), "rejected ops superseded");
    let head_rejected = head.is_some_and(|h| ids.contains(&h));

    Ok(if head_rejected {
        rejected[0].base
    } else {
        head
    })
}
