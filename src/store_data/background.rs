//! The app's background work: a small tokio runtime of its own running the
//! sync engine and the calls to the server, and the change counter the
//! screens watch.
//!
//! The runtime is the app's own rather than the webview's so that the
//! engine runs the same under every renderer, and in tests without one.

use std::sync::{Mutex, MutexGuard, PoisonError};

use fieldledger_device::sync::{
    Credentials, Engine, EngineConfig, EngineHandle, SharedStore, SyncError,
    SyncStatus as EngineStatus,
};
use tokio::runtime::Runtime;
use tokio::sync::watch;

use crate::data::DataError;

/// Worker threads of the background runtime. Syncing is I/O and short
/// store steps; one thread keeps a phone's battery and a 2-core desktop
/// free for the screens.
const WORKERS: usize = 1;

/// The runtime, the running engine if the phone is enrolled, and the
/// change counter.
pub struct Background {
    /// Always `Some` until dropped; taken to shut down without blocking.
    runtime: Option<Runtime>,
    engine: Mutex<Option<EngineHandle>>,
    changes: watch::Sender<u64>,
}

impl Background {
    /// Starts the runtime; the engine waits for [`Background::start_engine`].
    pub fn new() -> std::io::Result<Self> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(WORKERS)
            .thread_name("fieldledger-sync")
            .enable_all()
            .build()?;

        Ok(Self {
            runtime: Some(runtime),
            engine: Mutex::new(None),
            changes: watch::channel(0).0,
        })
    }

    /// The runtime's handle, for spawning calls to the server.
    pub fn handle(&self) -> Option<tokio::runtime::Handle> {
        self.runtime.as_ref().map(|rt| rt.handle().clone())
    }

    /// Starts syncing `store` with the server in `credentials`, replacing
    /// an engine already running. Every change of the engine's status moves
    /// the change counter.
    pub fn start_engine(
        &self,
        store: SharedStore,
        credentials: &Credentials,
    ) -> Result<(), DataError> {
        let client = credentials.client().map_err(remote)?;
        let Some(runtime) = &self.runtime else {
            return Err(DataError::Unavailable("应用正在退出"));
        };
        let _inside = runtime.enter();
        let handle = Engine::new(store, client, EngineConfig::default()).start();
        let mut status = handle.status();
        let changes = self.changes.clone();
        runtime.spawn(async move {
            while status.changed().await.is_ok() {
                changes.send_modify(|n| *n += 1);
            }
        });
        tracing::info!(device.id = %credentials.device_id, "sync engine started");
        *self.engine() = Some(handle);

        Ok(())
    }

    /// The engine's latest status; the default before enrollment.
    pub fn status(&self) -> EngineStatus {
        self.engine()
            .as_ref()
            .map(|h| h.status().borrow().clone())
            .unwrap_or_default()
    }

    /// Tells the engine a record was saved, and the screens that it changed.
    pub fn saved(&self) {
        if let Some(engine) = self.engine().as_ref() {
            engine.notify_saved();
        }
        self.changed();
    }

    /// Moves the change counter.
    pub fn changed(&self) {
        self.changes.send_modify(|n| *n += 1);
    }

    /// Asks for a run now; refused before enrollment.
    pub fn sync_now(&self) -> Result<(), DataError> {
        match self.engine().as_ref() {
            Some(engine) => {
                engine.sync_now();
                Ok(())
            }
            None => Err(DataError::Unavailable(
                "本机尚未注册，无法同步；请先在注册页填写注册码",
            )),
        }
    }

    /// A receiver of the change counter.
    pub fn changes(&self) -> watch::Receiver<u64> {
        self.changes.subscribe()
    }

    fn engine(&self) -> MutexGuard<'_, Option<EngineHandle>> {
        self.engine.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Drop for Background {
    fn drop(&mut self) {
        // Dropping a runtime blocks, which panics inside the webview's own
        // runtime; a run cut short loses nothing (see the engine's stop).
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

/// A sync-layer failure as the screens show it: "需要联网" when the server
/// cannot be reached, the layer's own Chinese message otherwise.
pub fn remote(err: SyncError) -> DataError {
    match err {
        SyncError::Connect(_) | SyncError::Timeout(_) | SyncError::Network(_) => {
            DataError::Offline(Box::new(err))
        }
        other => DataError::Remote {
            message: other.to_string(),
            source: Box::new(other),
        },
    }
}
