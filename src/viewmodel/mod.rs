//! The data each screen renders, already shaped for display. Views are
//! functions of these values; [`crate::data::AppData`] produces them.

mod draft;
mod household;
mod households;
mod sync;
mod township;

pub use draft::{FieldKind, LedgerDraft, RawText};
pub use household::{HouseholdDetail, LedgerSummary};
pub use households::{HouseholdPage, HouseholdQuery, HouseholdRow, LedgerState, SyncState};
pub use sync::{ConflictView, FieldDiff, RejectedRecord, SyncProgress, SyncStatus};
pub use township::TownshipView;
