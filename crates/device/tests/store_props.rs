//! Properties: valid ledgers come back from the store unchanged, and the
//! store's Attachment 4 equals the model's tally over the same visits.

#![allow(clippy::unwrap_used)]

mod common;

use common::strategies::{ledger_for, visit_among};
use fieldledger_model::Ledger;
use fieldledger_model::tally::{Attachment4, Period};
use fieldledger_model::validate::Validate;
use fieldledger_model::wire::Record;
use proptest::prelude::*;
use uuid::Uuid;

/// The household the generated ledgers belong to.
const HOME: Uuid = Uuid::from_u128(0x0190_0000_0000_7000_8000_0000_0000_0001);

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn valid_ledgers_come_back_unchanged(ledger in ledger_for(HOME)) {
        prop_assert!(!ledger.validate().has_errors(), "{:?}", ledger.validate());
        let json = serde_json::to_string(&ledger).unwrap();
        prop_assert_eq!(&serde_json::from_str::<Ledger>(&json).unwrap(), &ledger);

        let (_dir, mut store) = common::temp_store();
        let mut home = common::household("王德明", "交密村", "52263019850312123");
        home.id = HOME;
        store.save_household(&home).unwrap();
        store.save_ledger(&ledger).unwrap();
        prop_assert_eq!(store.ledger(HOME, ledger.year).unwrap(), Some(ledger.clone()));
        let queued = store.outbox_batch(10, usize::MAX).unwrap();
        prop_assert_eq!(&queued.last().unwrap().op.record, &Record::Ledger(ledger));
    }

    #[test]
    fn store_tally_equals_model_tally(
        visits in proptest::collection::vec(visit_among(common::strategies::ids(5)), 0..40),
        year in 2023i32..=2025,
    ) {
        let (_dir, mut store) = common::temp_store();
        let mut homes: Vec<Uuid> = visits.iter().flat_map(|v| v.households.clone()).collect();
        homes.sort();
        homes.dedup();
        for id in &homes {
            let mut h = common::household("杨秀英", "羊排村", "52263419700101002");
            h.id = *id;
            store.save_household(&h).unwrap();
        }
        let records = visits.iter().cloned().map(Record::Visit).collect();
        store.save_all(records).unwrap();

        prop_assert_eq!(store.attachment4(year).unwrap(), Attachment4::tally(&visits, Period::year(year)));
        let half = Period::year_to(year, 6, 15);
        let mine: Vec<_> = visits.iter().filter(|v| v.instructor_id == Uuid::nil()).cloned().collect();
        prop_assert_eq!(
            store.attachment4_for(half, Some(Uuid::nil())).unwrap(),
            Attachment4::tally(&mine, half)
        );
    }
}
