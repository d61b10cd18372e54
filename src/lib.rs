//! 产业指导员台账: the screens of the Fieldledger phone app.
//!
//! - [`App`]: the root component, a router over the screens in [`views`].
//! - [`AppState`]: the context every screen reads, holding an
//!   [`data::AppData`] (the device store, behind a trait).
//! - [`viewmodel`]: what each screen renders, already shaped for display.
//! - [`components`]: shared pieces, one per file.
//! - [`store_data`]: the real [`data::AppData`], over the device store and
//!   its sync engine.
//!
//! Nothing here needs a platform feature: the same library renders in the
//! desktop or mobile webview, in liveview, and to HTML in tests.

#![forbid(unsafe_code)]

pub mod components;
pub mod data;
pub mod enroll;
pub mod launch;
#[cfg(feature = "liveview")]
pub mod liveview;
pub mod platform;
mod route;
mod state;
pub mod store_data;
pub mod viewmodel;
pub mod views;
pub mod webview;

use std::rc::Rc;

use dioxus::history::{MemoryHistory, provide_history_context};
use dioxus::prelude::*;

pub use route::Route;
pub use state::{AppState, Changes, use_changes};

/// The stylesheet, inlined so that every renderer gets it without an asset
/// pipeline.
const STYLE: &str = include_str!("../assets/main.css");

/// The root component. Expects an [`AppState`] in the root context.
#[allow(non_snake_case)]
pub fn App() -> Element {
    let state = use_context::<AppState>();
    state::use_changes_provider(&state);
    use_hook(|| {
        if let Some(path) = &state.start_route {
            provide_history_context(Rc::new(MemoryHistory::with_initial_path(path)));
        }
    });

    rsx! {
        style { {STYLE} }
        div { class: "app", Router::<Route> {} }
    }
}
