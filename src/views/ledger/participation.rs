//! F. 实际参与产业发展情况: main work, own industries, employment.

use dioxus::prelude::*;
use fieldledger_model::choice::Choice;
use fieldledger_model::ledger::{Employment, OwnIndustry, ScaleUnit, WorkKind};

use super::FormCtx;
use super::bind::{DraftIndustry, DraftNumber, DraftSelect, DraftText, options};
use crate::components::RowEditor;
use crate::viewmodel::FieldKind;

/// Section F.
#[component]
pub fn Participation() -> Element {
    rsx! {
        h2 { "F. 实际参与产业发展情况" }
        DraftSelect { path: "participation.main_work", label: "主要从事工作", options: options::<WorkKind>() }
        OwnRows {}
        EmployedRows {}
    }
}

/// 自己发展产业
#[component]
fn OwnRows() -> Element {
    let form = use_context::<FormCtx>();
    let units: Vec<String> = form
        .draft
        .read()
        .ledger
        .participation
        .own
        .iter()
        .map(|r| r.unit.map(ScaleUnit::label).unwrap_or("").to_owned())
        .collect();
    let (f, g) = (form.clone(), form.clone());
    rsx! {
        RowEditor {
            title: "自己发展产业",
            add_label: "添加一项产业",
            count: units.len(),
            onadd: move |_| f.edit(|d| d.ledger.participation.own.push(OwnIndustry::default())),
            onremove: move |i: usize| {
                g.edit(|d| { d.ledger.participation.own.remove(i); });
                g.forget_under("participation.own[");
            },
            row: move |i: usize| {
                let p = format!("participation.own[{i}]");
                let unit = units.get(i).cloned().unwrap_or_default();
                rsx! {
                    DraftIndustry { path: "{p}.industry", label: "产业类型" }
                    DraftText { path: "{p}.product", label: "种养殖产品名称" }
                    DraftSelect { path: "{p}.unit", label: "单位（亩、头、羽）", options: options::<ScaleUnit>() }
                    DraftNumber { path: "{p}.scale", label: "产业规模", unit: "{unit}" }
                    DraftNumber { path: "{p}.expected_output", label: "预计年产量", unit: "" }
                    DraftNumber { path: "{p}.expected_income", label: "预计年收入（元）", unit: "元" }
                    DraftNumber { path: "{p}.actual_income", label: "实际年收入（元）", unit: "元" }
                }
            },
        }
    }
}

/// 被聘用
#[component]
fn EmployedRows() -> Element {
    let form = use_context::<FormCtx>();
    let count = form.draft.read().ledger.participation.employed.len();
    let (f, g) = (form.clone(), form.clone());
    rsx! {
        RowEditor {
            title: "被聘用",
            add_label: "添加一家聘用单位",
            count,
            onadd: move |_| f.edit(|d| d.ledger.participation.employed.push(Employment::default())),
            onremove: move |i: usize| {
                g.edit(|d| { d.ledger.participation.employed.remove(i); });
                g.forget_under("participation.employed[");
            },
            row: move |i: usize| {
                let p = format!("participation.employed[{i}]");
                rsx! {
                    DraftText { path: "{p}.employer", label: "被聘用经营主体名称" }
                    DraftIndustry { path: "{p}.industry", label: "经营主体产业类型" }
                    DraftNumber { path: "{p}.workdays_per_month", label: "平均每月工作天数", unit: "天", kind: FieldKind::Count }
                    DraftNumber { path: "{p}.monthly_wage", label: "平均每月工资收入（元）", unit: "元" }
                    DraftNumber { path: "{p}.actual_income", label: "实际年收入（元）", unit: "元" }
                }
            },
        }
    }
}
