//! The sync screen's figures: the outbox, progress, refusals, conflicts.

use chrono::{DateTime, Utc};
use fieldledger_model::wire::RecordKind;
use uuid::Uuid;

/// A sync run under way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SyncProgress {
    pub sent: u32,
    pub total: u32,
}

/// A record the server refused, with its reason for the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RejectedRecord {
    pub kind: RecordKind,
    /// Which household it is about, by head name.
    pub household: String,
    /// The server's reason, in Chinese.
    pub reason: String,
}

/// One field where the phone's and the server's versions differ.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldDiff {
    /// The field path, as validation reports name it.
    pub path: String,
    /// The field's label on the form.
    pub label: String,
    pub mine: String,
    pub theirs: String,
}

/// A record in conflict, to be resolved field by field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConflictView {
    pub record_id: Uuid,
    pub kind: RecordKind,
    pub household: String,
    pub fields: Vec<FieldDiff>,
}

/// Everything the sync screen shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SyncStatus {
    /// Operations waiting in the outbox.
    pub queued: u32,
    /// Photos not yet fully uploaded.
    pub photos_queued: u32,
    pub progress: Option<SyncProgress>,
    pub last_success: Option<DateTime<Utc>>,
    /// The last failure, in Chinese, when the last attempt failed.
    pub last_error: Option<String>,
    pub rejected: Vec<RejectedRecord>,
    pub conflicts: Vec<ConflictView>,
}
