//! One sync run, step by step: the thin I/O layer around [`plan`].
//!
//! Each step reads the store, makes one request and writes its answer back
//! in one transaction. A run can stop at any await (the app closes, the
//! process dies) and lose nothing: the outbox keeps every op until its
//! answer is written, and op ids make a second send harmless.
//!
//! [`plan`]: crate::sync::plan

use std::collections::HashSet;

use chrono::Utc;
use fieldledger_model::wire::{DeviceReport, OpResult, PushRequest};
use uuid::Uuid;

use crate::photo::upload;
use crate::sync::client::{Client, encode_push};
use crate::sync::error::SyncError;
use crate::sync::events::{Emitter, SyncEvent};
use crate::sync::plan::{self, Limits, RunState, Step};
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
                    let sent = self.push_batch(&mut report, total).await?;
                    state.last_batch = Some(sent);
                    state.pushes += 1;
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

    /// Sends the next batch and writes the answers; returns how many ops
    /// it took from the outbox (0 when none were waiting).
    async fn push_batch(&mut self, report: &mut RunReport, total: u32) -> Result<usize, SyncError> {
        let limits = self.limits;
        let batch = with_store(&self.store, move |s| {
            s.outbox_batch(limits.max_ops, limits.max_bytes)
        })
        .await?;
        if batch.is_empty() {
            return Ok(0);
        }
        let stats = with_store(&self.store, |s| s.outbox_stats()).await?;
        let ids: Vec<Uuid> = batch.iter().map(|e| e.op.op_id).collect();
        let request = PushRequest {
            device: DeviceReport {
                app_version: self.app_version.clone(),
                queued: stats.queued,
                oldest_queued_secs: stats.oldest_queued_secs,
            },
            ops: batch.into_iter().map(|e| e.op).collect(),
        };
        tracing::debug!(batch.len = ids.len(), "pushing");
        let body = tokio::task::spawn_blocking(move || encode_push(&request))
            .await
            .map_err(|e| SyncError::Io(std::io::Error::other(e)))??;

        match self.client.push(body).await {
            Ok(answer) => {
                self.apply_answers(&ids, answer.results, report, total)
                    .await
            }
            Err(SyncError::TooLarge) => self.shrink(ids.len()),
            Err(err) => {
                let why = err.to_string();
                with_store(&self.store, move |s| s.record_attempt(&ids, Some(&why))).await?;
                Err(err)
            }
        }
    }

    async fn apply_answers(
        &mut self,
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
    fn shrink(&mut self, batch_len: usize) -> Result<usize, SyncError> {
        match plan::shrink(self.limits, batch_len) {
            Some(smaller) => {
                tracing::info!(max_ops = smaller.max_ops, "batch too large; halving");
                self.limits = smaller;
                Ok(batch_len)
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
