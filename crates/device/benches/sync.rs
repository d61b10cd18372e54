//! Sync engine figures against a real server over loopback HTTPS:
//!
//! 1. records per second: 10,000 visits from the outbox into the server's
//!    durable store (the push phase of one run);
//! 2. bytes sent per visit on the wire (TLS included), counted by a relay,
//!    and push requests per batch, counted by a pass-through proxy;
//! 3. one day's work (20 ledgers, 60 visits, 30 photos) over a link of
//!    200 kbit/s up with 420 ms each way, beside that link's limit:
//!    bytes ÷ bandwidth + round trips × 840 ms.
//!
//! Run: `cargo bench -p fieldledger-device --bench sync`. Set
//! `FIELDLEDGER_BENCH_ONLY` to a comma-separated subset of `client`,
//! `throughput`, `wire` and `day` to run only those parts.

#![allow(clippy::unwrap_used)]

#[path = "../tests/support/mod.rs"]
mod support;

use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use fieldledger_device::photo;
use fieldledger_device::sync::client::encode_push;
use fieldledger_device::sync::{EngineConfig, Limits, SyncEvent, Trust};
use fieldledger_model::Ledger;
use fieldledger_model::id::new_id;
use fieldledger_model::wire::{DeviceReport, OpResult, Outcome, PushRequest, Record};
use support::link::{Link, Shape};
use support::proxy::{Fault, FaultProxy};
use support::{Phone, fast_config, pin, server, server_counts};

const VISITS: usize = 10_000;
/// 200 kbit/s in bytes per second.
const UPLINK: u64 = 25_000;
const ONE_WAY: Duration = Duration::from_millis(420);

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let only = std::env::var("FIELDLEDGER_BENCH_ONLY").ok();
    let wanted = |part: &str| {
        only.as_deref()
            .is_none_or(|o| o.split(',').any(|p| p == part))
    };
    rt.block_on(async {
        if wanted("client") {
            client_side().await;
        }
        if wanted("throughput") {
            throughput().await;
        }
        if wanted("wire") {
            wire_bytes().await;
        }
        if wanted("day") {
            day_of_work().await;
        }
    });
}

fn config() -> EngineConfig {
    EngineConfig {
        limits: Limits::default(),
        ..fast_config()
    }
}

/// The phone's own share of a push, without the network or the server:
/// read a batch, encode and compress it, write the answers.
async fn client_side() {
    let (server, county) = server(20).await;
    let phone = Phone::direct(&server, county.instructors[0].user.id).await;
    phone.engine().sync_once().await.unwrap();
    phone.save_visits(VISITS);
    let limits = Limits::default();
    let (mut encode, mut store_time, mut bytes) = (Duration::ZERO, Duration::ZERO, 0usize);
    loop {
        let t = Instant::now();
        let batch = phone
            .store
            .lock()
            .unwrap()
            .outbox_batch(limits.max_ops, limits.max_bytes)
            .unwrap();
        store_time += t.elapsed();
        if batch.is_empty() {
            break;
        }
        let t = Instant::now();
        let ops: Vec<_> = batch.into_iter().map(|e| e.op).collect();
        let request = PushRequest {
            device: DeviceReport::default(),
            ops,
        };
        bytes += encode_push(&request).unwrap().len();
        encode += t.elapsed();
        let results: Vec<_> = request
            .ops
            .iter()
            .map(|op| OpResult {
                op_id: op.op_id,
                outcome: Outcome::Applied,
            })
            .collect();
        let t = Instant::now();
        phone
            .store
            .lock()
            .unwrap()
            .apply_push_results(&results)
            .unwrap();
        store_time += t.elapsed();
    }
    let total = encode + store_time;
    println!(
        "phone side of {VISITS} visits: store {store_time:.2?}, encode+zstd {encode:.2?} → {:.0} records/s; {:.1} compressed body bytes/visit",
        VISITS as f64 / total.as_secs_f64(),
        bytes as f64 / VISITS as f64
    );
}

async fn throughput() {
    let (server, county) = server(20).await;
    let phone = Phone::direct(&server, county.instructors[0].user.id).await;
    phone.engine().sync_once().await.unwrap();
    phone.save_visits(VISITS);
    let mut engine = phone.engine_via(&server.base_url(), &pin(&server), config());
    let mut events = engine.subscribe();
    // Timestamps the moment the last batch's answers are written.
    let pushed = tokio::spawn(async move {
        while let Ok(event) = events.recv().await {
            if matches!(event, SyncEvent::Sending { sent, .. } if sent as usize == VISITS) {
                return Some(Instant::now());
            }
        }
        None
    });
    let start = Instant::now();
    let run = engine.sync_once().await.unwrap();
    let whole = start.elapsed();
    let push = pushed.await.unwrap().unwrap() - start;
    assert_eq!(
        server_counts(server.data_dir()).visit_records,
        VISITS as u64
    );
    println!(
        "push of {VISITS} visits: {push:.2?} in {} requests → {:.0} records/s (whole run with the pull of {} changes: {whole:.2?})",
        run.requests,
        VISITS as f64 / push.as_secs_f64(),
        run.pulled
    );
}

async fn wire_bytes() {
    let (server, county) = server(20).await;
    let phone = Phone::direct(&server, county.instructors[0].user.id).await;
    phone.engine().sync_once().await.unwrap();
    phone.save_visits(VISITS);
    let proxy = FaultProxy::start(support_addr(&server.base_url()), &pin(&server)).await;
    proxy.set_plan(|_| Fault::Pass);
    let link = Link::start(proxy.addr, Shape::default()).await;
    let url = format!("https://127.0.0.1:{}", link.addr.port());
    let limits = Limits::default();
    let mut engine = phone.engine_via(&url, &Trust::Pinned(proxy.fingerprint), config());
    let report = engine.sync_once().await.unwrap();
    let up = link.up_bytes();
    let batches = VISITS.div_ceil(limits.max_ops);
    let push_requests = report.requests;
    println!(
        "wire: {up} bytes up for {VISITS} visits = {:.1} bytes/visit (TLS, headers, pull requests included); push bodies {} bytes = {:.1} bytes/visit",
        up as f64 / VISITS as f64,
        proxy.stats().push_bytes.load(Ordering::Relaxed),
        proxy.stats().push_bytes.load(Ordering::Relaxed) as f64 / VISITS as f64
    );
    println!(
        "batches {batches}, push requests {push_requests} → {:.2} requests per batch",
        push_requests as f64 / batches as f64
    );
}

fn support_addr(url: &str) -> std::net::SocketAddr {
    url.trim_start_matches("https://").parse().unwrap()
}

/// A made-up photo with grain, roughly like a camera's.
fn picture(seed: u32) -> Vec<u8> {
    let mut state = seed.wrapping_mul(2_654_435_761).max(1);
    let img = image::RgbImage::from_fn(2000, 1500, |x, y| {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        let grain = (state >> 27) as u8;
        image::Rgb([
            ((x / 3 + seed) % 256) as u8 ^ grain,
            ((y / 2) % 256) as u8,
            (((x + y) / 5) % 256) as u8,
        ])
    });
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 92)
        .encode_image(&img)
        .unwrap();
    out
}

async fn day_of_work() {
    let (server, county) = server(20).await;
    let phone = Phone::direct(&server, county.instructors[0].user.id).await;
    phone.engine().sync_once().await.unwrap();
    let homes = phone.households();
    let year = fieldledger_device::store::this_year();
    {
        let mut store = phone.store.lock().unwrap();
        for h in &homes {
            let mut ledger = Ledger {
                id: new_id(),
                household_id: *h,
                year,
                basic: Default::default(),
                resources: Default::default(),
                labour: Vec::new(),
                intent: Default::default(),
                income: Default::default(),
                participation: Default::default(),
                benefit_links: Vec::new(),
                sales: Vec::new(),
            };
            ledger.basic.population = Some(4);
            store.save_record(Record::Ledger(ledger)).unwrap();
        }
    }
    let visits = phone.save_visits(60);
    {
        let mut store = phone.store.lock().unwrap();
        for (i, id) in visits.iter().take(30).enumerate() {
            let p =
                photo::attach(&mut store, phone.dir.path(), *id, &picture(i as u32 + 1)).unwrap();
            let mut v = store.visit(*id).unwrap().unwrap();
            v.photos.push(p.sha256);
            store.save_record(Record::Visit(v)).unwrap();
        }
    }
    let photo_bytes: u64 = phone
        .store
        .lock()
        .unwrap()
        .photos_pending_upload()
        .unwrap()
        .iter()
        .map(|p| p.meta.bytes)
        .sum();

    let proxy = FaultProxy::start(support_addr(&server.base_url()), &pin(&server)).await;
    proxy.set_plan(|_| Fault::Pass);
    let shape = Shape {
        one_way: ONE_WAY,
        up_rate: Some(UPLINK),
        down_rate: None,
    };
    let link = Link::start(proxy.addr, shape).await;
    let url = format!("https://127.0.0.1:{}", link.addr.port());
    let mut engine = phone.engine_via(&url, &Trust::Pinned(proxy.fingerprint), config());
    let start = Instant::now();
    let report = engine.sync_once().await.unwrap();
    let took = start.elapsed();
    let up = link.up_bytes();
    let requests = proxy.stats().requests.load(Ordering::Relaxed);
    let connections = link.counters.connections.load(Ordering::Relaxed);
    // Each request is a round trip; each new connection two more (TCP, TLS).
    let round_trips = requests + 2 * connections;
    let limit = up as f64 / UPLINK as f64 + round_trips as f64 * (2 * ONE_WAY).as_secs_f64();
    println!(
        "day's work: {} ops, {} photos ({photo_bytes} bytes of JPEG); {up} bytes up, {requests} requests, {connections} connections",
        report.pushed, report.photos
    );
    println!(
        "took {:.1} s; link limit {limit:.1} s ({:.1} s of bytes + {round_trips} round trips × 0.84 s) → {:.2}× the limit",
        took.as_secs_f64(),
        up as f64 / UPLINK as f64,
        took.as_secs_f64() / limit
    );
}
