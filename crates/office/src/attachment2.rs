//! Attachment 2, 贫困户产业指导员人员信息台账表: the instructor roster.

use std::collections::HashMap;

use fieldledger_model::choice::Choice;
use fieldledger_model::roster::{Instructor, Source};
use uuid::Uuid;

use crate::table::{Header, Heading, ROW_HEIGHT, Table, Value};

/// The table's title, as the plan prints it.
pub const TITLE: &str = "贫困户产业指导员人员信息台账表";

/// The roster's column labels, left to right.
pub const COLUMNS: [&str; 14] = [
    "序号",
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
    "指导贫困农户数量（户）",
];

/// Width in characters of each column of [`COLUMNS`].
const WIDTHS: [f64; 14] = [
    5.0, 10.0, 8.0, 5.0, 9.0, 9.0, 8.0, 10.0, 16.0, 10.0, 13.0, 14.0, 18.0, 10.0,
];

/// The roster of `instructors`, in the order given. `households` holds the
/// number of households each instructor guides; one missing counts as 0.
pub fn table(
    instructors: &[Instructor],
    households: &HashMap<Uuid, u64>,
    heading: Heading,
) -> Table {
    let rows: Vec<Vec<Value>> = instructors
        .iter()
        .enumerate()
        .map(|(i, instructor)| row(i + 1, instructor, households))
        .collect();
    let guided: u64 = instructors
        .iter()
        .map(|i| households.get(&i.id).copied().unwrap_or(0))
        .sum();
    let mut total = vec![Value::text("合计")];
    total.extend(std::iter::repeat_n(Value::Blank, COLUMNS.len() - 2));
    total.push(Value::Count(guided));

    Table {
        sheet_name: "附件2".into(),
        title: TITLE.into(),
        heading,
        unit_note: None,
        headers: COLUMNS
            .iter()
            .zip(WIDTHS)
            .map(|(label, width)| Header::column(*label, width))
            .collect(),
        rows,
        total: Some(total),
        notes: vec![source_note()],
        row_height: ROW_HEIGHT,
    }
}

fn row(number: usize, i: &Instructor, households: &HashMap<Uuid, u64>) -> Vec<Value> {
    vec![
        Value::Count(number as u64),
        Value::text(&i.county),
        Value::text(&i.name),
        Value::text(i.sex.map(|s| s.label()).unwrap_or_default()),
        Value::text(i.birth.map(|b| b.to_string()).unwrap_or_default()),
        Value::text(&i.political_status),
        Value::text(&i.education),
        Value::text(&i.major),
        Value::text(&i.employer),
        Value::text(&i.title),
        Value::text(&i.mobile),
        Value::text(i.source.label()),
        Value::text(i.villages.join("、")),
        Value::Count(households.get(&i.id).copied().unwrap_or(0)),
    ]
}

/// The plan's note under the roster, listing the sources by the labels the
/// import accepts.
pub fn source_note() -> String {
    let labels: Vec<&str> = Source::ALL.iter().map(|s| s.label()).collect();
    format!(
        "填表说明：指导员来源分为以下类型，选择其中一种填报：{}。",
        labels.join("、")
    )
}
