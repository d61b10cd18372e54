//! Enrollment, push and pull over real HTTPS, on SQLite and PostgreSQL.

#![allow(clippy::unwrap_used)]

mod common;

use common::{Backend, Ctx, refused, start};
use fieldledger_model::wire::{self, ErrorCode, Op, Outcome, PullResponse, Record};
use fieldledger_model::{Ledger, SCHEMA_VERSION, Visit, id::new_id};
use reqwest::{Method, StatusCode};
use uuid::Uuid;

per_backend!(
    enrolls_and_pushes_and_pulls,
    a_batch_sent_twice_and_twice_at_once_is_stored_once,
    two_batches_at_once_from_one_phone_both_apply,
    one_invalid_op_leaves_the_rest_applied,
    a_stale_edit_conflicts_until_resolved,
    pull_pages_through_everything_once,
    enrollment_codes_work_once,
);

fn op(record: Record, base: Option<Uuid>) -> Op {
    Op {
        op_id: new_id(),
        base,
        schema: SCHEMA_VERSION,
        record,
    }
}

fn ledger_op(household: Uuid) -> Op {
    let mut ledger = Ledger::new(household, 2024);
    ledger.basic.population = Some(4);
    op(Record::Ledger(ledger), None)
}

async fn pull_all(ctx: &Ctx, token: &str) -> Vec<wire::Change> {
    let mut cursor = 0;
    let mut all = Vec::new();
    loop {
        let page: PullResponse = ctx
            .get(
                &format!("{}?cursor={cursor}&limit=7", wire::routes::PULL),
                token,
            )
            .await;
        assert!(page.cursor >= cursor);
        cursor = page.cursor;
        all.extend(page.changes);
        if !page.more {
            return all;
        }
    }
}

async fn enrolls_and_pushes_and_pulls(backend: Backend) {
    let Some(ctx) = start(backend).await else {
        return;
    };
    let me = &ctx.county.instructors[0];
    let enrolled = ctx.enroll(me.user.id).await;
    assert_eq!(enrolled.user.instructor_id, Some(me.instructor.id));
    let token = enrolled.token;

    let ledger = ledger_op(me.households[0].id);
    let answer = ctx.push(&token, vec![ledger.clone()]).await;
    assert_eq!(answer.results[0].outcome, Outcome::Applied);

    let seen = pull_all(&ctx, &token).await;
    let ids: Vec<Uuid> = seen.iter().map(|c| c.record.id()).collect();
    assert!(ids.contains(&ledger.record.id()), "own ledger pulled");
    for h in &me.households {
        assert!(ids.contains(&h.id), "assigned household pulled");
    }
    assert!(ids.contains(&me.instructor.id), "own roster entry pulled");
    assert!(ids.contains(&ctx.county.townships[0].id), "areas pulled");
    let other = &ctx.county.instructors[1];
    assert!(
        !ids.contains(&other.households[0].id),
        "another instructor's household not pulled"
    );
    assert!(!ids.contains(&other.instructor.id));

    let history = ctx
        .server
        .store()
        .history(ledger.record.id())
        .await
        .unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].device_id, Some(enrolled.device_id));
    assert_eq!(history[0].before, None);
}

/// A phone keeps two independent pushes in flight; on PostgreSQL their
/// transactions overlap.
async fn two_batches_at_once_from_one_phone_both_apply(backend: Backend) {
    let Some(ctx) = start(backend).await else {
        return;
    };
    let me = &ctx.county.instructors[0];
    let token = ctx.enroll(me.user.id).await.token;
    let visits = |n: usize| -> Vec<Op> {
        (0..n)
            .map(|i| {
                let mut v: Visit = me.visits[i % me.visits.len()].clone();
                v.id = new_id();
                op(Record::Visit(v), None)
            })
            .collect()
    };
    let (first, second) = (visits(200), visits(200));
    let (a, b) = tokio::join!(
        ctx.push(&token, first.clone()),
        ctx.push(&token, second.clone())
    );
    for answer in [&a, &b] {
        assert!(
            answer.results.iter().all(|r| r.outcome == Outcome::Applied),
            "{:?}",
            answer
                .results
                .iter()
                .find(|r| r.outcome != Outcome::Applied)
        );
    }
    let pulled: std::collections::HashSet<Uuid> = pull_all(&ctx, &token)
        .await
        .iter()
        .map(|c| c.record.id())
        .collect();
    for sent in first.iter().chain(&second) {
        assert!(pulled.contains(&sent.record.id()));
    }
}

async fn a_batch_sent_twice_and_twice_at_once_is_stored_once(backend: Backend) {
    let Some(ctx) = start(backend).await else {
        return;
    };
    let me = &ctx.county.instructors[0];
    let token = ctx.token(me.user.id).await;
    let batch: Vec<Op> = me.households.iter().map(|h| ledger_op(h.id)).collect();

    let first = ctx.push(&token, batch.clone()).await;
    assert!(first.results.iter().all(|r| r.outcome == Outcome::Applied));
    let again = ctx.push(&token, batch.clone()).await;
    assert!(
        again
            .results
            .iter()
            .all(|r| r.outcome == Outcome::AlreadyApplied)
    );

    let fresh: Vec<Op> = me
        .visits
        .iter()
        .take(3)
        .map(|v| {
            let mut v: Visit = v.clone();
            v.id = new_id();
            op(Record::Visit(v), None)
        })
        .collect();
    let (a, b) = tokio::join!(
        ctx.push(&token, fresh.clone()),
        ctx.push(&token, fresh.clone())
    );
    for (i, sent) in fresh.iter().enumerate() {
        let outcomes = [&a.results[i].outcome, &b.results[i].outcome];
        assert_eq!(
            outcomes.iter().filter(|o| ***o == Outcome::Applied).count(),
            1,
            "{outcomes:?}"
        );
        assert_eq!(
            outcomes
                .iter()
                .filter(|o| ***o == Outcome::AlreadyApplied)
                .count(),
            1,
            "{outcomes:?}"
        );
        assert_eq!(
            ctx.server
                .store()
                .history(sent.record.id())
                .await
                .unwrap()
                .len(),
            1
        );
    }
}

async fn one_invalid_op_leaves_the_rest_applied(backend: Backend) {
    let Some(ctx) = start(backend).await else {
        return;
    };
    let me = &ctx.county.instructors[0];
    let token = ctx.token(me.user.id).await;
    let mut bad = Ledger::new(me.households[1].id, 2024);
    bad.basic.population = Some(0);
    let other = ledger_op(ctx.county.instructors[1].households[0].id);
    let batch = vec![
        ledger_op(me.households[0].id),
        op(Record::Ledger(bad), None),
        other,
        ledger_op(me.households[2].id),
    ];

    let answer = ctx.push(&token, batch.clone()).await;
    assert_eq!(answer.results[0].outcome, Outcome::Applied);
    match &answer.results[1].outcome {
        Outcome::Rejected {
            code: ErrorCode::Invalid,
            reason,
        } => {
            assert!(reason.contains("basic.population"), "{reason}");
            assert!(reason.contains("人口数至少为1人"), "{reason}");
        }
        other => panic!("expected invalid, got {other:?}"),
    }
    assert!(matches!(
        answer.results[2].outcome,
        Outcome::Rejected {
            code: ErrorCode::Forbidden,
            ..
        }
    ));
    assert_eq!(answer.results[3].outcome, Outcome::Applied);
    assert!(
        ctx.server
            .store()
            .record(batch[1].record.id())
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        ctx.server
            .store()
            .record(batch[3].record.id())
            .await
            .unwrap()
            .is_some()
    );
}

async fn a_stale_edit_conflicts_until_resolved(backend: Backend) {
    let Some(ctx) = start(backend).await else {
        return;
    };
    let me = &ctx.county.instructors[0];
    let (phone_a, phone_b) = (ctx.token(me.user.id).await, ctx.token(me.user.id).await);
    let v1 = ledger_op(me.households[0].id);
    ctx.push(&phone_a, vec![v1.clone()]).await;

    let mut v2 = op(v1.record.clone(), Some(v1.op_id));
    if let Record::Ledger(l) = &mut v2.record {
        l.basic.population = Some(5)
    }
    assert_eq!(
        ctx.push(&phone_a, vec![v2.clone()]).await.results[0].outcome,
        Outcome::Applied
    );

    let mut stale = op(v1.record.clone(), Some(v1.op_id));
    if let Record::Ledger(l) = &mut stale.record {
        l.basic.population = Some(6)
    }
    let answer = ctx.push(&phone_b, vec![stale.clone()]).await;
    assert_eq!(
        answer.results[0].outcome,
        Outcome::Conflict { head: v2.op_id }
    );

    let (record, head, conflict) = ctx
        .server
        .store()
        .record(v1.record.id())
        .await
        .unwrap()
        .unwrap();
    assert_eq!((head, conflict), (v2.op_id, true));
    assert_eq!(record, v2.record, "the newer version stays current");
    let pulled = pull_all(&ctx, &phone_b).await;
    let change = pulled
        .iter()
        .find(|c| c.record.id() == v1.record.id())
        .unwrap();
    assert!(change.conflict);

    let resolved = op(stale.record.clone(), Some(v2.op_id));
    assert_eq!(
        ctx.push(&phone_b, vec![resolved.clone()]).await.results[0].outcome,
        Outcome::Applied
    );
    let pulled = pull_all(&ctx, &phone_a).await;
    let change = pulled
        .iter()
        .find(|c| c.record.id() == v1.record.id())
        .unwrap();
    assert!(!change.conflict);
    assert_eq!(change.head, resolved.op_id);
    let history = ctx.server.store().history(v1.record.id()).await.unwrap();
    let outcomes: Vec<&str> = history.iter().map(|h| h.outcome.as_str()).collect();
    assert_eq!(outcomes, ["applied", "applied", "conflict", "applied"]);
}

async fn pull_pages_through_everything_once(backend: Backend) {
    let Some(ctx) = start(backend).await else {
        return;
    };
    let token = ctx.token(ctx.county.staff.id).await;
    let all = pull_all(&ctx, &token).await;
    let mut ids: Vec<Uuid> = all.iter().map(|c| c.record.id()).collect();
    let n = ids.len();
    ids.sort();
    ids.dedup();
    assert_eq!(
        ids.len(),
        n,
        "no record twice when nothing changed between pages"
    );
    let c = &ctx.county;
    let households: usize = c.instructors.iter().map(|i| i.households.len()).sum();
    let visits: usize = c.instructors.iter().map(|i| i.visits.len()).sum();
    let expected =
        1 + c.townships.len() + c.villages.len() + c.instructors.len() + households + visits;
    assert_eq!(n, expected);
    assert!(n > 7, "more than one page");
}

async fn enrollment_codes_work_once(backend: Backend) {
    let Some(ctx) = start(backend).await else {
        return;
    };
    let code = ctx.server.enroll_code(ctx.county.staff.id).await.unwrap();
    let body = |code: &str| wire::EnrollRequest {
        code: code.into(),
        device_name: "p".into(),
        app_version: "1".into(),
    };
    let typed = code.to_lowercase().replace('-', " ");
    let first = ctx
        .request(Method::POST, wire::routes::ENROLL, None)
        .json(&body(&typed))
        .send()
        .await
        .unwrap();
    assert_eq!(first.status(), StatusCode::OK);
    let again = ctx
        .request(Method::POST, wire::routes::ENROLL, None)
        .json(&body(&code))
        .send()
        .await
        .unwrap();
    let (status, error) = refused(again).await;
    assert_eq!(
        (status, error.code),
        (StatusCode::BAD_REQUEST, ErrorCode::EnrollmentCodeInvalid)
    );
}
