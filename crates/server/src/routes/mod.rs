//! The HTTP handlers, one file per subject. Each handler checks who may
//! call it, calls the store, and answers JSON; refusals are
//! [`crate::error::AppError`]s.

pub mod admin;
pub mod enroll;
pub mod openapi;
pub mod photos;
pub mod reports;
pub mod status;
pub mod sync;
