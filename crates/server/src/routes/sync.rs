//! `POST /v1/sync/push` and `GET /v1/sync/pull`.

use axum::Json;
use axum::extract::{Query, State};
use chrono::Utc;
use fieldledger_model::wire::{PullResponse, PushRequest, PushResponse};
use serde::Deserialize;

use crate::app::AppState;
use crate::auth::{AppJson, Caller};
use crate::error::AppError;

/// Changes per page when the phone does not say.
const DEFAULT_PAGE: u32 = 200;

#[utoipa::path(post, path = "/v1/sync/push", tag = "sync",
    request_body(content = Object, description = "wire::PushRequest; may be sent with Content-Encoding zstd or gzip"),
    responses(
        (status = 200, description = "wire::PushResponse: one result per op, in order", body = Object),
        (status = 400, description = "malformed_json", body = Object),
        (status = 401, description = "unauthorized or token_revoked", body = Object),
        (status = 413, description = "body_too_large", body = Object),
        (status = 426, description = "protocol_outdated", body = Object),
    ),
    security(("bearer" = [])))]
pub async fn push(
    State(state): State<AppState>,
    Caller(actor): Caller,
    AppJson(request): AppJson<PushRequest>,
) -> Result<Json<PushResponse>, AppError> {
    let results = state
        .store
        .push(actor, request.ops, request.device, Utc::now())
        .await?;

    Ok(Json(PushResponse { results }))
}

/// The query of a pull.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct PullQuery {
    /// The cursor the last page returned; 0 at first.
    #[serde(default)]
    pub cursor: u64,
    /// Changes per page, at most 500.
    pub limit: Option<u32>,
    /// Ops still in the phone's outbox as it pulls; a push reports its
    /// queue before the batch is applied, so this is the later figure.
    pub queued: Option<u32>,
    /// Age of the oldest of them, in seconds.
    pub oldest_queued_secs: Option<u64>,
}

#[utoipa::path(get, path = "/v1/sync/pull", tag = "sync", params(PullQuery),
    responses(
        (status = 200, description = "wire::PullResponse", body = Object),
        (status = 401, description = "unauthorized or token_revoked", body = Object),
        (status = 426, description = "protocol_outdated", body = Object),
    ),
    security(("bearer" = [])))]
pub async fn pull(
    State(state): State<AppState>,
    Caller(actor): Caller,
    query: Result<Query<PullQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<PullResponse>, AppError> {
    let Query(query) =
        query.map_err(|e| AppError::Invalid(format!("查询参数不正确：{}", e.body_text())))?;
    let device = actor.device_id;
    let page = state
        .store
        .pull(actor, query.cursor, query.limit.unwrap_or(DEFAULT_PAGE))
        .await?;
    if let Some(device) = device {
        let queue = query.queued.map(|n| (n, query.oldest_queued_secs));
        state.store.note_sync(device, queue, Utc::now()).await?;
    }

    Ok(Json(page))
}
