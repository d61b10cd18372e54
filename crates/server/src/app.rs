//! The router: every route, and the layers around them.
//!
//! Layers, outermost first: a tracing span per request (route pattern,
//! status, latency; never the URL's query or a header), response
//! compression, request decompression (zstd, gzip), the protocol check on
//! `/v1`, and per-route body limits (the limit counts decompressed bytes).

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::{DefaultBodyLimit, MatchedPath, Request};
use axum::http::{Method, Response};
use axum::routing::{MethodRouter, get, post, put};
use tower_http::compression::CompressionLayer;
use tower_http::decompression::RequestDecompressionLayer;
use tower_http::trace::TraceLayer;
use tracing::Span;

use crate::error::AppError;
use crate::photos::PhotoStore;
use crate::routes::{admin, enroll, openapi, photos, reports, status, sync};
use crate::store::Store;

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    pub store: Arc<Store>,
    pub photos: Arc<PhotoStore>,
    pub limits: Limits,
}

/// Request size limits.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Largest JSON body, decompressed.
    pub body: usize,
}

/// Every route: method, path pattern, handler. The OpenAPI test checks each
/// appears in `/openapi.json`.
pub fn routes() -> Vec<(Method, &'static str, MethodRouter<AppState>)> {
    vec![
        (Method::POST, "/v1/enroll", post(enroll::enroll)),
        (Method::POST, "/v1/sync/push", post(sync::push)),
        (Method::GET, "/v1/sync/pull", get(sync::pull)),
        (Method::GET, "/v1/photos/{sha256}", get(photos::progress)),
        (Method::PUT, "/v1/photos/{sha256}", put(photos::upload)),
        (
            Method::GET,
            "/v1/townships/{id}/status",
            get(status::township),
        ),
        (
            Method::GET,
            "/v1/reports/attachment4",
            get(reports::attachment4),
        ),
        (Method::POST, "/v1/admin/areas", post(admin::add_area)),
        (
            Method::POST,
            "/v1/admin/instructors",
            post(admin::add_instructor),
        ),
        (Method::POST, "/v1/admin/users", post(admin::add_user)),
        (
            Method::POST,
            "/v1/admin/households",
            post(admin::add_household),
        ),
        (Method::POST, "/v1/admin/assignments", post(admin::assign)),
        (
            Method::POST,
            "/v1/admin/enroll-codes",
            post(admin::enroll_code),
        ),
        (
            Method::POST,
            "/v1/admin/devices/{id}/revoke",
            post(admin::revoke),
        ),
        (
            Method::GET,
            "/v1/admin/records/{id}/history",
            get(admin::history),
        ),
        (Method::GET, "/openapi.json", get(openapi::document)),
    ]
    .into_iter()
    .chain(crate::routes::office_routes())
    .collect()
}

/// The whole application.
pub fn app(state: AppState) -> Router {
    let mut v1 = Router::new();
    let mut open = Router::new();
    for (_, path, handler) in routes() {
        if path.starts_with("/v1/") {
            v1 = v1.route(path, handler);
        } else {
            open = open.route(path, handler);
        }
    }
    let v1 = v1
        .layer(DefaultBodyLimit::max(state.limits.body))
        .layer(axum::middleware::from_fn(crate::auth::require_protocol));

    open.merge(v1)
        .fallback(|| async { AppError::NotFound("这个地址") })
        .with_state(state)
        .layer(RequestDecompressionLayer::new().gzip(true).zstd(true))
        .layer(CompressionLayer::new().gzip(true).zstd(true))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(request_span)
                .on_request(())
                .on_response(|response: &Response<_>, latency: Duration, span: &Span| {
                    span.record("status", response.status().as_u16());
                    tracing::info!(latency_ms = latency.as_millis() as u64, "answered");
                }),
        )
}

fn request_span(request: &Request) -> Span {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or("unmatched", |p| p.as_str());
    tracing::info_span!("request", method = %request.method(), route, status = tracing::field::Empty, user.role = tracing::field::Empty)
}
