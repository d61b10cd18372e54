//! The one error type of the HTTP layer, and its JSON answer.
//!
//! Every refusal is a [`wire::ApiError`] with a stable code and a Chinese
//! message that says what to do. Internal failures are logged with their
//! cause and answered with a generic message.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use fieldledger_model::wire::{self, ErrorCode, PhotoProgress};

use crate::admin::AdminError;
use crate::store::StoreError;

impl From<AdminError> for AppError {
    fn from(e: AdminError) -> Self {
        match e {
            AdminError::Refused { code, reason } => AppError::Refused { code, reason },
            AdminError::Store(e) => AppError::Store(e),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("missing or unknown token")]
    Unauthorized,
    #[error("revoked token")]
    TokenRevoked,
    #[error("forbidden")]
    Forbidden(&'static str),
    #[error("not found")]
    NotFound(&'static str),
    #[error("protocol outdated")]
    ProtocolOutdated,
    #[error("body too large")]
    BodyTooLarge,
    #[error("malformed json")]
    MalformedJson(String),
    #[error("invalid request")]
    Invalid(String),
    #[error("enrollment code invalid")]
    EnrollmentCodeInvalid,
    #[error("photo hash mismatch")]
    HashMismatch,
    /// A chunk that does not start where the server's copy ends.
    #[error("photo chunk at the wrong offset")]
    WrongOffset(PhotoProgress),
    /// A refusal whose code was decided below the HTTP layer.
    #[error("refused: {reason}")]
    Refused { code: ErrorCode, reason: String },
    #[error("storage failed")]
    Store(#[from] StoreError),
    #[error("file storage failed")]
    Io(#[from] std::io::Error),
}

impl AppError {
    fn parts(&self) -> (StatusCode, ErrorCode, String) {
        use AppError::*;
        match self {
            Unauthorized => (
                StatusCode::UNAUTHORIZED,
                ErrorCode::Unauthorized,
                "登录凭证无效，请重新登记本机".into(),
            ),
            TokenRevoked => (
                StatusCode::UNAUTHORIZED,
                ErrorCode::TokenRevoked,
                "本机的登录凭证已被停用，请联系县级联络办公室重新登记".into(),
            ),
            Forbidden(why) => (StatusCode::FORBIDDEN, ErrorCode::Forbidden, (*why).into()),
            NotFound(what) => (
                StatusCode::NOT_FOUND,
                ErrorCode::NotFound,
                format!("没有找到{what}"),
            ),
            ProtocolOutdated => (
                StatusCode::UPGRADE_REQUIRED,
                ErrorCode::ProtocolOutdated,
                "应用版本过旧，无法与服务器同步，请更新应用后再试；未同步的记录仍保存在手机上"
                    .into(),
            ),
            BodyTooLarge => (
                StatusCode::PAYLOAD_TOO_LARGE,
                ErrorCode::BodyTooLarge,
                "一次发送的内容过多，请分批同步".into(),
            ),
            MalformedJson(why) => (
                StatusCode::BAD_REQUEST,
                ErrorCode::MalformedJson,
                format!("请求内容格式不正确：{why}"),
            ),
            Invalid(why) => (StatusCode::BAD_REQUEST, ErrorCode::Invalid, why.clone()),
            EnrollmentCodeInvalid => (
                StatusCode::BAD_REQUEST,
                ErrorCode::EnrollmentCodeInvalid,
                "登记码不正确、已使用或已过期，请向县级联络办公室索取新的登记码".into(),
            ),
            HashMismatch => (
                StatusCode::UNPROCESSABLE_ENTITY,
                ErrorCode::HashMismatch,
                "照片在传输中损坏，请重新上传".into(),
            ),
            WrongOffset(p) => (
                StatusCode::CONFLICT,
                ErrorCode::Invalid,
                format!("照片应从第{}字节继续上传", p.received),
            ),
            Refused {
                code: ErrorCode::Forbidden,
                reason,
            } => (StatusCode::FORBIDDEN, ErrorCode::Forbidden, reason.clone()),
            Refused { code, reason } => (StatusCode::BAD_REQUEST, *code, reason.clone()),
            Store(StoreError::Invalid(why)) => {
                (StatusCode::BAD_REQUEST, ErrorCode::Invalid, why.clone())
            }
            Store(_) | Io(_) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                ErrorCode::Internal,
                "服务器出错，请稍后重试".into(),
            ),
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let (status, code, message) = self.parts();
        if status.is_server_error() {
            tracing::error!(error = %self, cause = ?std::error::Error::source(&self), "request failed");
        }
        let body = wire::ApiError { code, message };
        match self {
            // The body is both an ApiError and the PhotoProgress to resume from.
            AppError::WrongOffset(p) => {
                let mut json = serde_json::json!(body);
                json["received"] = p.received.into();
                json["complete"] = p.complete.into();
                (status, Json(json)).into_response()
            }
            _ => (status, Json(body)).into_response(),
        }
    }
}
