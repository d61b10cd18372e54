//! Household import: one registered poor household per row.

use std::collections::{HashMap, HashSet};

use fieldledger_model::area::Location;
use fieldledger_model::roster::valid_mobile;
use fieldledger_model::{Household, ResidentId};
use uuid::Uuid;

use super::grid::Grid;
use super::row::Row;
use super::{Format, ImportError, ImportReport};

/// The columns a household file must have.
pub const HOUSEHOLD_COLUMNS: [&str; 7] = [
    "县（市、区、特区）",
    "乡（镇、社区）",
    "村",
    "村民组",
    "贫困户户主姓名",
    "身份证号",
    "人口数（人）",
];

/// The optional column naming the instructor to assign, by mobile number.
pub const MOBILE_COLUMN: &str = "产业指导员手机号码";

/// A village by its names.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct VillageKey {
    pub county: String,
    pub township: String,
    pub village: String,
}

impl VillageKey {
    pub fn new(county: &str, township: &str, village: &str) -> Self {
        Self {
            county: county.trim().to_owned(),
            township: township.trim().to_owned(),
            village: village.trim().to_owned(),
        }
    }
}

/// What a household import checks rows against.
#[derive(Debug, Clone, Copy)]
pub struct HouseholdContext<'a> {
    /// Known villages and their area ids.
    pub villages: &'a HashMap<VillageKey, Uuid>,
    /// ID numbers already registered, in normal form.
    pub known_ids: &'a HashSet<String>,
    /// Instructors by mobile number, for the optional assignment column.
    pub instructors_by_mobile: &'a HashMap<String, Uuid>,
}

/// A household read from a row, with its size, which the ledger keeps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedHousehold {
    /// A new household: fresh id, the village's id, the instructor's id when
    /// the row named one.
    pub household: Household,
    /// 人口数（人）, for the first ledger.
    pub population: u32,
    /// The spreadsheet row it came from.
    pub row: usize,
}

/// Reads every household of `bytes`, or reports every bad row.
pub fn households(
    bytes: &[u8],
    format: Format,
    context: &HouseholdContext,
) -> Result<Vec<ImportedHousehold>, ImportError> {
    let grid = Grid::read(bytes, format)?;
    let (columns, rows) = grid.header(&HOUSEHOLD_COLUMNS)?;
    let _span = tracing::info_span!("import_households", rows = rows.len()).entered();
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut imported = Vec::new();
    let mut report = ImportReport::default();
    let mut labels = HOUSEHOLD_COLUMNS.to_vec();
    labels.push(MOBILE_COLUMN);
    for (number, cells) in rows {
        let mut row = Row::new(*number, cells, &columns);
        if row.is_blank(&labels) {
            continue;
        }
        let household = read(&mut row, context, &mut seen);
        match household {
            Some(h) if row.problems.is_empty() => imported.push(h),
            _ => report.problems.append(&mut row.problems),
        }
    }
    finish(imported, report)
}

/// The records when the report is clean.
pub(super) fn finish<T>(records: Vec<T>, report: ImportReport) -> Result<Vec<T>, ImportError> {
    if !report.problems.is_empty() {
        tracing::info!(problems = report.problems.len(), "import refused");
        return Err(ImportError::Rows(report));
    }
    if records.is_empty() {
        return Err(ImportError::Empty);
    }
    tracing::info!(records = records.len(), "import read");
    Ok(records)
}

fn read(
    row: &mut Row,
    context: &HouseholdContext,
    seen: &mut HashMap<String, usize>,
) -> Option<ImportedHousehold> {
    let [county, township, village, group, name, id, size] = HOUSEHOLD_COLUMNS;
    let county = row.required(county);
    let township = row.required(township);
    let village_name = row.required(village);
    let head_name = row.required(name);
    let id_number = id_number(row, id, context, seen);
    let population = population(row, size);
    let village_id = match (county, township, village_name) {
        (Some(c), Some(t), Some(v)) => village_id(row, VillageKey::new(c, t, v), context),
        _ => None,
    };
    let instructor_id = instructor(row, context);
    let location = Location {
        county: county?.to_owned(),
        township: township?.to_owned(),
        village: village_name?.to_owned(),
        group: row.get(group).to_owned(),
    };

    Some(ImportedHousehold {
        household: Household {
            id: fieldledger_model::id::new_id(),
            head_name: head_name?.to_owned(),
            id_number: id_number?,
            location,
            village_id: Some(village_id?),
            instructor_id: instructor_id.ok()?,
        },
        population: population?,
        row: row.number,
    })
}

/// The ID number in normal form, refused when invalid, repeated in the file
/// or already registered.
fn id_number(
    row: &mut Row,
    label: &str,
    context: &HouseholdContext,
    seen: &mut HashMap<String, usize>,
) -> Option<String> {
    let text = row.required(label)?;
    let id = match ResidentId::parse(text) {
        Ok(id) => String::from(id),
        Err(why) => {
            row.problem(label, why.to_string());
            return None;
        }
    };
    if let Some(first) = seen.get(&id) {
        row.problem(label, format!("与第{first}行是同一户（身份证号重复）"));
        return None;
    }
    seen.insert(id.clone(), row.number);
    if context.known_ids.contains(&id) {
        row.problem(label, "该户已经登记，不能重复导入");
        return None;
    }
    Some(id)
}

fn population(row: &mut Row, label: &str) -> Option<u32> {
    let text = row.required(label)?;
    match text.parse::<u32>() {
        Ok(n) if n >= 1 => Some(n),
        _ => {
            row.problem(label, format!("人口数应为1以上的整数，现为“{text}”"));
            None
        }
    }
}

fn village_id(row: &mut Row, key: VillageKey, context: &HouseholdContext) -> Option<Uuid> {
    let found = context.villages.get(&key).copied();
    if found.is_none() {
        let reason = format!(
            "{}{}没有名为“{}”的村，请先登记该村或核对名称",
            key.county, key.township, key.village
        );
        row.problem(HOUSEHOLD_COLUMNS[2], reason);
    }
    found
}

/// The instructor named by mobile number: `Ok(None)` when the cell is
/// empty, `Err` after reporting a bad or unknown number.
fn instructor(row: &mut Row, context: &HouseholdContext) -> Result<Option<Uuid>, ()> {
    let mobile = row.get(MOBILE_COLUMN);
    if mobile.is_empty() {
        return Ok(None);
    }
    if !valid_mobile(mobile) {
        row.problem(
            MOBILE_COLUMN,
            format!("手机号码应为以1开头的11位数字，现为“{mobile}”"),
        );
        return Err(());
    }
    match context.instructors_by_mobile.get(mobile) {
        Some(id) => Ok(Some(*id)),
        None => {
            row.problem(
                MOBILE_COLUMN,
                "没有使用该手机号码的产业指导员，请先导入指导员名单",
            );
            Err(())
        }
    }
}
