//! The HTTP calls of the protocol, one function each, over one reused
//! HTTPS connection.
//!
//! Push bodies go out compressed with zstd (`Content-Encoding: zstd`);
//! every request carries the protocol header, and all but enrollment the
//! device token. Error answers become [`SyncError`]s.

use std::fmt;
use std::time::Duration;

use fieldledger_model::wire::{
    Attachment4Report, EnrollRequest, EnrollResponse, PROTOCOL_HEADER, PROTOCOL_VERSION,
    PhotoProgress, PullResponse, PushRequest, PushResponse, ReportLevel, TownshipStatus, routes,
};
use reqwest::header::{AUTHORIZATION, CONTENT_ENCODING, CONTENT_TYPE, HeaderValue};
use reqwest::{Method, RequestBuilder, Url};
use serde::de::DeserializeOwned;

use crate::sync::error::SyncError;
use crate::sync::tls::{self, Trust};

/// zstd level for push bodies. Batches of similar JSON ops shrink about
/// tenfold at this level while compressing well over 50 MB/s, far faster
/// than any phone uplink.
pub const ZSTD_LEVEL: i32 = 9;

/// How long to wait for a TCP and TLS connection before giving up.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(15);

/// How long a whole exchange may take. A 500 KB body over a 200 kbit/s
/// uplink needs about 20 s; this leaves room for a worse link.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(90);

/// A device token. `Debug` hides it, so it never reaches a log.
#[derive(Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct Token(pub String);

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token(..)")
    }
}

/// A connection to one server.
#[derive(Clone)]
pub struct Client {
    http: reqwest::Client,
    base: Url,
    token: Option<Token>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base", &self.base.as_str())
            .finish()
    }
}

impl Client {
    /// A client for the server at `server` (an `https://` address) that
    /// trusts what `trust` says.
    pub fn new(server: &str, trust: &Trust) -> Result<Client, SyncError> {
        let base = parse_server(server)?;
        let http = reqwest::Client::builder()
            .tls_backend_preconfigured(tls::client_config(trust)?)
            .connect_timeout(CONNECT_TIMEOUT)
            .timeout(REQUEST_TIMEOUT)
            .pool_idle_timeout(Duration::from_secs(50))
            .no_proxy()
            .build()
            .map_err(SyncError::Client)?;

        Ok(Client {
            http,
            base,
            token: None,
        })
    }

    /// The same client, sending `token` with every request.
    pub fn with_token(mut self, token: Token) -> Client {
        self.token = Some(token);
        self
    }

    /// The server's address.
    pub fn server(&self) -> &Url {
        &self.base
    }

    /// Trades a one-time code for a device token.
    pub async fn enroll(&self, request: &EnrollRequest) -> Result<EnrollResponse, SyncError> {
        let body = serde_json::to_vec(request).map_err(SyncError::BadAnswer)?;
        let req = self
            .request(Method::POST, routes::ENROLL)?
            .header(CONTENT_TYPE, "application/json")
            .body(body);

        send_json(req).await
    }

    /// Sends one batch, already encoded by [`encode_push`].
    pub async fn push(&self, body: Vec<u8>) -> Result<PushResponse, SyncError> {
        let req = self
            .request(Method::POST, routes::PUSH)?
            .header(CONTENT_TYPE, "application/json")
            .header(CONTENT_ENCODING, "zstd")
            .body(body);

        send_json(req).await
    }

    /// One page of the change feed after `cursor`.
    /// `queue` is what waits in the outbox as the pull goes out, as
    /// `(queued, oldest_queued_secs)`, for the liaison's status screen.
    pub async fn pull(
        &self,
        cursor: u64,
        limit: u32,
        queue: Option<(u32, Option<u64>)>,
    ) -> Result<PullResponse, SyncError> {
        let mut path = format!("{}?cursor={cursor}&limit={limit}", routes::PULL);
        if let Some((queued, oldest)) = queue {
            path.push_str(&format!("&queued={queued}"));
            if let Some(secs) = oldest {
                path.push_str(&format!("&oldest_queued_secs={secs}"));
            }
        }
        let req = self.request(Method::GET, &path)?;

        send_json(req).await
    }

    /// How much of the photo `sha256` the server holds.
    pub async fn photo_progress(&self, sha256: &str) -> Result<PhotoProgress, SyncError> {
        let req = self.request(Method::GET, &photo_path(sha256))?;

        send_json(req).await
    }

    /// Sends `chunk`, the bytes of the photo from `offset`, of `total` in all.
    pub async fn photo_chunk(
        &self,
        sha256: &str,
        offset: u64,
        total: u64,
        chunk: Vec<u8>,
    ) -> Result<PhotoProgress, SyncError> {
        let path = format!("{}?offset={offset}&total={total}", photo_path(sha256));
        let req = self
            .request(Method::PUT, &path)?
            .header(CONTENT_TYPE, "application/octet-stream")
            .body(chunk);

        send_json(req).await
    }

    /// The sync health of `township`'s instructors, for its liaison.
    pub async fn township_status(&self, township: uuid::Uuid) -> Result<TownshipStatus, SyncError> {
        let path = format!("{}/{township}/status", routes::TOWNSHIPS);
        let req = self.request(Method::GET, &path)?;

        send_json(req).await
    }

    /// Attachment 4 for `area` from 1 January of `year`, in rows of `level`.
    pub async fn attachment4(
        &self,
        year: i32,
        level: ReportLevel,
        area: uuid::Uuid,
    ) -> Result<Attachment4Report, SyncError> {
        let level = match level {
            ReportLevel::County => "county",
            ReportLevel::Township => "township",
            ReportLevel::Instructor => "instructor",
        };
        let path = format!(
            "{}?year={year}&level={level}&area={area}",
            routes::ATTACHMENT4
        );
        let req = self.request(Method::GET, &path)?;

        send_json(req).await
    }

    fn request(&self, method: Method, path: &str) -> Result<RequestBuilder, SyncError> {
        let url = self.base.join(path).map_err(|_| SyncError::BadUrl)?;
        let mut req = self
            .http
            .request(method, url)
            .header(PROTOCOL_HEADER, HeaderValue::from(PROTOCOL_VERSION));
        if let Some(token) = &self.token {
            req = req.header(AUTHORIZATION, format!("Bearer {}", token.0));
        }

        Ok(req)
    }
}

fn photo_path(sha256: &str) -> String {
    format!("{}/{sha256}", routes::PHOTOS)
}

/// Checks an address typed or scanned by a person: it must be `https`.
pub fn parse_server(server: &str) -> Result<Url, SyncError> {
    let url = Url::parse(server.trim()).map_err(|_| SyncError::BadUrl)?;
    if url.scheme() != "https" || url.host_str().is_none() {
        return Err(SyncError::BadUrl);
    }

    Ok(url)
}

/// A push request as it goes on the wire: JSON, then zstd.
pub fn encode_push(request: &PushRequest) -> Result<Vec<u8>, SyncError> {
    let json = serde_json::to_vec(request).map_err(SyncError::BadAnswer)?;

    zstd::bulk::compress(&json, ZSTD_LEVEL).map_err(SyncError::Compress)
}

async fn send_json<T: DeserializeOwned>(req: RequestBuilder) -> Result<T, SyncError> {
    let resp = req.send().await.map_err(SyncError::from_transport)?;
    let status = resp.status();
    let body = resp.bytes().await.map_err(SyncError::from_transport)?;
    if !status.is_success() {
        return Err(SyncError::from_answer(status.as_u16(), &body));
    }

    serde_json::from_slice(&body).map_err(SyncError::BadAnswer)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn only_https_addresses_are_taken() {
        assert!(parse_server("https://county.example:8443").is_ok());
        assert!(matches!(
            parse_server("http://county.example"),
            Err(SyncError::BadUrl)
        ));
        assert!(matches!(
            parse_server("county.example"),
            Err(SyncError::BadUrl)
        ));
    }

    #[test]
    fn token_is_hidden_from_debug() {
        assert_eq!(format!("{:?}", Token("secret".into())), "Token(..)");
    }
}
