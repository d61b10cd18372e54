//! [`AppData`] over the device store: the screens' view-models read from
//! and written to the encrypted SQLite store on this phone, synced in the
//! background by the device's sync engine once the phone is enrolled.
//!
//! The store sits behind one lock shared with the engine; each call here
//! holds it for one short store call or transaction.

mod background;
mod conflicts;
mod status;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, MutexGuard, PoisonError};

use fieldledger_device::store::{self, Store, StoreError, ledger_draft_key};
use fieldledger_device::sync::{
    self, Credentials, DeviceInfo, Fingerprint, SharedStore, Trust, credentials_path,
};
use fieldledger_device::{demo, photo};
use fieldledger_model::tally::Attachment4;
use fieldledger_model::wire::{ReportLevel, Role, UserInfo};
use fieldledger_model::{Ledger, Visit};
use uuid::Uuid;

use crate::data::{AppData, DataError, Pending};
use crate::enroll::EnrollLink;
use crate::viewmodel::{
    HouseholdDetail, HouseholdPage, HouseholdQuery, LedgerDraft, SyncStatus, TownshipView,
};
use background::{Background, remote};

/// The phone's data: the store, where it lives, and the background work.
#[derive(Clone)]
pub struct StoreData {
    inner: Arc<Inner>,
}

struct Inner {
    store: SharedStore,
    dir: PathBuf,
    background: Background,
}

/// A store failure as the screens show it: what the user can fix in the
/// store's own words, anything else as a generic failure.
fn failed(err: StoreError) -> DataError {
    match err {
        StoreError::Invalid { .. }
        | StoreError::ReadOnly { .. }
        | StoreError::UnknownHousehold { .. }
        | StoreError::LedgerExists { .. }
        | StoreError::NoConflict { .. }
        | StoreError::TooNew { .. } => DataError::Invalid(err.to_string()),
        StoreError::NotFound { .. } => DataError::NotFound,
        other => DataError::Store(Box::new(other)),
    }
}

fn broken(err: impl std::error::Error + Send + Sync + 'static) -> DataError {
    DataError::Store(Box::new(err))
}

impl StoreData {
    /// Opens (or creates) the store in the data directory `dir` and, if
    /// the phone is enrolled, starts syncing.
    pub fn open(dir: &Path) -> Result<Self, DataError> {
        let store = Store::open(dir).map_err(failed)?;
        let background = Background::new().map_err(broken)?;
        let data = Self {
            inner: Arc::new(Inner {
                store: sync::share(store),
                dir: dir.to_owned(),
                background,
            }),
        };
        if let Some(credentials) = data.credentials()? {
            data.inner
                .background
                .start_engine(data.inner.store.clone(), &credentials)?;
        }

        Ok(data)
    }

    /// Fills an empty store with `households` demo households and `visits`
    /// visits; true when it did.
    pub fn fill_demo_if_empty(&self, households: usize, visits: usize) -> Result<bool, DataError> {
        let mut store = self.store();
        if store.household_count().map_err(failed)? > 0 {
            return Ok(false);
        }
        demo::fill(&mut store, households, visits, demo_seed()).map_err(failed)?;
        drop(store);
        self.inner.background.changed();

        Ok(true)
    }

    /// The counts `--summary` prints: households, ledgers, visits, queued.
    pub fn counts(&self) -> Result<[u64; 4], DataError> {
        let store = self.store();
        let queued = store.outbox_stats().map_err(failed)?.queued;

        Ok([
            store.household_count().map_err(failed)?,
            store.ledger_count().map_err(failed)?,
            store.visit_count().map_err(failed)?,
            u64::from(queued),
        ])
    }

    /// The store as shared with the sync engine, for tools and tests that
    /// need it whole.
    pub fn shared_store(&self) -> SharedStore {
        self.inner.store.clone()
    }

    fn store(&self) -> MutexGuard<'_, Store> {
        self.inner
            .store
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    fn credentials(&self) -> Result<Option<Credentials>, DataError> {
        Credentials::load(&credentials_path(&self.inner.dir)).map_err(remote)
    }

    /// Runs `call` on the background runtime, for the screen to await.
    fn spawn<T, F>(&self, call: F) -> Pending<T>
    where
        T: Send + 'static,
        F: Future<Output = Result<T, DataError>> + Send + 'static,
    {
        let Some(handle) = self.inner.background.handle() else {
            return Box::pin(async { Err(DataError::Unavailable("应用正在退出")) });
        };
        let task = handle.spawn(call);
        Box::pin(async move { task.await.map_err(broken)? })
    }
}

/// The seed of the demo data, fixed so that screenshots repeat.
fn demo_seed() -> u64 {
    20_25
}

impl AppData for StoreData {
    fn user(&self) -> Result<Option<UserInfo>, DataError> {
        Ok(self.credentials()?.map(|c| c.user))
    }

    fn enroll(&self, link: &EnrollLink) -> Pending<UserInfo> {
        let trust = match link.fingerprint.as_deref().map(Fingerprint::parse) {
            Some(Ok(fp)) => Trust::Pinned(fp),
            Some(Err(_)) => return invalid("证书指纹格式不正确：应为 64 位十六进制数字"),
            None => return invalid("请填写服务器证书指纹（县联络办公室提供），或粘贴二维码内容"),
        };
        let (server, code) = (link.server.clone(), link.code.clone());
        let inner = self.inner.clone();
        self.spawn(async move {
            let device = DeviceInfo {
                name: format!("产业指导员台账（{}）", std::env::consts::OS),
                app_version: env!("CARGO_PKG_VERSION").to_owned(),
            };
            let credentials = sync::enroll(&server, &code, trust, &device)
                .await
                .map_err(remote)?;
            credentials
                .save(&credentials_path(&inner.dir))
                .map_err(remote)?;
            inner
                .background
                .start_engine(inner.store.clone(), &credentials)?;
            inner.background.changed();

            Ok(credentials.user)
        })
    }

    fn households(&self, query: &HouseholdQuery) -> Result<HouseholdPage, DataError> {
        let store = self.store();
        let mut q = store::HouseholdQuery::new(query.text.clone());
        q.offset = u32::try_from(query.offset).unwrap_or(u32::MAX);
        q.limit = u32::try_from(query.limit).unwrap_or(u32::MAX);
        let rows = store.households(&q).map_err(failed)?;
        let total = if query.text.is_empty() {
            usize::try_from(store.household_count().map_err(failed)?).unwrap_or(usize::MAX)
        } else {
            // A search matches few households; counting them all is cheap.
            let all = store::HouseholdQuery {
                offset: 0,
                limit: u32::MAX,
                ..q
            };
            store.households(&all).map_err(failed)?.len()
        };

        Ok(HouseholdPage {
            rows: rows.into_iter().map(status::row).collect(),
            total,
        })
    }

    fn household(&self, id: Uuid) -> Result<HouseholdDetail, DataError> {
        let store = self.store();
        let household = store
            .household(id)
            .map_err(failed)?
            .ok_or(DataError::NotFound)?;
        let marks = status::Marks::read(&store).map_err(failed)?;
        let mut ledgers: Vec<_> = store
            .ledgers_of(id)
            .map_err(failed)?
            .iter()
            .map(|l| status::summary(l, &marks))
            .collect();
        ledgers.sort_by_key(|l| std::cmp::Reverse(l.year));
        let mut visits = store.visits_of(id).map_err(failed)?;
        visits.sort_by_key(|v| std::cmp::Reverse(v.date));

        Ok(HouseholdDetail {
            sync: marks.of_household(id),
            household,
            ledgers,
            visits,
        })
    }

    fn ledger_draft(&self, household: Uuid, year: i32) -> Result<LedgerDraft, DataError> {
        let store = self.store();
        let kept = store
            .draft(&ledger_draft_key(household, year))
            .map_err(failed)?;
        if let Some(draft) = kept.and_then(|json| serde_json::from_str::<LedgerDraft>(&json).ok()) {
            return Ok(draft);
        }
        let h = store
            .household(household)
            .map_err(failed)?
            .ok_or(DataError::NotFound)?;
        let ledgers = store.ledgers_of(household).map_err(failed)?;
        let ledger = match ledgers.iter().find(|l| l.year == year) {
            Some(same) => same.clone(),
            None => ledgers
                .iter()
                .filter(|l| l.year < year)
                .max_by_key(|l| l.year)
                .map(|l| Ledger {
                    year,
                    ..l.carried_forward()
                })
                .unwrap_or_else(|| Ledger::new(household, year)),
        };

        Ok(LedgerDraft::new(h, ledger))
    }

    fn save_draft(&self, draft: &LedgerDraft) -> Result<(), DataError> {
        let key = ledger_draft_key(draft.household.id, draft.ledger.year);
        let json = serde_json::to_string(draft).map_err(broken)?;

        self.store().save_draft(&key, &json).map_err(failed)
    }

    fn save_ledger(&self, draft: &LedgerDraft) -> Result<(), DataError> {
        let mut store = self.store();
        let mut household = draft.household.clone();
        household.normalise();
        let stored = store.household(household.id).map_err(failed)?;
        if stored.as_ref() != Some(&household) {
            store.save_household(&household).map_err(failed)?;
        }
        store.save_ledger(&draft.ledger).map_err(failed)?;
        let key = ledger_draft_key(household.id, draft.ledger.year);
        store.discard_draft(&key).map_err(failed)?;
        drop(store);
        self.inner.background.saved();

        Ok(())
    }

    fn add_photo(&self, visit: Uuid, bytes: Vec<u8>) -> Pending<String> {
        let inner = self.inner.clone();
        self.spawn(async move {
            let work = tokio::task::spawn_blocking(move || {
                // The store is taken only to record the finished photo, so
                // the screens and the sync engine are not held up meanwhile.
                let (photo, path) = photo::keep(&inner.dir, &bytes)
                    .map_err(|e| DataError::Invalid(e.to_string()))?;
                let mut store = inner.store.lock().unwrap_or_else(PoisonError::into_inner);
                photo::record(&mut store, visit, &photo, path).map_err(failed)?;
                Ok(photo.sha256)
            });
            work.await.map_err(broken)?
        })
    }

    fn save_visit(&self, visit: &Visit) -> Result<(), DataError> {
        self.store().save_visit(visit).map_err(failed)?;
        self.inner.background.saved();

        Ok(())
    }

    fn my_statistics(&self, year: i32) -> Result<Attachment4, DataError> {
        self.store().attachment4(year).map_err(failed)
    }

    fn sync_status(&self) -> Result<SyncStatus, DataError> {
        let engine = self.inner.background.status();

        status::sync_status(&self.store(), &engine).map_err(failed)
    }

    fn changes(&self) -> Option<tokio::sync::watch::Receiver<u64>> {
        Some(self.inner.background.changes())
    }

    fn sync_now(&self) -> Result<(), DataError> {
        self.inner.background.sync_now()
    }

    fn resolve_conflict(&self, record: Uuid, take: &BTreeSet<String>) -> Result<(), DataError> {
        let mut store = self.store();
        let conflict = store
            .conflicts()
            .map_err(failed)?
            .into_iter()
            .find(|c| c.record_id == record)
            .ok_or(DataError::NotFound)?;
        let merged = match (&conflict.ours, &conflict.theirs) {
            (Some(ours), theirs) => {
                conflicts::merge(ours, theirs.as_ref(), take).map_err(broken)?
            }
            (None, Some(theirs)) => theirs.clone(),
            (None, None) => return Err(DataError::NotFound),
        };
        store.resolve_conflict(record, merged).map_err(failed)?;
        drop(store);
        self.inner.background.saved();

        Ok(())
    }

    fn township(&self, year: i32) -> Pending<Option<TownshipView>> {
        let credentials = match self.credentials() {
            Ok(Some(c)) if c.user.role == Role::Liaison => c,
            Ok(_) => return Box::pin(async { Ok(None) }),
            Err(e) => return Box::pin(async { Err(e) }),
        };
        self.spawn(async move {
            let client = credentials.client().map_err(remote)?;
            let township = credentials.user.area_id;
            let status = client.township_status(township).await.map_err(remote)?;
            let report = client
                .attachment4(year, ReportLevel::Instructor, township)
                .await
                .map_err(remote)?;

            Ok(Some(TownshipView { status, report }))
        })
    }
}

fn invalid<T: Send + 'static>(why: &'static str) -> Pending<T> {
    Box::pin(async move { Err(DataError::Invalid(why.to_owned())) })
}
