//! Writes every office export, as XLSX and CSV, from seeded sample data
//! into the directory given as the only argument; the images under
//! docs/exports are rendered from these files.

#[path = "../tests/common/mod.rs"]
mod common;

use std::path::{Path, PathBuf};

use anyhow::Context;
use chrono::NaiveDate;
use fieldledger_model::tally::Period;
use fieldledger_office::coverage::{self, CoverageInput};
use fieldledger_office::spotcheck::{self, Drawn, SampleSize};
use fieldledger_office::{
    Heading, Table, attachment2, attachment3, attachment4, attachment5, table_to_csv, table_to_xlsx,
};

/// The seed of the spot-check sample shown in the images.
const SPOT_SEED: u64 = 20240615;

fn main() -> anyhow::Result<()> {
    let dir: PathBuf = std::env::args_os()
        .nth(1)
        .context("usage: sample_exports <output directory>")?
        .into();
    std::fs::create_dir_all(&dir)?;
    let date = NaiveDate::from_ymd_opt(2024, 6, 15).context("date")?;
    let heading = Heading::new("某某市产业指导员联络办公室", date);
    let instructors = common::instructors(9, 7);
    let households = common::households(120, &instructors, 11);
    let villages = common::villages();

    let roster = attachment2::table(
        &instructors,
        &common::guided_counts(&households),
        heading.clone(),
    );
    write_table(&dir, "attachment2", &roster)?;

    let input = CoverageInput {
        households: &households,
        instructors: &instructors,
        villages: &villages,
    };
    let coverage = attachment3::table(&coverage::attachment3_rows(&input), heading.clone());
    write_table(&dir, "attachment3", &coverage)?;

    let visits = common::visits(&households, 2024, 5);
    let report = common::attachment4_report(&instructors, &visits, Period::year_to(2024, 6, 15));
    write_table(
        &dir,
        "attachment4",
        &attachment4::table(&report, heading.clone()),
    )?;

    let ledger = common::full_ledger(&households[1]);
    std::fs::write(
        dir.join("attachment5.xlsx"),
        attachment5::to_xlsx(&households[1], &ledger)?,
    )?;
    std::fs::write(
        dir.join("attachment5.csv"),
        attachment5::to_csv(&households[1], &ledger)?,
    )?;

    let size = SampleSize::Count(3);
    let sample = spotcheck::sample(&households, SPOT_SEED, size);
    let chosen: Vec<_> = sample
        .values()
        .flatten()
        .filter_map(|id| households.iter().find(|h| h.id == *id))
        .map(|household| (household, common::full_ledger(household)))
        .collect();
    let drawn: Vec<Drawn> = chosen
        .iter()
        .map(|(household, ledger)| Drawn {
            household,
            ledger: Some(ledger),
        })
        .collect();
    write_table(
        &dir,
        "spotcheck",
        &spotcheck::table(&drawn, SPOT_SEED, size, heading),
    )?;

    Ok(())
}

fn write_table(dir: &Path, name: &str, table: &Table) -> anyhow::Result<()> {
    std::fs::write(dir.join(format!("{name}.xlsx")), table_to_xlsx(table)?)?;
    std::fs::write(dir.join(format!("{name}.csv")), table_to_csv(table)?)?;
    Ok(())
}
