//! Commands that write records: households, visits, photos.

use std::path::Path;

use chrono::NaiveDate;
use clap::{Args as ClapArgs, Subcommand};
use fieldledger_device::Store;
use fieldledger_device::photo;
use fieldledger_device::store::HouseholdQuery;
use fieldledger_model::area::Location;
use fieldledger_model::id::new_id;
use fieldledger_model::visit::Work;
use fieldledger_model::wire::Record;
use fieldledger_model::{Household, Visit};
use uuid::Uuid;

use super::Error;

#[derive(Debug, Subcommand)]
pub enum HouseholdCommand {
    /// Add one household.
    Add(HouseholdArgs),
    /// Import households from a CSV file with a header row and the columns
    /// 户主姓名,身份证号,县,乡镇,村,组 — all of them or none.
    Import { file: std::path::PathBuf },
    /// List the households held, one per line: id, name, masked ID number.
    List,
}

#[derive(Debug, ClapArgs)]
pub struct HouseholdArgs {
    #[arg(long)]
    name: String,
    #[arg(long)]
    id_number: String,
    #[arg(long)]
    county: String,
    #[arg(long)]
    township: String,
    #[arg(long)]
    village: String,
    #[arg(long, default_value = "")]
    group: String,
}

#[derive(Debug, Subcommand)]
pub enum VisitCommand {
    /// Log a visit; prints its id.
    Log(VisitArgs),
}

#[derive(Debug, ClapArgs)]
pub struct VisitArgs {
    /// A household visited; repeat for several.
    #[arg(long = "household", required = true)]
    households: Vec<Uuid>,
    /// The instructor; the enrolled user's roster entry by default.
    #[arg(long)]
    instructor: Option<Uuid>,
    /// YYYY-MM-DD; today by default.
    #[arg(long)]
    date: Option<NaiveDate>,
    #[arg(long, default_value = "")]
    note: String,
    /// 入户宣讲政策（次）
    #[arg(long, default_value_t = 0)]
    policy: u32,
    /// 联系开展技术指导（次）
    #[arg(long, default_value_t = 0)]
    tech: u32,
    /// A photo file to attach; repeat for several.
    #[arg(long = "photo")]
    photos: Vec<std::path::PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum PhotoCommand {
    /// Attach a photo file to a visit already logged.
    Attach {
        #[arg(long)]
        visit: Uuid,
        file: std::path::PathBuf,
    },
}

pub fn household(dir: &Path, command: HouseholdCommand) -> Result<(), Error> {
    let mut store = Store::open(dir)?;
    match command {
        HouseholdCommand::Add(a) => {
            let h = new_household(
                a.name,
                a.id_number,
                [a.county, a.township, a.village, a.group],
            );
            store.save_household(&h)?;
            println!("{}", h.id);
        }
        HouseholdCommand::Import { file } => {
            let records = read_csv(&file)?;
            let n = records.len();
            store.save_all(records)?;
            println!("已导入 {n} 户");
        }
        HouseholdCommand::List => {
            for row in store.households(&HouseholdQuery::new(""))? {
                println!("{}\t{}", row.id, row.head_name);
            }
        }
    }

    Ok(())
}

fn new_household(name: String, id_number: String, place: [String; 4]) -> Household {
    let [county, township, village, group] = place;
    Household {
        id: new_id(),
        head_name: name,
        id_number,
        location: Location {
            county,
            township,
            village,
            group,
        },
        village_id: None,
        instructor_id: None,
    }
}

/// Reads the import file; a bad row names its line and field.
fn read_csv(file: &Path) -> Result<Vec<Record>, Error> {
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_path(file)?;
    let mut records = Vec::new();
    for (i, row) in reader.records().enumerate() {
        let row = row?;
        let field = |n: usize| row.get(n).unwrap_or("").trim().to_owned();
        let h = new_household(field(0), field(1), [field(2), field(3), field(4), field(5)]);
        let report = Record::Household(h.clone()).validate();
        if report.has_errors() {
            return Err(format!("第 {} 行：{}", i + 2, report.summary()).into());
        }
        records.push(Record::Household(h));
    }

    Ok(records)
}

pub fn visit(dir: &Path, command: VisitCommand) -> Result<(), Error> {
    let VisitCommand::Log(a) = command;
    let mut store = Store::open(dir)?;
    let id = new_id();
    let mut photos = Vec::new();
    for file in &a.photos {
        let prepared = photo::attach(&mut store, dir, id, &std::fs::read(file)?)?;
        photos.push(prepared.sha256);
    }
    let visit = Visit {
        id,
        instructor_id: a.instructor.unwrap_or_else(|| default_instructor(dir)),
        date: a.date.unwrap_or_else(|| chrono::Local::now().date_naive()),
        households: a.households,
        work: Work {
            policy_talks: a.policy,
            tech_guidance: a.tech,
            ..Work::default()
        },
        note: a.note,
        position: None,
        photos,
    };
    store.save_visit(&visit)?;
    println!("{id}");

    Ok(())
}

/// The enrolled user's roster entry, or nil when not enrolled.
pub fn default_instructor(dir: &Path) -> Uuid {
    let path = fieldledger_device::sync::credentials_path(dir);
    fieldledger_device::sync::Credentials::load(&path)
        .ok()
        .flatten()
        .and_then(|c| c.user.instructor_id)
        .unwrap_or_default()
}

pub fn photo(dir: &Path, command: PhotoCommand) -> Result<(), Error> {
    let PhotoCommand::Attach { visit, file } = command;
    let mut store = Store::open(dir)?;
    let mut record = store.visit(visit)?.ok_or("找不到该走访记录")?;
    let prepared = photo::attach(&mut store, dir, visit, &std::fs::read(file)?)?;
    if !record.photos.contains(&prepared.sha256) {
        record.photos.push(prepared.sha256.clone());
        store.save_visit(&record)?;
    }
    println!("{}", prepared.sha256);

    Ok(())
}
