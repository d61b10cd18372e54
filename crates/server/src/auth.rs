//! Who is calling, and in which protocol.
//!
//! - [`Caller`]: the actor behind `Authorization: Bearer <token>`.
//! - [`require_protocol`]: refuses a request whose
//!   [`wire::PROTOCOL_HEADER`] is missing or outside what this server
//!   speaks.
//! - [`AppJson`]: a JSON body whose refusals are [`AppError`]s.

use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use fieldledger_model::wire::{self, Role};

use crate::app::AppState;
use crate::error::AppError;
use crate::secrets;
use crate::store::Actor;
use crate::store::devices::TokenCheck;

/// The oldest protocol this server still speaks.
pub const MIN_PROTOCOL: u32 = 1;

/// The caller of a request.
#[derive(Debug, Clone)]
pub struct Caller(pub Actor);

impl Caller {
    /// Refuses callers whose role is not one of `roles`.
    pub fn require(&self, roles: &[Role], why: &'static str) -> Result<(), AppError> {
        if roles.contains(&self.0.user.role) {
            Ok(())
        } else {
            Err(AppError::Forbidden(why))
        }
    }
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let header = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok());
        let token = header
            .and_then(|h| h.strip_prefix("Bearer "))
            .ok_or(AppError::Unauthorized)?;
        match state.store.check_token(secrets::hash(token.trim())).await? {
            TokenCheck::Valid(actor) => {
                tracing::Span::current().record("user.role", actor.user.role.label());
                Ok(Caller(actor))
            }
            TokenCheck::Revoked => Err(AppError::TokenRevoked),
            TokenCheck::Unknown => Err(AppError::Unauthorized),
        }
    }
}

/// Middleware: checks the protocol header before anything else.
pub async fn require_protocol(request: Request, next: Next) -> Response {
    let version = request
        .headers()
        .get(wire::PROTOCOL_HEADER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u32>().ok());
    match version {
        Some(v) if (MIN_PROTOCOL..=wire::PROTOCOL_VERSION).contains(&v) => next.run(request).await,
        _ => AppError::ProtocolOutdated.into_response(),
    }
}

/// A JSON request body.
pub struct AppJson<T>(pub T);

impl<T, S> FromRequest<S> for AppJson<T>
where
    axum::Json<T>: FromRequest<S, Rejection = JsonRejection>,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(value)) => Ok(AppJson(value)),
            Err(rejection) if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                Err(AppError::BodyTooLarge)
            }
            Err(rejection) => Err(AppError::MalformedJson(rejection.body_text())),
        }
    }
}
