//! Pushes whose ops depend on each other inside one batch, over real HTTPS
//! on SQLite and PostgreSQL: the same op id twice, several versions of one
//! record chaining base → head, and ledgers and visits mixed with ops that
//! take the op-by-op path.

#![allow(clippy::unwrap_used)]

mod common;

use common::{Backend, start};
use fieldledger_model::wire::{Op, Outcome, Record};
use fieldledger_model::{Ledger, SCHEMA_VERSION, Visit, id::new_id};
use uuid::Uuid;

per_backend!(
    one_op_id_twice_in_a_batch_is_taken_once,
    versions_of_one_record_chain_within_a_batch,
    plain_ops_around_a_household_edit_all_apply,
);

fn op(record: Record, base: Option<Uuid>) -> Op {
    Op {
        op_id: new_id(),
        base,
        schema: SCHEMA_VERSION,
        record,
    }
}

fn ledger(household: Uuid, population: u32) -> Ledger {
    let mut ledger = Ledger::new(household, 2024);
    ledger.basic.population = Some(population);
    ledger
}

async fn one_op_id_twice_in_a_batch_is_taken_once(backend: Backend) {
    let Some(ctx) = start(backend).await else {
        return;
    };
    let me = &ctx.county.instructors[0];
    let token = ctx.token(me.user.id).await;
    let a = op(Record::Ledger(ledger(me.households[0].id, 3)), None);
    let b = op(Record::Ledger(ledger(me.households[1].id, 4)), None);

    let answer = ctx
        .push(&token, vec![a.clone(), a.clone(), b.clone()])
        .await;
    let outcomes: Vec<_> = answer.results.iter().map(|r| r.outcome.clone()).collect();
    assert_eq!(
        outcomes,
        [Outcome::Applied, Outcome::AlreadyApplied, Outcome::Applied]
    );
    let store = ctx.server.store();
    assert_eq!(store.history(a.record.id()).await.unwrap().len(), 1);
    let (record, head, conflict) = store.record(a.record.id()).await.unwrap().unwrap();
    assert_eq!((record, head, conflict), (a.record.clone(), a.op_id, false));
}

async fn versions_of_one_record_chain_within_a_batch(backend: Backend) {
    let Some(ctx) = start(backend).await else {
        return;
    };
    let me = &ctx.county.instructors[0];
    let token = ctx.token(me.user.id).await;
    let mut visit: Visit = me.visits[0].clone();
    visit.id = new_id();
    let v1 = op(Record::Visit(visit.clone()), None);
    visit.work.policy_talks += 1;
    let v2 = op(Record::Visit(visit.clone()), Some(v1.op_id));
    visit.work.policy_talks += 1;
    let stale = op(Record::Visit(visit.clone()), Some(v1.op_id));
    visit.work.policy_talks += 1;
    let resolved = op(Record::Visit(visit.clone()), Some(v2.op_id));

    let batch = vec![v1.clone(), v2.clone(), stale.clone(), resolved.clone()];
    let answer = ctx.push(&token, batch).await;
    let outcomes: Vec<_> = answer.results.iter().map(|r| r.outcome.clone()).collect();
    assert_eq!(
        outcomes,
        [
            Outcome::Applied,
            Outcome::Applied,
            Outcome::Conflict { head: v2.op_id },
            Outcome::Applied,
        ]
    );
    let store = ctx.server.store();
    let (record, head, conflict) = store.record(visit.id).await.unwrap().unwrap();
    assert_eq!(
        (record, head, conflict),
        (resolved.record.clone(), resolved.op_id, false)
    );
    let history = store.history(visit.id).await.unwrap();
    let lines: Vec<(Uuid, Option<String>, &str)> = history
        .iter()
        .map(|h| (h.op_id, h.before.clone(), h.outcome.as_str()))
        .collect();
    let body = |o: &Op| Some(serde_json::to_string(&o.record).unwrap());
    let mut expected = vec![
        (v1.op_id, None, "applied"),
        (v2.op_id, body(&v1), "applied"),
        (stale.op_id, body(&v2), "conflict"),
        (resolved.op_id, body(&v2), "applied"),
    ];
    expected.sort_by_key(|(id, _, _)| *id);
    let mut lines = lines;
    lines.sort_by_key(|(id, _, _)| *id);
    assert_eq!(lines, expected);

    let again = ctx.push(&token, vec![stale.clone()]).await;
    assert_eq!(again.results[0].outcome, Outcome::AlreadyApplied);
}

async fn plain_ops_around_a_household_edit_all_apply(backend: Backend) {
    let Some(ctx) = start(backend).await else {
        return;
    };
    let me = &ctx.county.instructors[0];
    let token = ctx.token(me.user.id).await;
    let store = ctx.server.store();
    let household = me.households[0].id;
    let (record, head, _) = store.record(household).await.unwrap().unwrap();
    let before = op(Record::Ledger(ledger(household, 5)), None);
    let edit = op(record, Some(head));
    let mut visit: Visit = me.visits[0].clone();
    visit.id = new_id();
    let after = op(Record::Visit(visit), None);

    let batch = vec![before.clone(), edit.clone(), after.clone()];
    let answer = ctx.push(&token, batch.clone()).await;
    for (sent, result) in batch.iter().zip(&answer.results) {
        assert_eq!(result.op_id, sent.op_id);
        assert_eq!(result.outcome, Outcome::Applied, "{:?}", sent.record.kind());
        let (_, head, _) = store.record(sent.record.id()).await.unwrap().unwrap();
        assert_eq!(head, sent.op_id);
    }
}
