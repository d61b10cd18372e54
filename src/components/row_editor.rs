//! A repeating section: one card per row, a button to add a row and one on
//! each card to remove it.

use dioxus::prelude::*;

use super::{Button, ButtonKind};

/// Renders `count` rows with `row(i)`.
#[component]
pub fn RowEditor(
    title: String,
    add_label: String,
    count: usize,
    onadd: EventHandler<()>,
    onremove: EventHandler<usize>,
    row: Callback<usize, Element>,
) -> Element {
    rsx! {
        div { class: "rows",
            h3 { "{title}" }
            if count == 0 {
                p { class: "muted", "尚未填写" }
            }
            for i in 0..count {
                div { class: "row", key: "{i}",
                    div { class: "row-head",
                        strong { "第{i + 1}条" }
                        Button {
                            label: "删除",
                            kind: ButtonKind::Danger,
                            onclick: move |_| onremove.call(i),
                        }
                    }
                    {row.call(i)}
                }
            }
            Button { label: add_label, kind: ButtonKind::Secondary, onclick: move |_| onadd.call(()) }
        }
    }
}
