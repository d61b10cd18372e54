//! Times the import of 10,000 households from XLSX and from CSV. Run with
//! `cargo bench -p fieldledger-office --bench import`.

#[path = "../tests/common/mod.rs"]
mod common;

use std::collections::{HashMap, HashSet};
use std::time::Instant;

use fieldledger_office::import::{self, Format, HOUSEHOLD_COLUMNS, HouseholdContext, VillageKey};

/// Households in the file: the size of a large county's register.
const HOUSEHOLDS: u64 = 10_000;

/// Runs per measurement; the median is reported.
const RUNS: usize = 5;

fn main() -> anyhow::Result<()> {
    let lines = lines();
    let xlsx = xlsx(&lines)?;
    let csv = csv(&lines)?;
    let villages: HashMap<VillageKey, uuid::Uuid> = common::villages()
        .into_iter()
        .map(|v| (VillageKey::new(&v.county, &v.township, &v.name), v.id))
        .collect();
    let (ids, mobiles) = (HashSet::new(), HashMap::new());
    let context = HouseholdContext {
        villages: &villages,
        known_ids: &ids,
        instructors_by_mobile: &mobiles,
    };
    for (name, bytes, format) in [("xlsx", &xlsx, Format::Xlsx), ("csv", &csv, Format::Csv)] {
        let mut times = Vec::new();
        for _ in 0..RUNS {
            let start = Instant::now();
            let imported = import::households(bytes, format, &context)?;
            times.push(start.elapsed());
            assert_eq!(imported.len() as u64, HOUSEHOLDS);
        }
        times.sort();
        println!(
            "import {HOUSEHOLDS} households from {name} ({} KiB): median {:?}",
            bytes.len() / 1024,
            times[RUNS / 2]
        );
    }
    Ok(())
}

fn lines() -> Vec<Vec<String>> {
    let villages = common::villages();
    let mut lines = vec![
        HOUSEHOLD_COLUMNS
            .iter()
            .map(|s| s.to_string())
            .collect::<Vec<_>>(),
    ];
    for n in 0..HOUSEHOLDS {
        let v = &villages[(n as usize) % villages.len()];
        lines.push(vec![
            v.county.clone(),
            v.township.clone(),
            v.name.clone(),
            format!("{}组", 1 + n % 5),
            format!("户主{n}"),
            common::resident_id(n),
            (1 + n % 6).to_string(),
        ]);
    }
    lines
}

fn xlsx(lines: &[Vec<String>]) -> anyhow::Result<Vec<u8>> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (r, line) in lines.iter().enumerate() {
        for (c, cell) in line.iter().enumerate() {
            sheet.write_string(r as u32, c as u16, cell)?;
        }
    }
    Ok(book.save_to_buffer()?)
}

fn csv(lines: &[Vec<String>]) -> anyhow::Result<Vec<u8>> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    for line in lines {
        writer.write_record(line)?;
    }
    Ok(writer.into_inner()?)
}
