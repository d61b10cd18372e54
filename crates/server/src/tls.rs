//! TLS for the server, with the `ring` crypto provider.
//!
//! In dev mode the server makes a self-signed certificate for `localhost`
//! and `127.0.0.1` once and keeps it in the data directory, so that phones
//! that pinned its SHA-256 fingerprint keep trusting it across restarts.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use sha2::{Digest, Sha256};

use crate::config::TlsMode;

/// File names of the dev certificate and key in the data directory.
const DEV_CERT: &str = "dev-cert.pem";
const DEV_KEY: &str = "dev-key.pem";

#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    #[error("cannot read or write {path}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path} holds no usable PEM certificate or key")]
    Pem {
        path: PathBuf,
        #[source]
        source: rustls::pki_types::pem::Error,
    },
    #[error("cannot make the dev certificate")]
    Generate(#[from] rcgen::Error),
    #[error("the certificate and key do not work together")]
    Rustls(#[from] rustls::Error),
}

/// A certificate chain and key ready to serve, with the fingerprint of the
/// first certificate.
pub struct Identity {
    pub certs: Vec<CertificateDer<'static>>,
    pub key: PrivateKeyDer<'static>,
    /// SHA-256 of the leaf certificate's DER, in upper-case hex pairs
    /// separated by colons, as phones show it.
    pub fingerprint: String,
    /// The leaf certificate in PEM, for clients that trust it directly.
    pub cert_pem: String,
}

/// Loads the identity `mode` asks for; `None` for plain HTTP.
pub fn identity(mode: &TlsMode, data_dir: &Path) -> Result<Option<Identity>, TlsError> {
    let (cert, key) = match mode {
        TlsMode::InsecureHttp => return Ok(None),
        TlsMode::Files { cert, key } => (cert.clone(), key.clone()),
        TlsMode::Dev => dev_files(data_dir)?,
    };
    let cert_pem = std::fs::read_to_string(&cert).map_err(|source| TlsError::Io {
        path: cert.clone(),
        source,
    })?;
    let certs = CertificateDer::pem_slice_iter(cert_pem.as_bytes())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|source| TlsError::Pem {
            path: cert.clone(),
            source,
        })?;
    let key = PrivateKeyDer::from_pem_file(&key).map_err(|source| TlsError::Pem {
        path: key.clone(),
        source,
    })?;
    let fingerprint = certs.first().map(|c| fingerprint(c)).unwrap_or_default();

    Ok(Some(Identity {
        certs,
        key,
        fingerprint,
        cert_pem,
    }))
}

/// A rustls server configuration speaking HTTP/2 and HTTP/1.1.
pub fn server_config(identity: Identity) -> Result<Arc<rustls::ServerConfig>, TlsError> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .with_no_client_auth()
        .with_single_cert(identity.certs, identity.key)?;
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];

    Ok(Arc::new(config))
}

/// SHA-256 of a certificate's DER.
pub fn fingerprint(cert: &CertificateDer<'_>) -> String {
    let digest = Sha256::digest(cert.as_ref());
    digest
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect::<Vec<_>>()
        .join(":")
}

/// The dev certificate's files, made on first use.
fn dev_files(data_dir: &Path) -> Result<(PathBuf, PathBuf), TlsError> {
    let (cert, key) = (data_dir.join(DEV_CERT), data_dir.join(DEV_KEY));
    if cert.exists() && key.exists() {
        return Ok((cert, key));
    }
    let names = vec![
        "localhost".to_owned(),
        "127.0.0.1".to_owned(),
        "::1".to_owned(),
    ];
    let made = rcgen::generate_simple_self_signed(names)?;
    write_private(&key, made.signing_key.serialize_pem().as_bytes())?;
    std::fs::write(&cert, made.cert.pem()).map_err(|source| TlsError::Io {
        path: cert.clone(),
        source,
    })?;

    Ok((cert, key))
}

fn write_private(path: &Path, bytes: &[u8]) -> Result<(), TlsError> {
    use std::io::Write;
    let io = |source| TlsError::Io {
        path: path.to_owned(),
        source,
    };
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path).map_err(io)?;
    file.write_all(bytes).map_err(io)?;

    file.sync_all().map_err(io)
}
