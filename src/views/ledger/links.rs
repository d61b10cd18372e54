//! G. 利益联结情况 and H. 产销对接情况: one row per business or buyer.

use dioxus::prelude::*;
use fieldledger_model::choice::Choice;
use fieldledger_model::ledger::{BenefitLink, SalesAgreement, SalesUnit};

use super::FormCtx;
use super::bind::{DraftNumber, DraftSelect, DraftText, options};
use crate::components::RowEditor;

/// Section G.
#[component]
pub fn BenefitLinks() -> Element {
    let form = use_context::<FormCtx>();
    let count = form.draft.read().ledger.benefit_links.len();
    let (f, g) = (form.clone(), form.clone());
    rsx! {
        h2 { "G. 利益联结情况" }
        RowEditor {
            title: "利益联结经营主体",
            add_label: "添加一个经营主体",
            count,
            onadd: move |_| f.edit(|d| d.ledger.benefit_links.push(BenefitLink::default())),
            onremove: move |i: usize| {
                g.edit(|d| { d.ledger.benefit_links.remove(i); });
                g.forget_under("benefit_links[");
            },
            row: move |i: usize| {
                let p = format!("benefit_links[{i}]");
                rsx! {
                    DraftText { path: "{p}.entity", label: "利益联结经营主体名称" }
                    DraftText { path: "{p}.industry", label: "发展产业名称" }
                    DraftNumber { path: "{p}.land_shares", label: "土地折算入股（元）", unit: "元" }
                    DraftNumber { path: "{p}.microcredit_shares", label: "扶贫小额信贷资金入股（元）", unit: "元" }
                    DraftNumber { path: "{p}.fiscal_shares", label: "财政专项扶贫资金项目量化入股（元）", unit: "元" }
                    DraftNumber { path: "{p}.expected_dividend", label: "预计年度分红（元）", unit: "元" }
                    DraftNumber { path: "{p}.actual_dividend", label: "实际年度分红（元）", unit: "元" }
                }
            },
        }
    }
}

/// Section H.
#[component]
pub fn Sales() -> Element {
    let form = use_context::<FormCtx>();
    let units: Vec<String> = form
        .draft
        .read()
        .ledger
        .sales
        .iter()
        .map(|r| r.unit.map(SalesUnit::label).unwrap_or("").to_owned())
        .collect();
    let (f, g) = (form.clone(), form.clone());
    rsx! {
        h2 { "H. 产销对接情况" }
        RowEditor {
            title: "产销对接经营主体",
            add_label: "添加一个收购方",
            count: units.len(),
            onadd: move |_| f.edit(|d| d.ledger.sales.push(SalesAgreement::default())),
            onremove: move |i: usize| {
                g.edit(|d| { d.ledger.sales.remove(i); });
                g.forget_under("sales[");
            },
            row: move |i: usize| {
                let p = format!("sales[{i}]");
                let unit = units.get(i).cloned().unwrap_or_default();
                rsx! {
                    DraftText { path: "{p}.buyer", label: "农产品产销对接经营主体名称" }
                    DraftText { path: "{p}.product", label: "收购农产品名称" }
                    DraftSelect { path: "{p}.unit", label: "单位（公斤、头、羽）", options: options::<SalesUnit>() }
                    DraftNumber { path: "{p}.expected_quantity", label: "预计年订单数量", unit: "{unit}" }
                    DraftNumber { path: "{p}.actual_quantity", label: "实际年度收购数量", unit: "{unit}" }
                    DraftNumber { path: "{p}.actual_amount", label: "实际收购金额（元）", unit: "元" }
                }
            },
        }
    }
}
