//! Attachment 4, 贫困农户产业指导员工作情况统计表: work statistics for a
//! year or a half-year to date, one line per county, township or
//! instructor, from a [`Attachment4Report`].

use fieldledger_model::tally::{Attachment4, WorkItem};
use fieldledger_model::wire::{Attachment4Report, ReportLevel};

use crate::table::{Header, Heading, ROW_HEIGHT, Table, Value, chinese_date};

/// The table's title, as the plan prints it.
pub const TITLE: &str = "贫困农户产业指导员工作情况统计表";

/// The plan's notes under the table.
pub const NOTES: [&str; 2] = [
    "注：1、统计数据均为当年累计情况。",
    "    2、统计表中的农户均指贫困农户",
];

/// Width of each item column: a label of up to seven characters a line.
const ITEM_WIDTH: f64 = 12.0;

/// The label of the name column for a report's level.
pub fn name_label(level: ReportLevel) -> &'static str {
    match level {
        ReportLevel::County => "县名",
        ReportLevel::Township => "乡（镇）名",
        ReportLevel::Instructor => "产业指导员姓名",
    }
}

/// An item's column label with its unit: `入户宣讲政策（次）`.
pub fn item_label(item: WorkItem) -> String {
    format!("{}（{}）", item.label(), item.unit())
}

/// The column labels, left to right.
pub fn columns(level: ReportLevel) -> Vec<String> {
    let mut labels = vec!["序号".to_owned(), name_label(level).to_owned()];
    labels.extend(WorkItem::ALL.iter().map(|item| item_label(*item)));
    labels
}

/// Attachment 4 for `report`. The 合计 line is `report.total`, not the sum
/// of the lines: a household served by two instructors counts once there.
pub fn table(report: &Attachment4Report, heading: Heading) -> Table {
    let widths = [5.0, 12.0];
    let headers = columns(report.level)
        .into_iter()
        .enumerate()
        .map(|(i, label)| Header::column(label, widths.get(i).copied().unwrap_or(ITEM_WIDTH)))
        .collect();
    let rows = report
        .rows
        .iter()
        .enumerate()
        .map(|(i, row)| {
            let mut cells = vec![Value::Count(i as u64 + 1), Value::text(&row.name)];
            cells.extend(figures(&row.figures));
            cells
        })
        .collect();
    let mut total = vec![Value::text("合计"), Value::Blank];
    total.extend(figures(&report.total));
    let period = format!(
        "统计时段：{}至{}",
        chinese_date(report.period.from),
        chinese_date(report.period.to)
    );

    Table {
        sheet_name: "附件4".into(),
        title: TITLE.into(),
        heading,
        unit_note: Some(period),
        headers,
        rows,
        total: Some(total),
        notes: NOTES.iter().map(|n| (*n).to_owned()).collect(),
        row_height: ROW_HEIGHT,
    }
}

/// The eleven figures in the form's units: counts as numbers, 元 and 万元
/// as exact decimals.
fn figures(figures: &Attachment4) -> Vec<Value> {
    WorkItem::ALL
        .iter()
        .map(|item| {
            let text = figures.figure(*item);
            match text.parse::<u64>() {
                Ok(n) if !matches!(item, WorkItem::Funds | WorkItem::SalesIncome) => {
                    Value::Count(n)
                }
                _ => Value::decimal(text),
            }
        })
        .collect()
}
