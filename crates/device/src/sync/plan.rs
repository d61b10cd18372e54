//! The engine's decisions, as pure functions over plain values.
//!
//! Terms:
//! - A **run** is one sync pass: push every sendable op in batches, upload
//!   waiting photos, then pull the change feed until it has no more.
//! - A **nudge** is a hint that a run is wanted: a save, the app starting,
//!   or a person pressing 同步.
//! - A batch's **footprint** is the records its ops write and the records
//!   the server reads to apply them; batches whose footprints do not touch
//!   may be in flight together.
//!
//! Nothing here touches the network, the store or the clock: callers pass
//! the time and a jitter fraction in, which keeps every rule testable with
//! tables of cases.

use std::collections::HashSet;
use std::time::Duration;

use fieldledger_model::wire::Op;
use uuid::Uuid;

use crate::sync::error::Retry;

/// How long to wait after failures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backoff {
    /// The wait after the first failure.
    pub base: Duration,
    /// The longest wait, reached after a few failures in a row.
    pub cap: Duration,
}

impl Backoff {
    /// The wait after `failures` failures in a row (at least one).
    ///
    /// Doubles from `base` up to `cap`, then keeps a random part: `jitter`
    /// (in `0.0..1.0`) picks a point between half and all of it, so phones
    /// that lost the network together do not return together.
    pub fn delay(&self, failures: u32, jitter: f64) -> Duration {
        let doublings = failures.saturating_sub(1).min(30);
        let full = self.base.saturating_mul(1u32 << doublings).min(self.cap);

        full.mul_f64(0.5 + 0.5 * jitter.clamp(0.0, 1.0))
    }
}

/// The engine's pace.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timing {
    /// Quiet time after a save before a run, so a burst of saves goes out
    /// as one batch.
    pub debounce: Duration,
    /// The longest a run waits behind a stream of saves.
    pub max_delay: Duration,
    /// While ops remain queued after a run, the next run comes this soon.
    pub queued_interval: Duration,
    /// With nothing queued, how often to pull others' changes.
    pub idle_interval: Duration,
    pub backoff: Backoff,
    /// The longest wait after failures that got no answer at all
    /// ([`Retry::Unreachable`]): how late, at worst, the queue goes out
    /// after the signal returns.
    pub unreachable_cap: Duration,
}

impl Default for Timing {
    fn default() -> Self {
        Timing {
            debounce: Duration::from_secs(2),
            max_delay: Duration::from_secs(10),
            queued_interval: Duration::from_secs(30),
            idle_interval: Duration::from_secs(15 * 60),
            backoff: Backoff {
                base: Duration::from_secs(2),
                cap: Duration::from_secs(5 * 60),
            },
            unreachable_cap: Duration::from_secs(60),
        }
    }
}

/// How a run ended, as far as scheduling cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunEnd {
    /// Everything went through; `left` ops or photos are still waiting
    /// (saved while the run was under way).
    Done { left: u64 },
    /// The `failures`-th failure in a row, and what might fix it.
    Failed { failures: u32, retry: Retry },
}

/// How long to wait before the next run, absent any nudge.
pub fn wait_after(end: RunEnd, timing: &Timing, jitter: f64) -> Duration {
    match end {
        RunEnd::Done { left: 0 } => timing.idle_interval,
        RunEnd::Done { .. } => timing.queued_interval,
        RunEnd::Failed { failures, retry } => match retry {
            Retry::NeedsUser => timing.backoff.cap,
            Retry::Later => timing.backoff.delay(failures, jitter),
            Retry::Unreachable => Backoff {
                cap: timing.unreachable_cap.min(timing.backoff.cap),
                ..timing.backoff
            }
            .delay(failures, jitter),
        },
    }
}

/// When to run after a save, in time since the first save not yet sent.
///
/// `since_first` and `since_last` are the times since the first and the
/// latest pending save; `backoff_left` is what remains of a failure's
/// wait. Returns the wait from now.
pub fn wait_after_save(
    since_first: Duration,
    since_last: Duration,
    backoff_left: Duration,
    timing: &Timing,
) -> Duration {
    let quiet = timing.debounce.saturating_sub(since_last);
    let limit = timing.max_delay.saturating_sub(since_first);

    quiet.min(limit).max(backoff_left)
}

/// What one run does next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Push,
    Photos,
    Pull,
    Done,
}

/// Where a run stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RunState {
    /// Size of the last batch taken from the outbox; `None` before the first.
    pub last_batch: Option<usize>,
    /// Batches pushed in this run.
    pub pushes: u32,
    /// Photos still waiting for upload, when known.
    pub photos_left: Option<usize>,
    /// Whether the change feed said it has more; `None` before the first page.
    pub pull_more: Option<bool>,
}

/// The most batches one run sends before it yields to pulling, so a phone
/// that keeps saving still receives others' changes.
pub const MAX_PUSHES_PER_RUN: u32 = 200;

/// Picks the next step: push until the outbox yields an empty batch, then
/// photos, then pull until the feed has no more.
pub fn next_step(state: &RunState) -> Step {
    let pushing = state.last_batch != Some(0) && state.pushes < MAX_PUSHES_PER_RUN;
    if pushing && state.photos_left.is_none() {
        return Step::Push;
    }
    if state.photos_left.is_none_or(|n| n > 0) {
        return Step::Photos;
    }
    if state.pull_more.is_none_or(|more| more) {
        return Step::Pull;
    }

    Step::Done
}

/// How much one push may carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub max_ops: usize,
    /// Uncompressed JSON bytes of the ops.
    pub max_bytes: usize,
}

impl Default for Limits {
    /// Large batches compress best and cost one round trip each; 1,000
    /// visits are about 300 KB of JSON, well under the server's body limit
    /// and a few seconds on a slow uplink once compressed.
    fn default() -> Self {
        Limits {
            max_ops: 1000,
            max_bytes: 512 * 1024,
        }
    }
}

/// The limits to retry with after the server found a body too large:
/// half as much, down to a single op; `None` when a single op is already
/// too large, which only a person can fix.
pub fn shrink(limits: Limits, batch_len: usize) -> Option<Limits> {
    if batch_len <= 1 {
        return None;
    }

    Some(Limits {
        max_ops: (batch_len / 2).max(1),
        max_bytes: (limits.max_bytes / 2).max(1),
    })
}

/// Push requests a run keeps in flight at once, when their batches are
/// [independent](Footprint::independent). The second one hides the round
/// trip and the server's commit behind the first; more would only queue
/// at the server, which applies one batch at a time.
pub const PUSHES_IN_FLIGHT: usize = 2;

/// What a batch writes and what the server reads to apply it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Footprint {
    writes: HashSet<Uuid>,
    /// Every record the batch's ops name, its own included.
    reads: HashSet<Uuid>,
}

impl Footprint {
    pub fn of<'a>(ops: impl IntoIterator<Item = &'a Op>) -> Footprint {
        let mut footprint = Footprint::default();
        for op in ops {
            let id = op.record.id();
            footprint.writes.insert(id);
            footprint.reads.insert(id);
            footprint.reads.extend(op.record.references());
        }
        footprint
    }

    /// True when the server reaches the same outcomes whichever of the two
    /// batches it applies first: neither writes a record the other names.
    pub fn independent(&self, other: &Footprint) -> bool {
        self.writes.is_disjoint(&other.reads) && other.writes.is_disjoint(&self.reads)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    const S: fn(u64) -> Duration = Duration::from_secs;

    #[test]
    fn backoff_doubles_jitters_and_caps() {
        let b = Backoff {
            base: S(2),
            cap: S(300),
        };
        let cases = [
            (1, 0.0, S(1)),
            (1, 0.999_999, Duration::from_nanos(1_999_999_000)),
            (2, 0.0, S(2)),
            (3, 0.5, S(6)),
            (5, 0.0, S(16)),
            (8, 0.0, S(128)),
            (9, 0.0, S(150)),
            (9, 1.0, S(300)),
            (40, 1.0, S(300)),
            (u32::MAX, 0.0, S(150)),
            (0, 1.0, S(2)),
        ];
        for (failures, jitter, want) in cases {
            let got = b.delay(failures, jitter);
            let diff = got.abs_diff(want);
            assert!(
                diff < Duration::from_millis(1),
                "{failures} {jitter}: {got:?}"
            );
        }
    }

    #[test]
    fn wait_after_a_run() {
        let t = Timing::default();
        let cases = [
            (RunEnd::Done { left: 0 }, 0.3, t.idle_interval),
            (RunEnd::Done { left: 4 }, 0.3, t.queued_interval),
            (
                RunEnd::Failed {
                    failures: 1,
                    retry: Retry::Later,
                },
                1.0,
                S(2),
            ),
            (
                RunEnd::Failed {
                    failures: 3,
                    retry: Retry::Later,
                },
                0.0,
                S(4),
            ),
            (
                RunEnd::Failed {
                    failures: 9,
                    retry: Retry::Later,
                },
                1.0,
                S(300),
            ),
            (
                RunEnd::Failed {
                    failures: 1,
                    retry: Retry::NeedsUser,
                },
                0.0,
                S(300),
            ),
            // No answer at all: the same doubling, but never past a minute.
            (
                RunEnd::Failed {
                    failures: 3,
                    retry: Retry::Unreachable,
                },
                0.0,
                S(4),
            ),
            (
                RunEnd::Failed {
                    failures: 9,
                    retry: Retry::Unreachable,
                },
                1.0,
                S(60),
            ),
            (
                RunEnd::Failed {
                    failures: 30,
                    retry: Retry::Unreachable,
                },
                0.0,
                S(30),
            ),
        ];
        for (end, jitter, want) in cases {
            assert_eq!(wait_after(end, &t, jitter), want, "{end:?}");
        }
    }

    #[test]
    fn saves_are_debounced_but_not_forever() {
        let t = Timing::default();
        let cases = [
            // (since first save, since last save, backoff left) -> wait
            (S(0), S(0), S(0), S(2)),
            (S(1), S(1), S(0), S(1)),
            (S(5), S(0), S(0), S(2)),
            (S(9), S(0), S(0), S(1)),
            (S(12), S(0), S(0), S(0)),
            (S(3), S(3), S(0), S(0)),
            (S(0), S(0), S(40), S(40)),
        ];
        for (first, last, backoff, want) in cases {
            assert_eq!(
                wait_after_save(first, last, backoff, &t),
                want,
                "{first:?} {last:?} {backoff:?}"
            );
        }
    }

    #[test]
    fn steps_of_a_run() {
        let st = |last_batch, pushes, photos_left, pull_more| RunState {
            last_batch,
            pushes,
            photos_left,
            pull_more,
        };
        let cases = [
            (st(None, 0, None, None), Step::Push),
            (st(Some(1000), 1, None, None), Step::Push),
            (st(Some(3), 2, None, None), Step::Push),
            (st(Some(0), 3, None, None), Step::Photos),
            (st(Some(5), MAX_PUSHES_PER_RUN, None, None), Step::Photos),
            (st(Some(0), 1, Some(2), None), Step::Photos),
            (st(Some(0), 1, Some(0), None), Step::Pull),
            (st(Some(0), 1, Some(0), Some(true)), Step::Pull),
            (st(Some(0), 1, Some(0), Some(false)), Step::Done),
        ];
        for (state, want) in cases {
            assert_eq!(next_step(&state), want, "{state:?}");
        }
    }

    #[test]
    fn shrinking_halves_down_to_one_op() {
        let l = Limits::default();
        assert_eq!(
            shrink(l, 1000),
            Some(Limits {
                max_ops: 500,
                max_bytes: 256 * 1024
            })
        );
        assert_eq!(shrink(l, 3).unwrap().max_ops, 1);
        assert_eq!(shrink(l, 1), None);
        assert_eq!(shrink(l, 0), None);
    }

    fn id(n: u128) -> Uuid {
        Uuid::from_u128(n)
    }

    fn visit(n: u128, households: &[u128]) -> Op {
        let visit = fieldledger_model::Visit {
            id: id(n),
            instructor_id: id(900),
            date: chrono::NaiveDate::from_ymd_opt(2026, 5, 1).unwrap(),
            households: households.iter().map(|h| id(*h)).collect(),
            work: Default::default(),
            note: String::new(),
            position: None,
            photos: Vec::new(),
        };
        op(fieldledger_model::wire::Record::Visit(visit))
    }

    fn household(n: u128, village: u128) -> Op {
        let household = fieldledger_model::Household {
            id: id(n),
            head_name: "张三".into(),
            id_number: String::new(),
            location: Default::default(),
            village_id: Some(id(village)),
            instructor_id: Some(id(900)),
        };
        op(fieldledger_model::wire::Record::Household(household))
    }

    fn op(record: fieldledger_model::wire::Record) -> Op {
        Op {
            op_id: Uuid::now_v7(),
            base: None,
            schema: fieldledger_model::SCHEMA_VERSION,
            record,
        }
    }

    #[test]
    fn batches_are_independent_only_when_neither_names_what_the_other_writes() {
        let visits_a = Footprint::of(&[visit(1, &[10]), visit(2, &[11])]);
        let visits_b = Footprint::of(&[visit(3, &[10]), visit(4, &[12])]);
        // Visits to the same household only read it.
        assert!(visits_a.independent(&visits_b));

        // A household saved in one batch and visited in the other.
        let homes = Footprint::of(&[household(10, 50)]);
        assert!(!homes.independent(&visits_a));
        assert!(!visits_a.independent(&homes));
        assert!(homes.independent(&Footprint::of(&[visit(5, &[12])])));

        // The same record in both, as when an edit follows a save.
        let again = Footprint::of(&[visit(2, &[11])]);
        assert!(!visits_a.independent(&again));

        // A household moved to a village written in the other batch.
        let village = Footprint::of(&[household(50, 60)]);
        assert!(!homes.independent(&village));
        assert!(Footprint::default().independent(&homes));
    }
}
