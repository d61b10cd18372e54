//! One data row being read: its cells by label, and the problems found in
//! it.

use super::RowProblem;
use super::grid::Columns;

/// The cells of one row, read by column label.
pub struct Row<'a> {
    pub number: usize,
    cells: &'a [String],
    columns: &'a Columns,
    pub problems: Vec<RowProblem>,
}

impl<'a> Row<'a> {
    pub fn new(number: usize, cells: &'a [String], columns: &'a Columns) -> Self {
        Self {
            number,
            cells,
            columns,
            problems: Vec::new(),
        }
    }

    /// The trimmed text under `label`; empty when the column or the cell is
    /// missing.
    pub fn get(&self, label: &str) -> &'a str {
        self.columns
            .index(label)
            .and_then(|i| self.cells.get(i))
            .map_or("", |cell| cell.trim())
    }

    /// The text under `label`, or a problem when it is empty.
    pub fn required(&mut self, label: &str) -> Option<&'a str> {
        let text = self.get(label);
        if text.is_empty() {
            self.problem(label, format!("请填写{label}"));
            return None;
        }
        Some(text)
    }

    /// True when every cell under `labels` is empty: a spacer, a 合计 line
    /// or a note line, which are passed over.
    pub fn is_blank(&self, labels: &[&str]) -> bool {
        labels.iter().all(|label| self.get(label).is_empty())
    }

    pub fn problem(&mut self, label: &str, reason: impl Into<String>) {
        self.problems.push(RowProblem {
            row: self.number,
            column: label.to_owned(),
            reason: reason.into(),
        });
    }
}
