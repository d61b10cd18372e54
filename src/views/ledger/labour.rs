//! C. 现有劳动力情况: one row per household member.

use dioxus::prelude::*;
use fieldledger_model::ledger::{Education, LabourMember};

use super::FormCtx;
use super::bind::{DraftSelect, DraftText, options};
use crate::components::RowEditor;
use crate::viewmodel::FieldKind;

/// The labour rows.
#[component]
pub fn Labour() -> Element {
    let form = use_context::<FormCtx>();
    let count = form.draft.read().ledger.labour.len();
    let (f, g) = (form.clone(), form.clone());
    rsx! {
        h2 { "C. 现有劳动力情况" }
        RowEditor {
            title: "劳动力",
            add_label: "添加一名劳动力",
            count,
            onadd: move |_| f.edit(|d| d.ledger.labour.push(LabourMember::default())),
            onremove: move |i: usize| {
                g.edit(|d| { d.ledger.labour.remove(i); });
                g.forget_under("labour[");
            },
            row: move |i: usize| rsx! {
                DraftText { path: "labour[{i}].name", label: "姓名" }
                DraftText { path: "labour[{i}].relation", label: "家庭关系" }
                DraftText { path: "labour[{i}].birth", label: "出生年月", kind: FieldKind::YearMonth }
                DraftSelect { path: "labour[{i}].education", label: "学历", options: options::<Education>() }
                DraftText { path: "labour[{i}].skills", label: "掌握生产技能" }
            },
        }
    }
}
