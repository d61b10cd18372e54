//! Server configuration, in layers: defaults, then a TOML file, then
//! `FIELDLEDGER_*` environment variables, then command-line flags; each
//! layer overrides what the one before set.
//!
//! | key (TOML / env suffix) | meaning |
//! | --- | --- |
//! | `listen` / `LISTEN` | address to bind, default `0.0.0.0:8443` |
//! | `data_dir` / `DATA_DIR` | SQLite file, photos, dev certificate |
//! | `database_url` / `DATABASE_URL` | `postgres://…`; unset means SQLite |
//! | `postgres_schema` / `POSTGRES_SCHEMA` | schema to work in |
//! | `tls_cert`, `tls_key` / `TLS_CERT`, `TLS_KEY` | PEM files |
//! | `dev` / `DEV` | self-signed certificate in the data dir |
//! | `insecure_http` / `INSECURE_HTTP` | plain HTTP, loopback only |
//! | `push_limit_bytes` / `PUSH_LIMIT_BYTES` | largest request body |
//! | `photo_max_bytes` / `PHOTO_MAX_BYTES` | largest photo |

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::secrets::Secret;

/// Largest request body, after decompression: a batch of 1,000 visits with
/// notes is about 1 MiB, so 8 MiB leaves room without letting one request
/// hold much memory.
pub const DEFAULT_PUSH_LIMIT: usize = 8 * 1024 * 1024;

/// Largest photo: phone JPEGs are 2–6 MiB; the app shrinks them before
/// upload, so 32 MiB only stops mistakes.
pub const DEFAULT_PHOTO_MAX: u64 = 32 * 1024 * 1024;

/// How the server speaks to clients.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TlsMode {
    /// A certificate and key from PEM files.
    Files { cert: PathBuf, key: PathBuf },
    /// A self-signed certificate for localhost, kept in the data dir.
    Dev,
    /// Plain HTTP, allowed on a loopback address only.
    InsecureHttp,
}

/// The resolved configuration. `Debug` hides the database URL.
#[derive(Debug, Clone)]
pub struct Config {
    pub listen: SocketAddr,
    pub data_dir: PathBuf,
    /// `postgres://…`, or `None` for SQLite in the data dir.
    pub database_url: Option<Secret>,
    pub postgres_schema: Option<String>,
    pub tls: TlsMode,
    pub push_limit: usize,
    pub photo_max: u64,
}

/// One layer: whatever it sets.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Layer {
    pub listen: Option<SocketAddr>,
    pub data_dir: Option<PathBuf>,
    pub database_url: Option<Secret>,
    pub postgres_schema: Option<String>,
    pub tls_cert: Option<PathBuf>,
    pub tls_key: Option<PathBuf>,
    pub dev: Option<bool>,
    pub insecure_http: Option<bool>,
    pub push_limit_bytes: Option<usize>,
    pub photo_max_bytes: Option<u64>,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read config file {path}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("config file {path} is not valid")]
    Parse {
        path: PathBuf,
        #[source]
        source: Box<toml::de::Error>,
    },
    #[error("environment variable {name} is not valid: {why}")]
    Env { name: String, why: String },
    #[error("plain HTTP is only allowed on a loopback address (127.0.0.1 or ::1), not {0}")]
    InsecureNotLoopback(SocketAddr),
    #[error("no TLS certificate: give --cert and --key, or --dev for a self-signed one")]
    NoCertificate,
    #[error("the database URL must start with postgres:// or postgresql://")]
    BadDatabaseUrl,
}

impl Layer {
    /// Reads a TOML file.
    pub fn from_file(path: &Path) -> Result<Self, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.into(),
            source,
        })?;
        toml::from_str(&text).map_err(|source| ConfigError::Parse {
            path: path.into(),
            source: Box::new(source),
        })
    }

    /// Reads `FIELDLEDGER_*` variables from `vars`.
    pub fn from_env(vars: impl IntoIterator<Item = (String, String)>) -> Result<Self, ConfigError> {
        let mut layer = Layer::default();
        for (name, value) in vars {
            let Some(key) = name.strip_prefix("FIELDLEDGER_") else {
                continue;
            };
            let bad = |why: &str| ConfigError::Env {
                name: name.clone(),
                why: why.into(),
            };
            match key {
                "LISTEN" => {
                    layer.listen = Some(value.parse().map_err(|_| bad("expected host:port"))?)
                }
                "DATA_DIR" => layer.data_dir = Some(value.into()),
                "DATABASE_URL" => layer.database_url = Some(Secret::new(value)),
                "POSTGRES_SCHEMA" => layer.postgres_schema = Some(value),
                "TLS_CERT" => layer.tls_cert = Some(value.into()),
                "TLS_KEY" => layer.tls_key = Some(value.into()),
                "DEV" => {
                    layer.dev =
                        Some(parse_bool(&value).ok_or_else(|| bad("expected true or false"))?)
                }
                "INSECURE_HTTP" => {
                    layer.insecure_http =
                        Some(parse_bool(&value).ok_or_else(|| bad("expected true or false"))?)
                }
                "PUSH_LIMIT_BYTES" => {
                    layer.push_limit_bytes = Some(value.parse().map_err(|_| bad("expected bytes"))?)
                }
                "PHOTO_MAX_BYTES" => {
                    layer.photo_max_bytes = Some(value.parse().map_err(|_| bad("expected bytes"))?)
                }
                _ => {}
            }
        }

        Ok(layer)
    }

    /// This layer with `over`'s settings on top.
    pub fn then(self, over: Layer) -> Layer {
        Layer {
            listen: over.listen.or(self.listen),
            data_dir: over.data_dir.or(self.data_dir),
            database_url: over.database_url.or(self.database_url),
            postgres_schema: over.postgres_schema.or(self.postgres_schema),
            tls_cert: over.tls_cert.or(self.tls_cert),
            tls_key: over.tls_key.or(self.tls_key),
            dev: over.dev.or(self.dev),
            insecure_http: over.insecure_http.or(self.insecure_http),
            push_limit_bytes: over.push_limit_bytes.or(self.push_limit_bytes),
            photo_max_bytes: over.photo_max_bytes.or(self.photo_max_bytes),
        }
    }

    /// Fills in defaults and checks the combination.
    pub fn resolve(self) -> Result<Config, ConfigError> {
        let listen = self
            .listen
            .unwrap_or_else(|| SocketAddr::from(([0, 0, 0, 0], 8443)));
        let tls = match (self.insecure_http, self.dev, self.tls_cert, self.tls_key) {
            (Some(true), ..) if !listen.ip().is_loopback() => {
                return Err(ConfigError::InsecureNotLoopback(listen));
            }
            (Some(true), ..) => TlsMode::InsecureHttp,
            (_, Some(true), ..) => TlsMode::Dev,
            (_, _, Some(cert), Some(key)) => TlsMode::Files { cert, key },
            _ => return Err(ConfigError::NoCertificate),
        };
        if let Some(url) = &self.database_url
            && !(url.expose().starts_with("postgres://")
                || url.expose().starts_with("postgresql://"))
        {
            return Err(ConfigError::BadDatabaseUrl);
        }

        Ok(Config {
            listen,
            data_dir: self
                .data_dir
                .unwrap_or_else(|| PathBuf::from("fieldledger-server-data")),
            database_url: self.database_url,
            postgres_schema: self.postgres_schema,
            tls,
            push_limit: self.push_limit_bytes.unwrap_or(DEFAULT_PUSH_LIMIT),
            photo_max: self.photo_max_bytes.unwrap_or(DEFAULT_PHOTO_MAX),
        })
    }
}

fn parse_bool(text: &str) -> Option<bool> {
    match text.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Some(true),
        "0" | "false" | "no" | "off" | "" => Some(false),
        _ => None,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> Layer {
        Layer::from_env(pairs.iter().map(|(k, v)| (k.to_string(), v.to_string()))).unwrap()
    }

    #[test]
    fn later_layers_win_and_secrets_stay_hidden() {
        let file: Layer = toml::from_str(
            "listen = \"127.0.0.1:9000\"\ndev = true\ndatabase_url = \"postgres://u:pw@h/db\"",
        )
        .unwrap();
        let config = file
            .then(env(&[("FIELDLEDGER_LISTEN", "127.0.0.1:9001")]))
            .resolve()
            .unwrap();
        assert_eq!(config.listen.port(), 9001);
        assert_eq!(config.tls, TlsMode::Dev);
        assert!(!format!("{config:?}").contains("pw"));
    }

    #[test]
    fn plain_http_only_on_loopback() {
        let open = env(&[
            ("FIELDLEDGER_INSECURE_HTTP", "1"),
            ("FIELDLEDGER_LISTEN", "0.0.0.0:80"),
        ]);
        assert!(matches!(
            open.resolve(),
            Err(ConfigError::InsecureNotLoopback(_))
        ));
        let local = env(&[
            ("FIELDLEDGER_INSECURE_HTTP", "1"),
            ("FIELDLEDGER_LISTEN", "127.0.0.1:80"),
        ]);
        assert_eq!(local.resolve().unwrap().tls, TlsMode::InsecureHttp);
        assert!(matches!(
            Layer::default().resolve(),
            Err(ConfigError::NoCertificate)
        ));
    }
}
