//! The same root [`App`] served to a browser: dioxus-liveview over axum.
//!
//! The browser gets a small page whose script opens a websocket to
//! [`WS_PATH`]; each socket runs its own `VirtualDom` of the app on the
//! server, over a clone of one [`AppState`], so every tab sees the same
//! store. Used by the end-to-end tests, which drive the screens in a real
//! browser engine.
//!
//! The app keeps its own in-memory history, so its links load the linked
//! address as a new page; that page's socket, at [`WS_PATH`] followed by
//! the page's path, opens the app at the same route.

use axum::Router;
use axum::extract::ws::WebSocketUpgrade;
use axum::http::Uri;
use axum::response::{Html, IntoResponse};
use axum::routing::get;
use dioxus::prelude::*;
use dioxus_liveview::{LiveViewPool, axum_socket, interpreter_glue};
use tokio::net::TcpListener;

use crate::{App, AppState};

/// Where the page's script connects.
pub const WS_PATH: &str = "/ws";

/// The route a socket opens on when the state names none.
const FIRST_ROUTE: &str = "/";

/// A router serving the app over `state` at `/` (and any other page path,
/// so a reload anywhere still opens the app) with its socket at
/// [`WS_PATH`].
pub fn router(state: AppState) -> Router {
    let pool = LiveViewPool::new();
    let socket = move |uri: Uri, ws: WebSocketUpgrade| {
        let route = uri.path().strip_prefix(WS_PATH).unwrap_or("").to_owned();
        let state = state.clone().starting_at(if route.is_empty() {
            FIRST_ROUTE
        } else {
            &route
        });
        let pool = pool.clone();
        async move { ws.on_upgrade(move |socket| run_socket(pool, state, socket)) }
    };

    Router::new()
        .route(WS_PATH, get(socket.clone()))
        .route(&format!("{WS_PATH}/{{*route}}"), get(socket))
        .route("/", get(page))
        .fallback(page)
}

/// Serves [`router`] on `listener` until the task is dropped or the
/// listener fails.
pub async fn serve(listener: TcpListener, state: AppState) -> std::io::Result<()> {
    axum::serve(listener, router(state)).await
}

async fn run_socket(pool: LiveViewPool, state: AppState, socket: axum::extract::ws::WebSocket) {
    let make = move || VirtualDom::new(App).with_root_context(state);
    if let Err(e) = pool.launch_virtualdom(axum_socket(socket), make).await {
        tracing::debug!(error = %e, "liveview socket closed");
    }
}

async fn page(uri: Uri) -> impl IntoResponse {
    let socket = match uri.path() {
        "/" => WS_PATH.to_owned(),
        path => format!("{WS_PATH}{path}"),
    };
    Html(format!(
        r#"<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>产业指导员台账</title>
</head>
<body><div id="main"></div></body>
{}
</html>"#,
        interpreter_glue(&socket)
    ))
}
