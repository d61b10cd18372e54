//! The forms of the poor-household industry instructor system as Rust types.
//!
//! This crate is the project's vocabulary. The phone, the server and the
//! office exports all compile against it, so a change to a form or to the
//! sync protocol is one edit here and a compile error wherever it matters.
//! It does no I/O.
//!
//! - [`ledger`]: Attachment 5, one household's ledger for one year.
//! - [`visit`]: the visit log, whose work items feed Attachment 4.
//! - [`tally`]: Attachment 4, summed from visit logs.
//! - [`roster`]: Attachment 2, the instructor roster.
//! - [`area`]: county → township → village → village group.
//! - [`validate`]: problems found in a record, each with its field path.
//! - [`wire`]: the sync protocol between phone and server.

#![forbid(unsafe_code)]

pub mod amount;
pub mod area;
pub mod choice;
pub mod household;
pub mod id;
pub mod ledger;
mod ledger_rules;
pub mod resident_id;
pub mod roster;
#[cfg(any(test, feature = "proptest"))]
pub mod strategies;
pub mod tally;
pub mod validate;
pub mod visit;
pub mod wire;
mod year_month;

pub use amount::Amount;
pub use household::Household;
pub use ledger::Ledger;
pub use resident_id::ResidentId;
pub use validate::{Issue, Report, Severity};
pub use visit::Visit;
pub use year_month::{YearMonth, YearMonthError};

/// Version of the record layouts in this crate. Every stored record and every
/// sync operation carries it, so that a newer program can recognise and
/// upgrade what an older one wrote.
pub const SCHEMA_VERSION: u16 = 1;
