//! Device store benchmark: a store with 10,000 households and 100,000
//! visits in a temporary directory, timing what the screens and the sync
//! engine do most. Plain `std::time`, median of several runs, printed as a
//! table with each target.
//!
//! `cargo bench -p fieldledger-device --bench store`

use std::time::{Duration, Instant};

use fieldledger_device::Store;
use fieldledger_device::store::{HouseholdQuery, ledger_draft_key, this_year};
use fieldledger_model::Ledger;

/// Households and visits, the size of a busy instructor's phone after years
/// of work.
const HOUSEHOLDS: usize = 10_000;
const VISITS: usize = 100_000;

/// Runs per measurement; the median is reported.
const RUNS: usize = 31;

fn median(mut f: impl FnMut()) -> Duration {
    let mut times: Vec<Duration> = (0..RUNS)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect();
    times.sort();
    times[RUNS / 2]
}

fn row(what: &str, took: Duration, target_ms: f64) {
    let ms = took.as_secs_f64() * 1000.0;
    let verdict = if ms < target_ms { "ok" } else { "MISSED" };
    println!("| {what:<44} | {ms:>9.3} | < {target_ms:>4} | {verdict:<6} |");
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let mut store = Store::open(dir.path())?;
    let start = Instant::now();
    fieldledger_device::demo::fill(&mut store, HOUSEHOLDS, VISITS, 2024)?;
    println!(
        "filled {HOUSEHOLDS} households, {VISITS} visits in {:.1} s",
        start.elapsed().as_secs_f64()
    );
    let year = this_year();
    let home = store.households(&HouseholdQuery::new(""))?[0].id;
    let mut ledger = store
        .ledger(home, year - 1)?
        .ok_or("demo household without a ledger")?;
    let some = store.households(&HouseholdQuery {
        offset: 5_000,
        limit: 1,
        ..HouseholdQuery::new("")
    })?;
    let tail = store
        .household(some[0].id)?
        .ok_or("missing household")?
        .id_number[14..]
        .to_owned();

    println!("| operation                                    | median ms | target | result |");
    println!("| -------------------------------------------- | --------: | -----: | ------ |");
    let mut population = 1;
    row(
        "durable save of one ledger + outbox entry",
        median(|| {
            population += 1;
            ledger.basic.population = Some(population);
            store
                .save_ledger(&ledger)
                .map(drop)
                .unwrap_or_else(|e| panic!("{e}"));
        }),
        5.0,
    );
    let key = ledger_draft_key(home, year);
    let draft = serde_json::to_string(&Ledger::new(home, year))?;
    row(
        "draft save (every keystroke)",
        median(|| {
            store
                .save_draft(&key, &draft)
                .unwrap_or_else(|e| panic!("{e}"));
        }),
        5.0,
    );
    let page = |text: &str| {
        let q = HouseholdQuery::new(text);
        move |s: &Store| {
            s.households(&q)
                .map(|rows| rows.len())
                .unwrap_or_else(|e| panic!("{e}"))
        }
    };
    let first = page("");
    row(
        "household list, first page (50 rows)",
        median(|| {
            first(&store);
        }),
        20.0,
    );
    let deep = HouseholdQuery {
        offset: 9_000,
        ..HouseholdQuery::new("")
    };
    row(
        "household list, page at offset 9,000",
        median(|| {
            store
                .households(&deep)
                .map(drop)
                .unwrap_or_else(|e| panic!("{e}"));
        }),
        20.0,
    );
    let by_name = page("德");
    println!(
        "|   (name search \"德\" finds {} on its first page)",
        by_name(&store)
    );
    row(
        "search by name (substring)",
        median(|| {
            by_name(&store);
        }),
        10.0,
    );
    let by_village = page("羊排");
    row(
        "search by village",
        median(|| {
            by_village(&store);
        }),
        10.0,
    );
    let by_tail = page(&tail);
    println!("|   (ID tail search \"{tail}\" finds {})", by_tail(&store));
    row(
        "search by ID tail (4 characters)",
        median(|| {
            by_tail(&store);
        }),
        10.0,
    );
    drop(store);
    let reopened = Store::open(dir.path())?;
    let cold = Instant::now();
    reopened.attachment4(year)?;
    row(
        "Attachment 4, first after opening (1 run)",
        cold.elapsed(),
        50.0,
    );
    let store = reopened;
    row(
        "Attachment 4 for this year",
        median(|| {
            store
                .attachment4(year)
                .map(drop)
                .unwrap_or_else(|e| panic!("{e}"));
        }),
        50.0,
    );
    row(
        "outbox batch of 200 ops",
        median(|| {
            store
                .outbox_batch(200, 1 << 20)
                .map(drop)
                .unwrap_or_else(|e| panic!("{e}"));
        }),
        20.0,
    );

    Ok(())
}
