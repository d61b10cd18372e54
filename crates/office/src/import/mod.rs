//! Import of households and instructors from XLSX or CSV.
//!
//! Columns are found by their Chinese labels, on whichever of the first
//! rows holds them all, so a file saved from our own exports (title lines
//! above the header, 合计 and notes below) reads back. A file is taken whole
//! or not at all: [`ImportError::Rows`] lists every bad row with its row
//! number as the spreadsheet shows it, the column and the reason in Chinese.

mod grid;
mod households;
mod instructors;
mod row;

use std::fmt;

pub use households::{
    HOUSEHOLD_COLUMNS, HouseholdContext, ImportedHousehold, MOBILE_COLUMN, VillageKey, households,
};
pub use instructors::{InstructorContext, instructors};

/// The kind of file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Xlsx,
    Csv,
}

impl Format {
    /// Tells XLSX (a ZIP archive) from CSV by the first bytes.
    pub fn sniff(bytes: &[u8]) -> Self {
        if bytes.starts_with(b"PK\x03\x04") {
            Format::Xlsx
        } else {
            Format::Csv
        }
    }
}

/// One problem in one cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowProblem {
    /// The row number as the spreadsheet shows it, from 1.
    pub row: usize,
    /// The column's label.
    pub column: String,
    /// What is wrong, in Chinese.
    pub reason: String,
}

impl fmt::Display for RowProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "第{}行“{}”：{}", self.row, self.column, self.reason)
    }
}

/// Every problem found in a file's rows, by row.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportReport {
    pub problems: Vec<RowProblem>,
}

impl ImportReport {
    /// The distinct row numbers with a problem, in order.
    pub fn rows(&self) -> Vec<usize> {
        let mut rows: Vec<usize> = self.problems.iter().map(|p| p.row).collect();
        rows.dedup();
        rows
    }
}

impl fmt::Display for ImportReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "文件中有{}处错误，未导入任何记录：", self.problems.len())?;
        for problem in &self.problems {
            writeln!(f, "{problem}")?;
        }
        Ok(())
    }
}

/// Why nothing was imported.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("无法读取 Excel 文件，请确认文件是 .xlsx 格式且未损坏")]
    Xlsx(#[from] calamine::XlsxError),
    #[error("无法读取 CSV 文件，请确认文件以 UTF-8 编码保存")]
    Csv(#[from] csv::Error),
    #[error("文件中没有工作表")]
    NoSheet,
    #[error("找不到表头，缺少这些列：{}", missing.join("、"))]
    MissingColumns { missing: Vec<String> },
    #[error("文件中没有数据行")]
    Empty,
    #[error("{0}")]
    Rows(ImportReport),
}
