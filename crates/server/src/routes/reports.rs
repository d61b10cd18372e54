//! `GET /v1/reports/attachment4`: Attachment 4 for a county or township.

use axum::Json;
use axum::extract::{Query, State};
use chrono::{Datelike, NaiveDate};
use fieldledger_model::area::AreaLevel;
use fieldledger_model::tally::Period;
use fieldledger_model::wire::{Attachment4Report, ReportLevel, Role};
use serde::Deserialize;
use uuid::Uuid;

use crate::app::AppState;
use crate::auth::Caller;
use crate::error::AppError;

/// What a report covers.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct ReportQuery {
    /// The year; the period starts on 1 January.
    pub year: i32,
    /// The last day counted, `YYYY-MM-DD`; 31 December when absent.
    pub to: Option<NaiveDate>,
    /// How rows break down: county, township or instructor.
    #[param(value_type = String)]
    pub level: ReportLevel,
    /// The county or township reported on; the caller's own when absent.
    pub area: Option<Uuid>,
}

#[utoipa::path(get, path = "/v1/reports/attachment4", tag = "reports", params(ReportQuery),
    responses(
        (status = 200, description = "wire::Attachment4Report", body = Object),
        (status = 400, description = "invalid query", body = Object),
        (status = 403, description = "forbidden: area outside the caller's", body = Object),
    ),
    security(("bearer" = [])))]
pub async fn attachment4(
    State(state): State<AppState>,
    Caller(actor): Caller,
    query: Result<Query<ReportQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<Attachment4Report>, AppError> {
    let Query(q) =
        query.map_err(|e| AppError::Invalid(format!("查询参数不正确：{}", e.body_text())))?;
    let period = period(q.year, q.to)?;
    let area_id = q.area.unwrap_or(actor.user.area_id);
    let area = state
        .store
        .area(area_id)
        .await?
        .ok_or(AppError::NotFound("这个区域"))?;
    if !matches!(area.level, AreaLevel::County | AreaLevel::Township) {
        return Err(AppError::Invalid("报表区域应为县或乡镇".into()));
    }
    let allowed = match actor.user.role {
        Role::County => area.county_id == actor.county_id,
        Role::Liaison => area.id == actor.user.area_id,
        Role::Instructor => false,
    };
    if !allowed {
        return Err(AppError::Forbidden("只能统计本人负责的区域"));
    }

    Ok(Json(state.store.attachment4(area, q.level, period).await?))
}

fn period(year: i32, to: Option<NaiveDate>) -> Result<Period, AppError> {
    if !(2000..=2200).contains(&year) {
        return Err(AppError::Invalid("年份不正确".into()));
    }
    match to {
        None => Ok(Period::year(year)),
        Some(to) if to.year() == year => Ok(Period::year_to(year, to.month(), to.day())),
        Some(_) => Err(AppError::Invalid("截止日期应在所选年份之内".into())),
    }
}
