//! The server goes away in the middle of a batch and comes back on the
//! same data directory; the background engine recovers by itself.

#![allow(clippy::unwrap_used)]

mod support;

use std::net::SocketAddr;
use std::time::Duration;

use fieldledger_device::sync::{self, EngineConfig, Fingerprint, Limits, SyncEvent, Trust};
use fieldledger_server::config::{DEFAULT_PHOTO_MAX, DEFAULT_PUSH_LIMIT, TlsMode};
use fieldledger_server::{Config, RunningServer};
use support::link::{Link, Shape};
use support::{Phone, fast_config, server_counts, wait_for};

fn config(dir: &std::path::Path) -> Config {
    Config {
        listen: SocketAddr::from(([127, 0, 0, 1], 0)),
        data_dir: dir.to_owned(),
        database_url: None,
        postgres_schema: None,
        tls: TlsMode::Dev,
        push_limit: DEFAULT_PUSH_LIMIT,
        photo_max: DEFAULT_PHOTO_MAX,
    }
}

async fn start(dir: &std::path::Path) -> RunningServer {
    fieldledger_server::start(config(dir)).await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_engine_recovers_when_the_server_restarts_mid_batch() {
    let dir = tempfile::tempdir().unwrap();
    let first = start(dir.path()).await;
    let county = fieldledger_server::demo::seed_county(&first.store, &support::small_county(5))
        .await
        .unwrap();
    let user = county.instructors[0].user.id;
    let code = fieldledger_server::admin::new_enroll_code(&first.store, user)
        .await
        .unwrap();
    let trust = Trust::Pinned(Fingerprint::parse(first.fingerprint.as_deref().unwrap()).unwrap());
    let link = Link::start(first.addr, Shape::default()).await;
    let url = format!("https://127.0.0.1:{}", link.addr.port());

    let device = sync::DeviceInfo {
        name: "p".into(),
        app_version: "t".into(),
    };
    let creds = sync::enroll(&url, &code, trust.clone(), &device)
        .await
        .unwrap();
    let phone_dir = tempfile::tempdir().unwrap();
    let store = sync::share(fieldledger_device::Store::open(phone_dir.path()).unwrap());
    let phone = Phone {
        dir: phone_dir,
        store,
        creds,
    };
    phone.engine().sync_once().await.unwrap();
    phone.save_visits(3000);

    let config = EngineConfig {
        limits: Limits {
            max_ops: 100,
            max_bytes: 512 * 1024,
        },
        ..fast_config()
    };
    let engine = phone.engine_via(&url, &trust, config);
    let mut events = engine.subscribe();
    let handle = engine.start();
    wait_for(&mut events, Duration::from_secs(20), |e| {
        matches!(e, SyncEvent::Sending { .. })
    })
    .await;

    first.abort();
    link.cut_all();
    let error = wait_for(&mut events, Duration::from_secs(20), |e| {
        matches!(e, SyncEvent::LastError { .. })
    })
    .await;
    let SyncEvent::LastError { reason, retry_at } = error else {
        unreachable!()
    };
    assert!(
        ["无法连接服务器", "网络中断"].contains(&reason.as_str()),
        "{reason}"
    );
    assert!(retry_at.is_some());
    let queued_while_down = phone.queued();
    assert!(queued_while_down > 0, "the server went away before the end");

    let second = start(dir.path()).await;
    link.set_upstream(second.addr);
    wait_for(&mut events, Duration::from_secs(30), |e| {
        matches!(e, SyncEvent::LastSuccess { .. })
    })
    .await;
    wait_for(&mut events, Duration::from_secs(30), |e| {
        matches!(e, SyncEvent::Idle)
    })
    .await;
    assert_eq!(phone.queued(), 0);
    handle.stop().await;

    let counts = server_counts(dir.path());
    assert_eq!(
        (counts.visit_records, counts.applied_visit_ops),
        (3000, 3000)
    );
    second.shutdown().await.unwrap();
}
