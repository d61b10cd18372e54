//! Helpers for tests elsewhere (the phone's sync engine) and here: start a
//! real server in this process on `127.0.0.1:0` over HTTPS with a temporary
//! data directory, seed a county, mint enrollment codes.
//!
//! ```text
//! let server = fieldledger_server::testing::TestServer::start().await?;
//! let county = server.seed(&CountySpec::default()).await?;
//! let code = server.enroll_code(county.instructors[0].user.id).await?;
//! // Trust server.cert_pem() in the client, then POST {base_url}/v1/enroll.
//! ```

use std::net::SocketAddr;
use std::sync::Arc;

use crate::admin::{self, AdminError};
use crate::config::{DEFAULT_PHOTO_MAX, DEFAULT_PUSH_LIMIT, TlsMode};
use crate::demo::{CountySpec, SeededCounty};
use crate::secrets::Secret;
use crate::store::Store;
use crate::{Config, RunningServer, StartError};

#[derive(Debug, thiserror::Error)]
pub enum TestingError {
    #[error("cannot make a temporary directory")]
    TempDir(#[source] std::io::Error),
    #[error("the server did not start")]
    Start(#[from] StartError),
    #[error("seeding failed")]
    Admin(#[from] AdminError),
}

/// Where a test server keeps its data.
#[derive(Debug, Clone)]
pub enum TestDatabase {
    Sqlite,
    /// A PostgreSQL URL and a schema of this test's own.
    Postgres {
        url: Secret,
        schema: String,
    },
}

/// A server running in this process for one test; stopped and its data
/// removed when dropped (or explicitly with [`TestServer::stop`]).
pub struct TestServer {
    server: Option<RunningServer>,
    dir: tempfile::TempDir,
}

impl TestServer {
    /// Starts a server over HTTPS (dev certificate) with SQLite.
    pub async fn start() -> Result<Self, TestingError> {
        Self::start_with(TestDatabase::Sqlite, DEFAULT_PUSH_LIMIT).await
    }

    /// Starts a server over HTTPS with the given database and body limit.
    pub async fn start_with(
        database: TestDatabase,
        push_limit: usize,
    ) -> Result<Self, TestingError> {
        let dir = tempfile::tempdir().map_err(TestingError::TempDir)?;
        let (database_url, postgres_schema) = match database {
            TestDatabase::Sqlite => (None, None),
            TestDatabase::Postgres { url, schema } => (Some(url), Some(schema)),
        };
        let config = Config {
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            data_dir: dir.path().to_owned(),
            database_url,
            postgres_schema,
            tls: TlsMode::Dev,
            push_limit,
            photo_max: DEFAULT_PHOTO_MAX,
        };
        let server = crate::start(config).await?;

        Ok(Self {
            server: Some(server),
            dir,
        })
    }

    fn running(&self) -> &RunningServer {
        match &self.server {
            Some(server) => server,
            None => unreachable!("the server lives until stop() consumes self"),
        }
    }

    /// `https://127.0.0.1:port`.
    pub fn base_url(&self) -> String {
        self.running().base_url()
    }

    /// The dev certificate in PEM, for the client to trust.
    pub fn cert_pem(&self) -> String {
        self.running().cert_pem.clone().unwrap_or_default()
    }

    /// SHA-256 fingerprint of the certificate, for pinning.
    pub fn fingerprint(&self) -> String {
        self.running().fingerprint.clone().unwrap_or_default()
    }

    /// The server's store.
    pub fn store(&self) -> Arc<Store> {
        self.running().store.clone()
    }

    /// The data directory.
    pub fn data_dir(&self) -> &std::path::Path {
        self.dir.path()
    }

    /// Seeds a county (see [`crate::demo`]).
    pub async fn seed(&self, spec: &CountySpec) -> Result<SeededCounty, TestingError> {
        Ok(crate::demo::seed_county(&self.store(), spec).await?)
    }

    /// A fresh one-time enrollment code for `user`.
    pub async fn enroll_code(&self, user: uuid::Uuid) -> Result<String, TestingError> {
        Ok(admin::new_enroll_code(&self.store(), user).await?)
    }

    /// Stops the server and waits for it.
    pub async fn stop(mut self) -> std::io::Result<()> {
        match self.server.take() {
            Some(server) => server.shutdown().await,
            None => Ok(()),
        }
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(server) = self.server.take() {
            server.abort();
        }
    }
}
