//! The bottom tab bar: 农户 / 走访 / 我的统计 / 同步, and 乡镇 for liaisons.

use dioxus::prelude::*;

use crate::Route;

/// Which tab a route belongs to.
fn tab_of(route: &Route) -> usize {
    match route {
        Route::Households {}
        | Route::NewHousehold {}
        | Route::HouseholdPage { .. }
        | Route::LedgerForm { .. } => 0,
        Route::VisitLog {} | Route::VisitFor { .. } => 1,
        Route::MyStats {} => 2,
        Route::SyncScreen {} | Route::Enroll {} => 3,
        Route::Township {} => 4,
    }
}

/// The tab bar fixed to the bottom of the screen.
#[component]
pub fn TabBar(liaison: bool) -> Element {
    let current = tab_of(&use_route::<Route>());
    let mut tabs = vec![
        ("农户", Route::Households {}),
        ("走访", Route::VisitLog {}),
        ("我的统计", Route::MyStats {}),
        ("同步", Route::SyncScreen {}),
    ];
    if liaison {
        tabs.push(("乡镇", Route::Township {}));
    }
    rsx! {
        nav { class: "tabs", aria_label: "主菜单",
            div { class: "inner",
                for (i, (label, to)) in tabs.into_iter().enumerate() {
                    Link {
                        key: "{i}",
                        class: if i == current { "active" } else { "" },
                        to,
                        "{label}"
                    }
                }
            }
        }
    }
}
