//! The companion API server of Fieldledger: phones enroll, push their
//! changes and pull what they may see; liaisons watch their township;
//! county offices manage people and run Attachment 4.
//!
//! - [`server::start`] runs the server in this process ([`testing`] wraps it
//!   for tests with a temporary directory).
//! - [`app::app`] is the router; [`routes`] the handlers.
//! - [`store`] keeps everything, in SQLite or PostgreSQL.
//! - [`admin`] is what county offices do, from the command line or over HTTP;
//!   [`office`] their spreadsheets: exports, imports, coverage, spot checks.

#![forbid(unsafe_code)]

pub mod admin;
pub mod app;
pub mod auth;
pub mod config;
pub mod demo;
pub mod error;
pub mod office;
pub mod photos;
pub mod routes;
pub mod secrets;
pub mod server;
pub mod store;
pub mod testing;
pub mod tls;

pub use config::Config;
pub use server::{RunningServer, StartError, start};
