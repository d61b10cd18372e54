//! Server benchmarks, on SQLite and (when `FIELDLEDGER_TEST_POSTGRES` is
//! set) PostgreSQL:
//!
//! 1. ingest: visit ops durably acknowledged per second, pushed over HTTPS
//!    on loopback in batches of 100 and of 1,000 ([`push`]);
//! 2. Attachment 4 over `FIELDLEDGER_BENCH_VISITS` visits (default
//!    1,000,000) in 100 counties, loaded through the store's bulk push path
//!    ([`load`]): one county by instructor, by township and as one row, and
//!    one township by instructor.
//!
//! Run: `cargo bench -p fieldledger-server --bench ingest`. Scale down with
//! `FIELDLEDGER_BENCH_OPS` (ops per ingest run, default 20,000) and
//! `FIELDLEDGER_BENCH_VISITS`; `FIELDLEDGER_BENCH_ONLY=sqlite|postgres`
//! runs one store.

#![allow(clippy::unwrap_used)]

mod load;
mod push;

use fieldledger_server::secrets::Secret;
use fieldledger_server::testing::{TestDatabase, TestServer};

/// The request body limit of the bench's server: room for batches of 1,000.
const PUSH_LIMIT: usize = 64 * 1024 * 1024;

fn knob(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.replace('_', "").parse().ok())
        .unwrap_or(default)
}

#[tokio::main]
async fn main() {
    let ops = knob("FIELDLEDGER_BENCH_OPS", 20_000);
    let visits = knob("FIELDLEDGER_BENCH_VISITS", 1_000_000);
    let only = std::env::var("FIELDLEDGER_BENCH_ONLY").ok();
    let mut backends = Vec::new();
    if only.as_deref() != Some("postgres") {
        backends.push(("sqlite", TestDatabase::Sqlite, None));
    }
    match std::env::var("FIELDLEDGER_TEST_POSTGRES") {
        Ok(url) if only.as_deref() != Some("sqlite") => {
            let schema = format!("bench_{}", uuid::Uuid::now_v7().simple());
            let db = TestDatabase::Postgres {
                url: Secret::new(url.clone()),
                schema: schema.clone(),
            };
            backends.push(("postgres", db, Some((url, schema))));
        }
        Ok(_) => {}
        Err(_) => println!("FIELDLEDGER_TEST_POSTGRES not set: PostgreSQL left out"),
    }
    for (name, db, postgres) in backends {
        let server = TestServer::start_with(db, PUSH_LIMIT).await.unwrap();
        for batch in [100, 1000] {
            let rate = push::ingest(&server, batch, ops).await;
            println!(
                "{name}: ingest, batches of {batch}: {rate:.0} ops/s (HTTPS, loopback, durable)"
            );
        }
        load::run(name, &server, visits).await;
        server.stop().await.unwrap();
        if let Some((url, schema)) = postgres {
            drop_schema(&url, &schema).await;
        }
    }
}

/// Drops the bench's PostgreSQL schema, so that runs leave no data behind.
async fn drop_schema(url: &str, schema: &str) {
    let (client, connection) = tokio_postgres::connect(url, tokio_postgres::NoTls)
        .await
        .unwrap();
    let task = tokio::spawn(connection);
    client
        .batch_execute(&format!("DROP SCHEMA {schema} CASCADE"))
        .await
        .unwrap();
    drop(client);
    let _ = task.await;
}
