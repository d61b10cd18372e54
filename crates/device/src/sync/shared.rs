//! The store as the engine shares it with the app: one [`Store`] behind a
//! lock, each step a short call on a blocking thread so that SQLite never
//! stalls the async runtime.

use std::sync::{Arc, Mutex, PoisonError};

use crate::store::{self, Store};
use crate::sync::error::SyncError;

/// The store, shared between the app and the engine.
pub type SharedStore = Arc<Mutex<Store>>;

/// Wraps a store for sharing.
pub fn share(store: Store) -> SharedStore {
    Arc::new(Mutex::new(store))
}

/// Runs `step` on the store on a blocking thread.
///
/// A step is one store call (one transaction at most), so if the caller
/// is dropped halfway the step still finishes or rolls back whole.
pub async fn with_store<T, F>(store: &SharedStore, step: F) -> Result<T, SyncError>
where
    T: Send + 'static,
    F: FnOnce(&mut Store) -> store::Result<T> + Send + 'static,
{
    let store = store.clone();
    let joined = tokio::task::spawn_blocking(move || {
        // A panic elsewhere while holding the lock left no transaction
        // open (rusqlite rolls back on drop), so the store is still sound.
        let mut guard = store.lock().unwrap_or_else(PoisonError::into_inner);
        step(&mut guard)
    })
    .await;

    match joined {
        Ok(result) => result.map_err(SyncError::store),
        Err(join) => Err(SyncError::Io(std::io::Error::other(join))),
    }
}
