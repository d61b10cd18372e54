//! How the phone decides to trust the server.
//!
//! A county often runs its server with a self-signed certificate. Two ways
//! make that safe without turning verification off:
//! - [`Trust::Pinned`]: the SHA-256 fingerprint of the server's own
//!   certificate, taken at enrollment (from the QR code). Exactly that
//!   certificate is accepted; the handshake signature is still checked
//!   with the crypto provider's algorithms, so only the holder of its
//!   private key can pass.
//! - [`Trust::Ca`]: a CA certificate (PEM) that signed the server's
//!   certificate; the usual WebPKI checks (chain, name, dates) apply.

use std::fmt;
use std::sync::Arc;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{CryptoProvider, WebPkiSupportedAlgorithms};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{
    CertificateError, ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme,
};
use sha2::{Digest, Sha256};

/// A SHA-256 fingerprint of a DER certificate.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Fingerprint(pub [u8; 32]);

impl Fingerprint {
    /// The fingerprint of a DER-encoded certificate.
    pub fn of(der: &[u8]) -> Fingerprint {
        Fingerprint(Sha256::digest(der).into())
    }

    /// Reads 64 hex digits; colons and spaces between them are allowed, as
    /// browsers and `openssl x509 -fingerprint` print them.
    pub fn parse(text: &str) -> Result<Fingerprint, TlsError> {
        let digits: String = text.chars().filter(|c| !matches!(c, ':' | ' ')).collect();
        let mut out = [0u8; 32];
        hex::decode_to_slice(&digits, &mut out).map_err(|_| TlsError::BadFingerprint)?;

        Ok(Fingerprint(out))
    }

    /// Lower-case hex without separators.
    pub fn to_hex(&self) -> String {
        hex::encode(self.0)
    }
}

impl fmt::Debug for Fingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Fingerprint({})", self.to_hex())
    }
}

/// What the phone trusts when it connects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Trust {
    /// Exactly the server certificate with this fingerprint.
    Pinned(Fingerprint),
    /// Certificates issued by the CA(s) in this PEM text.
    Ca(String),
}

/// Why a trust setting cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    #[error("证书指纹格式不正确：应为 64 位十六进制数字")]
    BadFingerprint,
    #[error("CA 证书无法读取")]
    BadPem(#[source] rustls::pki_types::pem::Error),
    #[error("CA 证书文件里没有证书")]
    NoCertificate,
    #[error("CA 证书无法使用")]
    Rejected(#[source] rustls::Error),
}

/// The crypto provider every connection uses: *ring*.
pub fn provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// A rustls client configuration that trusts what `trust` says and
/// nothing else. HTTP/1.1 only: requests are few and large.
pub fn client_config(trust: &Trust) -> Result<ClientConfig, TlsError> {
    let provider = provider();
    let builder = ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(TlsError::Rejected)?;
    let mut config = match trust {
        Trust::Pinned(fp) => builder
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(PinnedVerifier::new(*fp, &provider)))
            .with_no_client_auth(),
        Trust::Ca(pem) => builder
            .with_root_certificates(roots(pem)?)
            .with_no_client_auth(),
    };
    config.alpn_protocols = vec![b"http/1.1".to_vec()];

    Ok(config)
}

fn roots(pem: &str) -> Result<RootCertStore, TlsError> {
    let mut store = RootCertStore::empty();
    for cert in CertificateDer::pem_slice_iter(pem.as_bytes()) {
        let cert = cert.map_err(TlsError::BadPem)?;
        store.add(cert).map_err(TlsError::Rejected)?;
    }
    if store.is_empty() {
        return Err(TlsError::NoCertificate);
    }

    Ok(store)
}

/// Accepts exactly one end-entity certificate, by fingerprint.
///
/// The certificate's dates and names are not checked: the pin names the
/// certificate itself, which is stronger than a name, and a county's
/// self-signed certificate is often long-lived. The handshake signature
/// is verified, so a copy of the certificate without its key fails.
#[derive(Debug)]
pub struct PinnedVerifier {
    pin: Fingerprint,
    algorithms: WebPkiSupportedAlgorithms,
}

impl PinnedVerifier {
    /// A verifier for `pin`, checking signatures with `provider`'s algorithms.
    pub fn new(pin: Fingerprint, provider: &CryptoProvider) -> PinnedVerifier {
        PinnedVerifier {
            pin,
            algorithms: provider.signature_verification_algorithms,
        }
    }
}

impl ServerCertVerifier for PinnedVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        if Fingerprint::of(end_entity.as_ref()) == self.pin {
            Ok(ServerCertVerified::assertion())
        } else {
            Err(rustls::Error::InvalidCertificate(
                CertificateError::ApplicationVerificationFailure,
            ))
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algorithms.supported_schemes()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn fingerprint_accepts_colons_and_upper_case() {
        let hex = "AB:".repeat(31) + "AB";
        assert_eq!(Fingerprint::parse(&hex).unwrap().0, [0xab; 32]);
    }

    #[test]
    fn fingerprint_rejects_short_or_non_hex() {
        assert!(Fingerprint::parse("abcd").is_err());
        assert!(Fingerprint::parse(&"zz".repeat(32)).is_err());
    }

    #[test]
    fn ca_without_certificates_is_refused() {
        assert!(matches!(
            client_config(&Trust::Ca("not pem".into())),
            Err(TlsError::NoCertificate)
        ));
    }
}
