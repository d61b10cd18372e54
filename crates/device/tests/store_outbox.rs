//! The outbox: each save with its op in one transaction, batch order and
//! bounds, rejected entries, and the server's answers to a push.

#![allow(clippy::unwrap_used)]

mod common;

use fieldledger_device::StoreError;
use fieldledger_device::store::open_connection;
use fieldledger_model::wire::{ErrorCode, OpResult, Outcome, Record};
use uuid::Uuid;

#[test]
fn each_save_queues_one_op_chained_on_the_previous() {
    let (_dir, mut store) = common::temp_store();
    let home = common::household("王德明", "交密村", "52263019850312123");
    let first = store.save_household(&home).unwrap();
    let mut renamed = home.clone();
    renamed.head_name = "王德清".into();
    let second = store.save_household(&renamed).unwrap();

    assert_eq!(first.base, None);
    assert_eq!(second.base, Some(first.op_id));
    assert_eq!(first.schema, fieldledger_model::SCHEMA_VERSION);
    let queued: Vec<_> = store.outbox_batch(10, usize::MAX).unwrap();
    assert_eq!(
        queued.iter().map(|e| e.op.op_id).collect::<Vec<_>>(),
        [first.op_id, second.op_id]
    );
    assert_eq!(
        store.household(home.id).unwrap().unwrap().head_name,
        "王德清"
    );
}

#[test]
fn a_refused_record_leaves_neither_row_nor_op() {
    let (_dir, mut store) = common::temp_store();
    let home = common::household("王德明", "交密村", "52263019850312123");
    store.save_household(&home).unwrap();
    let mut bad = common::ledger(home.id, 2025);
    bad.basic.population = Some(0);

    match store.save_ledger(&bad) {
        Err(StoreError::Invalid { report, .. }) => {
            assert_eq!(report.errors().next().unwrap().path, "basic.population");
        }
        other => panic!("expected Invalid, got {other:?}"),
    }
    let orphan = common::ledger(Uuid::now_v7(), 2025);
    assert!(matches!(
        store.save_ledger(&orphan),
        Err(StoreError::UnknownHousehold { .. })
    ));
    store.save_ledger(&common::ledger(home.id, 2025)).unwrap();
    let twin = common::ledger(home.id, 2025);
    assert!(matches!(
        store.save_ledger(&twin),
        Err(StoreError::LedgerExists { year: 2025, .. })
    ));

    assert_eq!(store.ledger_count().unwrap(), 1);
    assert_eq!(store.outbox_stats().unwrap().queued, 2);
}

#[test]
fn a_failed_transaction_writes_neither() {
    let (dir, mut store) = common::temp_store();
    let homes: Vec<_> = (0..3)
        .map(|i| common::household("吴光", "控拜村", &format!("5226341970010100{i}")))
        .collect();
    store.save_household(&homes[0]).unwrap();
    let mut records: Vec<Record> = homes.iter().cloned().map(Record::Household).collect();
    let mut bad = homes[2].clone();
    bad.head_name = " ".into();
    records.push(Record::Household(bad));

    assert!(matches!(
        store.save_all(records),
        Err(StoreError::Invalid { .. })
    ));
    let key =
        fieldledger_device::store::StoreKey::load(&dir.path().join("keys/store.key")).unwrap();
    let raw = open_connection(&dir.path().join("data/fieldledger.db"), &key).unwrap();
    let count = |sql: &str| raw.query_row(sql, [], |r| r.get::<_, i64>(0)).unwrap();
    assert_eq!(count("SELECT count(*) FROM households"), 1);
    assert_eq!(count("SELECT count(*) FROM outbox"), 1);
    assert_eq!(
        count("SELECT count(*) FROM households h JOIN outbox o ON o.op_id = h.head"),
        1
    );
}

#[test]
fn batches_keep_order_and_respect_both_bounds() {
    let (_dir, mut store) = common::temp_store();
    let mut ops = Vec::new();
    for i in 0..6 {
        let home = common::household("潘妹", "九摆村", &format!("5226301980020300{i}"));
        ops.push(store.save_household(&home).unwrap());
    }
    let all = store.outbox_batch(100, usize::MAX).unwrap();
    assert_eq!(
        all.iter().map(|e| e.op.op_id).collect::<Vec<_>>(),
        ops.iter().map(|o| o.op_id).collect::<Vec<_>>()
    );
    assert!(all.windows(2).all(|w| w[0].seq < w[1].seq));

    assert_eq!(store.outbox_batch(4, usize::MAX).unwrap().len(), 4);
    let two = all[0].bytes + all[1].bytes;
    assert_eq!(store.outbox_batch(100, two).unwrap().len(), 2);
    assert_eq!(
        store
            .outbox_batch(100, two + all[2].bytes - 1)
            .unwrap()
            .len(),
        2
    );
    assert_eq!(
        store.outbox_batch(100, 1).unwrap().len(),
        1,
        "an oversized first op still goes"
    );
}

#[test]
fn mixed_push_results_in_one_go() {
    let (_dir, mut store) = common::temp_store();
    let ops: Vec<_> = (0..4)
        .map(|i| {
            let home = common::household("龙老", "长滩村", &format!("5226291960050500{i}"));
            store.save_household(&home).unwrap()
        })
        .collect();
    let server_head = Uuid::now_v7();
    let results = vec![
        OpResult {
            op_id: ops[0].op_id,
            outcome: Outcome::Applied,
        },
        OpResult {
            op_id: ops[1].op_id,
            outcome: Outcome::AlreadyApplied,
        },
        OpResult {
            op_id: ops[2].op_id,
            outcome: Outcome::Conflict { head: server_head },
        },
        OpResult {
            op_id: ops[3].op_id,
            outcome: Outcome::Rejected {
                code: ErrorCode::Invalid,
                reason: "身份证号重复".into(),
            },
        },
        OpResult {
            op_id: Uuid::now_v7(),
            outcome: Outcome::Applied,
        },
    ];
    store
        .record_attempt(&[ops[3].op_id], Some("连接超时"))
        .unwrap();
    store.apply_push_results(&results).unwrap();

    assert!(store.outbox_batch(10, usize::MAX).unwrap().is_empty());
    let rejected = store.rejected().unwrap();
    assert_eq!(rejected.len(), 1);
    assert_eq!(rejected[0].op.op_id, ops[3].op_id);
    assert_eq!(rejected[0].attempts, 1);
    assert_eq!(rejected[0].last_error.as_deref(), Some("连接超时"));
    let why = rejected[0].rejected.clone().unwrap();
    assert_eq!(
        (why.code, why.reason.as_str()),
        (ErrorCode::Invalid, "身份证号重复")
    );
    let conflicts = store.conflicts().unwrap();
    assert_eq!(conflicts.len(), 1);
    assert_eq!(conflicts[0].their_head, server_head);
    assert_eq!(conflicts[0].ours, Some(ops[2].record.clone()));
    assert_eq!(conflicts[0].theirs, None);
    let stats = store.outbox_stats().unwrap();
    assert_eq!((stats.queued, stats.rejected), (0, 1));
}

#[test]
fn rejected_entries_do_not_block_and_a_new_save_supersedes_them() {
    let (_dir, mut store) = common::temp_store();
    let home = common::household("石春", "反排村", "52263019900101001");
    let refused = store.save_household(&home).unwrap();
    let other = common::household("欧兰", "反排村", "52263019900101002");
    let later = store.save_household(&other).unwrap();
    let rejection = Outcome::Rejected {
        code: ErrorCode::Forbidden,
        reason: "不在本人负责范围".into(),
    };
    store
        .apply_push_results(&[OpResult {
            op_id: refused.op_id,
            outcome: rejection,
        }])
        .unwrap();

    let batch = store.outbox_batch(10, usize::MAX).unwrap();
    assert_eq!(
        batch.iter().map(|e| e.op.op_id).collect::<Vec<_>>(),
        [later.op_id]
    );
    let rows = store
        .households(&fieldledger_device::store::HouseholdQuery::new("石春"))
        .unwrap();
    assert_eq!((rows[0].pending, rows[0].rejected), (0, 1));

    let mut fixed = home.clone();
    fixed.location.group = "5组".into();
    let retry = store.save_household(&fixed).unwrap();
    assert_eq!(retry.base, None, "the refused op never reached the server");
    assert!(store.rejected().unwrap().is_empty());
    let queued: Vec<_> = store
        .outbox_batch(10, usize::MAX)
        .unwrap()
        .iter()
        .map(|e| e.op.op_id)
        .collect();
    assert_eq!(queued, [later.op_id, retry.op_id]);
}

#[test]
fn stats_report_the_oldest_queued() {
    let (_dir, mut store) = common::temp_store();
    assert_eq!(store.outbox_stats().unwrap().oldest_queued_secs, None);
    store
        .save_household(&common::household("刘英", "岜沙村", "52263319750607001"))
        .unwrap();
    let stats = store.outbox_stats().unwrap();
    assert_eq!(stats.queued, 1);
    assert!(stats.oldest_queued_secs.unwrap() < 60);
}
