//! The staffing rule at its edges, Attachment 3 rows from the same input,
//! and spot-check samples: reproducible, order-independent, sized right.

#![allow(clippy::unwrap_used)]

mod common;

use fieldledger_model::Household;
use fieldledger_model::roster::Instructor;
use fieldledger_office::coverage::{self, CoverageInput, StaffingRule, Village};
use fieldledger_office::spotcheck::{self, SampleSize};

fn village(n: u64, main_industries: u32) -> Village {
    Village {
        id: common::id(1, n),
        county: "紫云县".into(),
        township: "松山镇".into(),
        name: format!("村{n}"),
        main_industries,
    }
}

fn roster(count: usize) -> Vec<Instructor> {
    let mut all = common::instructors(count, 1);
    for i in &mut all {
        i.county = "紫云县".into();
        i.villages.clear();
    }
    all
}

/// `count` households of `village`, spread over `instructors` in turn
/// (none guided when `instructors` is empty).
fn homes(
    village: &Village,
    count: usize,
    instructors: &[Instructor],
    first: u64,
) -> Vec<Household> {
    let mut all = common::households(count, &[], first);
    for (k, h) in all.iter_mut().enumerate() {
        h.id = common::id(4, first * 1000 + k as u64);
        h.village_id = Some(village.id);
        h.location.county = village.county.clone();
        h.instructor_id = (!instructors.is_empty()).then(|| instructors[k % instructors.len()].id);
    }
    all
}

#[test]
fn rule_edges() {
    let per_households = |n| StaffingRule::for_village(&village(0, 0), n).required();
    assert_eq!(per_households(0), 0);
    assert_eq!(per_households(1), 1);
    assert_eq!(per_households(20), 1);
    assert_eq!(per_households(21), 2);
    assert_eq!(per_households(40), 2);
    assert_eq!(StaffingRule::for_village(&village(0, 1), 45).required(), 1);
    assert_eq!(StaffingRule::for_village(&village(0, 3), 5).required(), 3);
}

#[test]
fn villages_below_the_rule_and_overloaded_instructors_are_found() {
    let staff = roster(6);
    let villages = vec![village(0, 0), village(1, 2), village(2, 1), village(3, 0)];
    let mut households = homes(&villages[0], 21, &staff[0..1], 1); // 21 for one: short and overloaded
    households.extend(homes(&villages[1], 10, &staff[1..2], 2)); // 2 industries, 1 instructor: short
    households.extend(homes(&villages[2], 30, &staff[2..4], 3)); // strong product, 2: fine
    households.extend(homes(&villages[3], 20, &staff[4..5], 4)); // exactly 20 for one: fine
    households[60].instructor_id = None;
    households[61].instructor_id = Some(common::id(9, 9)); // not on the roster
    let input = CoverageInput {
        households: &households,
        instructors: &staff,
        villages: &villages,
    };
    let report = coverage::check(&input);

    let mut unassigned = vec![households[60].id, households[61].id];
    unassigned.sort();
    assert_eq!(report.unassigned, unassigned);
    assert_eq!(report.overloaded.len(), 1);
    assert_eq!(report.overloaded[0].instructor_id, staff[0].id);
    assert_eq!(report.overloaded[0].households, 21);
    let short: Vec<_> = report
        .short
        .iter()
        .map(|s| (s.village_id, s.required, s.actual))
        .collect();
    assert_eq!(short, [(villages[0].id, 2, 1), (villages[1].id, 2, 1)]);
    assert!(
        report.short[1]
            .rule
            .describe()
            .contains("每个主导产业至少设置1名")
    );
    assert!(!report.is_clean());
}

#[test]
fn an_instructor_named_on_the_roster_counts_for_the_village() {
    let mut staff = roster(2);
    let villages = vec![village(0, 2)];
    let households = homes(&villages[0], 8, &staff[0..1], 1);
    let input = CoverageInput {
        households: &households,
        instructors: &staff,
        villages: &villages,
    };
    assert_eq!(coverage::check(&input).short.len(), 1);
    staff[1].villages = vec!["村0".into()];
    let input = CoverageInput {
        households: &households,
        instructors: &staff,
        villages: &villages,
    };
    assert!(coverage::check(&input).is_clean());
}

#[test]
fn attachment3_rows_count_townships_villages_and_households() {
    let instructors = common::instructors(9, 4);
    let mut households = common::households(72, &instructors, 5);
    let villages = common::villages();
    // No household of the first village (紫云县 松山镇 大坝村) is guided.
    for h in households
        .iter_mut()
        .filter(|h| h.village_id == Some(villages[0].id))
    {
        h.instructor_id = None;
    }
    let mut roster = instructors.clone();
    roster.iter_mut().for_each(|i| i.villages.clear());
    let input = CoverageInput {
        households: &households,
        instructors: &roster,
        villages: &villages,
    };
    let rows = coverage::attachment3_rows(&input);

    assert_eq!(
        rows.iter().map(|r| r.county.as_str()).collect::<Vec<_>>(),
        ["册亨县", "望谟县", "紫云县"]
    );
    let ziyun = &rows[2];
    assert_eq!((ziyun.townships.total, ziyun.townships.covered), (2, 2));
    assert_eq!((ziyun.villages.total, ziyun.villages.covered), (6, 5));
    assert_eq!(ziyun.households.total, 24);
    let guided = households
        .iter()
        .filter(|h| h.location.county == "紫云县" && h.instructor_id.is_some())
        .count() as u64;
    assert_eq!(ziyun.households.covered, guided);
    assert_eq!(rows.iter().map(|r| r.instructors_total()).sum::<u64>(), 9);
}

#[test]
fn samples_are_reproducible_and_independent_of_order() {
    let instructors = common::instructors(6, 1);
    let households = common::households(300, &instructors, 2);
    let first = spotcheck::sample(&households, 42, SampleSize::Count(5));
    let mut shuffled = households.clone();
    shuffled.reverse();
    shuffled.swap(3, 150);
    assert_eq!(
        spotcheck::sample(&shuffled, 42, SampleSize::Count(5)),
        first
    );
    assert_eq!(
        spotcheck::sample(&households, 42, SampleSize::Count(5)),
        first
    );
    assert_ne!(
        spotcheck::sample(&households, 43, SampleSize::Count(5)),
        first
    );
    assert_eq!(first.len(), 3);
    for (county, ids) in &first {
        assert_eq!(ids.len(), 5);
        let mut distinct = ids.clone();
        distinct.sort();
        distinct.dedup();
        assert_eq!(distinct.len(), 5);
        for id in ids {
            let h = households.iter().find(|h| h.id == *id).unwrap();
            assert_eq!(&h.location.county, county);
        }
    }
}

#[test]
fn sample_sizes_by_count_and_percent() {
    assert_eq!(SampleSize::Count(5).of(3), 3);
    assert_eq!(SampleSize::Percent(10.0).of(95), 10);
    assert_eq!(SampleSize::Percent(10.0).of(1), 1);
    assert_eq!(SampleSize::Percent(0.0).of(50), 0);
    assert_eq!(SampleSize::Percent(250.0).of(7), 7);
    let households = common::households(90, &[], 3);
    let sample = spotcheck::sample(&households, 7, SampleSize::Percent(10.0));
    assert!(sample.values().all(|ids| ids.len() == 3));
    assert!(spotcheck::sample(&households, 7, SampleSize::Count(0)).is_empty());
}
