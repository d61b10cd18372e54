//! Server benchmarks, on SQLite and (when `FIELDLEDGER_TEST_POSTGRES` is
//! set) PostgreSQL:
//!
//! 1. ingest: visit ops durably acknowledged per second, pushed over HTTPS
//!    on loopback in batches of 100 and of 1,000;
//! 2. Attachment 4 for one county, by instructor, with
//!    `FIELDLEDGER_BENCH_VISITS` visits (default 1,000,000) spread over 100
//!    counties in the database.
//!
//! Run: `cargo bench -p fieldledger-server --bench ingest`.

#![allow(clippy::unwrap_used)]

use std::time::Instant;

use chrono::{Duration, NaiveDate, Utc};
use fieldledger_model::tally::Period;
use fieldledger_model::wire::{
    self, DeviceReport, Op, PushRequest, PushResponse, Record, ReportLevel,
};
use fieldledger_model::{SCHEMA_VERSION, id::new_id};
use fieldledger_server::demo::{self, CountySpec, SeededCounty};
use fieldledger_server::secrets::Secret;
use fieldledger_server::store::Actor;
use fieldledger_server::testing::{TestDatabase, TestServer};
use rand::SeedableRng;
use rand::rngs::StdRng;

/// Counties the report benchmark spreads its visits over.
const COUNTIES: usize = 100;
/// Instructors per county in the report benchmark.
const INSTRUCTORS: usize = 10;
/// Households per instructor in the report benchmark.
const HOUSEHOLDS: usize = 20;

#[tokio::main]
async fn main() {
    let visits: usize = std::env::var("FIELDLEDGER_BENCH_VISITS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let mut backends = vec![("sqlite", TestDatabase::Sqlite)];
    if let Ok(url) = std::env::var("FIELDLEDGER_TEST_POSTGRES") {
        let schema = || format!("bench_{}", uuid::Uuid::now_v7().simple());
        backends.push((
            "postgres",
            TestDatabase::Postgres {
                url: Secret::new(url),
                schema: schema(),
            },
        ));
    } else {
        println!("FIELDLEDGER_TEST_POSTGRES not set: PostgreSQL left out");
    }
    for (name, db) in backends {
        let server = TestServer::start_with(db, 64 * 1024 * 1024).await.unwrap();
        for batch in [100, 1000] {
            let rate = ingest(&server, batch, 10_000).await;
            println!(
                "{name}: ingest, batches of {batch}: {rate:.0} ops/s (HTTPS, loopback, durable)"
            );
        }
        let (seconds, rows) = report(&server, visits).await;
        println!(
            "{name}: Attachment 4 of one county ({rows} instructor rows) among {visits} visits in {COUNTIES} counties: {seconds:.3} s"
        );
        server.stop().await.unwrap();
    }
}

async fn ingest(server: &TestServer, batch: usize, total: usize) -> f64 {
    let spec = CountySpec {
        townships: 1,
        instructors_per_township: 1,
        households_per_instructor: 50,
        visits_per_household: 0,
        ..CountySpec::default()
    };
    let county = server.seed(&spec).await.unwrap();
    let me = &county.instructors[0];
    let client = client(&server.cert_pem());
    let token = enroll(&client, server, me.user.id).await;
    let mut rng = StdRng::seed_from_u64(7);
    let today = Utc::now().date_naive();
    let batches: Vec<PushRequest> = (0..total / batch)
        .map(|_| {
            let ops = (0..batch)
                .map(|i| {
                    let household = me.households[i % me.households.len()].id;
                    let visit =
                        demo::random_visit(&mut rng, me.instructor.id, vec![household], today);
                    Op {
                        op_id: new_id(),
                        base: None,
                        schema: SCHEMA_VERSION,
                        record: Record::Visit(visit),
                    }
                })
                .collect();
            PushRequest {
                device: DeviceReport::default(),
                ops,
            }
        })
        .collect();

    let started = Instant::now();
    for body in &batches {
        let response = client
            .post(format!("{}{}", server.base_url(), wire::routes::PUSH))
            .bearer_auth(&token)
            .header(wire::PROTOCOL_HEADER, wire::PROTOCOL_VERSION.to_string())
            .json(body)
            .send()
            .await
            .unwrap();
        let answer: PushResponse = response.json().await.unwrap();
        assert!(
            answer
                .results
                .iter()
                .all(|r| r.outcome == wire::Outcome::Applied)
        );
    }

    total as f64 / started.elapsed().as_secs_f64()
}

async fn report(server: &TestServer, visits: usize) -> (f64, usize) {
    let store = server.store();
    let per_county = visits / COUNTIES;
    let mut first: Option<SeededCounty> = None;
    let started = Instant::now();
    for n in 0..COUNTIES {
        let spec = CountySpec {
            name: format!("县{n}"),
            townships: 2,
            villages_per_township: 2,
            instructors_per_township: INSTRUCTORS / 2,
            households_per_instructor: HOUSEHOLDS,
            visits_per_household: 0,
            seed: n as u64,
            ..CountySpec::default()
        };
        let county = demo::seed_county(&store, &spec).await.unwrap();
        seed_visits(&store, &county, per_county, n as u64).await;
        first.get_or_insert(county);
    }
    eprintln!(
        "seeded {visits} visits in {:.0} s",
        started.elapsed().as_secs_f64()
    );
    let county = first.unwrap();
    let scope = store.area(county.county.id).await.unwrap().unwrap();
    let year = Utc::now()
        .date_naive()
        .format("%Y")
        .to_string()
        .parse()
        .unwrap();

    let started = Instant::now();
    let answer = store
        .attachment4(scope, ReportLevel::Instructor, Period::year(year))
        .await
        .unwrap();
    (started.elapsed().as_secs_f64(), answer.rows.len())
}

async fn seed_visits(
    store: &fieldledger_server::store::Store,
    county: &SeededCounty,
    n: usize,
    seed: u64,
) {
    let mut rng = StdRng::seed_from_u64(seed);
    let start = NaiveDate::from_ymd_opt(
        Utc::now()
            .date_naive()
            .format("%Y")
            .to_string()
            .parse()
            .unwrap(),
        1,
        1,
    )
    .unwrap();
    let days = (Utc::now().date_naive() - start).num_days().max(1);
    let per = n / county.instructors.len();
    for one in &county.instructors {
        let actor = Actor {
            user: one.user.clone(),
            county_id: county.county.id,
            device_id: None,
        };
        let ops: Vec<Op> = (0..per)
            .map(|i| {
                let household = one.households[i % one.households.len()].id;
                let date = start + Duration::days(rand::Rng::random_range(&mut rng, 0..days));
                let visit = demo::random_visit(&mut rng, one.instructor.id, vec![household], date);
                Op {
                    op_id: new_id(),
                    base: None,
                    schema: SCHEMA_VERSION,
                    record: Record::Visit(visit),
                }
            })
            .collect();
        for chunk in ops.chunks(1000) {
            store
                .push(
                    actor.clone(),
                    chunk.to_vec(),
                    DeviceReport::default(),
                    Utc::now(),
                )
                .await
                .unwrap();
        }
    }
}

fn client(cert_pem: &str) -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let cert = reqwest::Certificate::from_pem(cert_pem.as_bytes()).unwrap();
    reqwest::Client::builder()
        .tls_certs_only([cert])
        .build()
        .unwrap()
}

async fn enroll(client: &reqwest::Client, server: &TestServer, user: uuid::Uuid) -> String {
    let code = server.enroll_code(user).await.unwrap();
    let body = wire::EnrollRequest {
        code,
        device_name: "bench".into(),
        app_version: "bench".into(),
    };
    let response = client
        .post(format!("{}{}", server.base_url(), wire::routes::ENROLL))
        .header(wire::PROTOCOL_HEADER, wire::PROTOCOL_VERSION.to_string())
        .json(&body)
        .send()
        .await
        .unwrap();
    response.json::<wire::EnrollResponse>().await.unwrap().token
}
