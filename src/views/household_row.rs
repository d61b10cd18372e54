//! One line of the household list.

use dioxus::prelude::*;

use crate::Route;
use crate::components::{MaskedId, SyncBadge};
use crate::viewmodel::{HouseholdRow, SyncState};

/// Head name, masked ID, village, last visit, this year's ledger, sync
/// state; the whole line opens the household.
#[component]
pub fn HouseholdRowItem(row: HouseholdRow) -> Element {
    let last_visit = match row.last_visit {
        Some(date) => format!("最近走访 {date}"),
        None => "尚未走访".to_owned(),
    };
    rsx! {
        li {
            Link { to: Route::HouseholdPage { id: row.id },
                div { class: "row-top",
                    span { class: "name", "{row.head_name}" }
                    SyncBadge { state: row.sync }
                }
                div { MaskedId { masked: row.masked_id } }
                div { class: "row-top muted",
                    span { "{row.village} · {last_visit}" }
                    span { "{row.ledger.label()}" }
                }
                if row.sync == SyncState::Conflict {
                    div { class: "conflict-mark", "⚠ 有冲突，请到同步页处理" }
                }
            }
        }
    }
}
