//! `GET /v1/townships/{id}/status`: how a township's instructors work and
//! sync, for its liaison and for county staff.

use axum::Json;
use axum::extract::{Path, State};
use chrono::Utc;
use fieldledger_model::area::AreaLevel;
use fieldledger_model::wire::{Role, TownshipStatus};
use uuid::Uuid;

use crate::app::AppState;
use crate::auth::Caller;
use crate::error::AppError;

#[utoipa::path(get, path = "/v1/townships/{id}/status", tag = "status",
    params(("id" = Uuid, Path, description = "township area id")),
    responses(
        (status = 200, description = "wire::TownshipStatus", body = Object),
        (status = 403, description = "forbidden: not this liaison's township or county", body = Object),
        (status = 404, description = "not_found", body = Object),
    ),
    security(("bearer" = [])))]
pub async fn township(
    State(state): State<AppState>,
    Caller(actor): Caller,
    Path(id): Path<Uuid>,
) -> Result<Json<TownshipStatus>, AppError> {
    let area = state
        .store
        .area(id)
        .await?
        .filter(|a| a.level == AreaLevel::Township);
    let area = area.ok_or(AppError::NotFound("这个乡镇"))?;
    let allowed = match actor.user.role {
        Role::Liaison => actor.user.area_id == area.id,
        Role::County => actor.county_id == area.county_id,
        Role::Instructor => false,
    };
    if !allowed {
        return Err(AppError::Forbidden("只能查看本人负责的乡镇或本县的乡镇"));
    }

    Ok(Json(state.store.township_status(area, Utc::now()).await?))
}
