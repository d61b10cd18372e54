//! The township screen for a liaison: instructors' sync health and the
//! township's Attachment 4.

use fieldledger_model::wire::{Attachment4Report, TownshipStatus};

/// What the server last reported for the liaison's township.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TownshipView {
    pub status: TownshipStatus,
    pub report: Attachment4Report,
}
