//! The engine that syncs by itself in the background.
//!
//! It runs at start, shortly after saves (debounced), on a timer while
//! anything is queued, and slowly when idle to fetch others' changes.
//! While the server cannot be reached it backs off exponentially with
//! jitter; the first success returns it to its normal pace. All timing
//! decisions come from [`plan`]; this file only waits and dispatches.
//!
//! [`plan`]: crate::sync::plan

use std::time::Duration;

use chrono::Utc;
use tokio::sync::{broadcast, mpsc, watch};
use tokio::task::JoinHandle;
use tokio::time::{Instant, sleep_until};

use crate::sync::client::Client;
use crate::sync::error::SyncError;
use crate::sync::events::{Emitter, SyncEvent, SyncStatus};
use crate::sync::plan::{self, Limits, RunEnd, Timing};
use crate::sync::run::{PULL_PAGE, RunReport, Syncer};
use crate::sync::shared::SharedStore;

/// How the engine behaves; the defaults suit a phone.
#[derive(Debug, Clone)]
pub struct EngineConfig {
    pub limits: Limits,
    pub timing: Timing,
    pub pull_page: u32,
    /// Reported to the server with every push.
    pub app_version: String,
}

impl Default for EngineConfig {
    fn default() -> EngineConfig {
        EngineConfig {
            limits: Limits::default(),
            timing: Timing::default(),
            pull_page: PULL_PAGE,
            app_version: env!("CARGO_PKG_VERSION").to_owned(),
        }
    }
}

/// The sync engine, before it is started.
#[derive(Debug)]
pub struct Engine {
    syncer: Syncer,
    timing: Timing,
}

impl Engine {
    /// An engine syncing `store` with the server behind `client`.
    pub fn new(store: SharedStore, client: Client, config: EngineConfig) -> Engine {
        let syncer = Syncer {
            store,
            client,
            limits: config.limits,
            pull_page: config.pull_page,
            app_version: config.app_version,
            events: Emitter::default(),
        };

        Engine {
            syncer,
            timing: config.timing,
        }
    }

    /// Events from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<SyncEvent> {
        self.syncer.events.subscribe()
    }

    /// The status picture.
    pub fn status(&self) -> watch::Receiver<SyncStatus> {
        self.syncer.events.status()
    }

    /// One run, now, in the caller's task; reports a failure as an event
    /// too.
    pub async fn sync_once(&mut self) -> Result<RunReport, SyncError> {
        let result = self.syncer.run().await;
        if let Err(err) = &result {
            self.syncer.events.emit(SyncEvent::LastError {
                reason: err.to_string(),
                retry_at: None,
            });
        }

        result
    }

    /// Starts the engine on the current tokio runtime.
    pub fn start(self) -> EngineHandle {
        let (nudges, inbox) = mpsc::unbounded_channel();
        let (stop, stopped) = watch::channel(false);
        let events = self.syncer.events.clone();
        let task = tokio::spawn(run_loop(self, inbox, stopped));

        EngineHandle {
            nudges,
            stop,
            events,
            task,
        }
    }
}

/// Why the engine should run.
#[derive(Debug, Clone, Copy)]
enum Nudge {
    Saved,
    Now,
}

/// Controls a running engine.
#[derive(Debug)]
pub struct EngineHandle {
    nudges: mpsc::UnboundedSender<Nudge>,
    stop: watch::Sender<bool>,
    events: Emitter,
    task: JoinHandle<()>,
}

impl EngineHandle {
    /// Tells the engine something was saved; it runs after a short quiet
    /// time (or when a failure's backoff ends, if later).
    pub fn notify_saved(&self) {
        // Fails only once the engine has stopped, when there is nobody to tell.
        self.nudges.send(Nudge::Saved).ok();
    }

    /// Asks for a run now, backoff or not (a person pressed 同步).
    pub fn sync_now(&self) {
        self.nudges.send(Nudge::Now).ok();
    }

    /// Events from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<SyncEvent> {
        self.events.subscribe()
    }

    /// The status picture.
    pub fn status(&self) -> watch::Receiver<SyncStatus> {
        self.events.status()
    }

    /// Stops the engine, abandoning a run under way (which loses nothing),
    /// and waits until it has stopped.
    pub async fn stop(self) {
        self.stop.send_replace(true);
        if let Err(err) = self.task.await {
            tracing::warn!(error = %err, "sync engine task ended abnormally");
        }
    }
}

/// Where the loop stands between runs.
struct Pace {
    wake: Instant,
    first_save: Option<Instant>,
    backoff_until: Instant,
    failures: u32,
}

async fn run_loop(
    mut engine: Engine,
    mut inbox: mpsc::UnboundedReceiver<Nudge>,
    mut stop: watch::Receiver<bool>,
) {
    let now = Instant::now();
    let mut pace = Pace {
        wake: now,
        first_save: None,
        backoff_until: now,
        failures: 0,
    };
    loop {
        tokio::select! {
            biased;
            _ = stop.changed() => break,
            nudge = inbox.recv() => match nudge {
                Some(nudge) => on_nudge(&mut pace, nudge, &engine.timing),
                None => break,
            },
            _ = sleep_until(pace.wake) => {
                pace.first_save = None;
                let result = tokio::select! {
                    biased;
                    _ = stop.changed() => break,
                    result = engine.syncer.run() => result,
                };
                after_run(&mut pace, result, &engine);
            }
        }
    }
    tracing::debug!("sync engine stopped");
}

fn on_nudge(pace: &mut Pace, nudge: Nudge, timing: &Timing) {
    let now = Instant::now();
    match nudge {
        Nudge::Now => pace.wake = now,
        Nudge::Saved => {
            let first = *pace.first_save.get_or_insert(now);
            let wait = plan::wait_after_save(
                now - first,
                Duration::ZERO,
                pace.backoff_until.saturating_duration_since(now),
                timing,
            );
            pace.wake = pace.wake.min(now + wait);
        }
    }
}

fn after_run(pace: &mut Pace, result: Result<RunReport, SyncError>, engine: &Engine) {
    let now = Instant::now();
    let end = match &result {
        Ok(report) => {
            pace.failures = 0;
            RunEnd::Done {
                left: u64::from(report.left),
            }
        }
        Err(err) => {
            pace.failures += 1;
            RunEnd::Failed {
                failures: pace.failures,
                retry: err.retry(),
            }
        }
    };
    let wait = plan::wait_after(end, &engine.timing, rand::random::<f64>());
    pace.wake = now + wait;
    pace.backoff_until = if result.is_ok() { now } else { now + wait };
    let events = &engine.syncer.events;
    match result {
        Ok(report) if report.left > 0 => events.emit(SyncEvent::Queued { n: report.left }),
        Ok(_) => events.emit(SyncEvent::Idle),
        Err(err) => {
            tracing::info!(error = %err, source = ?std::error::Error::source(&err), "sync run failed");
            let retry_at = Utc::now() + chrono::Duration::from_std(wait).unwrap_or_default();
            events.emit(SyncEvent::LastError {
                reason: err.to_string(),
                retry_at: Some(retry_at),
            });
        }
    }
}
