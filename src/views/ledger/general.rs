//! The form's single-valued sections: 位置, A basic facts, B production
//! resources, D intentions, E income.

use dioxus::prelude::*;
use fieldledger_model::ledger::{Industry, PovertyCause, WorkKind};

use fieldledger_model::Ledger;

use super::bind::{Access, DraftMulti, DraftNumber, DraftText, OtherOf};
use crate::viewmodel::FieldKind;

/// 位置
#[component]
pub fn Location() -> Element {
    rsx! {
        h2 { "位置" }
        DraftText { path: "location.county", label: "县（市、区、特区）" }
        DraftText { path: "location.township", label: "乡（镇、社区）" }
        DraftText { path: "location.village", label: "村" }
        DraftText { path: "location.group", label: "村民组" }
    }
}

/// A. 建档立卡贫困农户基本信息
#[component]
pub fn Basic() -> Element {
    rsx! {
        h2 { "A. 建档立卡贫困农户基本信息" }
        DraftText { path: "head_name", label: "贫困户户主姓名" }
        DraftText { path: "id_number", label: "身份证号" }
        DraftNumber { path: "basic.population", label: "人口数（人）", unit: "人", kind: FieldKind::Count }
        DraftMulti::<PovertyCause> {
            path: "basic.poverty_causes",
            label: "致贫原因",
            access: Access { set: |l| &mut l.basic.poverty_causes.chosen, other: Some(causes_other as OtherOf) },
        }
    }
}

/// B. 生产资源情况
#[component]
pub fn Resources() -> Element {
    rsx! {
        h2 { "B. 生产资源情况" }
        DraftNumber { path: "resources.cultivated", label: "耕地面积（亩）", unit: "亩" }
        DraftNumber { path: "resources.under_15", label: "15度以下耕地面积", unit: "亩" }
        DraftNumber { path: "resources.from_15_to_25", label: "15-25度坡耕地面积", unit: "亩" }
        DraftNumber { path: "resources.over_25", label: "25度以上坡耕地面积", unit: "亩" }
        DraftNumber { path: "resources.forest", label: "林地面积（亩）", unit: "亩" }
    }
}

/// D. 发展产业意向需求
#[component]
pub fn Intent() -> Element {
    rsx! {
        h2 { "D. 发展产业意向需求" }
        DraftMulti::<Industry> {
            path: "intent.industries",
            label: "意向发展产业",
            access: Access { set: |l| &mut l.intent.industries.chosen, other: Some(industries_other as OtherOf) },
        }
        DraftMulti::<WorkKind> {
            path: "intent.work",
            label: "意向从事工作",
            access: Access { set: |l| &mut l.intent.work, other: None },
        }
    }
}

/// E. 收入情况
#[component]
pub fn Income() -> Element {
    rsx! {
        h2 { "E. 收入情况" }
        DraftNumber { path: "income.last_year_total", label: "上年家庭收入（元）", unit: "元" }
        DraftNumber { path: "income.last_year_farming", label: "其中农业产业收入（元）", unit: "元" }
        DraftNumber { path: "income.expected_total", label: "预计今年家庭收入（元）", unit: "元" }
        DraftNumber { path: "income.expected_farming", label: "其中农业产业收入（元）", unit: "元" }
    }
}

fn causes_other(ledger: &mut Ledger) -> &mut Option<String> {
    &mut ledger.basic.poverty_causes.other
}

fn industries_other(ledger: &mut Ledger) -> &mut Option<String> {
    &mut ledger.intent.industries.other
}
