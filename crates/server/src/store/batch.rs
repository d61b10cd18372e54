//! The fast path of a push: a run of ledger and visit ops decided together
//! in memory and written with a few bulk statements.
//!
//! Ledgers and visits change no household, area or roster row, so what
//! decides them (op ids taken, current heads, household rows) can be read
//! for the whole run in three queries before any of them is written. The
//! ops are then decided one after another, in the request's order, against
//! that state as each earlier op of the run leaves it: an op id seen twice
//! is taken once, two ops on one record chain base → head, a stale base is
//! kept as a conflict. Only then is the run written, each record's final
//! version once, with one step of the change counter per record.
//!
//! Nothing here uses savepoints: every refusal is decided before writing,
//! and a database error fails the whole transaction, after which
//! [`super::push`] applies the batch again op by op, each in its own
//! savepoint.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use fieldledger_model::SCHEMA_VERSION;
use fieldledger_model::wire::{Op, Outcome, Record};
use uuid::Uuid;

use super::conn::{Conn, Ty, Value};
use super::plan::{self, Decision, Facts, Refusal};
use super::records::HouseholdRow;
use super::{Actor, StoreError, millis};

/// True for the ops this path takes: those that change no household,
/// area or roster row.
pub fn is_plain(op: &Op) -> bool {
    matches!(op.record, Record::Ledger(_) | Record::Visit(_))
}

/// A record's state as the run has left it so far.
struct Current {
    kind: &'static str,
    head: Uuid,
    body: String,
    conflict: bool,
    county_id: Uuid,
    households: Vec<Uuid>,
    /// The op of the run whose version this is, if any.
    applied: Option<usize>,
}

/// What the database holds for a run, read before deciding it.
struct Known {
    taken: HashSet<Uuid>,
    records: HashMap<Uuid, Current>,
    /// The records the database held before the run: only these can have
    /// side rows to replace.
    stored: HashSet<Uuid>,
    households: HashMap<Uuid, HouseholdRow>,
}

/// Everything a run will write, gathered while deciding it.
#[derive(Default)]
struct Writes {
    /// Records in the order of their last change; each one's final state
    /// is in [`Known::records`].
    touched: Vec<Uuid>,
    /// One row per op taken; its op id is what keeps the op from being
    /// applied twice.
    audit: Vec<Vec<Value>>,
    /// Conflict rows kept and conflicts resolved, in the order they
    /// happened, since a resolution closes only the conflicts before it.
    conflicts: Vec<ConflictStep>,
}

enum ConflictStep {
    Keep(Vec<Value>),
    Resolve { record: Uuid, by: Uuid },
}

/// Applies a run of [`is_plain`] ops and returns their outcomes in order.
pub async fn apply_run(
    c: &mut Conn<'_>,
    actor: &Actor,
    ops: &[Op],
    now: DateTime<Utc>,
) -> Result<Vec<Outcome>, StoreError> {
    let mut known = fetch(c, ops).await?;
    let mut writes = Writes::default();
    let mut outcomes = Vec::with_capacity(ops.len());
    for i in 0..ops.len() {
        outcomes.push(decide(&mut known, &mut writes, actor, ops, i, now)?);
    }
    write(c, &known, writes, ops).await?;

    Ok(outcomes)
}

async fn fetch(c: &mut Conn<'_>, ops: &[Op]) -> Result<Known, StoreError> {
    let op_ids = ops.iter().map(|op| op.op_id.into()).collect();
    let taken = c
        .for_each_key("SELECT op_id FROM audit WHERE op_id", op_ids)
        .await?
        .iter()
        .map(|r| r.uuid(0))
        .collect::<Result<_, _>>()?;
    let ids: HashSet<Uuid> = ops.iter().map(|op| op.record.id()).collect();
    let sql = "SELECT id, kind, head, body, conflict, county_id FROM records WHERE id";
    let mut records = HashMap::new();
    let mut household_ids: HashSet<Uuid> =
        ops.iter().flat_map(|op| op.record.households()).collect();
    for row in c
        .for_each_key(sql, ids.into_iter().map(Into::into).collect())
        .await?
    {
        let body = row.text(3)?;
        let old: Record = serde_json::from_str(&body)?;
        household_ids.extend(old.households());
        let current = Current {
            kind: old.kind().as_str(),
            head: row.uuid(2)?,
            body,
            conflict: row.int(4)? != 0,
            county_id: row.uuid(5)?,
            households: old.households(),
            applied: None,
        };
        if row.text(1)? != current.kind {
            return Err(StoreError::Decode(
                "record kind differs from its body".into(),
            ));
        }
        records.insert(row.uuid(0)?, current);
    }
    let sql = "SELECT id, instructor_id, county_id, township_id FROM households WHERE id";
    let keys = household_ids.into_iter().map(Into::into).collect();
    let mut households = HashMap::new();
    for row in c.for_each_key(sql, keys).await? {
        let id = row.uuid(0)?;
        let household = HouseholdRow {
            id,
            instructor_id: row.opt_uuid(1)?,
            county_id: row.uuid(2)?,
            township_id: row.opt_uuid(3)?,
        };
        households.insert(id, household);
    }

    let stored = records.keys().copied().collect();
    Ok(Known {
        taken,
        records,
        stored,
        households,
    })
}

/// Decides op `i` against the run's state and notes what it writes.
fn decide(
    known: &mut Known,
    writes: &mut Writes,
    actor: &Actor,
    ops: &[Op],
    i: usize,
    now: DateTime<Utc>,
) -> Result<Outcome, StoreError> {
    let op = &ops[i];
    if op.schema > SCHEMA_VERSION {
        return Ok(super::push::rejected(Refusal::Invalid(
            "这条记录由较新版本的应用写成，请先把服务器升级".into(),
        )));
    }
    if known.taken.contains(&op.op_id) {
        return Ok(Outcome::AlreadyApplied);
    }
    let record = &op.record;
    if let Some(refusal) = super::push::invalid(record) {
        return Ok(super::push::rejected(refusal));
    }
    let id = record.id();
    let current = known.records.get(&id);
    if current.is_some_and(|s| s.kind != record.kind().as_str()) {
        return Ok(super::push::rejected(Refusal::Invalid(
            "记录编号已被另一类记录使用，请重新创建这条记录".into(),
        )));
    }
    let facts = facts(known, record, current);
    if let Err(refusal) = plan::authorize(actor, record, &facts) {
        return Ok(super::push::rejected(refusal));
    }
    let body = serde_json::to_string(record)?;
    let decision = plan::decide(op.base, current.map(|s| s.head));
    let (before, outcome) = match (decision, current) {
        (Decision::Apply, _) => (
            apply(known, writes, actor, op, i, &facts, body.clone()),
            "applied",
        ),
        (Decision::Conflict { head }, Some(_)) => (
            conflict(known, writes, actor, op, head, &body, now),
            "conflict",
        ),
        (Decision::Conflict { .. }, None) => {
            return Err(StoreError::Decode(
                "conflict without a stored record".into(),
            ));
        }
    };
    known.taken.insert(op.op_id);
    writes.touched.push(id);
    writes.audit.push(vec![
        op.op_id.into(),
        id.into(),
        record.kind().as_str().into(),
        actor.user.id.into(),
        actor.device_id.into(),
        millis(now).into(),
        before.into(),
        body.into(),
        outcome.into(),
    ]);

    Ok(match decision {
        Decision::Apply => Outcome::Applied,
        Decision::Conflict { head } => Outcome::Conflict { head },
    })
}

fn facts(known: &Known, record: &Record, current: Option<&Current>) -> Facts {
    let mut ids = record.households();
    if let Some(s) = current {
        let new = record.households();
        ids.extend(s.households.iter().filter(|id| !new.contains(id)));
    }
    let households = ids
        .into_iter()
        .map(|id| (id, known.households.get(&id).cloned()))
        .collect();
    Facts {
        households,
        ..Facts::default()
    }
}

/// Makes op `i` the record's current version; returns the version before.
fn apply(
    known: &mut Known,
    writes: &mut Writes,
    actor: &Actor,
    op: &Op,
    i: usize,
    facts: &Facts,
    body: String,
) -> Option<String> {
    let record = &op.record;
    let county_id = facts
        .households
        .iter()
        .find_map(|(_, row)| row.as_ref().map(|r| r.county_id))
        .unwrap_or(actor.county_id);
    let next = Current {
        kind: record.kind().as_str(),
        head: op.op_id,
        body,
        conflict: false,
        county_id,
        households: record.households(),
        applied: Some(i),
    };
    let before = known.records.insert(record.id(), next);
    if before.as_ref().is_some_and(|b| b.conflict) {
        writes.conflicts.push(ConflictStep::Resolve {
            record: record.id(),
            by: op.op_id,
        });
    }
    before.map(|b| b.body)
}

/// Keeps op `op` beside the current version; returns that version.
fn conflict(
    known: &mut Known,
    writes: &mut Writes,
    actor: &Actor,
    op: &Op,
    head: Uuid,
    body: &str,
    now: DateTime<Utc>,
) -> Option<String> {
    writes.conflicts.push(ConflictStep::Keep(vec![
        op.op_id.into(),
        op.record.id().into(),
        op.base.into(),
        head.into(),
        body.into(),
        actor.user.id.into(),
        actor.device_id.into(),
        millis(now).into(),
    ]));
    let current = known.records.get_mut(&op.record.id())?;
    current.conflict = true;
    Some(current.body.clone())
}

const RECORD_COLUMNS: &[(&str, Ty)] = &[
    ("id", Ty::Text),
    ("kind", Ty::Text),
    ("head", Ty::Text),
    ("body", Ty::Text),
    ("seq", Ty::Int),
    ("conflict", Ty::Int),
    ("county_id", Ty::Text),
];

const RECORD_UPSERT: &str = "ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, head = excluded.head, \
    body = excluded.body, seq = excluded.seq, conflict = excluded.conflict, county_id = excluded.county_id";

async fn write(
    c: &mut Conn<'_>,
    known: &Known,
    writes: Writes,
    ops: &[Op],
) -> Result<(), StoreError> {
    let order = last_touch_order(&writes.touched);
    if order.is_empty() {
        return Ok(());
    }
    let first = take_seqs(c, order.len()).await?;
    let mut rows = Vec::with_capacity(order.len());
    let mut versions = Vec::new();
    for (n, id) in order.iter().enumerate() {
        let current = known
            .records
            .get(id)
            .ok_or_else(|| StoreError::Decode("touched record missing".into()))?;
        rows.push(vec![
            (*id).into(),
            current.kind.into(),
            current.head.into(),
            current.body.clone().into(),
            (first + n as i64).into(),
            current.conflict.into(),
            current.county_id.into(),
        ]);
        if let Some(i) = current.applied {
            versions.push((&ops[i].record, current.county_id));
        }
    }
    c.insert_many("records", RECORD_COLUMNS, rows, RECORD_UPSERT)
        .await?;
    super::batch_rows::put_versions(c, &known.households, &known.stored, &versions).await?;
    write_conflicts(c, writes.conflicts).await?;
    c.insert_many("audit", AUDIT_COLUMNS, writes.audit, "")
        .await
}

const AUDIT_COLUMNS: &[(&str, Ty)] = &[
    ("op_id", Ty::Text),
    ("record_id", Ty::Text),
    ("kind", Ty::Text),
    ("user_id", Ty::Text),
    ("device_id", Ty::Text),
    ("at", Ty::Int),
    ("before", Ty::Text),
    ("after", Ty::Text),
    ("outcome", Ty::Text),
];

/// Each touched record once, in the order of its last change.
fn last_touch_order(touched: &[Uuid]) -> Vec<Uuid> {
    let mut seen = HashSet::new();
    let mut order: Vec<Uuid> = touched
        .iter()
        .rev()
        .filter(|id| seen.insert(**id))
        .copied()
        .collect();
    order.reverse();
    order
}

/// Takes `n` numbers of the change feed; returns the first.
async fn take_seqs(c: &mut Conn<'_>, n: usize) -> Result<i64, StoreError> {
    let n = i64::try_from(n).map_err(|_| StoreError::Decode("batch too large".into()))?;
    let row = c
        .query_opt(
            "UPDATE counters SET value = value + $1 WHERE name = 'change_seq' RETURNING value",
            &[n.into()],
        )
        .await?
        .ok_or_else(|| StoreError::Decode("change counter missing".into()))?;
    Ok(row.int(0)? - n + 1)
}

async fn write_conflicts(c: &mut Conn<'_>, steps: Vec<ConflictStep>) -> Result<(), StoreError> {
    for step in steps {
        match step {
            ConflictStep::Keep(row) => {
                let sql = "INSERT INTO conflicts (op_id, record_id, base, head, body, user_id, device_id, at) \
                           VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
                c.exec(sql, &row).await?;
            }
            ConflictStep::Resolve { record, by } => {
                let sql = "UPDATE conflicts SET resolved_by = $2 WHERE record_id = $1 AND resolved_by IS NULL";
                c.exec(sql, &[record.into(), by.into()]).await?;
            }
        }
    }

    Ok(())
}
