//! Rendering helpers and a real device store filled with demo data in a
//! temporary directory.

#![allow(dead_code)]

use std::path::Path;
use std::sync::{Arc, MutexGuard, PoisonError};
use std::time::Duration;

use chrono::NaiveDate;
use dioxus::prelude::*;
use fieldledger::data::AppData;
use fieldledger::store_data::StoreData;
use fieldledger::viewmodel::*;
use fieldledger::{App, AppState};
use fieldledger_device::Store;
use fieldledger_model::Household;
use fieldledger_model::wire::{Role, UserInfo};
use uuid::Uuid;

/// Households in the demo store: more than one page of the list.
pub const DEMO_HOUSEHOLDS: usize = 45;

/// Visits in the demo store.
pub const DEMO_VISITS: usize = 150;

/// Today, as the demo data counts it.
pub fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

/// Renders the whole app at `route` to HTML: the first render.
pub fn render_at(data: Arc<dyn AppData>, route: &str) -> String {
    let mut dom = dom_at(data, route);
    dom.rebuild_in_place();
    dioxus_ssr::render(&dom)
}

/// Renders the app at `route`, lets its tasks (calls to the server) run
/// until the page contains `until` or ten seconds pass, and returns the
/// HTML.
pub async fn render_settled(data: Arc<dyn AppData>, route: &str, until: &str) -> String {
    let mut dom = dom_at(data, route);
    dom.rebuild_in_place();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    let mut html = dioxus_ssr::render(&dom);
    while !html.contains(until) && tokio::time::Instant::now() < deadline {
        // Timing out only means nothing was ready yet; look again.
        tokio::time::timeout(Duration::from_millis(200), dom.wait_for_work())
            .await
            .ok();
        dom.render_immediate(&mut dioxus::dioxus_core::NoOpMutations);
        html = dioxus_ssr::render(&dom);
    }

    html
}

fn dom_at(data: Arc<dyn AppData>, route: &str) -> VirtualDom {
    let state = AppState::new(data).dated(today()).starting_at(route);
    VirtualDom::new(App).with_root_context(state)
}

/// A real store in a temporary directory, filled with demo data.
pub struct DemoStore {
    pub dir: tempfile::TempDir,
    pub data: Arc<StoreData>,
    shared: fieldledger_device::sync::SharedStore,
}

impl DemoStore {
    /// A fresh store with the demo households and visits, not enrolled.
    pub fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let data = StoreData::open(dir.path()).unwrap();
        assert!(
            data.fill_demo_if_empty(DEMO_HOUSEHOLDS, DEMO_VISITS)
                .unwrap()
        );
        Self {
            dir,
            shared: data.shared_store(),
            data: Arc::new(data),
        }
    }

    /// The same store, as seen by a phone enrolled as `role` with a server
    /// that is not running. The credentials are written after the store
    /// opened, so no sync engine runs.
    pub fn enrolled_as(self, role: Role) -> Self {
        write_credentials(self.dir.path(), role);
        self
    }

    /// The store itself, locked.
    pub fn store(&self) -> MutexGuard<'_, Store> {
        self.shared.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The `n`th household of the list, sorted as the list sorts.
    pub fn household(&self, n: usize) -> Household {
        let query = HouseholdQuery {
            offset: n,
            limit: 1,
            ..HouseholdQuery::first_page("")
        };
        let row = self.data.households(&query).unwrap().rows.remove(0);
        self.data.household(row.id).unwrap().household
    }

    /// As a data source for the screens.
    pub fn app_data(&self) -> Arc<dyn AppData> {
        self.data.clone()
    }
}

/// The user a test phone is enrolled as.
pub fn user(role: Role) -> UserInfo {
    UserInfo {
        id: Uuid::from_u128(99),
        name: "张指导".into(),
        role,
        area_id: Uuid::from_u128(98),
        instructor_id: Some(Uuid::from_u128(97)),
    }
}

/// Credentials for a server on a port nobody listens on (port 9, discard).
fn write_credentials(dir: &Path, role: Role) {
    let credentials = serde_json::json!({
        "server": "https://127.0.0.1:9/",
        "token": "test-token",
        "device_id": Uuid::from_u128(7),
        "user": user(role),
        "trust": { "fingerprint": "ab".repeat(32) },
    });
    let path = fieldledger_device::sync::credentials_path(dir);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, serde_json::to_vec(&credentials).unwrap()).unwrap();
}
