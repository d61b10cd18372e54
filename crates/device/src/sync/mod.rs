//! The sync engine: the phone's outbox to the server and the server's
//! changes back, over HTTPS.
//!
//! - [`plan`]: the decisions (next step, batch limits, backoff, pace), pure.
//! - [`run`]: one run, the thin I/O layer around the plan.
//! - [`engine`]: the background loop, nudged by saves, stoppable.
//! - [`client`]: the protocol's HTTP calls; [`tls`]: what the phone trusts.
//! - [`enroll`]: one-time code to device token, kept apart from the data.
//! - [`events`]: what the app is told; [`error`]: what went wrong, in Chinese.

pub mod client;
pub mod engine;
pub mod enroll;
pub mod error;
pub mod events;
pub mod plan;
pub mod run;
pub mod shared;
pub mod tls;

pub use client::{Client, Token};
pub use engine::{Engine, EngineConfig, EngineHandle};
pub use enroll::{Credentials, DeviceInfo, EnrollLink, enroll, enroll_link};
pub use error::{Retry, SyncError};
pub use events::{SyncEvent, SyncStatus};
pub use plan::{Backoff, Limits, Timing};
pub use run::RunReport;
pub use shared::{SharedStore, share};
pub use tls::{Fingerprint, Trust};

use std::path::{Path, PathBuf};

/// The credentials file under a data directory: beside the store's key,
/// apart from the records.
pub const CREDENTIALS_FILE: &str = "keys/device.json";

/// The credentials file of the data directory `data_dir`.
pub fn credentials_path(data_dir: &Path) -> PathBuf {
    data_dir.join(CREDENTIALS_FILE)
}
