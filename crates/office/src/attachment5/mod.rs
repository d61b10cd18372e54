//! Attachment 5, 贫困户产业发展台账: one household's ledger for one year,
//! sections A to H as the plan lays them out.
//!
//! [`fields`] turns a ledger into the labels and values of each section;
//! [`sheet`] draws them as a printable A4 form; [`csv`] writes them as
//! blocks of CSV lines.

mod csv;
pub mod fields;
mod sheet;

use fieldledger_model::{Household, Ledger};

use crate::ExportError;

/// The form's title, as the plan prints it.
pub const TITLE: &str = "贫困户产业发展台账";

/// The plan's note under the form.
pub const NOTE: &str = "注：本表作参考，各地可根据实际需求，细化修改贫困户产业发展台账表。";

/// The ledger as an XLSX workbook of one sheet, set up to print on A4
/// landscape one page wide. The household's full ID number is printed: this
/// is the household's own record, not a list.
pub fn to_xlsx(household: &Household, ledger: &Ledger) -> Result<Vec<u8>, ExportError> {
    sheet::workbook(household, ledger)
}

/// The ledger as CSV: each section's title on a line, then its labels and
/// values.
pub fn to_csv(household: &Household, ledger: &Ledger) -> Result<Vec<u8>, ExportError> {
    csv::write(household, ledger)
}
