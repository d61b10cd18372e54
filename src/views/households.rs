//! The household list with search. Pages through the store: the DOM holds
//! only the pages the user asked for.

use dioxus::prelude::*;

use super::{ErrorNotice, HouseholdRowItem};
use crate::components::{Button, ButtonKind, Field};
use crate::viewmodel::{HouseholdPage, HouseholdQuery, HouseholdRow};
use crate::{AppState, use_changes};

/// The 农户 tab.
#[component]
pub fn Households() -> Element {
    let state = use_context::<AppState>();
    use_changes();
    let mut text = use_signal(String::new);
    let mut shown = use_signal(|| 1usize);
    let query = HouseholdQuery {
        limit: HouseholdQuery::first_page("").limit * shown(),
        ..HouseholdQuery::first_page(&text.read())
    };
    let page = state.data.households(&query);

    rsx! {
        section { class: "screen",
            h1 { "农户" }
            Link { class: "btn secondary block", to: crate::Route::NewHousehold {}, "新增贫困户" }
            Field { label: "搜索（姓名、身份证号后几位、村）",
                input {
                    r#type: "search",
                    aria_label: "搜索农户",
                    value: text(),
                    oninput: move |e| {
                        text.set(e.value());
                        shown.set(1);
                    },
                }
            }
            match page {
                Ok(page) => rsx! {
                    HouseholdList { page, onmore: move |_| shown += 1 }
                },
                Err(e) => rsx! { ErrorNotice { message: e.to_string() } },
            }
        }
    }
}

/// A page of rows, with the count and a 加载更多 button while more match.
#[component]
pub fn HouseholdList(page: HouseholdPage, onmore: EventHandler<()>) -> Element {
    let HouseholdPage { rows, total } = page;
    let more = rows.len() < total;
    let count = rows.len();
    rsx! {
        p { class: "muted", "共{total}户，显示{count}户" }
        ul { class: "list",
            for row in rows {
                HouseholdRowItem { key: "{row.id}", row: HouseholdRow::clone(&row) }
            }
        }
        if more {
            Button {
                label: "加载更多",
                kind: ButtonKind::Secondary,
                onclick: move |_| onmore.call(()),
            }
        }
    }
}
