//! `GET /openapi.json`: the OpenAPI 3 description of every route.
//!
//! Bodies of the sync protocol are described by name (`wire::PushRequest`
//! and so on, in the model crate) as JSON objects.

use axum::Json;
use utoipa::OpenApi;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};

use super::{admin, enroll, exports, imports, photos, reports, status, sync};

#[derive(OpenApi)]
#[openapi(
    info(title = "Fieldledger server", description = "产业指导员台账 sync and reporting API. Every /v1 request carries the fieldledger-protocol header."),
    paths(
        enroll::enroll, sync::push, sync::pull, photos::progress, photos::upload, status::township,
        reports::attachment4, admin::add_area, admin::add_instructor, admin::add_user, admin::add_household,
        admin::assign, admin::enroll_code, admin::revoke, admin::history, document,
        exports::attachment2, exports::attachment3, exports::attachment4, exports::attachment5,
        exports::spot_check, exports::coverage, exports::main_industries,
        imports::households, imports::instructors,
    ),
    modifiers(&Bearer),
)]
pub struct ApiDoc;

struct Bearer;

impl utoipa::Modify for Bearer {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

#[utoipa::path(get, path = "/openapi.json", tag = "meta", responses((status = 200, description = "this document", body = Object)))]
pub async fn document() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
