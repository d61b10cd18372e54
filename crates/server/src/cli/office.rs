//! `admin export|import|coverage|spot-check` and `admin area
//! set-industries`: the office tables at the server's command line.

use std::path::PathBuf;

use anyhow::{Context, bail};
use chrono::NaiveDate;
use clap::{Args, ValueEnum};
use fieldledger_model::wire::ReportLevel;
use fieldledger_office::import::ImportError;
use fieldledger_server::office::{
    self, Attachment4Query, Export, Format, ImportKind, OfficeError, SpotCheckQuery,
};
use fieldledger_server::routes::exports::sample_size;
use fieldledger_server::store::Store;
use fieldledger_server::store::people::office as office_actor;
use uuid::Uuid;

/// The tables `admin export` writes.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ExportTable {
    Attachment2,
    Attachment3,
    Attachment4,
    Attachment5,
}

/// `admin export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    #[arg(value_enum)]
    pub table: ExportTable,
    #[arg(long)]
    pub county: Uuid,
    /// Attachments 4 and 5: the year.
    #[arg(long)]
    pub year: Option<i32>,
    /// Attachment 4: the last day counted, YYYY-MM-DD.
    #[arg(long)]
    pub to: Option<NaiveDate>,
    /// Attachment 4: county, township or instructor.
    #[arg(long, default_value = "county", value_parser = parse_report_level)]
    pub level: ReportLevel,
    /// Attachment 5: the household.
    #[arg(long)]
    pub household: Option<Uuid>,
    /// xlsx or csv.
    #[arg(long, default_value = "xlsx", value_parser = parse_format)]
    pub format: Format,
    #[arg(long)]
    pub out: PathBuf,
}

/// What `admin import` reads.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ImportWhat {
    Households,
    Instructors,
}

/// `admin import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    #[arg(value_enum)]
    pub what: ImportWhat,
    #[arg(long)]
    pub county: Uuid,
    /// An XLSX or CSV file.
    pub file: PathBuf,
}

/// `admin spot-check`.
#[derive(Debug, Args)]
pub struct SpotCheckArgs {
    #[arg(long)]
    pub county: Uuid,
    #[arg(long)]
    pub seed: u64,
    /// Households per county.
    #[arg(long, conflicts_with = "percent", required_unless_present = "percent")]
    pub count: Option<usize>,
    /// Percentage of each county's households, rounded up.
    #[arg(long)]
    pub percent: Option<f64>,
    /// Whose ledgers to show; this year when absent.
    #[arg(long)]
    pub year: Option<i32>,
    #[arg(long, default_value = "xlsx", value_parser = parse_format)]
    pub format: Format,
    #[arg(long)]
    pub out: PathBuf,
}

fn parse_format(text: &str) -> Result<Format, String> {
    Format::parse(text).map_err(|e| e.to_string())
}

fn parse_report_level(text: &str) -> Result<ReportLevel, String> {
    match text {
        "county" => Ok(ReportLevel::County),
        "township" => Ok(ReportLevel::Township),
        "instructor" => Ok(ReportLevel::Instructor),
        _ => Err("expected county, township or instructor".into()),
    }
}

fn save(export: &Export, out: &PathBuf) -> anyhow::Result<()> {
    std::fs::write(out, &export.bytes).with_context(|| format!("writing {}", out.display()))?;
    println!("{} → {}", export.filename, out.display());
    Ok(())
}

/// Runs `admin export`.
pub async fn export(store: &Store, a: ExportArgs) -> anyhow::Result<()> {
    let export = match a.table {
        ExportTable::Attachment2 => office::attachment2(store, a.county, a.format).await?,
        ExportTable::Attachment3 => office::attachment3(store, a.county, a.format).await?,
        ExportTable::Attachment4 => {
            let query = Attachment4Query {
                year: a.year.context("附件4需要 --year")?,
                to: a.to,
                level: a.level,
            };
            office::attachment4(store, a.county, query, a.format).await?
        }
        ExportTable::Attachment5 => {
            let household = a.household.context("附件5需要 --household")?;
            let year = a.year.context("附件5需要 --year")?;
            office::attachment5(store, a.county, household, year, a.format).await?
        }
    };
    save(&export, &a.out)
}

/// Runs `admin import`; bad rows are printed in Chinese and the command
/// fails with nothing written.
pub async fn import(store: &Store, a: ImportArgs) -> anyhow::Result<()> {
    let bytes = std::fs::read(&a.file).with_context(|| format!("reading {}", a.file.display()))?;
    let kind = match a.what {
        ImportWhat::Households => ImportKind::Households,
        ImportWhat::Instructors => ImportKind::Instructors,
    };
    match office::import(store, &office_actor(a.county), a.county, kind, &bytes).await {
        Ok(n) => {
            println!("已导入{n}条记录。");
            Ok(())
        }
        Err(OfficeError::Import(ImportError::Rows(report))) => {
            eprint!("{report}");
            bail!("导入失败，未写入任何记录")
        }
        Err(e) => Err(e.into()),
    }
}

/// Runs `admin coverage`.
pub async fn coverage(store: &Store, county: Uuid) -> anyhow::Result<()> {
    print!("{}", office::coverage(store, county).await?);
    Ok(())
}

/// Runs `admin spot-check`.
pub async fn spot_check(store: &Store, a: SpotCheckArgs) -> anyhow::Result<()> {
    let query = SpotCheckQuery {
        seed: a.seed,
        size: sample_size(a.count, a.percent)?,
        year: a.year,
    };
    save(
        &office::spot_check(store, a.county, query, a.format).await?,
        &a.out,
    )
}

/// Runs `admin area set-industries`.
pub async fn set_industries(
    store: &Store,
    village: Uuid,
    count: Option<u32>,
) -> anyhow::Result<()> {
    let area = store.area(village).await?.context("no such village")?;
    office::set_main_industries(store, area.county_id, village, count).await?;
    match count {
        Some(n) => println!("{} 主导产业{n}个", area.name),
        None => println!("{} 主导产业数未知", area.name),
    }
    Ok(())
}
