//! What can go wrong while syncing, and what a person should be told.
//!
//! Every [`SyncError`] displays as a short Chinese reason that names the fix;
//! the cause stays in its source chain for logs. [`SyncError::retry`] says
//! whether trying again later can help on its own.

use fieldledger_model::wire::{ApiError, ErrorCode};

use crate::sync::tls::TlsError;

/// A failed exchange with the server, or with the local store around it.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error("无法连接服务器")]
    Connect(#[source] reqwest::Error),
    #[error("网络超时")]
    Timeout(#[source] reqwest::Error),
    #[error("证书不受信任")]
    Certificate(#[source] reqwest::Error),
    #[error("网络中断")]
    Network(#[source] reqwest::Error),
    #[error("登录已失效，请重新注册")]
    Unauthorized(ApiError),
    #[error("应用版本过旧，请更新")]
    Outdated,
    #[error("注册码无效或已使用")]
    EnrollmentCode(ApiError),
    #[error("服务器拒绝了请求：{}", .0.message)]
    Refused(ApiError),
    #[error("服务器暂时出错（{status}），稍后自动重试")]
    Server { status: u16, body: String },
    #[error("服务器的回答无法识别")]
    BadAnswer(#[source] serde_json::Error),
    #[error("服务器的回答与请求不符")]
    Mismatch,
    #[error("一次发送的数据太多，服务器拒收")]
    TooLarge,
    #[error("照片上传校验失败，将重新上传")]
    PhotoHash,
    #[error("服务器地址不正确")]
    BadUrl,
    #[error("安全设置无法使用")]
    Tls(#[from] TlsError),
    #[error("网络组件无法启动")]
    Client(#[source] reqwest::Error),
    #[error("本机数据读写出错")]
    Store(#[source] Box<dyn std::error::Error + Send + Sync>),
    #[error("本机文件读写出错")]
    Io(#[from] std::io::Error),
    #[error("数据压缩出错")]
    Compress(#[source] std::io::Error),
}

/// Whether trying again can help without anyone doing anything.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Retry {
    /// No answer came: no signal, no route, a link that timed out or
    /// dropped. Another try costs only a connection attempt, and the
    /// signal may come back any minute, so the engine tries again often.
    Unreachable,
    /// The server answered with a failure: back off further and try again,
    /// so that phones do not pile onto a server in trouble.
    Later,
    /// Needs a person (enroll again, update the app, fix settings); the
    /// engine still retries, but only at its slowest pace.
    NeedsUser,
}

impl SyncError {
    /// Sorts a transport failure by what the user should hear.
    pub fn from_transport(err: reqwest::Error) -> SyncError {
        if is_certificate_error(&err) {
            SyncError::Certificate(err)
        } else if err.is_timeout() {
            SyncError::Timeout(err)
        } else if err.is_connect() {
            SyncError::Connect(err)
        } else {
            SyncError::Network(err)
        }
    }

    /// Sorts an error answer by its status and body.
    pub fn from_answer(status: u16, body: &[u8]) -> SyncError {
        let api: Option<ApiError> = serde_json::from_slice(body).ok();
        match (status, api) {
            (426, _) => SyncError::Outdated,
            (413, _) => SyncError::TooLarge,
            (_, Some(api)) if api.code == ErrorCode::BodyTooLarge => SyncError::TooLarge,
            (_, Some(api)) if api.code == ErrorCode::ProtocolOutdated => SyncError::Outdated,
            (_, Some(api))
                if matches!(api.code, ErrorCode::Unauthorized | ErrorCode::TokenRevoked) =>
            {
                SyncError::Unauthorized(api)
            }
            (_, Some(api)) if api.code == ErrorCode::EnrollmentCodeInvalid => {
                SyncError::EnrollmentCode(api)
            }
            (_, Some(api)) if api.code == ErrorCode::HashMismatch => SyncError::PhotoHash,
            (401, _) => SyncError::Unauthorized(ApiError {
                code: ErrorCode::Unauthorized,
                message: String::new(),
            }),
            (400..=499, Some(api)) if status != 408 && status != 429 => SyncError::Refused(api),
            _ => SyncError::Server {
                status,
                body: String::from_utf8_lossy(&body[..body.len().min(200)]).into_owned(),
            },
        }
    }

    /// Wraps a store failure.
    pub fn store(err: impl std::error::Error + Send + Sync + 'static) -> SyncError {
        SyncError::Store(Box::new(err))
    }

    /// Whether waiting alone can fix this.
    pub fn retry(&self) -> Retry {
        match self {
            SyncError::Unauthorized(_)
            | SyncError::Outdated
            | SyncError::EnrollmentCode(_)
            | SyncError::BadUrl
            | SyncError::Tls(_)
            | SyncError::Certificate(_)
            | SyncError::Client(_) => Retry::NeedsUser,
            SyncError::Connect(_) | SyncError::Timeout(_) | SyncError::Network(_) => {
                Retry::Unreachable
            }
            _ => Retry::Later,
        }
    }
}

/// True when the handshake failed because the server's certificate was
/// not trusted (anywhere in the error's source chain).
///
/// `std::io::Error::source` skips the error it wraps, so wrapped I/O
/// errors are opened with `get_ref` instead.
fn is_certificate_error(err: &reqwest::Error) -> bool {
    let mut next: Option<&(dyn std::error::Error + 'static)> = Some(err);
    while let Some(e) = next {
        if let Some(tls) = e.downcast_ref::<rustls::Error>() {
            return matches!(
                tls,
                rustls::Error::InvalidCertificate(_) | rustls::Error::NoCertificatesPresented
            );
        }
        next = match e.downcast_ref::<std::io::Error>() {
            Some(io) => io
                .get_ref()
                .map(|inner| inner as &(dyn std::error::Error + 'static)),
            None => e.source(),
        };
    }

    false
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn body(code: &str) -> Vec<u8> {
        format!(r#"{{"code":"{code}","message":"m"}}"#).into_bytes()
    }

    #[tokio::test]
    async fn a_server_that_cannot_be_reached_is_tried_again_soon() {
        // A port nobody listens on: the connection is refused.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let pin = crate::sync::tls::Fingerprint::parse(&"ab".repeat(32)).unwrap();
        let client = crate::sync::client::Client::new(
            &format!("https://127.0.0.1:{port}"),
            &crate::sync::tls::Trust::Pinned(pin),
        )
        .unwrap();
        let err = client.pull(0, 10, None).await.unwrap_err();
        assert_eq!(err.to_string(), "无法连接服务器");
        assert_eq!(err.retry(), Retry::Unreachable);
    }

    #[test]
    fn answers_map_to_reasons() {
        let cases: &[(u16, &[u8], &str, Retry)] = &[
            (
                401,
                &body("token_revoked"),
                "登录已失效，请重新注册",
                Retry::NeedsUser,
            ),
            (401, b"", "登录已失效，请重新注册", Retry::NeedsUser),
            (
                426,
                &body("protocol_outdated"),
                "应用版本过旧，请更新",
                Retry::NeedsUser,
            ),
            (
                400,
                &body("protocol_outdated"),
                "应用版本过旧，请更新",
                Retry::NeedsUser,
            ),
            (
                503,
                b"busy",
                "服务器暂时出错（503），稍后自动重试",
                Retry::Later,
            ),
            (
                429,
                &body("internal"),
                "服务器暂时出错（429），稍后自动重试",
                Retry::Later,
            ),
            (413, b"", "一次发送的数据太多，服务器拒收", Retry::Later),
            (
                400,
                &body("body_too_large"),
                "一次发送的数据太多，服务器拒收",
                Retry::Later,
            ),
            (
                422,
                &body("hash_mismatch"),
                "照片上传校验失败，将重新上传",
                Retry::Later,
            ),
            (
                403,
                &body("enrollment_code_invalid"),
                "注册码无效或已使用",
                Retry::NeedsUser,
            ),
            (403, &body("forbidden"), "服务器拒绝了请求：m", Retry::Later),
        ];
        for (status, body, reason, retry) in cases {
            let err = SyncError::from_answer(*status, body);
            assert_eq!(err.to_string(), *reason, "status {status}");
            assert_eq!(err.retry(), *retry, "status {status}");
        }
    }
}
