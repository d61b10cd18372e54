//! The context the screens share.

use std::sync::Arc;

use chrono::{Datelike, NaiveDate};

use crate::data::AppData;

/// What every screen can reach: the data, today's date, and where to start.
#[derive(Clone)]
pub struct AppState {
    pub data: Arc<dyn AppData>,
    /// The date the screens count from: this year's ledger, 30 days without
    /// a visit.
    pub today: NaiveDate,
    /// A route to open first instead of the household list, e.g.
    /// `/households/<id>`.
    pub start_route: Option<String>,
}

impl AppState {
    /// State over `data`, dated today.
    pub fn new(data: Arc<dyn AppData>) -> Self {
        Self {
            data,
            today: chrono::Local::now().date_naive(),
            start_route: None,
        }
    }

    /// The same state dated `today`.
    pub fn dated(mut self, today: NaiveDate) -> Self {
        self.today = today;
        self
    }

    /// The same state opening `route` first.
    pub fn starting_at(mut self, route: impl Into<String>) -> Self {
        self.start_route = Some(route.into());
        self
    }

    /// The current calendar year.
    pub fn year(&self) -> i32 {
        self.today.year()
    }
}
