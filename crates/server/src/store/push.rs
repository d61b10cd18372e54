//! Applying a pushed batch: each op at most once, one refused op leaving
//! the others standing, the whole batch committed before the answer goes
//! out.
//!
//! A batch is first tried on the fast path: runs of ledger and visit ops go
//! through [`super::batch`], decided in memory and written in bulk; other
//! ops are applied one at a time, each in its own savepoint. Should the
//! database fail anywhere on that path, the transaction is rolled back and
//! the batch applied again op by op, each in a savepoint, so that one op
//! the database refuses fails only itself.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use fieldledger_model::SCHEMA_VERSION;
use fieldledger_model::wire::{DeviceReport, ErrorCode, Op, OpResult, Outcome, Record};
use uuid::Uuid;

use super::conn::{Conn, Value};
use super::plan::{self, Decision, Facts, Refusal};
use super::records::{self, AuditLine, Stored, Version};
use super::{Actor, Store, StoreError, batch, devices, millis};

impl Store {
    /// Applies `ops` for `actor` and records what the device reported.
    #[tracing::instrument(skip_all, fields(batch.len = ops.len(), db = self.kind()))]
    pub async fn push(
        &self,
        actor: Actor,
        ops: Vec<Op>,
        report: DeviceReport,
        now: DateTime<Utc>,
    ) -> Result<Vec<OpResult>, StoreError> {
        let ops = Arc::new(ops);
        let job = Batch {
            actor,
            ops,
            report,
            now,
        };
        let fast = job.clone();
        match self
            .write(move |mut c| Box::pin(async move { fast.run(&mut c, true).await }))
            .await
        {
            Ok(results) => Ok(results),
            Err(error) => {
                tracing::warn!(error = %error, "bulk apply failed; applying op by op");
                self.write(move |mut c| Box::pin(async move { job.run(&mut c, false).await }))
                    .await
            }
        }
    }
}

/// One pushed batch, as both paths take it.
#[derive(Clone)]
struct Batch {
    actor: Actor,
    ops: Arc<Vec<Op>>,
    report: DeviceReport,
    now: DateTime<Utc>,
}

impl Batch {
    async fn run(&self, c: &mut Conn<'_>, bulk: bool) -> Result<Vec<OpResult>, StoreError> {
        let ops = self.ops.as_slice();
        let mut outcomes = Vec::with_capacity(ops.len());
        let mut at = 0;
        while at < ops.len() {
            let run = if bulk {
                ops[at..]
                    .iter()
                    .take_while(|op| batch::is_plain(op))
                    .count()
            } else {
                0
            };
            if run > 0 {
                let done = batch::apply_run(c, &self.actor, &ops[at..at + run], self.now).await?;
                outcomes.extend(done);
                at += run;
            } else {
                outcomes.push(apply_in_savepoint(c, &self.actor, &ops[at], self.now).await?);
                at += 1;
            }
        }
        if let Some(device) = self.actor.device_id {
            devices::note_exchange(c, device, Some(&self.report), self.now).await?;
        }
        let results = ops
            .iter()
            .zip(outcomes)
            .map(|(op, outcome)| OpResult {
                op_id: op.op_id,
                outcome,
            })
            .collect();

        Ok(results)
    }
}

/// Applies one op; a refusal or a database error undoes only this op.
pub(crate) async fn apply_in_savepoint(
    c: &mut Conn<'_>,
    actor: &Actor,
    op: &Op,
    now: DateTime<Utc>,
) -> Result<Outcome, StoreError> {
    c.batch("SAVEPOINT op").await?;
    let outcome = match apply(c, actor, op, now).await {
        Ok(outcome) => outcome,
        Err(error) => {
            tracing::error!(error = %error, source = ?std::error::Error::source(&error), "op failed");
            Outcome::Rejected {
                code: ErrorCode::Internal,
                reason: "服务器处理这条记录时出错，请稍后重试".into(),
            }
        }
    };
    if matches!(outcome, Outcome::Rejected { .. }) {
        c.batch("ROLLBACK TO SAVEPOINT op").await?;
    }
    c.batch("RELEASE SAVEPOINT op").await?;

    Ok(outcome)
}

async fn apply(
    c: &mut Conn<'_>,
    actor: &Actor,
    op: &Op,
    now: DateTime<Utc>,
) -> Result<Outcome, StoreError> {
    if op.schema > SCHEMA_VERSION {
        return Ok(rejected(Refusal::Invalid(
            "这条记录由较新版本的应用写成，请先把服务器升级".into(),
        )));
    }
    if c.query_opt("SELECT 1 FROM audit WHERE op_id = $1", &[op.op_id.into()])
        .await?
        .is_some()
    {
        return Ok(Outcome::AlreadyApplied);
    }
    let record = &op.record;
    if let Some(refusal) = invalid(record) {
        return Ok(rejected(refusal));
    }
    let stored = records::load(c, record.id()).await?;
    if let Some(s) = &stored
        && s.kind != record.kind().as_str()
    {
        return Ok(rejected(Refusal::Invalid(
            "记录编号已被另一类记录使用，请重新创建这条记录".into(),
        )));
    }
    let facts = gather(c, record, stored.as_ref()).await?;
    if let Err(refusal) = plan::authorize(actor, record, &facts) {
        return Ok(rejected(refusal));
    }

    match plan::decide(op.base, stored.as_ref().map(|s| s.head)) {
        Decision::Apply => {
            write(c, actor, op, stored.as_ref(), &facts, now).await?;
            Ok(Outcome::Applied)
        }
        Decision::Conflict { head } => {
            keep_loser(c, actor, op, stored.as_ref(), now).await?;
            Ok(Outcome::Conflict { head })
        }
    }
}

/// The refusal of a record that breaks the form's rules, if it does.
pub(crate) fn invalid(record: &Record) -> Option<Refusal> {
    let report = record.validate();
    report.has_errors().then(|| {
        Refusal::Invalid(format!(
            "{}有错误，请改正后再同步：\n{}",
            record.kind().label(),
            report.summary()
        ))
    })
}

pub(crate) fn rejected(refusal: Refusal) -> Outcome {
    match refusal {
        Refusal::Forbidden(reason) => Outcome::Rejected {
            code: ErrorCode::Forbidden,
            reason,
        },
        Refusal::Invalid(reason) => Outcome::Rejected {
            code: ErrorCode::Invalid,
            reason,
        },
    }
}

/// Looks up what [`plan::authorize`] needs.
async fn gather(
    c: &mut Conn<'_>,
    record: &Record,
    stored: Option<&Stored>,
) -> Result<Facts, StoreError> {
    let mut ids = record.households();
    if let Some(s) = stored {
        let old: Record = serde_json::from_str(&s.body)?;
        ids.extend(
            old.households()
                .into_iter()
                .filter(|id| !record.households().contains(id)),
        );
    }
    let mut facts = Facts::default();
    for id in ids {
        facts
            .households
            .push((id, records::household(c, id).await?));
    }
    match record {
        Record::Household(h) => {
            if let Some(village) = h.village_id {
                facts.village = records::area(c, village).await?;
            }
            if let Some(instructor) = h.instructor_id {
                facts.instructor_county = records::instructor_county(c, instructor).await?;
            }
        }
        Record::Area(a) => facts.area_county = area_county(c, a).await?,
        _ => {}
    }

    Ok(facts)
}

async fn area_county(
    c: &mut Conn<'_>,
    area: &fieldledger_model::area::Area,
) -> Result<Option<Uuid>, StoreError> {
    match area.parent {
        None => Ok(Some(area.id)),
        Some(parent) => Ok(records::area(c, parent).await?.map(|p| p.county_id)),
    }
}

/// The county a record belongs to, from its first household or its own
/// fields.
fn county_of(actor: &Actor, record: &Record, facts: &Facts) -> Uuid {
    let from_households = facts
        .households
        .iter()
        .find_map(|(_, row)| row.as_ref().map(|r| r.county_id));
    match record {
        Record::Instructor(i) => i.county_id,
        Record::Area(a) => facts.area_county.unwrap_or(a.id),
        Record::Household(_) => facts
            .village
            .as_ref()
            .map(|v| v.county_id)
            .or(from_households)
            .unwrap_or(actor.county_id),
        _ => from_households.unwrap_or(actor.county_id),
    }
}

async fn write(
    c: &mut Conn<'_>,
    actor: &Actor,
    op: &Op,
    stored: Option<&Stored>,
    facts: &Facts,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let record = &op.record;
    let county_id = county_of(actor, record, facts);
    if let Record::Household(h) = record {
        place_household(c, h, county_id, facts).await?;
    }
    if let Record::Area(a) = record {
        super::people::put_area_row(c, a, county_id).await?;
    }
    if let Record::Instructor(i) = record {
        super::people::put_instructor_row(c, i).await?;
    }
    records::put(
        c,
        &Version {
            record,
            head: op.op_id,
            county_id,
        },
    )
    .await?;
    if stored.is_some_and(|s| s.conflict) {
        let sql =
            "UPDATE conflicts SET resolved_by = $2 WHERE record_id = $1 AND resolved_by IS NULL";
        c.exec(sql, &[record.id().into(), op.op_id.into()]).await?;
    }
    let after = serde_json::to_string(record)?;
    let line = AuditLine {
        op_id: op.op_id,
        record_id: record.id(),
        kind: record.kind(),
        before: stored.map(|s| s.body.as_str()),
        after: &after,
        outcome: "applied",
    };
    records::audit(c, actor, line, now).await
}

/// Keeps an op made from a stale copy beside the current version.
async fn keep_loser(
    c: &mut Conn<'_>,
    actor: &Actor,
    op: &Op,
    stored: Option<&Stored>,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let Some(stored) = stored else { return Ok(()) };
    let body = serde_json::to_string(&op.record)?;
    let sql = "INSERT INTO conflicts (op_id, record_id, base, head, body, user_id, device_id, at) \
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
    let params: [Value; 8] = [
        op.op_id.into(),
        op.record.id().into(),
        op.base.into(),
        stored.head.into(),
        body.clone().into(),
        actor.user.id.into(),
        actor.device_id.into(),
        millis(now).into(),
    ];
    c.exec(sql, &params).await?;
    records::mark_conflict(c, op.record.id()).await?;
    let line = AuditLine {
        op_id: op.op_id,
        record_id: op.record.id(),
        kind: op.record.kind(),
        before: Some(&stored.body),
        after: &body,
        outcome: "conflict",
    };
    records::audit(c, actor, line, now).await
}

/// Keeps the household's place and assignment in step with its record; a
/// change of instructor sends its ledgers and visits to the new one.
async fn place_household(
    c: &mut Conn<'_>,
    h: &fieldledger_model::Household,
    county_id: Uuid,
    facts: &Facts,
) -> Result<(), StoreError> {
    let before = records::household(c, h.id).await?;
    let township = facts
        .village
        .as_ref()
        .and_then(|v| v.township_id)
        .or(before.as_ref().and_then(|b| b.township_id));
    let sql = "INSERT INTO households (id, instructor_id, county_id, township_id, village_id) VALUES ($1, $2, $3, $4, $5) \
               ON CONFLICT (id) DO UPDATE SET instructor_id = $2, county_id = $3, township_id = $4, village_id = $5";
    let params: [Value; 5] = [
        h.id.into(),
        h.instructor_id.into(),
        county_id.into(),
        township.into(),
        h.village_id.into(),
    ];
    c.exec(sql, &params).await?;
    if before.is_some_and(|b| b.instructor_id != h.instructor_id) {
        records::touch_household(c, h.id).await?;
    }

    Ok(())
}
