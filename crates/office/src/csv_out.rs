//! Writes a [`Table`] as CSV: UTF-8 with a byte-order mark, so that Excel
//! opens the Chinese text correctly; the header flattened to one row.
//!
//! Layout: title, 填报单位, 填报日期 (and the unit note) each on a line of its
//! own, then the header row, the body, the 合计 row and the notes. A program
//! reading the file finds the header row by its first label, 序号.

use crate::ExportError;
use crate::table::{Table, flat_labels};

/// The byte-order mark Excel looks for to read a CSV file as UTF-8.
pub const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// A table as CSV bytes.
pub fn table_to_csv(table: &Table) -> Result<Vec<u8>, ExportError> {
    let mut lines: Vec<Vec<String>> = vec![
        vec![table.title.clone()],
        vec![table.heading.unit_line()],
        vec![table.heading.date_line()],
    ];
    if let Some(unit) = &table.unit_note {
        lines.push(vec![unit.clone()]);
    }
    lines.push(flat_labels(&table.headers));
    for row in table.rows.iter().chain(table.total.iter()) {
        lines.push(row.iter().map(|v| v.as_text()).collect());
    }
    lines.extend(table.notes.iter().map(|note| vec![note.clone()]));

    write_lines(&lines)
}

/// Lines of fields as CSV bytes with the byte-order mark; lines may differ in
/// length.
pub fn write_lines(lines: &[Vec<String>]) -> Result<Vec<u8>, ExportError> {
    let mut writer = csv::WriterBuilder::new()
        .flexible(true)
        .from_writer(UTF8_BOM.to_vec());
    for line in lines {
        writer.write_record(line)?;
    }

    writer
        .into_inner()
        .map_err(|e| ExportError::Csv(csv::Error::from(e.into_error())))
}
