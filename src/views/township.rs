//! 乡镇, for liaisons: each instructor's sync health and work, and the
//! township's Attachment 4.

use dioxus::prelude::*;
use fieldledger_model::wire::InstructorStatus;

use super::{Attachment4Table, ErrorNotice};
use crate::AppState;
use crate::components::{BarChart, Button, ButtonKind};
use crate::viewmodel::TownshipView;

/// The 乡镇 tab. Its figures come from the server, so it needs the
/// network each time it opens.
#[component]
pub fn Township() -> Element {
    let state = use_context::<AppState>();
    let year = state.year();
    let data = state.data.clone();
    let figures = use_resource(move || data.township(year));
    let shown = match &*figures.read() {
        None => rsx! {
            h1 { "乡镇" }
            p { class: "muted", role: "status", "正在从服务器读取本乡镇的数据…" }
        },
        Some(Ok(Some(view))) => rsx! { TownshipPanel { view: view.clone() } },
        Some(Ok(None)) => rsx! {
            h1 { "乡镇" }
            p { "乡镇汇总只对乡镇联络员开放。" }
        },
        Some(Err(e)) => rsx! {
            h1 { "乡镇" }
            ErrorNotice { message: e.to_string() }
        },
    };
    rsx! {
        section { class: "screen",
            {shown}
            if figures.read().as_ref().is_some_and(|r| r.is_err()) {
                Button {
                    label: "重试",
                    kind: ButtonKind::Secondary,
                    onclick: move |_| figures.clone().restart(),
                }
            }
        }
    }
}

/// The township figures of `view`.
#[component]
pub fn TownshipPanel(view: TownshipView) -> Element {
    let TownshipView { status, report } = view;
    let week: Vec<(String, f64)> = status
        .instructors
        .iter()
        .map(|i| (i.name.clone(), f64::from(i.received_this_week)))
        .collect();
    rsx! {
        h1 { "{status.township}" }
        p { class: "muted", "截至{status.as_of}" }
        h2 { "本周上报记录" }
        BarChart { title: "各指导员本周上报记录数", bars: week, unit: "条" }
        h2 { "产业指导员" }
        ul { class: "list",
            for i in status.instructors {
                InstructorLine { key: "{i.instructor_id}", status: i }
            }
        }
        h2 { "工作情况统计（附件4）" }
        p { class: "muted", "{report.period.from}至{report.period.to}" }
        Attachment4Table { figures: report.total }
    }
}

/// One instructor's line.
#[component]
fn InstructorLine(status: InstructorStatus) -> Element {
    let last = status
        .last_sync
        .map(|t| {
            t.with_timezone(&chrono::Local)
                .format("%m-%d %H:%M")
                .to_string()
        })
        .unwrap_or_else(|| "从未同步".to_owned());
    rsx! {
        li { style: "padding: 10px 0",
            div { class: "name", "{status.name}" }
            div { "最近同步：{last} · 待上传{status.queued}条" }
            div { "本周上报{status.received_this_week}条 · 指导{status.households}户" }
            div {
                class: if status.not_visited_30 > 0 { "error" } else { "muted" },
                "30天以上未走访：{status.not_visited_30}户"
            }
        }
    }
}
