//! Instructor import: the Attachment 2 columns, one instructor per row.
//! 序号 and 指导贫困农户数量（户） are read past: the number is the file's,
//! and households guided follow from the households' assignments.

use std::collections::{HashMap, HashSet};

use fieldledger_model::YearMonth;
use fieldledger_model::choice::Choice;
use fieldledger_model::roster::{Instructor, Sex, Source, valid_mobile};
use uuid::Uuid;

use super::grid::Grid;
use super::households::finish;
use super::row::Row;
use super::{Format, ImportError, ImportReport};
use crate::attachment2::COLUMNS;

/// The columns an instructor file must have.
const REQUIRED: [&str; 4] = ["县名", "姓名", "手机号码", "指导员来源"];

/// The Attachment 2 columns the import reads.
const READ: [&str; 12] = [
    "县名",
    "姓名",
    "性别",
    "出生年月",
    "政治面貌",
    "学历",
    "专业",
    "工作单位",
    "职称或职务",
    "手机号码",
    "指导员来源",
    "指导贫困乡村名称",
];

/// What an instructor import checks rows against.
#[derive(Debug, Clone, Copy)]
pub struct InstructorContext<'a> {
    /// Known counties by name, and their area ids.
    pub counties: &'a HashMap<String, Uuid>,
    /// Mobile numbers of instructors already on the roster.
    pub known_mobiles: &'a HashSet<String>,
}

/// Reads every instructor of `bytes`, or reports every bad row.
pub fn instructors(
    bytes: &[u8],
    format: Format,
    context: &InstructorContext,
) -> Result<Vec<Instructor>, ImportError> {
    debug_assert!(READ.iter().all(|label| COLUMNS.contains(label)));
    let grid = Grid::read(bytes, format)?;
    let (columns, rows) = grid.header(&REQUIRED)?;
    let _span = tracing::info_span!("import_instructors", rows = rows.len()).entered();
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut imported = Vec::new();
    let mut report = ImportReport::default();
    for (number, cells) in rows {
        let mut row = Row::new(*number, cells, &columns);
        if row.is_blank(&READ) {
            continue;
        }
        match read(&mut row, context, &mut seen) {
            Some(instructor) if row.problems.is_empty() => imported.push(instructor),
            _ => report.problems.append(&mut row.problems),
        }
    }
    finish(imported, report)
}

fn read(
    row: &mut Row,
    context: &InstructorContext,
    seen: &mut HashMap<String, usize>,
) -> Option<Instructor> {
    let county = row.required("县名");
    let county_id = county.and_then(|name| county_id(row, name, context));
    let name = row.required("姓名");
    let sex = sex(row);
    let birth = birth(row);
    let mobile = mobile(row, context, seen);
    let source = source(row);
    let villages = row
        .get("指导贫困乡村名称")
        .split(['、', '，', ',', '；', ';'])
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
        .collect();

    Some(Instructor {
        id: fieldledger_model::id::new_id(),
        county_id: county_id?,
        county: county?.to_owned(),
        name: name?.to_owned(),
        sex: sex.ok()?,
        birth: birth.ok()?,
        political_status: row.get("政治面貌").to_owned(),
        education: row.get("学历").to_owned(),
        major: row.get("专业").to_owned(),
        employer: row.get("工作单位").to_owned(),
        title: row.get("职称或职务").to_owned(),
        mobile: mobile?,
        source: source?,
        villages,
    })
}

fn county_id(row: &mut Row, name: &str, context: &InstructorContext) -> Option<Uuid> {
    let found = context.counties.get(name).copied();
    if found.is_none() {
        row.problem("县名", format!("没有名为“{name}”的县，请核对名称"));
    }
    found
}

/// `Ok(None)` for an empty cell; `Err` after reporting a bad one.
fn sex(row: &mut Row) -> Result<Option<Sex>, ()> {
    let text = row.get("性别");
    if text.is_empty() {
        return Ok(None);
    }
    Sex::from_label(text).map(Some).ok_or_else(|| {
        row.problem("性别", format!("性别应填“男”或“女”，现为“{text}”"));
    })
}

/// `Ok(None)` for an empty cell; `Err` after reporting a bad one. A date
/// cell reads as `YYYY-MM-DD`, of which the year and month count.
fn birth(row: &mut Row) -> Result<Option<YearMonth>, ()> {
    let text = row.get("出生年月");
    if text.is_empty() {
        return Ok(None);
    }
    let year_month = text.get(..7).filter(|_| text.len() == 10).unwrap_or(text);
    YearMonth::parse(year_month).map(Some).map_err(|why| {
        row.problem("出生年月", why.to_string());
    })
}

fn mobile(
    row: &mut Row,
    context: &InstructorContext,
    seen: &mut HashMap<String, usize>,
) -> Option<String> {
    let mobile = row.required("手机号码")?;
    if !valid_mobile(mobile) {
        row.problem(
            "手机号码",
            format!("手机号码应为以1开头的11位数字，现为“{mobile}”"),
        );
        return None;
    }
    if let Some(first) = seen.get(mobile) {
        row.problem(
            "手机号码",
            format!("与第{first}行的手机号码相同，同一指导员只能登记一次"),
        );
        return None;
    }
    seen.insert(mobile.to_owned(), row.number);
    if context.known_mobiles.contains(mobile) {
        row.problem("手机号码", "该手机号码的指导员已在名单中");
        return None;
    }
    Some(mobile.to_owned())
}

fn source(row: &mut Row) -> Option<Source> {
    let text = row.required("指导员来源")?;
    let found = Source::from_label(text);
    if found.is_none() {
        let labels: Vec<&str> = Source::ALL.iter().map(|s| s.label()).collect();
        let reason = format!(
            "指导员来源“{text}”不在规定类型中，应为其中一种：{}",
            labels.join("、")
        );
        row.problem("指导员来源", reason);
    }
    found
}
