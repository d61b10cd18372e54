//! Opening, encryption at rest, migrations, drafts, search, ledgers by year
//! and photos.

#![allow(clippy::unwrap_used)]

mod common;

use fieldledger_device::store::{
    HouseholdQuery, LedgerState, PhotoMeta, StoreKey, ledger_draft_key, migrate_to, migrations,
    open_connection,
};
use fieldledger_device::{Store, StoreError};
use fieldledger_model::Amount;

#[test]
fn the_file_is_unreadable_without_the_key() {
    let (dir, mut store) = common::temp_store();
    store
        .save_household(&common::household("邰秀兰", "交密村", "52263019850312123"))
        .unwrap();
    let db = store.path().to_owned();
    drop(store);

    let plain = rusqlite::Connection::open(&db).unwrap();
    assert!(
        plain
            .query_row("SELECT count(*) FROM sqlite_master", [], |r| r
                .get::<_, i64>(0))
            .is_err()
    );
    let wrong = StoreKey::generate().unwrap();
    assert!(matches!(
        open_connection(&db, &wrong),
        Err(StoreError::WrongKey { .. })
    ));
    assert!(matches!(
        Store::open_with_key(&db, &wrong),
        Err(StoreError::WrongKey { .. })
    ));
    for file in ["fieldledger.db", "fieldledger.db-wal"] {
        let bytes = std::fs::read(db.with_file_name(file)).unwrap_or_default();
        let needle = "邰秀兰".as_bytes();
        assert!(
            !bytes.windows(needle.len()).any(|w| w == needle),
            "{file} holds the name in plain"
        );
    }
    std::fs::remove_file(dir.path().join("keys/store.key")).unwrap();
    assert!(matches!(
        Store::open(dir.path()),
        Err(StoreError::KeyMissing { .. })
    ));
}

#[test]
fn key_and_database_live_apart_and_reopen() {
    let (dir, mut store) = common::temp_store();
    let home = common::household("邰秀兰", "交密村", "52263019850312123");
    store.save_household(&home).unwrap();
    drop(store);
    assert!(dir.path().join("keys/store.key").is_file());
    assert!(dir.path().join("data/fieldledger.db").is_file());
    let store = Store::open(dir.path()).unwrap();
    assert_eq!(store.household(home.id).unwrap(), Some(home));
    assert!(store.integrity_check().unwrap());
}

#[test]
fn an_old_database_is_upgraded_in_place() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("old.db");
    let key = StoreKey::generate().unwrap();
    let home = common::household("杨秀英", "羊排村", "52263419700101002");
    {
        let mut conn = open_connection(&db, &key).unwrap();
        migrate_to(&mut conn, 1).unwrap();
        assert_eq!(migrations::version(&conn).unwrap(), 1);
        conn.execute(
            "INSERT INTO households (id, schema, head, body, head_name, village, masked_id)
             VALUES (?1, 1, NULL, ?2, ?3, ?4, ?5)",
            rusqlite::params![
                home.id.to_string(),
                serde_json::to_string(&home).unwrap(),
                home.head_name,
                home.location.village,
                home.masked_id()
            ],
        )
        .unwrap();
        assert!(
            conn.execute(
                "INSERT INTO drafts (key, body, updated_at) VALUES ('a', 'b', 0)",
                []
            )
            .is_err()
        );
    }

    let mut store = Store::open_with_key(&db, &key).unwrap();
    let conn = open_connection(&db, &key).unwrap();
    assert_eq!(migrations::version(&conn).unwrap(), migrations::LATEST);
    assert_eq!(store.household(home.id).unwrap(), Some(home.clone()));
    let tail = &home.id_number[14..];
    let found = store.households(&HouseholdQuery::new(tail)).unwrap();
    assert_eq!(found.iter().map(|r| r.id).collect::<Vec<_>>(), [home.id]);
    store.save_draft("k", "{}").unwrap();
    assert_eq!(store.draft("k").unwrap().as_deref(), Some("{}"));
}

#[test]
fn a_draft_survives_reopening_and_shows_in_the_list() {
    let (dir, mut store) = common::temp_store();
    let home = common::household("吴金华", "控拜村", "52263419880808001");
    store.save_household(&home).unwrap();
    let key = ledger_draft_key(home.id, 2026);
    store
        .save_draft(&key, r#"{"basic":{"population":3}}"#)
        .unwrap();
    store
        .save_draft(&key, r#"{"basic":{"population":4}}"#)
        .unwrap();
    drop(store);

    let mut store = Store::open(dir.path()).unwrap();
    assert_eq!(
        store.draft(&key).unwrap().as_deref(),
        Some(r#"{"basic":{"population":4}}"#)
    );
    let query = HouseholdQuery {
        year: 2026,
        ..HouseholdQuery::new("")
    };
    assert_eq!(
        store.households(&query).unwrap()[0].ledger,
        LedgerState::Draft
    );
    store.save_ledger(&common::ledger(home.id, 2026)).unwrap();
    assert_eq!(
        store.households(&query).unwrap()[0].ledger,
        LedgerState::Saved
    );
    store.discard_draft(&key).unwrap();
    assert_eq!(store.draft(&key).unwrap(), None);
}

#[test]
fn search_by_name_id_tail_and_village_with_masked_ids() {
    let (_dir, mut store) = common::temp_store();
    let a = common::household("王德明", "交密村", "52263019850312123");
    let b = common::household("杨德英", "羊排村", "52263419700101456");
    let c = common::household("吴光", "交密村", "52263019900101789");
    for h in [&a, &b, &c] {
        store.save_household(h).unwrap();
    }
    store
        .save_visit(&common::visit(&[a.id, c.id], "2025-03-02"))
        .unwrap();
    store
        .save_visit(&common::visit(&[a.id], "2025-05-09"))
        .unwrap();
    let ids = |text: &str| {
        store
            .households(&HouseholdQuery::new(text))
            .unwrap()
            .iter()
            .map(|r| r.id)
            .collect::<Vec<_>>()
    };

    assert_eq!(ids("德"), [a.id, b.id], "sorted by village, then name");
    assert_eq!(ids("交密"), [c.id, a.id]);
    assert_eq!(ids(&a.id_number[13..]), [a.id]);
    assert!(ids("张").is_empty());
    assert!(ids("%").is_empty());
    assert_eq!(ids("").len(), 3);
    let rows = store.households(&HouseholdQuery::new("王德明")).unwrap();
    assert_eq!(
        rows[0].masked_id,
        format!("5226**********{}", &a.id_number[14..])
    );
    assert_eq!(
        rows[0].last_visit,
        chrono::NaiveDate::from_ymd_opt(2025, 5, 9)
    );
    assert_eq!(rows[0].pending, 3);
    let page = HouseholdQuery {
        offset: 1,
        limit: 1,
        ..HouseholdQuery::new("")
    };
    assert_eq!(store.households(&page).unwrap()[0].id, a.id);
    assert_eq!(store.visits_of(a.id).unwrap().len(), 2);
    assert_eq!(store.visits_of(b.id).unwrap().len(), 0);
}

#[test]
fn next_year_carries_everything_forward() {
    let (_dir, mut store) = common::temp_store();
    let home = common::household("龙应开", "乌东村", "52263419650405001");
    store.save_household(&home).unwrap();
    let mut ledger = common::ledger(home.id, 2025);
    ledger.labour.push(fieldledger_model::ledger::LabourMember {
        name: "龙应开".into(),
        ..Default::default()
    });
    ledger.income.expected_total = Some(Amount::from_units(30_000));
    ledger.income.expected_farming = Some(Amount::from_units(12_000));
    store.save_ledger(&ledger).unwrap();

    let next = store.start_next_year(home.id, 2025).unwrap();
    assert_eq!(next.year, 2026);
    assert_ne!(next.id, ledger.id);
    assert_eq!(next.labour, ledger.labour);
    assert_eq!(
        next.income.last_year_total,
        Some(Amount::from_units(30_000))
    );
    assert_eq!(store.ledger(home.id, 2026).unwrap(), Some(next.clone()));
    assert_eq!(store.ledgers_of(home.id).unwrap(), [ledger, next]);
    assert!(matches!(
        store.start_next_year(home.id, 2025),
        Err(StoreError::LedgerExists { .. })
    ));
    assert!(matches!(
        store.start_next_year(home.id, 2030),
        Err(StoreError::NotFound { .. })
    ));
}

#[test]
fn photo_progress_is_kept_until_complete() {
    let (_dir, mut store) = common::temp_store();
    let meta = PhotoMeta {
        sha256: "ab".repeat(32),
        visit_id: uuid::Uuid::now_v7(),
        bytes: 2_000_000,
        width: 1600,
        height: 1200,
        local_path: "photos/a.jpg".into(),
    };
    store.add_photo_meta(&meta).unwrap();
    store.add_photo_meta(&meta).unwrap();
    store
        .set_photo_progress(&meta.sha256, 65_536, false)
        .unwrap();
    let pending = store.photos_pending_upload().unwrap();
    assert_eq!(pending.len(), 1);
    assert_eq!((pending[0].received, &pending[0].meta), (65_536, &meta));
    store
        .set_photo_progress(&meta.sha256, 2_000_000, true)
        .unwrap();
    assert!(store.photos_pending_upload().unwrap().is_empty());
}

#[test]
fn demo_data_is_valid_and_listed() {
    let (_dir, mut store) = common::temp_store();
    let summary = fieldledger_device::demo::fill(&mut store, 120, 600, 7).unwrap();
    assert_eq!(store.household_count().unwrap(), 120);
    assert_eq!(store.visit_count().unwrap(), 600);
    assert_eq!(store.ledger_count().unwrap() as usize, summary.ledgers);
    assert!(store.outbox_stats().unwrap().queued > 0);
    let rows = store.households(&HouseholdQuery::new("")).unwrap();
    assert_eq!(rows.len(), 50);
    assert!(rows.iter().all(|r| r.masked_id.contains("**********")));
    let year = fieldledger_device::store::this_year();
    assert!(
        store.attachment4(year).unwrap().policy_talks
            + store.attachment4(year - 1).unwrap().policy_talks
            > 0
    );
}
