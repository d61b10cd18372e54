//! The context the screens share.

use std::sync::Arc;

use chrono::{Datelike, NaiveDate};
use dioxus::prelude::*;

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

/// A counter in the root context that moves whenever the data may have
/// changed behind the screens' back (the sync engine ran, records came in).
/// Screens that show such data read it, so that they render again.
#[derive(Clone, Copy)]
pub struct Changes(pub Signal<u64>);

/// Subscribes the calling component to [`Changes`]; does nothing where no
/// counter is provided.
pub fn use_changes() {
    if let Some(Changes(counter)) = try_use_context::<Changes>() {
        counter.read();
    }
}

/// Provides [`Changes`] and keeps it moving from the data's own counter.
pub fn use_changes_provider(state: &AppState) {
    let changes = use_context_provider(|| Changes(Signal::new(0)));
    let data = state.data.clone();
    use_future(move || {
        let receiver = data.changes();
        async move {
            let Some(mut receiver) = receiver else {
                return;
            };
            let mut counter = changes.0;
            while receiver.changed().await.is_ok() {
                let n = *receiver.borrow_and_update();
                counter.set(n);
            }
        }
    });
}
