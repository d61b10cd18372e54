//! Attachment 3, 贫困户产业指导员基本情况统计表: instructor coverage by
//! county. [`crate::coverage::attachment3_rows`] computes the rows from the
//! households, villages and roster.

use std::collections::BTreeMap;

use fieldledger_model::choice::Choice;
use fieldledger_model::roster::Source;

use crate::table::{Header, Heading, ROW_HEIGHT, Table, Value};

/// The table's title, as the plan prints it.
pub const TITLE: &str = "贫困户产业指导员基本情况统计表";

/// A total and how many of it an instructor covers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Covered {
    /// 总数
    pub total: u64,
    /// 其中有产业指导员的… / 其中有产业指导员指导的…
    pub covered: u64,
}

/// One county's line of Attachment 3.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CoverageRow {
    /// 县名
    pub county: String,
    /// 贫困乡镇数量
    pub townships: Covered,
    /// 贫困村数量
    pub villages: Covered,
    /// 贫困户数
    pub households: Covered,
    /// 选聘人员来源情况: instructors appointed, by source; a source missing
    /// counts as 0.
    pub instructors: BTreeMap<Source, u64>,
}

impl CoverageRow {
    /// 产业指导员选聘人数-总计
    pub fn instructors_total(&self) -> u64 {
        self.instructors.values().sum()
    }

    fn figures(&self) -> Vec<u64> {
        let mut figures = vec![
            self.townships.total,
            self.townships.covered,
            self.villages.total,
            self.villages.covered,
            self.households.total,
            self.households.covered,
            self.instructors_total(),
        ];
        figures.extend(
            Source::ALL
                .iter()
                .map(|s| self.instructors.get(s).copied().unwrap_or(0)),
        );
        figures
    }
}

/// The header of Attachment 3, two groups deep where the plan groups
/// columns.
pub fn headers() -> Vec<Header> {
    let pair = |label: &str, covered: &str| {
        Header::group(
            label,
            vec![Header::column("总数", 7.0), Header::column(covered, 10.0)],
        )
    };
    let sources = Source::ALL
        .iter()
        .map(|s| Header::column(s.label(), 7.0))
        .collect();
    vec![
        Header::column("序号", 5.0),
        Header::column("县名", 10.0),
        pair("贫困乡镇数量", "其中有产业指导员的乡镇数"),
        pair("贫困村数量", "其中有产业指导员的村数"),
        pair("贫困户数", "其中有产业指导员指导的户数"),
        Header::group(
            "产业指导员选聘人数",
            vec![
                Header::column("总计", 7.0),
                Header::group("选聘人员来源情况", sources),
            ],
        ),
    ]
}

/// Attachment 3 for `rows`, one line per county, with the 合计 line.
pub fn table(rows: &[CoverageRow], heading: Heading) -> Table {
    let body: Vec<Vec<Value>> = rows
        .iter()
        .enumerate()
        .map(|(i, row)| {
            let mut cells = vec![Value::Count(i as u64 + 1), Value::text(&row.county)];
            cells.extend(row.figures().into_iter().map(Value::Count));
            cells
        })
        .collect();
    let mut sums = vec![0_u64; 7 + Source::ALL.len()];
    for row in rows {
        sums.iter_mut()
            .zip(row.figures())
            .for_each(|(sum, figure)| *sum += figure);
    }
    let mut total = vec![Value::text("合计"), Value::Blank];
    total.extend(sums.into_iter().map(Value::Count));

    Table {
        sheet_name: "附件3".into(),
        title: TITLE.into(),
        heading,
        unit_note: Some("单位：个、户、人".into()),
        headers: headers(),
        rows: body,
        total: Some(total),
        notes: Vec::new(),
        row_height: ROW_HEIGHT,
    }
}
