//! One sync run, step by step: the thin I/O layer around [`plan`].
//!
//! Each step reads the store, makes one request and writes its answer back
//! in one transaction. A run can stop at any await (the app closes, the
//! process dies) and lose nothing: the outbox keeps every op until its
//! answer is written, and op ids make a second send harmless.
//!
//! [`plan`]: crate::sync::plan

use std::collections::{HashSet, VecDeque};

use chrono::Utc;
use fieldledger_model::wire::{DeviceReport, OpResult, PushRequest, PushResponse};
use uuid::Uuid;

use crate::photo::upload;
use crate::sync::client::{Client, encode_push};
use crate::sync::error::SyncError;
use crate::sync::events::{Emitter, SyncEvent};
use crate::sync::plan::{self, Footprint, Limits, RunState, Step};
use crate::sync::shared::{SharedStore, with_store};

/// Changes asked for per pull page: large pages mean few round trips on a
/// slow link, and a page of 500 records is still well under a megabyte.
pub const PULL_PAGE: u32 = 500;

/// What a finished run did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RunReport {
    /// Ops sent and answered.
    pub pushed: u32,
    /// Push requests made.
    pub requests: u32,
    /// Ops the server refused in this run.
    pub rejected: u32,
    /// Ops the server kept beside a newer version.
    pub conflicts: u32,
    /// Changes pulled.
    pub pulled: u32,
    /// Photos whose upload completed.
    pub photos: u32,
    /// Ops still waiting after the run (saved while it ran).
    pub left: u32,
}

/// Everything a run needs.
#[derive(Debug, Clone)]
pub struct Syncer {
    pub store: SharedStore,
    pub client: Client,
    pub limits: Limits,
    pub pull_page: u32,
    pub app_version: String,
    pub events: Emitter,
}

/// A push ready to send.
struct Prepared {
    /// The outbox position it was read after.
    after: i64,
    /// Ops of the run sent before it.
    sent: u32,
    /// The outbox position of its last op; `None` when the outbox had none.
    last_seq: Option<i64>,
    ids: Vec<Uuid>,
    footprint: Footprint,
    body: Vec<u8>,
}

/// A push on its way. Its request runs as a task of its own, so that two
/// travel at once; dropping the flight (the run stopped) cancels it, and
/// its ops simply stay queued.
struct Flight {
    /// The batch sent; its body went with the request.
    batch: Prepared,
    task: Request,
}

/// A request's task, cancelled when dropped.
struct Request(tokio::task::JoinHandle<Result<PushResponse, SyncError>>);

impl Drop for Request {
    fn drop(&mut self) {
        self.0.abort();
    }
}

impl Flight {
    fn launch(client: &Client, mut batch: Prepared) -> Flight {
        let client = client.clone();
        let body = std::mem::take(&mut batch.body);
        Flight {
            batch,
            task: Request(tokio::spawn(async move { client.push(body).await })),
        }
    }

    async fn answer(&mut self) -> Result<Vec<OpResult>, SyncError> {
        match (&mut self.task.0).await {
            Ok(answer) => answer.map(|a| a.results),
            Err(join) => Err(SyncError::Io(std::io::Error::other(join))),
        }
    }
}

impl Syncer {
    /// One whole run: push, photos, pull.
    #[tracing::instrument(skip_all)]
    pub async fn run(&mut self) -> Result<RunReport, SyncError> {
        let mut report = RunReport::default();
        let mut state = RunState::default();
        let total = with_store(&self.store, |s| s.outbox_stats()).await?.queued;
        self.events.emit(SyncEvent::Queued { n: total });
        loop {
            match plan::next_step(&state) {
                Step::Push => {
                    let budget = plan::MAX_PUSHES_PER_RUN.saturating_sub(state.pushes);
                    let (pushes, drained) = self.push_all(&mut report, total, budget).await?;
                    state.pushes += pushes;
                    state.last_batch = Some(if drained { 0 } else { 1 });
                }
                Step::Photos => state.photos_left = Some(self.photos(&mut report).await?),
                Step::Pull => state.pull_more = Some(self.pull_page(&mut report).await?),
                Step::Done => break,
            }
        }
        report.left = with_store(&self.store, |s| s.outbox_stats()).await?.queued;
        self.events.emit(SyncEvent::LastSuccess { at: Utc::now() });

        Ok(report)
    }

    /// Pushes batch after batch until the outbox has none left or `budget`
    /// pushes are made; returns the pushes made and whether the outbox was
    /// drained.
    ///
    /// The phone's work overlaps the network's and the server's: while
    /// pushes are on their way, the answers to earlier ones are written
    /// and the next batch is read and encoded. Up to
    /// [`plan::PUSHES_IN_FLIGHT`] pushes travel at once, but a batch goes
    /// out beside the ones in flight only when its [`Footprint`] is
    /// independent of theirs; otherwise it waits for their answers, so the
    /// server applies every op that depends on another after it. Answers
    /// are written in outbox order.
    async fn push_all(
        &mut self,
        report: &mut RunReport,
        total: u32,
        budget: u32,
    ) -> Result<(u32, bool), SyncError> {
        let mut pushes = 0;
        let mut flights: VecDeque<Flight> = VecDeque::new();
        let mut answered: Option<(Vec<Uuid>, Vec<OpResult>)> = None;
        let mut next = self.prepare(0, 0, total).await?;
        loop {
            while next.last_seq.is_some()
                && pushes < budget
                && flights.len() < plan::PUSHES_IN_FLIGHT
                && flights
                    .iter()
                    .all(|f| f.batch.footprint.independent(&next.footprint))
            {
                let last_seq = next.last_seq.unwrap_or(next.after);
                let sent = next.sent + next.ids.len() as u32;
                tracing::debug!(batch.len = next.ids.len(), "pushing");
                flights.push_back(Flight::launch(&self.client, next));
                pushes += 1;
                if let Some((ids, results)) = answered.take() {
                    self.apply_answers(&ids, results, report, total).await?;
                }
                next = self.prepare(last_seq, sent, total).await?;
            }
            if let Some((ids, results)) = answered.take() {
                self.apply_answers(&ids, results, report, total).await?;
            }
            let Some(mut flight) = flights.pop_front() else {
                return Ok((pushes, next.last_seq.is_none()));
            };
            match flight.answer().await {
                Ok(results) => answered = Some((flight.batch.ids, results)),
                Err(err) => {
                    // The pushes after it may have been applied: write what
                    // came back, so that only unanswered ops go again.
                    for mut later in flights.drain(..) {
                        match later.answer().await {
                            Ok(results) => {
                                self.apply_answers(&later.batch.ids, results, report, total)
                                    .await?;
                            }
                            Err(SyncError::TooLarge) => {}
                            Err(e) => self.record_attempt(later.batch.ids, &e).await?,
                        }
                    }
                    if !matches!(err, SyncError::TooLarge) {
                        // The failed push is what the run reports; ops whose
                        // answers could not be written are simply sent again.
                        self.record_attempt(flight.batch.ids, &err).await?;
                        return Err(err);
                    }
                    // The refused ops go again, in smaller batches, with
                    // every op after them that is still queued.
                    self.shrink(flight.batch.ids.len())?;
                    next = self
                        .prepare(flight.batch.after, flight.batch.sent, total)
                        .await?;
                }
            }
        }
    }

    async fn record_attempt(&self, ids: Vec<Uuid>, err: &SyncError) -> Result<(), SyncError> {
        let why = err.to_string();
        with_store(&self.store, move |s| s.record_attempt(&ids, Some(&why))).await
    }

    /// Reads the batch after outbox position `after` and encodes its push.
    /// `sent` ops of the run's `total` went before it; the rest are what
    /// the phone reports as still queued.
    async fn prepare(&self, after: i64, sent: u32, total: u32) -> Result<Prepared, SyncError> {
        let limits = self.limits;
        let batch = with_store(&self.store, move |s| {
            s.outbox_batch_after(after, limits.max_ops, limits.max_bytes)
        })
        .await?;
        let last_seq = batch.last().map(|e| e.seq);
        let ids: Vec<Uuid> = batch.iter().map(|e| e.op.op_id).collect();
        let oldest = batch.first().map(|e| e.created_at);
        let footprint = Footprint::of(batch.iter().map(|e| &e.op));
        let request = PushRequest {
            device: DeviceReport {
                app_version: self.app_version.clone(),
                queued: total.saturating_sub(sent).max(ids.len() as u32),
                oldest_queued_secs: oldest
                    .map(|at| Utc::now().signed_duration_since(at).num_seconds().max(0) as u64),
            },
            ops: batch.into_iter().map(|e| e.op).collect(),
        };
        let body = tokio::task::spawn_blocking(move || encode_push(&request))
            .await
            .map_err(|e| SyncError::Io(std::io::Error::other(e)))??;

        Ok(Prepared {
            after,
            sent,
            last_seq,
            ids,
            footprint,
            body,
        })
    }

    async fn apply_answers(
        &self,
        ids: &[Uuid],
        results: Vec<OpResult>,
        report: &mut RunReport,
        total: u32,
    ) -> Result<usize, SyncError> {
        let answered: HashSet<Uuid> = results.iter().map(|r| r.op_id).collect();
        tally(report, &results);
        with_store(&self.store, move |s| s.apply_push_results(&results)).await?;
        if ids.iter().any(|id| !answered.contains(id)) {
            return Err(SyncError::Mismatch);
        }
        report.pushed += ids.len() as u32;
        report.requests += 1;
        self.events.emit(SyncEvent::Sending {
            sent: report.pushed,
            total: total.max(report.pushed),
        });

        Ok(ids.len())
    }

    /// After a body-too-large answer: halve the batch and go on.
    fn shrink(&mut self, batch_len: usize) -> Result<(), SyncError> {
        match plan::shrink(self.limits, batch_len) {
            Some(smaller) => {
                tracing::info!(max_ops = smaller.max_ops, "batch too large; halving");
                self.limits = smaller;
                Ok(())
            }
            None => Err(SyncError::TooLarge),
        }
    }

    /// Uploads every photo waiting; returns how many are still waiting.
    async fn photos(&mut self, report: &mut RunReport) -> Result<usize, SyncError> {
        let waiting = with_store(&self.store, |s| s.photos_pending_upload()).await?;
        for photo in waiting {
            upload::upload(self, &photo).await?;
            report.photos += 1;
        }

        Ok(0)
    }

    /// Pulls one page and applies it; returns whether more wait.
    async fn pull_page(&mut self, report: &mut RunReport) -> Result<bool, SyncError> {
        let cursor = with_store(&self.store, |s| s.cursor()).await?;
        let stats = with_store(&self.store, |s| s.outbox_stats()).await?;
        let queue = Some((stats.queued, stats.oldest_queued_secs));
        let page = self.client.pull(cursor, self.pull_page, queue).await?;
        tracing::debug!(cursor, changes = page.changes.len(), "pulled");
        let more = page.more && page.cursor > cursor;
        report.pulled += page.changes.len() as u32;
        with_store(&self.store, move |s| {
            s.apply_pull(&page.changes, page.cursor)
        })
        .await?;
        self.events.emit(SyncEvent::Receiving {
            received: report.pulled,
        });

        Ok(more)
    }
}

fn tally(report: &mut RunReport, results: &[OpResult]) {
    use fieldledger_model::wire::Outcome;
    for r in results {
        match r.outcome {
            Outcome::Rejected { .. } => report.rejected += 1,
            Outcome::Conflict { .. } => report.conflicts += 1,
            _ => {}
        }
    }
}
