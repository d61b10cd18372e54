//! The harness of the HTTPS tests: a real server on 127.0.0.1:0 with the
//! dev certificate, a seeded county, and a reqwest client that trusts
//! exactly that certificate.
//!
//! PostgreSQL tests read `FIELDLEDGER_TEST_POSTGRES`; without it they fail,
//! unless `FIELDLEDGER_SKIP_POSTGRES=1` says to leave PostgreSQL out.

#![allow(clippy::unwrap_used, dead_code)]

use fieldledger_model::wire::{
    self, ApiError, DeviceReport, EnrollRequest, EnrollResponse, Op, PushRequest, PushResponse,
};
use fieldledger_server::config::DEFAULT_PUSH_LIMIT;
use fieldledger_server::demo::{CountySpec, SeededCounty};
use fieldledger_server::secrets::Secret;
use fieldledger_server::testing::{TestDatabase, TestServer};
use reqwest::{Client, Method, RequestBuilder, Response, StatusCode};
use serde::de::DeserializeOwned;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A running server, its seeded county and a client.
pub struct Ctx {
    pub server: TestServer,
    pub county: SeededCounty,
    pub client: Client,
}

/// The database for a test, or `None` when PostgreSQL is to be left out.
pub fn database(backend: Backend) -> Option<TestDatabase> {
    match backend {
        Backend::Sqlite => Some(TestDatabase::Sqlite),
        Backend::Postgres => match std::env::var("FIELDLEDGER_TEST_POSTGRES") {
            Ok(url) if !url.is_empty() => {
                let schema = format!("t_{}", uuid::Uuid::now_v7().simple());
                Some(TestDatabase::Postgres {
                    url: Secret::new(url),
                    schema,
                })
            }
            _ if std::env::var("FIELDLEDGER_SKIP_POSTGRES").as_deref() == Ok("1") => None,
            _ => panic!(
                "FIELDLEDGER_TEST_POSTGRES is not set: set it to a PostgreSQL URL \
                 (e.g. postgres://fieldledger:fieldledger@127.0.0.1:5432/fieldledger_test), \
                 or set FIELDLEDGER_SKIP_POSTGRES=1 to leave PostgreSQL out"
            ),
        },
    }
}

/// Starts a server with a small seeded county; `None` when the backend is
/// left out.
pub async fn start(backend: Backend) -> Option<Ctx> {
    start_with(backend, DEFAULT_PUSH_LIMIT).await
}

pub async fn start_with(backend: Backend, push_limit: usize) -> Option<Ctx> {
    let db = database(backend)?;
    let server = TestServer::start_with(db, push_limit).await.unwrap();
    let spec = CountySpec {
        townships: 2,
        villages_per_township: 1,
        instructors_per_township: 1,
        households_per_instructor: 3,
        ..CountySpec::default()
    };
    let county = server.seed(&spec).await.unwrap();
    let client = client(&server.cert_pem());

    Some(Ctx {
        server,
        county,
        client,
    })
}

/// A client that trusts only the server's dev certificate.
pub fn client(cert_pem: &str) -> Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let cert = reqwest::Certificate::from_pem(cert_pem.as_bytes()).unwrap();
    Client::builder().tls_certs_only([cert]).build().unwrap()
}

impl Ctx {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.server.base_url())
    }

    /// A request with the protocol header and, when given, a token.
    pub fn request(&self, method: Method, path: &str, token: Option<&str>) -> RequestBuilder {
        let builder = self
            .client
            .request(method, self.url(path))
            .header(wire::PROTOCOL_HEADER, wire::PROTOCOL_VERSION.to_string());
        match token {
            Some(token) => builder.bearer_auth(token),
            None => builder,
        }
    }

    /// Enrolls a device for `user` and returns its token.
    pub async fn enroll(&self, user: uuid::Uuid) -> EnrollResponse {
        let code = self.server.enroll_code(user).await.unwrap();
        let body = EnrollRequest {
            code,
            device_name: "test phone".into(),
            app_version: "0.1.0".into(),
        };
        ok(self
            .request(Method::POST, wire::routes::ENROLL, None)
            .json(&body)
            .send()
            .await
            .unwrap())
        .await
    }

    pub async fn token(&self, user: uuid::Uuid) -> String {
        self.enroll(user).await.token
    }

    pub async fn push(&self, token: &str, ops: Vec<Op>) -> PushResponse {
        let body = PushRequest {
            device: DeviceReport {
                app_version: "0.1.0".into(),
                queued: ops.len() as u32,
                oldest_queued_secs: Some(5),
            },
            ops,
        };
        ok(self
            .request(Method::POST, wire::routes::PUSH, Some(token))
            .json(&body)
            .send()
            .await
            .unwrap())
        .await
    }

    pub async fn get<T: DeserializeOwned>(&self, path: &str, token: &str) -> T {
        ok(self
            .request(Method::GET, path, Some(token))
            .send()
            .await
            .unwrap())
        .await
    }

    pub async fn get_status(&self, path: &str, token: &str) -> StatusCode {
        self.request(Method::GET, path, Some(token))
            .send()
            .await
            .unwrap()
            .status()
    }
}

/// The body of a 200 answer.
pub async fn ok<T: DeserializeOwned>(response: Response) -> T {
    let status = response.status();
    let text = response.text().await.unwrap();
    assert_eq!(status, StatusCode::OK, "{text}");
    serde_json::from_str(&text).unwrap()
}

/// The status and error body of a refusal; asserts it is a 4xx.
pub async fn refused(response: Response) -> (StatusCode, ApiError) {
    let status = response.status();
    let text = response.text().await.unwrap();
    assert!(status.is_client_error(), "{status}: {text}");
    (
        status,
        serde_json::from_str(&text).unwrap_or_else(|_| panic!("not an ApiError: {text}")),
    )
}

/// Declares each listed test once per backend.
#[macro_export]
macro_rules! per_backend {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name(super::common::Backend::Sqlite).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name(super::common::Backend::Postgres).await;
                }
            )*
        }
    };
}
