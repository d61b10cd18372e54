//! The HTTP handlers, one file per subject. Each handler checks who may
//! call it, calls the store, and answers JSON; refusals are
//! [`crate::error::AppError`]s.

pub mod admin;
pub mod enroll;
pub mod exports;
pub mod imports;
pub mod openapi;
pub mod photos;
pub mod reports;
pub mod status;
pub mod sync;

use axum::http::Method;
use axum::routing::{MethodRouter, get, post, put};

use crate::app::AppState;

/// The office tables' routes: exports, imports, coverage, spot checks and
/// a village's main industries.
pub fn office_routes() -> Vec<(Method, &'static str, MethodRouter<AppState>)> {
    vec![
        (
            Method::GET,
            "/v1/counties/{id}/exports/attachment2",
            get(exports::attachment2),
        ),
        (
            Method::GET,
            "/v1/counties/{id}/exports/attachment3",
            get(exports::attachment3),
        ),
        (
            Method::GET,
            "/v1/counties/{id}/exports/attachment4",
            get(exports::attachment4),
        ),
        (
            Method::GET,
            "/v1/counties/{id}/exports/attachment5",
            get(exports::attachment5),
        ),
        (
            Method::GET,
            "/v1/counties/{id}/spot-check",
            get(exports::spot_check),
        ),
        (
            Method::GET,
            "/v1/counties/{id}/coverage",
            get(exports::coverage),
        ),
        (
            Method::POST,
            "/v1/counties/{id}/imports/households",
            post(imports::households),
        ),
        (
            Method::POST,
            "/v1/counties/{id}/imports/instructors",
            post(imports::instructors),
        ),
        (
            Method::PUT,
            "/v1/admin/areas/{id}/main-industries",
            put(exports::main_industries),
        ),
    ]
}
