//! Attachment 4 over a large database: a bulk load of visits in many
//! counties through the store's push path (no HTTP, batches of
//! [`LOAD_BATCH`]), then the report for one county and one township, timed.

use std::sync::Arc;
use std::time::Instant;

use chrono::{Datelike, Duration, NaiveDate, Utc};
use fieldledger_model::tally::Period;
use fieldledger_model::wire::{DeviceReport, Op, Outcome, Record, ReportLevel};
use fieldledger_model::{SCHEMA_VERSION, id::new_id};
use fieldledger_server::demo::{self, CountySpec, SeededCounty};
use fieldledger_server::store::{Actor, Store};
use fieldledger_server::testing::TestServer;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use uuid::Uuid;

/// Counties the visits are spread over.
const COUNTIES: usize = 100;
/// Townships per county; instructors are spread evenly over them.
const TOWNSHIPS: usize = 2;
/// Instructors per township.
const INSTRUCTORS: usize = 5;
/// Households per instructor.
const HOUSEHOLDS: usize = 20;
/// Ops per push while loading: large enough that per-transaction costs
/// (the commit's fsync, the counter) vanish, small enough to keep memory low.
const LOAD_BATCH: usize = 5_000;
/// Times each report is run; the first run and the best are printed.
const RUNS: usize = 3;

/// Loads `visits` visits and times the reports, printing the figures.
pub async fn run(name: &str, server: &TestServer, visits: usize) {
    let store = server.store();
    let started = Instant::now();
    let mut counties = Vec::with_capacity(COUNTIES);
    for n in 0..COUNTIES {
        counties.push(load_county(&store, n, visits / COUNTIES).await);
    }
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "{name}: loaded {visits} visits in {COUNTIES} counties in {seconds:.0} s ({:.0} visits/s, bulk push, durable)",
        visits as f64 / seconds
    );
    let county = &counties[0];
    let period = Period::year(Utc::now().year());
    let cases = [
        (
            "one county by instructor",
            county.county.id,
            ReportLevel::Instructor,
        ),
        (
            "one county by township",
            county.county.id,
            ReportLevel::Township,
        ),
        (
            "one county as one row",
            county.county.id,
            ReportLevel::County,
        ),
        (
            "one township by instructor",
            county.townships[0].id,
            ReportLevel::Instructor,
        ),
    ];
    for (what, area, level) in cases {
        let scope = store.area(area).await.unwrap().unwrap();
        let mut times = Vec::new();
        let mut rows = 0;
        for _ in 0..RUNS {
            let started = Instant::now();
            let report = store
                .attachment4(scope.clone(), level, period)
                .await
                .unwrap();
            times.push(started.elapsed().as_secs_f64());
            rows = report.rows.len();
            assert!(report.total.policy_talks > 0 || visits < COUNTIES * 10);
        }
        let best = times.iter().copied().fold(f64::INFINITY, f64::min);
        println!(
            "{name}: Attachment 4, {what} ({rows} rows) among {visits} visits: first {:.3} s, best {best:.3} s",
            times[0]
        );
    }

    // The province's half-year sum: every county's report, one after
    // another, over all the visits.
    let started = Instant::now();
    let mut policy_talks = 0;
    for county in &counties {
        let scope = store.area(county.county.id).await.unwrap().unwrap();
        let report = store
            .attachment4(scope, ReportLevel::Township, period)
            .await
            .unwrap();
        policy_talks += report.total.policy_talks;
    }
    assert!(policy_talks > 0 || visits < COUNTIES * 10);
    println!(
        "{name}: Attachment 4 of all {COUNTIES} counties by township, one after another, over {visits} visits: {:.3} s",
        started.elapsed().as_secs_f64()
    );
}

/// One county: areas, roster and accounts through the admin path, its
/// households in one push by the county office, then `visits` visits
/// pushed by its instructors.
async fn load_county(store: &Arc<Store>, n: usize, visits: usize) -> SeededCounty {
    let spec = CountySpec {
        name: format!("县{n}"),
        townships: TOWNSHIPS,
        villages_per_township: 2,
        instructors_per_township: INSTRUCTORS,
        households_per_instructor: 0,
        visits_per_household: 0,
        seed: n as u64,
        ..CountySpec::default()
    };
    let mut county = demo::seed_county(store, &spec).await.unwrap();
    let mut rng = StdRng::seed_from_u64(n as u64);
    let mut ops = Vec::new();
    for one in &mut county.instructors {
        let villages: Vec<_> = county
            .villages
            .iter()
            .filter(|v| v.parent == Some(one.township))
            .map(|v| (v.id, v.name.clone()))
            .collect();
        let township = county
            .townships
            .iter()
            .find(|t| t.id == one.township)
            .unwrap();
        for h in 0..HOUSEHOLDS {
            let (village, village_name) = &villages[h % villages.len()];
            let names = [
                county.county.name.as_str(),
                township.name.as_str(),
                village_name,
            ];
            let mut household = demo::new_household(&mut rng, *village, names);
            household.instructor_id = Some(one.instructor.id);
            ops.push(op(Record::Household(household.clone())));
            one.households.push(household);
        }
    }
    push_all(store, county.office(), ops).await;

    let start = NaiveDate::from_ymd_opt(Utc::now().year(), 1, 1).unwrap();
    let days = (Utc::now().date_naive() - start).num_days().max(1);
    let per = visits / county.instructors.len();
    for one in &county.instructors {
        let actor = Actor {
            user: one.user.clone(),
            county_id: county.county.id,
            device_id: None,
        };
        let households: Vec<Uuid> = one.households.iter().map(|h| h.id).collect();
        let mut left = per;
        while left > 0 {
            let now = left.min(LOAD_BATCH);
            let ops = (0..now)
                .map(|i| {
                    let household = households[(left + i) % households.len()];
                    let date = start + Duration::days(rng.random_range(0..days));
                    let visit =
                        demo::random_visit(&mut rng, one.instructor.id, vec![household], date);
                    op(Record::Visit(visit))
                })
                .collect();
            push_all(store, actor.clone(), ops).await;
            left -= now;
        }
    }

    county
}

fn op(record: Record) -> Op {
    Op {
        op_id: new_id(),
        base: None,
        schema: SCHEMA_VERSION,
        record,
    }
}

async fn push_all(store: &Store, actor: Actor, ops: Vec<Op>) {
    let results = store
        .push(actor, ops, DeviceReport::default(), Utc::now())
        .await
        .unwrap();
    for result in results {
        assert_eq!(result.outcome, Outcome::Applied, "{result:?}");
    }
}
