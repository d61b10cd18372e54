//! Office tables for county staff: the plan's attachments as spreadsheets,
//! roster and household import, coverage checks and spot-check samples.
//!
//! Everything here is a pure function from model records to file bytes, or
//! from file bytes to model records: no database, no network. The server's
//! admin commands and routes call it.
//!
//! - Exports, each as XLSX ([`rust_xlsxwriter`]) and as CSV (UTF-8 with a
//!   byte-order mark, so Excel reads the Chinese):
//!   [`attachment2`] the instructor roster, [`attachment3`] coverage by
//!   county, [`attachment4`] work statistics, [`attachment5`] one
//!   household's ledger, [`spotcheck`] a spot-check list.
//!   [`table_to_xlsx`] and [`table_to_csv`] write any [`Table`].
//! - [`import`]: households and instructors from XLSX or CSV, whole or not
//!   at all, with every bad row reported in Chinese.
//! - [`coverage`]: the staffing rule of the plan's section 2, and the
//!   Attachment 3 rows.
//! - [`spotcheck`]: a reproducible random sample of households per county.

#![forbid(unsafe_code)]

pub mod attachment2;
pub mod attachment3;
pub mod attachment4;
pub mod attachment5;
pub mod coverage;
mod csv_out;
mod error;
pub mod import;
pub mod spotcheck;
pub mod table;
mod xlsx;

pub use csv_out::{UTF8_BOM, table_to_csv};
pub use error::ExportError;
pub use table::{Heading, Table};
pub use xlsx::table_to_xlsx;
