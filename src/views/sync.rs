//! 同步: the outbox, progress, the last success, errors, records the server
//! refused, and conflicts to settle field by field.

use dioxus::prelude::*;

use super::ErrorNotice;
use crate::AppState;
use crate::components::Button;
use crate::viewmodel::{ConflictView, SyncStatus};

/// The 同步 tab.
#[component]
pub fn SyncScreen() -> Element {
    let state = use_context::<AppState>();
    let mut note = use_signal(|| None::<&'static str>);
    rsx! {
        section { class: "screen",
            h1 { "同步" }
            match state.data.sync_status() {
                Ok(status) => rsx! { SyncView { status } },
                Err(e) => rsx! { ErrorNotice { message: e.to_string() } },
            }
            Button {
                label: "立即同步",
                onclick: move |_| note.set(Some("本版本尚未包含同步功能，记录已安全保存在本机。")),
            }
            if let Some(text) = note() {
                div { class: "notice", role: "status", "{text}" }
            }
        }
    }
}

/// The figures of `status`.
#[component]
pub fn SyncView(status: SyncStatus) -> Element {
    let last = match status.last_success {
        Some(at) => at
            .with_timezone(&chrono::Local)
            .format("%Y-%m-%d %H:%M")
            .to_string(),
        None => "从未同步".to_owned(),
    };
    rsx! {
        div { class: "notice",
            div { "待上传记录 " span { class: "big", "{status.queued}" } " 条" }
            div { "待上传照片 {status.photos_queued} 张" }
            div { "上次成功同步：{last}" }
        }
        if let Some(p) = status.progress {
            div { role: "status", "正在同步：{p.sent}/{p.total}" }
            progress { max: "{p.total}", value: "{p.sent}" }
        }
        if let Some(error) = status.last_error {
            div { class: "notice bad", role: "alert", "上次同步失败：{error}" }
        }
        if !status.rejected.is_empty() {
            h2 { "被退回的记录" }
            ul { class: "list",
                for (i, r) in status.rejected.iter().enumerate() {
                    li { key: "{i}", style: "padding: 10px 0",
                        strong { "{r.kind.label()} · {r.household}" }
                        div { class: "error", "{r.reason}" }
                    }
                }
            }
        }
        if !status.conflicts.is_empty() {
            h2 { "待处理的冲突" }
            for c in status.conflicts {
                ConflictCard { key: "{c.record_id}", conflict: c }
            }
        }
    }
}

/// One record in conflict: each differing field with both versions.
#[component]
fn ConflictCard(conflict: ConflictView) -> Element {
    rsx! {
        div { class: "rows",
            div { class: "row",
                h3 { "{conflict.kind.label()} · {conflict.household}" }
                table { class: "figures",
                    thead { tr { th { "栏目" } th { "本机" } th { "服务器" } } }
                    tbody {
                        for f in conflict.fields {
                            tr { key: "{f.path}",
                                td { "{f.label}" }
                                td { "{f.mine}" }
                                td { "{f.theirs}" }
                            }
                        }
                    }
                }
            }
        }
    }
}
