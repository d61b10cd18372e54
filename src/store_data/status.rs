//! Where records stand with the server, read from the outbox and the
//! conflicts: the badges of the lists and the 同步 screen's figures.

use std::collections::BTreeSet;

use fieldledger_device::store::{self, OutboxEntry, Store};
use fieldledger_device::sync::{SyncEvent, SyncStatus as EngineStatus};
use fieldledger_model::Ledger;
use fieldledger_model::wire::Record;
use uuid::Uuid;

use super::conflicts;
use crate::viewmodel::{
    ConflictView, HouseholdRow, LedgerState, LedgerSummary, RejectedRecord, SyncProgress,
    SyncState, SyncStatus,
};

/// Queued entries read to mark a household page's records as 待同步. A
/// phone holds a few hundred queued entries at most between syncs.
const MARKED_ENTRIES: usize = 5_000;

/// The list's row for a store row.
pub fn row(row: store::HouseholdRow) -> HouseholdRow {
    let sync = if row.conflict {
        SyncState::Conflict
    } else if row.rejected > 0 {
        SyncState::Rejected
    } else if row.pending > 0 {
        SyncState::Pending
    } else {
        SyncState::Synced
    };
    HouseholdRow {
        id: row.id,
        head_name: row.head_name,
        masked_id: row.masked_id,
        village: row.village,
        last_visit: row.last_visit,
        ledger: match row.ledger {
            store::LedgerState::None => LedgerState::Missing,
            store::LedgerState::Draft => LedgerState::Draft,
            store::LedgerState::Saved => LedgerState::Saved,
        },
        sync,
    }
}

/// Records and households that are queued, refused or in conflict.
#[derive(Debug, Default)]
pub struct Marks {
    pending: BTreeSet<Uuid>,
    rejected: BTreeSet<Uuid>,
    conflict: BTreeSet<Uuid>,
}

impl Marks {
    /// Reads the outbox and the conflicts.
    pub fn read(store: &Store) -> store::Result<Self> {
        let mut marks = Self::default();
        for entry in store.outbox_batch(MARKED_ENTRIES, usize::MAX)? {
            mark(&mut marks.pending, &entry.op.record);
        }
        for entry in store.rejected()? {
            mark(&mut marks.rejected, &entry.op.record);
        }
        for c in store.conflicts()? {
            marks.conflict.insert(c.record_id);
            marks.conflict.extend(c.households);
        }

        Ok(marks)
    }

    /// The badge of a record or household `id`.
    pub fn of(&self, id: Uuid) -> SyncState {
        if self.conflict.contains(&id) {
            SyncState::Conflict
        } else if self.rejected.contains(&id) {
            SyncState::Rejected
        } else if self.pending.contains(&id) {
            SyncState::Pending
        } else {
            SyncState::Synced
        }
    }

    /// The badge of household `id` (any of its records counts).
    pub fn of_household(&self, id: Uuid) -> SyncState {
        self.of(id)
    }
}

fn mark(set: &mut BTreeSet<Uuid>, record: &Record) {
    set.insert(record.id());
    set.extend(record.households());
}

/// A saved ledger as the household page lists it.
pub fn summary(ledger: &Ledger, marks: &Marks) -> LedgerSummary {
    LedgerSummary {
        year: ledger.year,
        state: LedgerState::Saved,
        sync: marks.of(ledger.id),
        population: ledger.basic.population,
        industries: ledger.intent.industries.labels(),
    }
}

/// The 同步 screen's figures: the store's outbox, refusals and conflicts,
/// and what the engine last reported.
pub fn sync_status(store: &Store, engine: &EngineStatus) -> store::Result<SyncStatus> {
    let stats = store.outbox_stats()?;
    let rejected = store
        .rejected()?
        .iter()
        .filter_map(|entry| rejected(store, entry))
        .collect();
    let conflicts = store
        .conflicts()?
        .into_iter()
        .map(|c| ConflictView {
            record_id: c.record_id,
            kind: c.kind,
            household: names(store, &c.households),
            fields: match (&c.ours, &c.theirs) {
                (Some(ours), Some(theirs)) => conflicts::diff(ours, theirs),
                _ => Vec::new(),
            },
        })
        .collect();
    let photos = store.photos_pending_upload()?.len();
    let progress = match engine.activity {
        Some(SyncEvent::Sending { sent, total }) => Some(SyncProgress { sent, total }),
        _ => None,
    };

    Ok(SyncStatus {
        queued: stats.queued,
        photos_queued: u32::try_from(photos).unwrap_or(u32::MAX),
        progress,
        last_success: engine.last_success,
        last_error: engine.last_error.as_ref().map(|(reason, _)| reason.clone()),
        rejected,
        conflicts,
    })
}

fn rejected(store: &Store, entry: &OutboxEntry) -> Option<RejectedRecord> {
    let why = entry.rejected.as_ref()?;
    Some(RejectedRecord {
        kind: entry.op.record.kind(),
        household: names(store, &entry.op.record.households()),
        reason: why.reason.clone(),
    })
}

/// The head names of `households`, joined; unknown ones left out.
fn names(store: &Store, households: &[Uuid]) -> String {
    households
        .iter()
        .filter_map(|id| store.household(*id).ok().flatten())
        .map(|h| h.head_name)
        .collect::<Vec<_>>()
        .join("、")
}
