//! Pulled changes: our own echo, a newer version, conflicts kept both ways,
//! and resolving a conflict.

#![allow(clippy::unwrap_used)]

mod common;

use fieldledger_device::store::HouseholdQuery;
use fieldledger_model::wire::{Change, OpResult, Outcome, Record};
use uuid::Uuid;

fn change(record: &Record, head: Uuid) -> Change {
    Change {
        head,
        record: record.clone(),
        conflict: false,
    }
}

fn sent(store: &mut fieldledger_device::Store, op_id: Uuid) {
    store
        .apply_push_results(&[OpResult {
            op_id,
            outcome: Outcome::Applied,
        }])
        .unwrap();
}

#[test]
fn our_echo_changes_nothing_and_the_cursor_moves() {
    let (_dir, mut store) = common::temp_store();
    let home = common::household("王德明", "交密村", "52263019850312123");
    let op = store.save_household(&home).unwrap();
    sent(&mut store, op.op_id);
    let mut stale = home.clone();
    stale.head_name = "不该写入".into();

    store
        .apply_pull(&[change(&Record::Household(stale), op.op_id)], 17)
        .unwrap();
    assert_eq!(
        store.household(home.id).unwrap().unwrap().head_name,
        "王德明"
    );
    assert_eq!(store.cursor().unwrap(), 17);
    assert!(store.conflicts().unwrap().is_empty());
}

#[test]
fn a_newer_version_overwrites_and_becomes_the_base() {
    let (_dir, mut store) = common::temp_store();
    let home = common::household("王德明", "交密村", "52263019850312123");
    let op = store.save_household(&home).unwrap();
    sent(&mut store, op.op_id);
    let mut theirs = home.clone();
    theirs.location.village = "红阳村".into();
    let their_head = Uuid::now_v7();

    store
        .apply_pull(&[change(&Record::Household(theirs.clone()), their_head)], 3)
        .unwrap();
    assert_eq!(store.household(home.id).unwrap(), Some(theirs.clone()));
    let next = store.save_household(&theirs).unwrap();
    assert_eq!(next.base, Some(their_head));
    let pulled_new = common::household("杨秀英", "红阳村", "52263019700101002");
    store
        .apply_pull(
            &[change(
                &Record::Household(pulled_new.clone()),
                Uuid::now_v7(),
            )],
            4,
        )
        .unwrap();
    assert_eq!(store.household(pulled_new.id).unwrap(), Some(pulled_new));
}

#[test]
fn unsent_edits_keep_both_versions_and_flag_the_household() {
    let (_dir, mut store) = common::temp_store();
    let home = common::household("王德明", "交密村", "52263019850312123");
    let op = store.save_household(&home).unwrap();
    sent(&mut store, op.op_id);
    let ledger = common::ledger(home.id, 2025);
    let ours_op = store.save_ledger(&ledger).unwrap();
    let mut ours = ledger.clone();
    ours.basic.population = Some(6);
    store.save_ledger(&ours).unwrap();
    let mut theirs = ledger.clone();
    theirs.basic.population = Some(5);
    let their_head = Uuid::now_v7();

    store
        .apply_pull(&[change(&Record::Ledger(ledger.clone()), ours_op.op_id)], 1)
        .unwrap();
    assert!(
        store.conflicts().unwrap().is_empty(),
        "a pulled ancestor of our edits is no conflict"
    );
    store
        .apply_pull(&[change(&Record::Ledger(theirs.clone()), their_head)], 2)
        .unwrap();

    let conflicts = store.conflicts().unwrap();
    assert_eq!(conflicts.len(), 1);
    assert_eq!(conflicts[0].theirs, Some(Record::Ledger(theirs)));
    assert_eq!(conflicts[0].ours, Some(Record::Ledger(ours.clone())));
    assert_eq!(conflicts[0].households, [home.id]);
    assert_eq!(
        store.ledger(home.id, 2025).unwrap(),
        Some(ours),
        "our version stays meanwhile"
    );
    let rows = store.households(&HouseholdQuery::new("")).unwrap();
    assert!(rows[0].conflict);
}

#[test]
fn a_change_flagged_by_the_server_is_kept_beside_ours() {
    let (_dir, mut store) = common::temp_store();
    let home = common::household("王德明", "交密村", "52263019850312123");
    let op = store.save_household(&home).unwrap();
    sent(&mut store, op.op_id);
    let mut theirs = home.clone();
    theirs.head_name = "王德清".into();
    let flagged = Change {
        head: Uuid::now_v7(),
        record: Record::Household(theirs.clone()),
        conflict: true,
    };

    store.apply_pull(&[flagged], 9).unwrap();
    let conflict = &store.conflicts().unwrap()[0];
    assert_eq!(conflict.ours, Some(Record::Household(home.clone())));
    assert_eq!(conflict.theirs, Some(Record::Household(theirs.clone())));

    let later_head = Uuid::now_v7();
    let mut later = theirs.clone();
    later.location.group = "9组".into();
    store
        .apply_pull(&[change(&Record::Household(later.clone()), later_head)], 10)
        .unwrap();
    let conflict = &store.conflicts().unwrap()[0];
    assert_eq!(
        conflict.theirs,
        Some(Record::Household(later)),
        "a flagged record keeps collecting"
    );
    assert_eq!(conflict.their_head, later_head);
}

#[test]
fn resolving_saves_the_merge_on_their_head_and_clears_the_flag() {
    let (_dir, mut store) = common::temp_store();
    let home = common::household("王德明", "交密村", "52263019850312123");
    let op = store.save_household(&home).unwrap();
    let mut edited = home.clone();
    edited.location.group = "7组".into();
    let unsent = store.save_household(&edited).unwrap();
    let their_head = Uuid::now_v7();
    store
        .apply_push_results(&[OpResult {
            op_id: op.op_id,
            outcome: Outcome::Conflict { head: their_head },
        }])
        .unwrap();
    let mut merged = edited.clone();
    merged.head_name = "王德清".into();

    let wrong = common::household("别人", "交密村", "52263019850312124");
    assert!(
        store
            .resolve_conflict(home.id, Record::Household(wrong))
            .is_err()
    );
    let resolution = store
        .resolve_conflict(home.id, Record::Household(merged.clone()))
        .unwrap();
    assert_eq!(resolution.base, Some(their_head));
    assert!(store.conflicts().unwrap().is_empty());
    assert_eq!(store.household(home.id).unwrap(), Some(merged));
    let queued: Vec<_> = store
        .outbox_batch(10, usize::MAX)
        .unwrap()
        .iter()
        .map(|e| e.op.op_id)
        .collect();
    assert_eq!(
        queued,
        [resolution.op_id],
        "the merge replaces the unsent {:?}",
        unsent.op_id
    );
    assert!(!store.households(&HouseholdQuery::new("")).unwrap()[0].conflict);
    assert!(
        store
            .resolve_conflict(home.id, Record::Household(home))
            .is_err()
    );
}
