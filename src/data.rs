//! What the screens read and write, behind one trait.
//!
//! Screens never touch the store directly: they hold an [`AppData`] from the
//! [`crate::AppState`] context and get view-models back. The real
//! implementation sits over the device store; tests can render the screens
//! over any implementation.

use fieldledger_model::Visit;
use fieldledger_model::tally::Attachment4;
use fieldledger_model::wire::UserInfo;
use uuid::Uuid;

use crate::enroll::EnrollLink;
use crate::viewmodel::{
    HouseholdDetail, HouseholdPage, HouseholdQuery, LedgerDraft, SyncStatus, TownshipView,
};

/// Why the data layer could not answer. `Display` is shown to users.
#[derive(Debug, thiserror::Error)]
pub enum DataError {
    #[error("找不到这条记录，可能已被删除")]
    NotFound,
    #[error("本机数据读取失败，请重启应用；如仍失败请联系县联络办公室")]
    Store(#[source] Box<dyn std::error::Error + Send + Sync>),
    #[error("{0}")]
    Unavailable(&'static str),
}

/// Everything the screens need from the phone's data.
pub trait AppData: Send + Sync {
    /// Who this phone is enrolled as; `None` before enrollment.
    fn user(&self) -> Result<Option<UserInfo>, DataError>;

    /// Stores the server address and code of an enrollment link, for the
    /// sync engine to trade for a device token.
    fn enroll(&self, link: &EnrollLink) -> Result<(), DataError>;

    /// One page of households matching `query`.
    fn households(&self, query: &HouseholdQuery) -> Result<HouseholdPage, DataError>;

    /// One household with its ledgers and visits.
    fn household(&self, id: Uuid) -> Result<HouseholdDetail, DataError>;

    /// The form's starting point for `household` in `year`: the unsaved
    /// draft if there is one, else the saved ledger, else a new one carried
    /// forward from the latest earlier year.
    fn ledger_draft(&self, household: Uuid, year: i32) -> Result<LedgerDraft, DataError>;

    /// Keeps a half-filled form, called on every change.
    fn save_draft(&self, draft: &LedgerDraft) -> Result<(), DataError>;

    /// Saves the household and its ledger and queues them for sync; drops
    /// the draft.
    fn save_ledger(&self, draft: &LedgerDraft) -> Result<(), DataError>;

    /// Keeps a photo's bytes and returns its SHA-256 in hex.
    fn add_photo(&self, bytes: &[u8]) -> Result<String, DataError>;

    /// Saves a visit and queues it for sync.
    fn save_visit(&self, visit: &Visit) -> Result<(), DataError>;

    /// This phone's Attachment 4 for `year`, from its own visit log.
    fn my_statistics(&self, year: i32) -> Result<Attachment4, DataError>;

    /// The outbox and the last exchanges with the server.
    fn sync_status(&self) -> Result<SyncStatus, DataError>;

    /// The township screen's figures, for a liaison; `None` when the phone
    /// holds none yet.
    fn township(&self) -> Result<Option<TownshipView>, DataError>;
}
