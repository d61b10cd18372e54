//! Shared pieces of the sync tests: a real server seeded with a county,
//! phones enrolled with it, records to save, and waiting on events.

#![allow(dead_code)]

pub mod link;
pub mod proxy;

use std::time::Duration;

use fieldledger_device::Store;
use fieldledger_device::store::HouseholdQuery;
use fieldledger_device::sync::{
    self, Backoff, Client, Credentials, DeviceInfo, Engine, EngineConfig, Fingerprint, SharedStore,
    SyncEvent, Timing, Trust,
};
use fieldledger_model::Visit;
use fieldledger_model::id::new_id;
use fieldledger_model::visit::Work;
use fieldledger_server::demo::{CountySpec, SeededCounty};
use fieldledger_server::testing::TestServer;
use tempfile::TempDir;
use tokio::sync::broadcast;
use uuid::Uuid;

/// A server with one township, one instructor and `households` households.
pub async fn server(households: usize) -> (TestServer, SeededCounty) {
    let server = TestServer::start().await.expect("server starts");
    let county = server.seed(&small_county(households)).await.expect("seed");
    (server, county)
}

pub fn small_county(households: usize) -> CountySpec {
    CountySpec {
        townships: 1,
        villages_per_township: 2,
        instructors_per_township: 1,
        households_per_instructor: households,
        visits_per_household: 0,
        ..CountySpec::default()
    }
}

/// The server's pinned trust.
pub fn pin(server: &TestServer) -> Trust {
    Trust::Pinned(Fingerprint::parse(&server.fingerprint()).expect("server fingerprint"))
}

/// Fast timing for tests: short debounce, backoff from 50 ms to 400 ms.
pub fn fast_timing() -> Timing {
    Timing {
        debounce: Duration::from_millis(50),
        max_delay: Duration::from_millis(200),
        queued_interval: Duration::from_millis(300),
        idle_interval: Duration::from_secs(60),
        backoff: Backoff {
            base: Duration::from_millis(50),
            cap: Duration::from_millis(400),
        },
        unreachable_cap: Duration::from_millis(400),
    }
}

pub fn fast_config() -> EngineConfig {
    EngineConfig {
        timing: fast_timing(),
        ..EngineConfig::default()
    }
}

/// A phone: a data directory with its store and credentials.
pub struct Phone {
    pub dir: TempDir,
    pub store: SharedStore,
    pub creds: Credentials,
}

impl Phone {
    /// Enrolls a new phone for `user` at `url`, trusting `trust`.
    pub async fn enroll(server: &TestServer, user: Uuid, url: &str, trust: Trust) -> Phone {
        let code = server.enroll_code(user).await.expect("enroll code");
        let device = DeviceInfo {
            name: "test phone".into(),
            app_version: "test".into(),
        };
        let creds = sync::enroll(url, &code, trust, &device)
            .await
            .expect("enroll");
        let dir = tempfile::tempdir().expect("phone dir");
        creds
            .save(&sync::credentials_path(dir.path()))
            .expect("save credentials");
        let store = sync::share(Store::open(dir.path()).expect("open store"));
        Phone { dir, store, creds }
    }

    /// Enrolls directly with the server, pinned.
    pub async fn direct(server: &TestServer, user: Uuid) -> Phone {
        Phone::enroll(server, user, &server.base_url(), pin(server)).await
    }

    /// An engine over `url` (the server, or a proxy in front of it).
    pub fn engine_via(&self, url: &str, trust: &Trust, config: EngineConfig) -> Engine {
        let client = Client::new(url, trust)
            .expect("client")
            .with_token(self.creds.token.clone());
        Engine::new(self.store.clone(), client, config)
    }

    /// An engine straight to the enrolled server.
    pub fn engine(&self) -> Engine {
        Engine::new(
            self.store.clone(),
            self.creds.client().expect("client"),
            fast_config(),
        )
    }

    pub fn instructor(&self) -> Uuid {
        self.creds
            .user
            .instructor_id
            .expect("an instructor account")
    }

    pub fn households(&self) -> Vec<Uuid> {
        let store = self.store.lock().expect("store");
        store
            .households(&HouseholdQuery::new(""))
            .expect("households")
            .into_iter()
            .map(|h| h.id)
            .collect()
    }

    /// Saves `n` visits spread over the phone's households; their ids.
    pub fn save_visits(&self, n: usize) -> Vec<Uuid> {
        let homes = self.households();
        assert!(
            !homes.is_empty(),
            "the phone holds no households; sync first"
        );
        let visits: Vec<_> = (0..n)
            .map(|i| visit(self.instructor(), homes[i % homes.len()], i))
            .collect();
        let ids = visits.iter().map(|v| v.id).collect();
        let records = visits
            .into_iter()
            .map(fieldledger_model::wire::Record::Visit)
            .collect();
        self.store
            .lock()
            .expect("store")
            .save_all(records)
            .expect("save visits");
        ids
    }

    pub fn queued(&self) -> u32 {
        self.store
            .lock()
            .expect("store")
            .outbox_stats()
            .expect("stats")
            .queued
    }

    pub fn visit_ids(&self) -> Vec<Uuid> {
        let homes = self.households();
        let store = self.store.lock().expect("store");
        let mut ids = Vec::new();
        for h in homes {
            ids.extend(
                store
                    .visits_of(h)
                    .expect("visits")
                    .into_iter()
                    .map(|v| v.id),
            );
        }
        ids.sort();
        ids.dedup();
        ids
    }
}

/// A visit like those logged in the field.
pub fn visit(instructor: Uuid, household: Uuid, i: usize) -> Visit {
    Visit {
        id: new_id(),
        instructor_id: instructor,
        date: chrono::Local::now().date_naive() - chrono::Days::new((i % 200) as u64),
        households: vec![household],
        work: Work {
            policy_talks: 1 + (i % 3) as u32,
            tech_guidance: (i % 2) as u32,
            ..Work::default()
        },
        note: ["讲解产业补助政策", "指导辣椒移栽", "查看茶园长势", ""][i % 4].to_owned(),
        position: None,
        photos: Vec::new(),
    }
}

/// Waits until an event matches `want`, failing after `limit`.
pub async fn wait_for(
    events: &mut broadcast::Receiver<SyncEvent>,
    limit: Duration,
    mut want: impl FnMut(&SyncEvent) -> bool,
) -> SyncEvent {
    let deadline = tokio::time::Instant::now() + limit;
    loop {
        let next = tokio::time::timeout_at(deadline, events.recv()).await;
        match next {
            Err(_) => panic!("no matching event within {limit:?}"),
            Ok(Ok(event)) if want(&event) => return event,
            Ok(Ok(_)) | Ok(Err(broadcast::error::RecvError::Lagged(_))) => continue,
            Ok(Err(e)) => panic!("event channel closed: {e}"),
        }
    }
}

/// What the server's SQLite file holds about visits: visit records, ops
/// applied to visit records, and rows in the visits table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServerCounts {
    pub visit_records: u64,
    pub applied_visit_ops: u64,
    pub visit_rows: u64,
}

/// Reads the server's database file directly, read-only.
pub fn server_counts(data_dir: &std::path::Path) -> ServerCounts {
    let path = data_dir.join(fieldledger_server::server::SQLITE_FILE);
    let conn =
        rusqlite::Connection::open_with_flags(&path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .expect("open server database");
    let count = |sql: &str| conn.query_row(sql, [], |r| r.get::<_, i64>(0)).expect(sql) as u64;
    ServerCounts {
        visit_records: count("SELECT count(*) FROM records WHERE kind = 'visit'"),
        applied_visit_ops: count(
            "SELECT count(*) FROM audit WHERE kind = 'visit' AND outcome = 'applied'",
        ),
        visit_rows: count("SELECT count(*) FROM visits"),
    }
}

/// The ids of every visit record on the server.
pub fn server_visit_ids(data_dir: &std::path::Path) -> Vec<Uuid> {
    let path = data_dir.join(fieldledger_server::server::SQLITE_FILE);
    let conn =
        rusqlite::Connection::open_with_flags(&path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .expect("open server database");
    let mut stmt = conn
        .prepare("SELECT id FROM records WHERE kind = 'visit' ORDER BY id")
        .expect("query");
    let ids: Vec<Uuid> = stmt
        .query_map([], |r| r.get::<_, String>(0))
        .expect("rows")
        .map(|id| id.expect("id").parse().expect("uuid"))
        .collect();
    drop(stmt);
    ids
}
