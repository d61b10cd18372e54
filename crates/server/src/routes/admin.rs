//! `/v1/admin/...`: what county staff manage over HTTP, in their own county
//! only. The work itself is in [`crate::admin`], shared with the command
//! line.

use axum::Json;
use axum::extract::{Path, State};
use fieldledger_model::area::{Area, AreaLevel};
use fieldledger_model::roster::Instructor;
use fieldledger_model::wire::{Role, UserInfo};
use fieldledger_model::{Household, id::new_id};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::admin;
use crate::app::AppState;
use crate::auth::{AppJson, Caller};
use crate::error::AppError;
use crate::store::AuditEntry;
use crate::store::people::NewUser;

const WHY: &str = "只有县级联络办公室可以管理人员和区域";

fn county_only(caller: &Caller) -> Result<(), AppError> {
    caller.require(&[Role::County], WHY)
}

/// A new area.
#[derive(Debug, Deserialize, ToSchema)]
pub struct NewArea {
    /// township, village or group
    #[schema(value_type = String)]
    pub level: AreaLevel,
    pub name: String,
    pub parent: Uuid,
}

#[utoipa::path(post, path = "/v1/admin/areas", tag = "admin", request_body = NewArea,
    responses((status = 200, description = "model::area::Area", body = Object), (status = 403, description = "forbidden", body = Object)),
    security(("bearer" = [])))]
pub async fn add_area(
    State(state): State<AppState>,
    caller: Caller,
    AppJson(req): AppJson<NewArea>,
) -> Result<Json<Area>, AppError> {
    county_only(&caller)?;
    Ok(Json(
        admin::add_area(
            &state.store,
            &caller.0,
            req.level,
            &req.name,
            Some(req.parent),
        )
        .await?,
    ))
}

/// A new roster entry (Attachment 2).
#[derive(Debug, Deserialize, ToSchema)]
pub struct NewInstructor {
    /// model::roster::Instructor; a nil id gets a new one.
    #[schema(value_type = Object)]
    pub instructor: Instructor,
    pub township: Option<Uuid>,
}

#[utoipa::path(post, path = "/v1/admin/instructors", tag = "admin", request_body = NewInstructor,
    responses((status = 200, description = "model::roster::Instructor", body = Object), (status = 400, description = "invalid", body = Object)),
    security(("bearer" = [])))]
pub async fn add_instructor(
    State(state): State<AppState>,
    caller: Caller,
    AppJson(req): AppJson<NewInstructor>,
) -> Result<Json<Instructor>, AppError> {
    county_only(&caller)?;
    Ok(Json(
        admin::add_instructor(&state.store, &caller.0, req.instructor, req.township).await?,
    ))
}

/// A new account.
#[derive(Debug, Deserialize, ToSchema)]
pub struct NewAccount {
    pub name: String,
    /// instructor, liaison or county
    #[schema(value_type = String)]
    pub role: Role,
    /// The township of a liaison or the county of county staff.
    pub area_id: Option<Uuid>,
    /// The roster entry of an instructor.
    pub instructor_id: Option<Uuid>,
}

#[utoipa::path(post, path = "/v1/admin/users", tag = "admin", request_body = NewAccount,
    responses((status = 200, description = "wire::UserInfo", body = Object), (status = 403, description = "forbidden", body = Object)),
    security(("bearer" = [])))]
pub async fn add_user(
    State(state): State<AppState>,
    caller: Caller,
    AppJson(req): AppJson<NewAccount>,
) -> Result<Json<UserInfo>, AppError> {
    county_only(&caller)?;
    let area_id = req.area_id.unwrap_or(caller.0.county_id);
    let in_county = match req.role {
        Role::Instructor => true,
        _ => state
            .store
            .area(area_id)
            .await?
            .is_some_and(|a| a.county_id == caller.0.county_id),
    };
    if !in_county {
        return Err(AppError::Forbidden("只能在本县内添加账号"));
    }
    let user = NewUser {
        id: new_id(),
        name: req.name,
        role: req.role,
        area_id,
        instructor_id: req.instructor_id,
    };
    let user = admin::add_user(&state.store, user).await?;
    if user.role == Role::Instructor
        && state
            .store
            .user(user.id)
            .await?
            .is_none_or(|(_, c)| c != caller.0.county_id)
    {
        return Err(AppError::Forbidden("只能在本县内添加账号"));
    }

    Ok(Json(user))
}

/// A new household.
#[derive(Debug, Deserialize, ToSchema)]
pub struct NewHousehold {
    /// model::Household; a nil id gets a new one.
    #[schema(value_type = Object)]
    pub household: Household,
}

#[utoipa::path(post, path = "/v1/admin/households", tag = "admin", request_body = NewHousehold,
    responses((status = 200, description = "model::Household", body = Object), (status = 400, description = "invalid", body = Object)),
    security(("bearer" = [])))]
pub async fn add_household(
    State(state): State<AppState>,
    caller: Caller,
    AppJson(req): AppJson<NewHousehold>,
) -> Result<Json<Household>, AppError> {
    county_only(&caller)?;
    Ok(Json(
        admin::add_household(&state.store, &caller.0, req.household).await?,
    ))
}

/// A household given to an instructor.
#[derive(Debug, Deserialize, ToSchema)]
pub struct Assignment {
    pub household_id: Uuid,
    pub instructor_id: Uuid,
}

#[utoipa::path(post, path = "/v1/admin/assignments", tag = "admin", request_body = Assignment,
    responses((status = 200, description = "assigned", body = Done), (status = 403, description = "forbidden", body = Object)),
    security(("bearer" = [])))]
pub async fn assign(
    State(state): State<AppState>,
    caller: Caller,
    AppJson(req): AppJson<Assignment>,
) -> Result<Json<Done>, AppError> {
    county_only(&caller)?;
    admin::assign(&state.store, &caller.0, req.household_id, req.instructor_id).await?;
    Ok(Json(Done { done: true }))
}

/// A plain acknowledgement.
#[derive(Debug, Serialize, ToSchema)]
pub struct Done {
    pub done: bool,
}

/// Whom a code is for.
#[derive(Debug, Deserialize, ToSchema)]
pub struct CodeRequest {
    pub user_id: Uuid,
}

/// A one-time enrollment code, shown once.
#[derive(Debug, Serialize, ToSchema)]
pub struct CodeIssued {
    pub code: String,
    pub valid_days: i64,
}

#[utoipa::path(post, path = "/v1/admin/enroll-codes", tag = "admin", request_body = CodeRequest,
    responses((status = 200, description = "the code", body = CodeIssued), (status = 403, description = "forbidden", body = Object)),
    security(("bearer" = [])))]
pub async fn enroll_code(
    State(state): State<AppState>,
    caller: Caller,
    AppJson(req): AppJson<CodeRequest>,
) -> Result<Json<CodeIssued>, AppError> {
    county_only(&caller)?;
    let county = state
        .store
        .user(req.user_id)
        .await?
        .map(|(_, county)| county);
    if county != Some(caller.0.county_id) {
        return Err(AppError::Forbidden("只能为本县的账号发放登记码"));
    }
    let code = admin::new_enroll_code(&state.store, req.user_id).await?;

    Ok(Json(CodeIssued {
        code,
        valid_days: admin::ENROLL_CODE_DAYS,
    }))
}

#[utoipa::path(post, path = "/v1/admin/devices/{id}/revoke", tag = "admin",
    params(("id" = Uuid, Path, description = "device id")),
    responses((status = 200, description = "revoked", body = Done), (status = 404, description = "not_found", body = Object)),
    security(("bearer" = [])))]
pub async fn revoke(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<Uuid>,
) -> Result<Json<Done>, AppError> {
    county_only(&caller)?;
    if state.store.device_county(id).await? != Some(caller.0.county_id) {
        return Err(AppError::NotFound("这台设备"));
    }
    state.store.revoke_device(id).await?;

    Ok(Json(Done { done: true }))
}

#[utoipa::path(get, path = "/v1/admin/records/{id}/history", tag = "admin",
    params(("id" = Uuid, Path, description = "record id")),
    responses((status = 200, description = "audit history, oldest first", body = Vec<AuditEntry>), (status = 404, description = "not_found", body = Object)),
    security(("bearer" = [])))]
pub async fn history(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<Uuid>,
) -> Result<Json<Vec<AuditEntry>>, AppError> {
    county_only(&caller)?;
    if state.store.record_county(id).await? != Some(caller.0.county_id) {
        return Err(AppError::NotFound("这条记录"));
    }

    Ok(Json(state.store.history(id).await?))
}
