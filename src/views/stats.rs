//! 我的统计: this instructor's Attachment 4 for the year, from the visit log.

use dioxus::prelude::*;
use fieldledger_model::tally::{Attachment4, WorkItem};

use super::ErrorNotice;
use crate::{AppState, use_changes};

/// The 我的统计 tab.
#[component]
pub fn MyStats() -> Element {
    let state = use_context::<AppState>();
    use_changes();
    let year = state.year();
    let figures = state.data.my_statistics(year);
    rsx! {
        section { class: "screen",
            h1 { "我的统计" }
            p { class: "muted", "贫困农户产业指导员工作情况统计表，{year}年1月1日至今，由走访记录汇总。" }
            match figures {
                Ok(figures) => rsx! { Attachment4Table { figures } },
                Err(e) => rsx! { ErrorNotice { message: e.to_string() } },
            }
        }
    }
}

/// The eleven rows of Attachment 4 with their units.
#[component]
pub fn Attachment4Table(figures: Attachment4) -> Element {
    rsx! {
        table { class: "figures",
            thead {
                tr { th { "序号" } th { "项目" } th { "数量" } th { "单位" } }
            }
            tbody {
                for (i, item) in WorkItem::ALL.into_iter().enumerate() {
                    tr { key: "{i}",
                        td { "{i + 1}" }
                        td { "{item.label()}" }
                        td { class: "num", "{figures.figure(item)}" }
                        td { "{item.unit()}" }
                    }
                }
            }
        }
    }
}
