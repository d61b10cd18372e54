//! 同步: the outbox, progress, the last success, errors, records the server
//! refused, and conflicts to settle field by field.

use std::collections::BTreeSet;

use dioxus::prelude::*;

use super::ErrorNotice;
use crate::components::{Button, ButtonKind};
use crate::viewmodel::{ConflictView, SyncStatus};
use crate::{AppState, use_changes};

/// The 同步 tab.
#[component]
pub fn SyncScreen() -> Element {
    let state = use_context::<AppState>();
    let mut note = use_signal(|| None::<String>);
    use_changes();
    let data = state.data.clone();
    rsx! {
        section { class: "screen",
            h1 { "同步" }
            match state.data.sync_status() {
                Ok(status) => rsx! { SyncView { status } },
                Err(e) => rsx! { ErrorNotice { message: e.to_string() } },
            }
            Button {
                label: "立即同步",
                onclick: move |_| match data.sync_now() {
                    Ok(()) => note.set(Some("已开始同步".to_owned())),
                    Err(e) => note.set(Some(e.to_string())),
                },
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
        None => "本次启动后尚未同步".to_owned(),
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
            p { class: "muted", "请按原因修改后重新保存，修改后的记录会重新上传。" }
            ul { class: "list",
                for (i, r) in status.rejected.iter().enumerate() {
                    li { key: "{i}", class: "rejected",
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

/// One record in conflict: each differing field with both versions, and a
/// choice per field of which to keep.
#[component]
fn ConflictCard(conflict: ConflictView) -> Element {
    let state = use_context::<AppState>();
    let theirs = use_signal(BTreeSet::<String>::new);
    let mut message = use_signal(|| None::<String>);
    let record = conflict.record_id;
    let resolve = move |_| {
        if let Err(e) = state.data.resolve_conflict(record, &theirs.read()) {
            message.set(Some(e.to_string()));
        }
    };
    rsx! {
        div { class: "rows",
            div { class: "row",
                h3 { "{conflict.kind.label()} · {conflict.household}" }
                if conflict.fields.is_empty() {
                    p { class: "muted", "服务器上的版本还没有下载，同步后可以逐项比较；也可以直接保留本机版本。" }
                } else {
                    p { class: "muted", "本机和服务器都修改了这条记录。请逐项选择要保留的内容。" }
                }
                for f in conflict.fields {
                    FieldChoice { key: "{f.path}", field: f, theirs }
                }
                if let Some(why) = message() {
                    div { class: "notice bad", role: "alert", "{why}" }
                }
                Button { label: "按所选合并并保存", kind: ButtonKind::Primary, onclick: resolve }
            }
        }
    }
}

/// One differing field: both values, each a choice.
#[component]
fn FieldChoice(field: crate::viewmodel::FieldDiff, theirs: Signal<BTreeSet<String>>) -> Element {
    let take_theirs = theirs.read().contains(&field.path);
    let (mine_path, theirs_path) = (field.path.clone(), field.path.clone());
    rsx! {
        fieldset { class: "choice",
            legend { "{field.label}" }
            label {
                input {
                    r#type: "radio",
                    name: "{field.path}",
                    checked: !take_theirs,
                    onchange: move |_| { theirs.write().remove(&mine_path); },
                }
                span { class: "side", "本机：" }
                "{field.mine}"
            }
            label {
                input {
                    r#type: "radio",
                    name: "{field.path}",
                    checked: take_theirs,
                    onchange: move |_| { theirs.write().insert(theirs_path.clone()); },
                }
                span { class: "side", "服务器：" }
                "{field.theirs}"
            }
        }
    }
}
