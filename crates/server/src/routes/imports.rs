//! `POST /v1/counties/{id}/imports/households|instructors`: a spreadsheet
//! (XLSX or CSV, the body's bytes) imported whole or not at all. Bad rows
//! answer 422 with every problem listed and nothing written.

use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use fieldledger_model::wire::ErrorCode;
use fieldledger_office::import::{ImportError, ImportReport};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::exports::own_county;
use crate::app::AppState;
use crate::auth::Caller;
use crate::error::AppError;
use crate::office::{self, ImportKind, OfficeError};

/// How many rows were imported.
#[derive(Debug, Serialize, ToSchema)]
pub struct Imported {
    pub imported: usize,
}

/// One bad cell of an import file.
#[derive(Debug, Serialize, ToSchema)]
pub struct BadRow {
    /// The row number as the spreadsheet shows it.
    pub row: usize,
    /// The column's label.
    pub column: String,
    /// What is wrong, in Chinese.
    pub reason: String,
}

/// The 422 answer: an `ApiError` with every bad row.
#[derive(Debug, Serialize, ToSchema)]
pub struct Rejected {
    #[schema(value_type = String)]
    pub code: ErrorCode,
    pub message: String,
    pub problems: Vec<BadRow>,
}

fn rejected(report: &ImportReport) -> Response {
    let body = Rejected {
        code: ErrorCode::Invalid,
        message: format!(
            "文件中有{}处错误，未导入任何记录，请改正后重新导入",
            report.problems.len()
        ),
        problems: report
            .problems
            .iter()
            .map(|p| BadRow {
                row: p.row,
                column: p.column.clone(),
                reason: p.reason.clone(),
            })
            .collect(),
    };
    (StatusCode::UNPROCESSABLE_ENTITY, Json(body)).into_response()
}

async fn run(
    state: AppState,
    caller: Caller,
    id: Uuid,
    kind: ImportKind,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, AppError> {
    own_county(&caller, id)?;
    let bytes = body.map_err(|e| match e.status() {
        StatusCode::PAYLOAD_TOO_LARGE => AppError::BodyTooLarge,
        _ => AppError::Invalid(format!("无法读取上传的文件：{}", e.body_text())),
    })?;
    match office::import(&state.store, &caller.0, id, kind, &bytes).await {
        Ok(imported) => Ok(Json(Imported { imported }).into_response()),
        Err(OfficeError::Import(ImportError::Rows(report))) => Ok(rejected(&report)),
        Err(e) => Err(e.into()),
    }
}

#[utoipa::path(post, path = "/v1/counties/{id}/imports/households", tag = "office",
    params(("id" = Uuid, Path, description = "county id")),
    request_body(content = Vec<u8>, description = "XLSX or CSV with the household columns", content_type = "application/octet-stream"),
    responses((status = 200, description = "all rows imported", body = Imported), (status = 422, description = "bad rows; nothing imported", body = Rejected), (status = 403, description = "forbidden", body = Object)),
    security(("bearer" = [])))]
pub async fn households(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<Uuid>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, AppError> {
    run(state, caller, id, ImportKind::Households, body).await
}

#[utoipa::path(post, path = "/v1/counties/{id}/imports/instructors", tag = "office",
    params(("id" = Uuid, Path, description = "county id")),
    request_body(content = Vec<u8>, description = "XLSX or CSV with the Attachment 2 columns", content_type = "application/octet-stream"),
    responses((status = 200, description = "all rows imported", body = Imported), (status = 422, description = "bad rows; nothing imported", body = Rejected), (status = 403, description = "forbidden", body = Object)),
    security(("bearer" = [])))]
pub async fn instructors(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<Uuid>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, AppError> {
    run(state, caller, id, ImportKind::Instructors, body).await
}
