//! `GET` and `PUT /v1/photos/{sha256}`: resumable photo upload; see
//! [`crate::photos`]. A chunk that does not start at the server's
//! `received` is answered 409 with the progress to resume from.

use axum::Json;
use axum::extract::{Path, Query, State};
use fieldledger_model::wire::{PhotoProgress, Role};
use serde::Deserialize;

use crate::app::AppState;
use crate::auth::Caller;
use crate::error::AppError;
use crate::photos::Chunk;

const WRITERS: &[Role] = &[Role::Instructor, Role::County];
const WHY: &str = "乡镇联络员不能上传照片";

#[utoipa::path(get, path = "/v1/photos/{sha256}", tag = "photos",
    params(("sha256" = String, Path, description = "SHA-256 of the photo, hex")),
    responses((status = 200, description = "wire::PhotoProgress", body = Object)),
    security(("bearer" = [])))]
pub async fn progress(
    State(state): State<AppState>,
    _caller: Caller,
    Path(name): Path<String>,
) -> Result<Json<PhotoProgress>, AppError> {
    Ok(Json(state.photos.progress(&name).await?))
}

/// Where a chunk goes.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct ChunkQuery {
    /// Where the chunk starts: the `received` the server last reported.
    pub offset: u64,
    /// The whole file's length.
    pub total: u64,
}

#[utoipa::path(put, path = "/v1/photos/{sha256}", tag = "photos",
    params(("sha256" = String, Path, description = "SHA-256 of the photo, hex"), ChunkQuery),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses(
        (status = 200, description = "wire::PhotoProgress", body = Object),
        (status = 409, description = "wrong offset: an ApiError that also carries received and complete", body = Object),
        (status = 413, description = "body_too_large", body = Object),
        (status = 422, description = "hash_mismatch: the partial file was discarded", body = Object),
    ),
    security(("bearer" = [])))]
pub async fn upload(
    State(state): State<AppState>,
    caller: Caller,
    Path(name): Path<String>,
    query: Result<Query<ChunkQuery>, axum::extract::rejection::QueryRejection>,
    body: Result<bytes::Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<Json<PhotoProgress>, AppError> {
    caller.require(WRITERS, WHY)?;
    let Query(query) =
        query.map_err(|_| AppError::Invalid("请给出 offset 和 total 参数".into()))?;
    let bytes = body.map_err(|_| AppError::BodyTooLarge)?;
    let chunk = Chunk {
        offset: query.offset,
        total: query.total,
        bytes,
    };

    Ok(Json(state.photos.put(&name, chunk).await?))
}
