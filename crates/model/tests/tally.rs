//! Attachment 4 from visit logs: 户 counts distinct households, the rest add.
#![allow(clippy::unwrap_used)]

use fieldledger_model::tally::{Attachment4, Period, WorkItem, wan_yuan};
use fieldledger_model::visit::Work;
use fieldledger_model::{Amount, Visit, strategies};
use proptest::prelude::*;
use std::collections::HashSet;
use uuid::Uuid;

fn visit(date: &str, households: &[u128], work: Work) -> Visit {
    Visit {
        id: Uuid::now_v7(),
        instructor_id: Uuid::nil(),
        date: date.parse().unwrap(),
        households: households.iter().map(|h| Uuid::from_u128(*h)).collect(),
        work,
        note: String::new(),
        position: None,
        photos: vec![],
    }
}

#[test]
fn households_are_counted_once_a_year_and_the_rest_adds_up() {
    let talk = Work {
        policy_talks: 1,
        industry_choice: true,
        ..Default::default()
    };
    let training = Work {
        trained_people: 25,
        tech_guidance: 1,
        problems_solved: 3,
        ..Default::default()
    };
    let sales = Work {
        sales_help: true,
        sales_income: Amount::parse("12345.67").unwrap(),
        funds: Amount::parse("5000").unwrap(),
        ..Default::default()
    };
    let visits = [
        visit("2026-01-05", &[1], talk.clone()),
        visit("2026-03-05", &[1, 2], talk.clone()),
        visit("2026-04-05", &[2, 3, 4], training),
        visit("2026-06-10", &[3], sales.clone()),
        visit("2026-09-10", &[3], sales),
        visit("2025-12-31", &[9], talk),
    ];
    let a4 = Attachment4::tally(&visits, Period::year(2026));
    assert_eq!(a4.policy_talks, 2);
    assert_eq!(a4.industry_choice, 2, "households 1 and 2, once each");
    assert_eq!(
        (a4.trained_people, a4.tech_guidance, a4.problems_solved),
        (25, 1, 3)
    );
    assert_eq!(a4.sales_help, 1);
    assert_eq!(a4.sales_income, Amount::parse("24691.34").unwrap());
    assert_eq!(a4.figure(WorkItem::SalesIncome), "2.469134");
    assert_eq!(a4.figure(WorkItem::Funds), "10000");

    let half = Attachment4::tally(&visits, Period::year_to(2026, 6, 15));
    assert_eq!(half.sales_help, 1);
    assert_eq!(half.figure(WorkItem::SalesIncome), "1.234567");
}

#[test]
fn items_carry_the_forms_labels_and_units() {
    let units: Vec<_> = WorkItem::ALL.iter().map(|i| i.unit()).collect();
    assert_eq!(
        units,
        [
            "次", "户", "人", "次", "件", "户", "元", "户", "万元", "人", "户"
        ]
    );
    assert_eq!(
        WorkItem::ALL[10].label(),
        "协调农户与经营主体建立利益联结机制"
    );
    assert_eq!(
        WorkItem::ALL
            .iter()
            .filter(|i| i.counts_households())
            .count(),
        4
    );
    assert_eq!(wan_yuan(Amount::from_units(10_000)), "1");
    assert_eq!(wan_yuan(Amount::from_hundredths(1)), "0.000001");
}

proptest! {
    /// A 户 figure never exceeds the distinct households visited, and splitting
    /// the visits in two never lowers the sums of the additive items.
    #[test]
    fn tally_is_consistent_with_its_visits(
        visits in proptest::collection::vec(
            strategies::visit_among(Uuid::nil(), (1..=8u128).map(Uuid::from_u128).collect(), 2026), 0..40)
    ) {
        let a4 = Attachment4::tally(&visits, Period::year(2026));
        let all: HashSet<_> = visits.iter().flat_map(|v| v.households.iter()).collect();
        for figure in [a4.industry_choice, a4.project_support, a4.sales_help, a4.benefit_link] {
            prop_assert!(figure as usize <= all.len());
        }
        let talks: u64 = visits.iter().map(|v| u64::from(v.work.policy_talks)).sum();
        prop_assert_eq!(a4.policy_talks, talks);
        let choice: HashSet<_> = visits.iter().filter(|v| v.work.industry_choice).flat_map(|v| v.households.iter()).collect();
        prop_assert_eq!(a4.industry_choice as usize, choice.len());
    }
}
