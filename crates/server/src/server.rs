//! Starting and stopping the server: open the store and photo directory,
//! load TLS, bind, serve until told to stop.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum_server::Handle;
use axum_server::accept::NoDelayAcceptor;
use axum_server::tls_rustls::{RustlsAcceptor, RustlsConfig};

use crate::app::{AppState, Limits, app};
use crate::config::Config;
use crate::photos::PhotoStore;
use crate::store::{Store, StoreError};
use crate::tls::{self, TlsError};

/// How long a graceful shutdown lets requests in flight finish: a push of
/// 1,000 ops commits in well under this.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);

/// The SQLite file's name in the data directory.
pub const SQLITE_FILE: &str = "fieldledger.sqlite3";

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("cannot use the data directory {path}")]
    DataDir {
        path: std::path::PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot open the database")]
    Store(#[from] StoreError),
    #[error("TLS setup failed")]
    Tls(#[from] TlsError),
    #[error("cannot listen on {addr}")]
    Bind {
        addr: SocketAddr,
        #[source]
        source: std::io::Error,
    },
}

/// A server running in this process.
pub struct RunningServer {
    /// The address it listens on (with the real port when 0 was asked).
    pub addr: SocketAddr,
    /// SHA-256 fingerprint of the certificate; `None` over plain HTTP.
    pub fingerprint: Option<String>,
    /// The certificate in PEM, for clients that trust it directly.
    pub cert_pem: Option<String>,
    /// The store the server uses, for seeding and inspection in tests.
    pub store: Arc<Store>,
    handle: Handle<SocketAddr>,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl RunningServer {
    /// `https://host:port` (or `http://` without TLS).
    pub fn base_url(&self) -> String {
        let scheme = if self.fingerprint.is_some() {
            "https"
        } else {
            "http"
        };
        format!("{scheme}://{}", self.addr)
    }

    /// Stops accepting, lets requests in flight finish, and waits.
    pub async fn shutdown(self) -> std::io::Result<()> {
        self.handle.graceful_shutdown(Some(SHUTDOWN_GRACE));
        self.task.await.map_err(std::io::Error::other)?
    }

    /// Stops at once, dropping connections; for tests that end abruptly.
    pub fn abort(self) {
        self.handle.shutdown();
        self.task.abort();
    }

    /// Waits until the server stops on its own (it does not, unless it fails).
    pub async fn wait(self) -> std::io::Result<()> {
        self.task.await.map_err(std::io::Error::other)?
    }
}

/// Opens the store the configuration names.
pub async fn open_store(config: &Config) -> Result<Store, StartError> {
    let dir = &config.data_dir;
    std::fs::create_dir_all(dir).map_err(|source| StartError::DataDir {
        path: dir.clone(),
        source,
    })?;
    let store = match &config.database_url {
        Some(url) => Store::open_postgres(url.expose(), config.postgres_schema.as_deref()).await?,
        None => Store::open_sqlite(&dir.join(SQLITE_FILE)).await?,
    };

    Ok(store)
}

/// Starts the server described by `config`.
pub async fn start(config: Config) -> Result<RunningServer, StartError> {
    let store = Arc::new(open_store(&config).await?);
    let photo_dir = config.data_dir.join("photos");
    let photos = PhotoStore::open(photo_dir.clone(), config.photo_max).map_err(|source| {
        StartError::DataDir {
            path: photo_dir,
            source,
        }
    })?;
    let state = AppState {
        store: store.clone(),
        photos: Arc::new(photos),
        limits: Limits {
            body: config.push_limit,
        },
    };
    let identity = tls::identity(&config.tls, &config.data_dir)?;

    let bind = |source| StartError::Bind {
        addr: config.listen,
        source,
    };
    let listener = std::net::TcpListener::bind(config.listen).map_err(bind)?;
    let addr = listener.local_addr().map_err(bind)?;
    let handle = Handle::new();
    let service = app(state).into_make_service();
    // Every connection sets TCP_NODELAY: otherwise the last small write of
    // an answer waits for the phone's delayed ACK, some 40 ms per request.
    let (fingerprint, cert_pem, task) = match identity {
        Some(identity) => {
            let (fingerprint, pem) = (identity.fingerprint.clone(), identity.cert_pem.clone());
            let rustls = RustlsConfig::from_config(tls::server_config(identity)?);
            let tls = RustlsAcceptor::new(rustls).acceptor(NoDelayAcceptor::new());
            let server = axum_server::from_tcp(listener)
                .map_err(bind)?
                .acceptor(tls)
                .handle(handle.clone());
            (
                Some(fingerprint),
                Some(pem),
                tokio::spawn(server.serve(service)),
            )
        }
        None => {
            let server = axum_server::from_tcp(listener)
                .map_err(bind)?
                .acceptor(NoDelayAcceptor::new())
                .handle(handle.clone());
            (None, None, tokio::spawn(server.serve(service)))
        }
    };
    tracing::info!(%addr, db = store.kind(), tls = fingerprint.is_some(), "listening");

    Ok(RunningServer {
        addr,
        fingerprint,
        cert_pem,
        store,
        handle,
        task,
    })
}
