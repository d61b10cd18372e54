//! A file's cells as text, whatever its format, and the columns found by
//! their Chinese labels.

use std::collections::HashMap;
use std::io::Cursor;

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};

use super::{Format, ImportError};
use crate::csv_out::UTF8_BOM;

/// Rows searched for the header line, so that a title and a 填报单位 line
/// above it, as in our own exports, are passed over.
const HEADER_SEARCH_ROWS: usize = 20;

/// One row's number as the user sees it (from 1), and its cells as text.
pub type NumberedRow = (usize, Vec<String>);

/// A sheet's rows.
pub struct Grid {
    pub rows: Vec<NumberedRow>,
}

impl Grid {
    /// Reads the first sheet of an XLSX file or a whole CSV file.
    pub fn read(bytes: &[u8], format: Format) -> Result<Self, ImportError> {
        match format {
            Format::Xlsx => Self::xlsx(bytes),
            Format::Csv => Self::csv(bytes),
        }
    }

    fn xlsx(bytes: &[u8]) -> Result<Self, ImportError> {
        let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes))?;
        let range = book.worksheet_range_at(0).ok_or(ImportError::NoSheet)??;
        let (top, left) = range.start().unwrap_or((0, 0));
        let rows = range
            .rows()
            .enumerate()
            .map(|(i, cells)| {
                let mut texts = vec![String::new(); left as usize];
                texts.extend(cells.iter().map(cell_text));
                (top as usize + i + 1, texts)
            })
            .collect();

        Ok(Self { rows })
    }

    fn csv(bytes: &[u8]) -> Result<Self, ImportError> {
        let bytes = bytes.strip_prefix(UTF8_BOM).unwrap_or(bytes);
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(bytes);
        let mut rows = Vec::new();
        for record in reader.records() {
            let record = record?;
            let line = record
                .position()
                .map_or(rows.len() + 1, |p| p.line() as usize);
            rows.push((line, record.iter().map(str::to_owned).collect()));
        }

        Ok(Self { rows })
    }

    /// Finds the header line holding every label of `required`; returns the
    /// columns of every label it holds and the rows below it.
    pub fn header(
        &self,
        required: &[&'static str],
    ) -> Result<(Columns, &[NumberedRow]), ImportError> {
        let mut fewest_missing: Option<Vec<&'static str>> = None;
        for (index, (_, cells)) in self.rows.iter().enumerate().take(HEADER_SEARCH_ROWS) {
            let columns = Columns::new(cells);
            let missing: Vec<&'static str> = required
                .iter()
                .copied()
                .filter(|label| columns.index(label).is_none())
                .collect();
            if missing.is_empty() {
                return Ok((columns, &self.rows[index + 1..]));
            }
            if fewest_missing
                .as_ref()
                .is_none_or(|m| missing.len() < m.len())
            {
                fewest_missing = Some(missing);
            }
        }
        let missing = fewest_missing.unwrap_or_else(|| required.to_vec());

        Err(ImportError::MissingColumns {
            missing: missing.into_iter().map(str::to_owned).collect(),
        })
    }
}

/// A cell as text: whole numbers without a decimal point, dates as
/// `YYYY-MM-DD`.
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.trim().to_owned(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::DateTime(dt) => dt
            .as_datetime()
            .map(|d| d.format("%Y-%m-%d").to_string())
            .unwrap_or_else(|| dt.to_string()),
        other => other.to_string().trim().to_owned(),
    }
}

/// Where each labelled column is.
pub struct Columns {
    by_label: HashMap<String, usize>,
}

impl Columns {
    fn new(cells: &[String]) -> Self {
        let by_label = cells
            .iter()
            .enumerate()
            .filter(|(_, cell)| !cell.trim().is_empty())
            .map(|(i, cell)| (normalise(cell), i))
            .collect();
        Self { by_label }
    }

    /// The column labelled `label`, matched without spaces and with either
    /// kind of bracket.
    pub fn index(&self, label: &str) -> Option<usize> {
        self.by_label.get(&normalise(label)).copied()
    }
}

/// A label with its spaces removed and ASCII brackets made full-width, the
/// way the plan's forms write them.
fn normalise(label: &str) -> String {
    label
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '(' => '（',
            ')' => '）',
            other => other,
        })
        .collect()
}
