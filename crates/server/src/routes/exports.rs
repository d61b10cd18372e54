//! `/v1/counties/{id}/...`: the office tables of one county for its county
//! staff — Attachments 2 to 5 and the spot-check list as XLSX or CSV, the
//! coverage check as JSON, and a village's number of main industries. The
//! work is in [`crate::office`], shared with the command line.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use fieldledger_model::wire::{ReportLevel, Role};
use fieldledger_office::spotcheck::SampleSize;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::app::AppState;
use crate::auth::{AppJson, Caller};
use crate::error::AppError;
use crate::office::{self, Attachment4Query, CoverageAnswer, Export, Format, OfficeError};
use crate::routes::admin::Done;

const WHY: &str = "只有县级联络办公室可以导出和导入本县的台账";

/// Refuses anyone but the staff of `county`.
pub(crate) fn own_county(caller: &Caller, county: Uuid) -> Result<(), AppError> {
    caller.require(&[Role::County], WHY)?;
    if caller.0.county_id != county {
        return Err(AppError::Forbidden("只能导出和导入本县的台账"));
    }
    Ok(())
}

impl From<OfficeError> for AppError {
    fn from(e: OfficeError) -> Self {
        match e {
            OfficeError::NotFound(what) => AppError::NotFound(what),
            OfficeError::Invalid(why) => AppError::Invalid(why),
            OfficeError::Import(why) => AppError::Invalid(why.to_string()),
            OfficeError::Store(e) => AppError::Store(e),
            OfficeError::Export(e) => AppError::Io(std::io::Error::other(e)),
        }
    }
}

/// Characters kept as they are in an RFC 5987 `filename*` value.
fn attr_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b)
}

/// `attachment` with an ASCII `filename` and the Chinese name as
/// `filename*=UTF-8''…` (RFC 6266, RFC 5987).
pub fn content_disposition(export: &Export) -> String {
    let encoded: String = export
        .filename
        .bytes()
        .map(|b| {
            if attr_char(b) {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    format!(
        "attachment; filename=\"{}\"; filename*=UTF-8''{encoded}",
        export.ascii_filename
    )
}

fn file(export: Export) -> Response {
    let disposition = content_disposition(&export);
    (
        [
            (
                header::CONTENT_TYPE,
                export.format.content_type().to_owned(),
            ),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        export.bytes,
    )
        .into_response()
}

fn query<T>(q: Result<Query<T>, axum::extract::rejection::QueryRejection>) -> Result<T, AppError> {
    q.map(|Query(q)| q)
        .map_err(|e| AppError::Invalid(format!("查询参数不正确：{}", e.body_text())))
}

type QueryResult<T> = Result<Query<T>, axum::extract::rejection::QueryRejection>;

/// The file format.
#[derive(Debug, Deserialize, IntoParams)]
pub struct FormatQuery {
    /// `xlsx` (default) or `csv`.
    #[param(value_type = Option<String>)]
    pub format: Option<Format>,
}

#[utoipa::path(get, path = "/v1/counties/{id}/exports/attachment2", tag = "office",
    params(("id" = Uuid, Path, description = "county id"), FormatQuery),
    responses((status = 200, description = "附件2 as XLSX or CSV", body = Vec<u8>), (status = 403, description = "forbidden", body = Object)),
    security(("bearer" = [])))]
pub async fn attachment2(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<Uuid>,
    q: QueryResult<FormatQuery>,
) -> Result<Response, AppError> {
    own_county(&caller, id)?;
    let q = query(q)?;
    Ok(file(
        office::attachment2(&state.store, id, q.format.unwrap_or_default()).await?,
    ))
}

#[utoipa::path(get, path = "/v1/counties/{id}/exports/attachment3", tag = "office",
    params(("id" = Uuid, Path, description = "county id"), FormatQuery),
    responses((status = 200, description = "附件3 as XLSX or CSV", body = Vec<u8>), (status = 403, description = "forbidden", body = Object)),
    security(("bearer" = [])))]
pub async fn attachment3(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<Uuid>,
    q: QueryResult<FormatQuery>,
) -> Result<Response, AppError> {
    own_county(&caller, id)?;
    let q = query(q)?;
    Ok(file(
        office::attachment3(&state.store, id, q.format.unwrap_or_default()).await?,
    ))
}

/// Attachment 4's period and breakdown.
#[derive(Debug, Deserialize, IntoParams)]
pub struct Attachment4Params {
    pub year: i32,
    /// The last day counted, `YYYY-MM-DD`; 31 December when absent.
    pub to: Option<NaiveDate>,
    /// county, township or instructor.
    #[param(value_type = String)]
    pub level: ReportLevel,
    /// `xlsx` (default) or `csv`.
    #[param(value_type = Option<String>)]
    pub format: Option<Format>,
}

#[utoipa::path(get, path = "/v1/counties/{id}/exports/attachment4", tag = "office",
    params(("id" = Uuid, Path, description = "county id"), Attachment4Params),
    responses((status = 200, description = "附件4 as XLSX or CSV", body = Vec<u8>), (status = 400, description = "invalid query", body = Object), (status = 403, description = "forbidden", body = Object)),
    security(("bearer" = [])))]
pub async fn attachment4(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<Uuid>,
    q: QueryResult<Attachment4Params>,
) -> Result<Response, AppError> {
    own_county(&caller, id)?;
    let q = query(q)?;
    let report = Attachment4Query {
        year: q.year,
        to: q.to,
        level: q.level,
    };
    let format = q.format.unwrap_or_default();
    Ok(file(
        office::attachment4(&state.store, id, report, format).await?,
    ))
}

/// Which household and year.
#[derive(Debug, Deserialize, IntoParams)]
pub struct Attachment5Params {
    pub household: Uuid,
    pub year: i32,
    /// `xlsx` (default) or `csv`.
    #[param(value_type = Option<String>)]
    pub format: Option<Format>,
}

#[utoipa::path(get, path = "/v1/counties/{id}/exports/attachment5", tag = "office",
    params(("id" = Uuid, Path, description = "county id"), Attachment5Params),
    responses((status = 200, description = "附件5 as XLSX or CSV", body = Vec<u8>), (status = 403, description = "forbidden", body = Object), (status = 404, description = "no such household in the county, or no ledger that year", body = Object)),
    security(("bearer" = [])))]
pub async fn attachment5(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<Uuid>,
    q: QueryResult<Attachment5Params>,
) -> Result<Response, AppError> {
    own_county(&caller, id)?;
    let q = query(q)?;
    let format = q.format.unwrap_or_default();
    Ok(file(
        office::attachment5(&state.store, id, q.household, q.year, format).await?,
    ))
}

/// A spot-check draw: `count` households per county, or `percent` of them.
#[derive(Debug, Deserialize, IntoParams)]
pub struct SpotCheckParams {
    pub seed: u64,
    pub count: Option<usize>,
    pub percent: Option<f64>,
    /// Whose ledgers to show; this year when absent.
    pub year: Option<i32>,
    /// `xlsx` (default) or `csv`.
    #[param(value_type = Option<String>)]
    pub format: Option<Format>,
}

/// The sample size of `count` or `percent`, exactly one of them.
pub fn sample_size(count: Option<usize>, percent: Option<f64>) -> Result<SampleSize, OfficeError> {
    match (count, percent) {
        (Some(n), None) => Ok(SampleSize::Count(n)),
        (None, Some(p)) => Ok(SampleSize::Percent(p)),
        _ => Err(OfficeError::Invalid(
            "请给出抽查户数（count）或抽查比例（percent）中的一个".into(),
        )),
    }
}

#[utoipa::path(get, path = "/v1/counties/{id}/spot-check", tag = "office",
    params(("id" = Uuid, Path, description = "county id"), SpotCheckParams),
    responses((status = 200, description = "the spot-check list as XLSX or CSV", body = Vec<u8>), (status = 400, description = "invalid query", body = Object), (status = 403, description = "forbidden", body = Object)),
    security(("bearer" = [])))]
pub async fn spot_check(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<Uuid>,
    q: QueryResult<SpotCheckParams>,
) -> Result<Response, AppError> {
    own_county(&caller, id)?;
    let q = query(q)?;
    let draw = office::SpotCheckQuery {
        seed: q.seed,
        size: sample_size(q.count, q.percent)?,
        year: q.year,
    };
    let format = q.format.unwrap_or_default();
    Ok(file(
        office::spot_check(&state.store, id, draw, format).await?,
    ))
}

#[utoipa::path(get, path = "/v1/counties/{id}/coverage", tag = "office",
    params(("id" = Uuid, Path, description = "county id")),
    responses((status = 200, description = "the staffing rule checked", body = CoverageAnswer), (status = 403, description = "forbidden", body = Object)),
    security(("bearer" = [])))]
pub async fn coverage(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<Uuid>,
) -> Result<Json<CoverageAnswer>, AppError> {
    own_county(&caller, id)?;
    Ok(Json(office::coverage(&state.store, id).await?))
}

/// A village's number of main industries; null for unknown.
#[derive(Debug, Deserialize, ToSchema)]
pub struct MainIndustries {
    pub main_industries: Option<u32>,
}

#[utoipa::path(put, path = "/v1/admin/areas/{id}/main-industries", tag = "admin",
    params(("id" = Uuid, Path, description = "village id")), request_body = MainIndustries,
    responses((status = 200, description = "set", body = Done), (status = 404, description = "no such village in the caller's county", body = Object)),
    security(("bearer" = [])))]
pub async fn main_industries(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<Uuid>,
    AppJson(req): AppJson<MainIndustries>,
) -> Result<Json<Done>, AppError> {
    own_county(&caller, caller.0.county_id)?;
    office::set_main_industries(&state.store, caller.0.county_id, id, req.main_industries).await?;
    Ok(Json(Done { done: true }))
}
