//! The office tables of one county, from the store: Attachments 2 to 5 and
//! the spot-check list as XLSX or CSV, the coverage check, and imports.
//! Shared by the command line (`admin export|import|coverage|spot-check`)
//! and the `/v1/counties/{id}/...` endpoints; the tables themselves are
//! drawn by [`fieldledger_office`].
//!
//! Every function takes the county it works in; callers check that the
//! person acting may work there.

mod coverage;
mod import;

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate, Utc};
use fieldledger_model::area::AreaLevel;
use fieldledger_model::tally::Period;
use fieldledger_model::wire::{Attachment4Report, ReportLevel};
use fieldledger_office::spotcheck::{Drawn, SampleSize};
use fieldledger_office::{ExportError, Heading, Table, import::ImportError};
use uuid::Uuid;

use crate::store::office::CountyData;
use crate::store::records::AreaRow;
use crate::store::{Store, StoreError};

pub use coverage::{CoverageAnswer, OverloadedInstructor, ShortVillage, UnassignedHousehold};
pub use import::{ImportKind, import};

/// Why an office table could not be made.
#[derive(Debug, thiserror::Error)]
pub enum OfficeError {
    #[error("没有找到{0}")]
    NotFound(&'static str),
    #[error("{0}")]
    Invalid(String),
    #[error("storage failed")]
    Store(#[from] StoreError),
    #[error("export failed")]
    Export(#[from] ExportError),
    #[error("{0}")]
    Import(#[from] ImportError),
}

/// The file format of an export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    #[default]
    Xlsx,
    Csv,
}

impl Format {
    /// `xlsx` or `csv`.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Xlsx => "xlsx",
            Format::Csv => "csv",
        }
    }

    /// The media type of the file.
    pub fn content_type(self) -> &'static str {
        match self {
            Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Format::Csv => "text/csv; charset=utf-8",
        }
    }

    /// Parses `xlsx` or `csv`.
    pub fn parse(text: &str) -> Result<Self, OfficeError> {
        match text.trim().to_ascii_lowercase().as_str() {
            "xlsx" => Ok(Format::Xlsx),
            "csv" => Ok(Format::Csv),
            _ => Err(OfficeError::Invalid("文件格式应为 xlsx 或 csv".into())),
        }
    }
}

/// A file ready to hand out.
#[derive(Debug, Clone)]
pub struct Export {
    /// The file's name in Chinese, with its extension.
    pub filename: String,
    /// An ASCII name for clients that cannot read the Chinese one.
    pub ascii_filename: String,
    pub format: Format,
    pub bytes: Vec<u8>,
}

/// Attachment 4's period and breakdown.
#[derive(Debug, Clone, Copy)]
pub struct Attachment4Query {
    pub year: i32,
    /// The last day counted; 31 December when absent.
    pub to: Option<NaiveDate>,
    pub level: ReportLevel,
}

/// A spot-check draw.
#[derive(Debug, Clone, Copy)]
pub struct SpotCheckQuery {
    pub seed: u64,
    pub size: SampleSize,
    /// Whose ledgers to show; this year when absent.
    pub year: Option<i32>,
}

/// The county area `county`, refused when it is not a county.
pub async fn county(store: &Store, county: Uuid) -> Result<AreaRow, OfficeError> {
    match store.area(county).await? {
        Some(area) if area.level == AreaLevel::County => Ok(area),
        _ => Err(OfficeError::NotFound("这个县")),
    }
}

fn heading(county: &AreaRow) -> Heading {
    Heading::new(
        format!("{}产业指导员联络办公室", county.name),
        Utc::now().date_naive(),
    )
}

fn write(table: &Table, format: Format, name: &str, ascii: &str) -> Result<Export, OfficeError> {
    let bytes = match format {
        Format::Xlsx => fieldledger_office::table_to_xlsx(table)?,
        Format::Csv => fieldledger_office::table_to_csv(table)?,
    };
    Ok(Export {
        filename: format!("{name}.{}", format.extension()),
        ascii_filename: format!("{ascii}.{}", format.extension()),
        format,
        bytes,
    })
}

/// Attachment 2, the county's instructor roster; households guided are
/// counted from the households' current assignments.
pub async fn attachment2(store: &Store, id: Uuid, format: Format) -> Result<Export, OfficeError> {
    let county = county(store, id).await?;
    let data = store.county_data(id).await?;
    let mut guided: HashMap<Uuid, u64> = HashMap::new();
    for household in &data.households {
        if let Some(instructor) = household.instructor_id {
            *guided.entry(instructor).or_default() += 1;
        }
    }
    let table =
        fieldledger_office::attachment2::table(&data.instructors, &guided, heading(&county));
    let name = format!(
        "附件2_{}_{}",
        fieldledger_office::attachment2::TITLE,
        county.name
    );
    write(&table, format, &name, "attachment2")
}

/// Attachment 3, the county's coverage.
pub async fn attachment3(store: &Store, id: Uuid, format: Format) -> Result<Export, OfficeError> {
    let county = county(store, id).await?;
    let data = store.county_data(id).await?;
    let villages = coverage::villages(&data, &county.name);
    let input = fieldledger_office::coverage::CoverageInput {
        households: &data.households,
        instructors: &data.instructors,
        villages: &villages,
    };
    let rows = fieldledger_office::coverage::attachment3_rows(&input);
    let table = fieldledger_office::attachment3::table(&rows, heading(&county));
    let name = format!(
        "附件3_{}_{}",
        fieldledger_office::attachment3::TITLE,
        county.name
    );
    write(&table, format, &name, "attachment3")
}

/// The period of Attachment 4, checked as the JSON report checks it.
pub fn period(year: i32, to: Option<NaiveDate>) -> Result<Period, OfficeError> {
    if !(2000..=2200).contains(&year) {
        return Err(OfficeError::Invalid("年份不正确".into()));
    }
    match to {
        None => Ok(Period::year(year)),
        Some(to) if to.year() == year => Ok(Period::year_to(year, to.month(), to.day())),
        Some(_) => Err(OfficeError::Invalid("截止日期应在所选年份之内".into())),
    }
}

/// Attachment 4 of the county, from the same store query as
/// `GET /v1/reports/attachment4`, so the figures are the same.
pub async fn attachment4_report(
    store: &Store,
    id: Uuid,
    query: Attachment4Query,
) -> Result<(AreaRow, Attachment4Report), OfficeError> {
    let county = county(store, id).await?;
    let period = period(query.year, query.to)?;
    let report = store
        .attachment4(county.clone(), query.level, period)
        .await?;
    Ok((county, report))
}

/// Attachment 4 of the county as a file.
pub async fn attachment4(
    store: &Store,
    id: Uuid,
    query: Attachment4Query,
    format: Format,
) -> Result<Export, OfficeError> {
    let (county, report) = attachment4_report(store, id, query).await?;
    let table = fieldledger_office::attachment4::table(&report, heading(&county));
    let name = format!(
        "附件4_{}_{}_{}",
        fieldledger_office::attachment4::TITLE,
        county.name,
        report.period.to
    );
    write(&table, format, &name, "attachment4")
}

/// Attachment 5, one household's ledger for `year`; the household must be
/// in the county.
pub async fn attachment5(
    store: &Store,
    id: Uuid,
    household: Uuid,
    year: i32,
    format: Format,
) -> Result<Export, OfficeError> {
    county(store, id).await?;
    let data = store.county_data(id).await?;
    let found = data
        .households
        .iter()
        .find(|h| h.id == household)
        .ok_or(OfficeError::NotFound("本县的这户贫困户"))?;
    let ledgers = data.ledgers_of_year(year);
    let ledger = ledgers
        .get(&household)
        .ok_or(OfficeError::NotFound("这户当年的台账"))?;
    let bytes = match format {
        Format::Xlsx => fieldledger_office::attachment5::to_xlsx(found, ledger)?,
        Format::Csv => fieldledger_office::attachment5::to_csv(found, ledger)?,
    };
    Ok(Export {
        filename: format!(
            "附件5_{}_{}_{year}.{}",
            fieldledger_office::attachment5::TITLE,
            found.head_name,
            format.extension()
        ),
        ascii_filename: format!("attachment5-{year}.{}", format.extension()),
        format,
        bytes,
    })
}

/// The spot-check list of the county: a reproducible sample of its
/// households, each with its latest ledger of the year.
pub async fn spot_check(
    store: &Store,
    id: Uuid,
    query: SpotCheckQuery,
    format: Format,
) -> Result<Export, OfficeError> {
    let county = county(store, id).await?;
    if let SampleSize::Percent(p) = query.size
        && !(p > 0.0 && p <= 100.0)
    {
        return Err(OfficeError::Invalid("抽查比例应在0到100之间".into()));
    }
    let data = store.county_data(id).await?;
    let year = query.year.unwrap_or_else(|| Utc::now().year());
    let table = spot_check_table(&data, &county, query, year);
    let name = format!(
        "{}_{}_{year}_种子{}",
        fieldledger_office::spotcheck::TITLE,
        county.name,
        query.seed
    );
    write(&table, format, &name, "spot-check")
}

fn spot_check_table(
    data: &CountyData,
    county: &AreaRow,
    query: SpotCheckQuery,
    year: i32,
) -> Table {
    let sample = fieldledger_office::spotcheck::sample(&data.households, query.seed, query.size);
    let ledgers = data.ledgers_of_year(year);
    let by_id: HashMap<Uuid, _> = data.households.iter().map(|h| (h.id, h)).collect();
    let drawn: Vec<Drawn> = sample
        .values()
        .flatten()
        .filter_map(|id| {
            by_id.get(id).map(|household| Drawn {
                household,
                ledger: ledgers.get(id).copied(),
            })
        })
        .collect();
    fieldledger_office::spotcheck::table(&drawn, query.seed, query.size, heading(county))
}

/// The ids of the households a spot check draws, in the order drawn.
pub async fn spot_check_ids(
    store: &Store,
    id: Uuid,
    seed: u64,
    size: SampleSize,
) -> Result<Vec<Uuid>, OfficeError> {
    county(store, id).await?;
    let data = store.county_data(id).await?;
    let sample = fieldledger_office::spotcheck::sample(&data.households, seed, size);
    Ok(sample.into_values().flatten().collect())
}

/// Sets a village's number of main industries (none: unknown); the
/// village must be in the county.
pub async fn set_main_industries(
    store: &Store,
    county_id: Uuid,
    village: Uuid,
    industries: Option<u32>,
) -> Result<(), OfficeError> {
    match store.area(village).await? {
        Some(area) if area.county_id == county_id && area.level == AreaLevel::Village => {
            store.set_main_industries(village, industries).await?;
            Ok(())
        }
        _ => Err(OfficeError::NotFound("本县的这个村")),
    }
}

pub use coverage::coverage;
