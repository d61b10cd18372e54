//! Generated valid records survive serde unchanged and pass validation.
#![allow(clippy::unwrap_used)]

use fieldledger_model::strategies;
use fieldledger_model::validate::Validate;
use fieldledger_model::wire::{Op, Record};
use fieldledger_model::{Household, Ledger, SCHEMA_VERSION, Visit};
use proptest::prelude::*;
use uuid::Uuid;

proptest! {
    #[test]
    fn ledgers_round_trip_through_json(ledger in strategies::ledger()) {
        let report = ledger.validate();
        prop_assert!(report.issues.is_empty(), "{report:?}");
        let json = serde_json::to_string(&ledger).unwrap();
        let back: Ledger = serde_json::from_str(&json).unwrap();
        prop_assert_eq!(back, ledger);
    }

    #[test]
    fn households_round_trip_and_validate(household in strategies::household()) {
        prop_assert!(!household.validate().has_errors());
        let json = serde_json::to_string(&household).unwrap();
        prop_assert_eq!(serde_json::from_str::<Household>(&json).unwrap(), household);
    }

    #[test]
    fn visits_round_trip_inside_ops(
        visit in strategies::visit_among(Uuid::nil(), vec![Uuid::from_u128(1), Uuid::from_u128(2)], 2026),
        base in proptest::option::of(strategies::uuid()),
    ) {
        prop_assert!(!visit.validate().has_errors());
        let op = Op { op_id: Uuid::now_v7(), base, schema: SCHEMA_VERSION, record: Record::Visit(visit) };
        let json = serde_json::to_vec(&op).unwrap();
        prop_assert_eq!(serde_json::from_slice::<Op>(&json).unwrap(), op);
    }
}

#[test]
fn an_empty_visit_work_sends_no_fields() {
    let json = serde_json::to_string(&fieldledger_model::visit::Work::default()).unwrap();
    assert_eq!(json, "{}");
    let back: Visit = serde_json::from_str(
        r#"{"id":"00000000-0000-0000-0000-000000000001","instructor_id":"00000000-0000-0000-0000-000000000002",
            "date":"2026-05-01","households":["00000000-0000-0000-0000-000000000003"],"work":{"policy":2,"sold":"1500.5"}}"#,
    )
    .unwrap();
    assert_eq!(back.work.policy_talks, 2);
    assert_eq!(back.work.sales_income.hundredths(), 150050);
}
