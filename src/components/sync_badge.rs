//! Whether a record has reached the server, as a small coloured badge.

use dioxus::prelude::*;

use crate::viewmodel::SyncState;

/// The badge for `state`; text, not colour alone, carries the meaning.
#[component]
pub fn SyncBadge(state: SyncState) -> Element {
    let class = match state {
        SyncState::Synced => "badge synced",
        SyncState::Pending => "badge pending",
        SyncState::Rejected => "badge rejected",
        SyncState::Conflict => "badge conflict",
    };
    rsx! {
        span { class, "{state.label()}" }
    }
}
