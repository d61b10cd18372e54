//! `POST /v1/enroll`: a one-time code traded for a device token.

use axum::Json;
use axum::extract::State;
use chrono::Utc;
use fieldledger_model::wire::{EnrollRequest, EnrollResponse};

use crate::app::AppState;
use crate::auth::AppJson;
use crate::error::AppError;
use crate::secrets;
use crate::store::devices::NewDevice;

/// Longest device name kept; longer names are cut.
const DEVICE_NAME_MAX: usize = 100;

#[utoipa::path(post, path = "/v1/enroll", tag = "sync",
    request_body(content = Object, description = "wire::EnrollRequest"),
    responses(
        (status = 200, description = "wire::EnrollResponse", body = Object),
        (status = 400, description = "enrollment_code_invalid or malformed_json", body = Object),
    ))]
pub async fn enroll(
    State(state): State<AppState>,
    AppJson(request): AppJson<EnrollRequest>,
) -> Result<Json<EnrollResponse>, AppError> {
    let code = secrets::normalise_code(&request.code);
    if code.is_empty() {
        return Err(AppError::EnrollmentCodeInvalid);
    }
    let token = secrets::new_token();
    let device = NewDevice {
        id: uuid::Uuid::now_v7(),
        name: request.device_name.chars().take(DEVICE_NAME_MAX).collect(),
        token_hash: secrets::hash(&token),
        app_version: request.app_version,
    };
    let device_id = device.id;
    let user = state
        .store
        .enroll(secrets::hash(&code), device, Utc::now())
        .await?;
    let user = user.ok_or(AppError::EnrollmentCodeInvalid)?;
    tracing::info!(device.id = %device_id, user.role = user.role.label(), "device enrolled");

    Ok(Json(EnrollResponse {
        token,
        device_id,
        user,
    }))
}
