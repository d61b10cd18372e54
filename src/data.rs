//! What the screens read and write, behind one trait.
//!
//! Screens never touch the store directly: they hold an [`AppData`] from the
//! [`crate::AppState`] context and get view-models back. The real
//! implementation, [`crate::store_data::StoreData`], sits over the device
//! store and its sync engine; tests can render the screens over any
//! implementation.
//!
//! Calls that go to the server ([`AppData::enroll`], [`AppData::township`])
//! return a [`Pending`] future for the screen to await; everything else
//! reads or writes the phone's own store and answers at once.

use std::collections::BTreeSet;
use std::future::Future;
use std::pin::Pin;

use fieldledger_model::Visit;
use fieldledger_model::tally::Attachment4;
use fieldledger_model::wire::UserInfo;
use tokio::sync::watch;
use uuid::Uuid;

use crate::enroll::EnrollLink;
use crate::viewmodel::{
    HouseholdDetail, HouseholdPage, HouseholdQuery, LedgerDraft, SyncStatus, TownshipView,
};

/// An answer that needs the server, to be awaited by the screen.
pub type Pending<T> = Pin<Box<dyn Future<Output = Result<T, DataError>> + Send + 'static>>;

/// Why the data layer could not answer. `Display` is shown to users.
#[derive(Debug, thiserror::Error)]
pub enum DataError {
    #[error("找不到这条记录，可能已被删除")]
    NotFound,
    #[error("本机数据读取失败，请重启应用；如仍失败请联系县联络办公室")]
    Store(#[source] Box<dyn std::error::Error + Send + Sync>),
    #[error("需要联网：现在连不上服务器，请联网后再试")]
    Offline(#[source] Box<dyn std::error::Error + Send + Sync>),
    /// The server or the sync layer said no; `message` says why, in Chinese.
    #[error("{message}")]
    Remote {
        message: String,
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// Input the user can fix, with what to fix.
    #[error("{0}")]
    Invalid(String),
    /// Something this build or phone cannot do, said plainly.
    #[error("{0}")]
    Unavailable(&'static str),
}

/// Everything the screens need from the phone's data.
pub trait AppData: Send + Sync {
    /// Who this phone is enrolled as; `None` before enrollment.
    fn user(&self) -> Result<Option<UserInfo>, DataError>;

    /// Trades the link's one-time code for this phone's credentials, keeps
    /// them apart from the records and starts syncing.
    fn enroll(&self, link: &EnrollLink) -> Pending<UserInfo>;

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

    /// Prepares a picked photo for visit `visit` (resized, re-encoded),
    /// keeps it for upload and returns its SHA-256 in hex. The work is done
    /// away from the screen's thread: a camera's photo takes a cheap phone
    /// a second or more to decode and shrink.
    fn add_photo(&self, visit: Uuid, bytes: Vec<u8>) -> Pending<String>;

    /// Saves a visit and queues it for sync.
    fn save_visit(&self, visit: &Visit) -> Result<(), DataError>;

    /// This phone's Attachment 4 for `year`, from its own visit log.
    fn my_statistics(&self, year: i32) -> Result<Attachment4, DataError>;

    /// The outbox, the engine's progress and the last exchanges with the
    /// server, refusals and conflicts.
    fn sync_status(&self) -> Result<SyncStatus, DataError>;

    /// A counter that moves whenever what the screens show may have changed
    /// behind their back (a sync ran, records arrived); `None` when nothing
    /// changes by itself.
    fn changes(&self) -> Option<watch::Receiver<u64>>;

    /// Asks the sync engine for a run now.
    fn sync_now(&self) -> Result<(), DataError>;

    /// Settles the conflict on `record`: the fields at the paths in
    /// `theirs` take the server's value, all others keep this phone's.
    fn resolve_conflict(&self, record: Uuid, theirs: &BTreeSet<String>) -> Result<(), DataError>;

    /// The township screen's figures for `year`, fetched from the server
    /// for a liaison; `None` for anyone else.
    fn township(&self, year: i32) -> Pending<Option<TownshipView>>;
}
