//! The phone side of Fieldledger.
//!
//! - [`store`]: the encrypted SQLite database on the phone: records, their
//!   outbox of operations waiting to be sent, drafts, conflicts, photos.
//! - [`demo`]: realistic made-up data for benchmarks, screenshots and the
//!   first start of a demonstration build.

pub mod demo;
pub mod photo;
pub mod store;
pub mod sync;

pub use store::{Store, StoreError};
