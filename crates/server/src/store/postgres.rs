//! PostgreSQL, chosen by a `postgres://` URL.
//!
//! Write transactions first lock the change counter's row, so writes are
//! serialised and the change feed's sequence numbers become visible in
//! order: a phone that pulled up to `seq` can never later find a smaller
//! one appear. Reads run in repeatable-read, read-only transactions.
//!
//! The connection is not encrypted; run the database on the same machine or
//! a private network.

use std::str::FromStr;

use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod};
use tokio_postgres::NoTls;

use super::conn::Conn;
use super::{Job, Mode, StoreError};

/// Connections in the pool: a few more than the cores that serve requests.
const POOL_SIZE: usize = 16;

pub struct PgDb {
    pool: Pool,
}

impl PgDb {
    /// Connects to `url`; with `schema`, every connection works in that
    /// schema, which is created when missing.
    pub async fn connect(url: &str, schema: Option<&str>) -> Result<Self, StoreError> {
        let mut config = tokio_postgres::Config::from_str(url)?;
        // Statements are prepared once per connection and run with key
        // lists of every size. After five runs PostgreSQL would switch to a
        // generic plan, which for `= ANY($1)` scans whole tables: a push's
        // lookups grew with the database, 2 ms and rising after 2,000 ops.
        let mut options = config.get_options().unwrap_or_default().to_owned();
        options.push_str(" -c plan_cache_mode=force_custom_plan");
        if let Some(schema) = schema {
            check_schema_name(schema)?;
            create_schema(&config, schema).await?;
            options.push_str(&format!(" -c search_path={schema}"));
        }
        config.options(options.trim());
        let manager = Manager::from_config(
            config,
            NoTls,
            ManagerConfig {
                recycling_method: RecyclingMethod::Fast,
            },
        );
        let pool = Pool::builder(manager).max_size(POOL_SIZE).build()?;

        Ok(Self { pool })
    }

    /// Runs `job` in a transaction.
    pub async fn run<R: Send + 'static>(&self, mode: Mode, job: Job<R>) -> Result<R, StoreError> {
        let client = self.pool.get().await?;
        let begin = match mode {
            Mode::Write => "BEGIN",
            Mode::Read => "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
        };
        client.batch_execute(begin).await?;
        if mode == Mode::Write {
            lock_writers(&client).await?;
        }
        let result = job(Conn::Postgres(&client)).await;
        match result {
            Ok(value) => {
                client.batch_execute("COMMIT").await?;
                Ok(value)
            }
            Err(e) => {
                if let Err(rollback) = client.batch_execute("ROLLBACK").await {
                    tracing::error!(error = %rollback, "rollback failed");
                }
                Err(e)
            }
        }
    }
}

/// Takes the counter row's lock; the first migration has not run yet on a
/// fresh database, so a missing table is not an error.
async fn lock_writers(client: &deadpool_postgres::Client) -> Result<(), StoreError> {
    let exists = client
        .query_opt("SELECT 1 FROM pg_tables WHERE tablename = 'counters' AND schemaname = current_schema()", &[])
        .await?;
    if exists.is_some() {
        client
            .execute(
                "SELECT value FROM counters WHERE name = 'change_seq' FOR UPDATE",
                &[],
            )
            .await?;
    } else {
        client
            .execute("SELECT pg_advisory_xact_lock(5318)", &[])
            .await?;
    }

    Ok(())
}

fn check_schema_name(schema: &str) -> Result<(), StoreError> {
    let ok = !schema.is_empty()
        && schema.len() < 60
        && schema
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
    if ok {
        Ok(())
    } else {
        Err(StoreError::Config(format!("bad schema name: {schema}")))
    }
}

async fn create_schema(config: &tokio_postgres::Config, schema: &str) -> Result<(), StoreError> {
    let (client, connection) = config.connect(NoTls).await?;
    let task = tokio::spawn(connection);
    client
        .batch_execute(&format!("CREATE SCHEMA IF NOT EXISTS {schema}"))
        .await?;
    drop(client);
    if let Ok(Err(e)) = task.await {
        tracing::debug!(error = %e, "schema connection closed with an error");
    }

    Ok(())
}
