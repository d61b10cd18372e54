//! What the engine tells the app, as it happens.
//!
//! [`SyncEvent`]s go out on a broadcast channel as they happen;
//! [`SyncStatus`] is the folded picture for a status line, on a watch
//! channel. Reasons are in Chinese, ready to show.

use chrono::{DateTime, Utc};
use tokio::sync::{broadcast, watch};

/// One thing that happened in the engine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SyncEvent {
    /// Nothing waiting, nothing under way.
    Idle,
    /// `n` operations wait to be sent.
    Queued { n: u32 },
    /// A run is sending: `sent` of `total` operations answered so far.
    Sending { sent: u32, total: u32 },
    /// A photo upload: `sent` of `total` bytes held by the server.
    Uploading {
        sha256: String,
        sent: u64,
        total: u64,
    },
    /// Changes from the server: `received` in this run so far.
    Receiving { received: u32 },
    /// A run finished with everything through.
    LastSuccess { at: DateTime<Utc> },
    /// A run failed; the next try comes at `retry_at` (or at the next
    /// save when `None`).
    LastError {
        reason: String,
        retry_at: Option<DateTime<Utc>>,
    },
}

/// What the status line shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SyncStatus {
    /// The latest event that says what the engine is doing.
    pub activity: Option<SyncEvent>,
    pub last_success: Option<DateTime<Utc>>,
    /// The latest failure, cleared by the next success.
    pub last_error: Option<(String, Option<DateTime<Utc>>)>,
}

impl SyncStatus {
    /// Folds one event into the picture.
    pub fn apply(&mut self, event: &SyncEvent) {
        match event {
            SyncEvent::LastSuccess { at } => {
                self.last_success = Some(*at);
                self.last_error = None;
            }
            SyncEvent::LastError { reason, retry_at } => {
                self.last_error = Some((reason.clone(), *retry_at));
            }
            _ => {}
        }
        self.activity = Some(event.clone());
    }
}

/// Capacity of the event channel; a listener that falls further behind
/// misses old events but still sees the status.
const EVENT_BUFFER: usize = 256;

/// Sends events on both channels.
#[derive(Debug, Clone)]
pub struct Emitter {
    events: broadcast::Sender<SyncEvent>,
    status: watch::Sender<SyncStatus>,
}

impl Default for Emitter {
    fn default() -> Self {
        Emitter {
            events: broadcast::channel(EVENT_BUFFER).0,
            status: watch::channel(SyncStatus::default()).0,
        }
    }
}

impl Emitter {
    /// Reports `event`.
    pub fn emit(&self, event: SyncEvent) {
        tracing::debug!(?event, "sync event");
        self.status.send_modify(|s| s.apply(&event));
        // An error here only means nobody listens right now.
        self.events.send(event).ok();
    }

    /// A receiver of the events from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<SyncEvent> {
        self.events.subscribe()
    }

    /// A receiver of the status picture.
    pub fn status(&self) -> watch::Receiver<SyncStatus> {
        self.status.subscribe()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn success_clears_the_error() {
        let mut s = SyncStatus::default();
        s.apply(&SyncEvent::LastError {
            reason: "网络超时".into(),
            retry_at: None,
        });
        assert!(s.last_error.is_some());
        let at = Utc::now();
        s.apply(&SyncEvent::LastSuccess { at });
        assert_eq!(s.last_error, None);
        assert_eq!(s.last_success, Some(at));
        s.apply(&SyncEvent::Queued { n: 3 });
        assert_eq!(s.activity, Some(SyncEvent::Queued { n: 3 }));
        assert_eq!(s.last_success, Some(at));
    }
}
