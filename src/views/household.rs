//! One household: who and where, this year's and earlier ledgers, visits as
//! a timeline. The only screen that shows the full ID number.

use dioxus::prelude::*;
use fieldledger_model::Visit;
use fieldledger_model::tally::WorkItem;
use uuid::Uuid;

use super::ErrorNotice;
use crate::components::{Button, ButtonKind, SyncBadge};
use crate::viewmodel::{HouseholdDetail, LedgerSummary};
use crate::{AppState, Route, use_changes};

/// The household route.
#[component]
pub fn HouseholdPage(id: Uuid) -> Element {
    let state = use_context::<AppState>();
    use_changes();
    match state.data.household(id) {
        Ok(detail) => rsx! { HouseholdView { detail, year: state.year() } },
        Err(e) => rsx! { ErrorNotice { message: e.to_string() } },
    }
}

/// The household page for `detail`, `year` being the current year.
#[component]
pub fn HouseholdView(detail: HouseholdDetail, year: i32) -> Element {
    let nav = use_navigator();
    let id = detail.household.id;
    let next = detail.next_year(year);
    let this_year = detail.ledger(year).cloned();
    let earlier: Vec<LedgerSummary> = detail
        .ledgers
        .iter()
        .filter(|l| l.year != year)
        .cloned()
        .collect();
    let h = &detail.household;

    rsx! {
        section { class: "screen",
            div { class: "row-top",
                h1 { "{h.head_name}" }
                SyncBadge { state: detail.sync }
            }
            p { "身份证号：" span { class: "idno", "{h.id_number}" } }
            p { class: "muted", "{h.location.display()}" }
            h2 { "{year}年度台账" }
            match this_year {
                Some(ledger) => rsx! { LedgerLine { household: id, ledger } },
                None => rsx! { p { class: "muted", "本年度台账尚未填写" } },
            }
            if detail.ledgers.is_empty() {
                Button {
                    label: "填写{year}年度台账",
                    onclick: move |_| { nav.push(Route::LedgerForm { id, year }); },
                }
            } else {
                Button {
                    label: "开始填写下一年度台账（{next}年度）",
                    kind: ButtonKind::Secondary,
                    onclick: move |_| { nav.push(Route::LedgerForm { id, year: next }); },
                }
            }
            if !earlier.is_empty() {
                h2 { "往年台账" }
                for ledger in earlier {
                    LedgerLine { key: "{ledger.year}", household: id, ledger }
                }
            }
            h2 { "走访记录" }
            Button {
                label: "记录走访",
                onclick: move |_| { nav.push(Route::VisitFor { household: id }); },
            }
            VisitTimeline { visits: detail.visits.clone() }
        }
    }
}

/// One year's ledger, opening the form for that year.
#[component]
fn LedgerLine(household: Uuid, ledger: LedgerSummary) -> Element {
    let population = ledger
        .population
        .map(|n| format!("人口数{n}人"))
        .unwrap_or_default();
    let industries = ledger.industries.join("、");
    rsx! {
        ul { class: "list",
            li {
                Link { to: Route::LedgerForm { id: household, year: ledger.year },
                    div { class: "row-top",
                        strong { "{ledger.year}年度 · {ledger.state.label()}" }
                        SyncBadge { state: ledger.sync }
                    }
                    div { class: "muted", "{population} {industries}" }
                }
            }
        }
    }
}

/// Visits, newest first, with what was done on each.
#[component]
fn VisitTimeline(visits: Vec<Visit>) -> Element {
    if visits.is_empty() {
        return rsx! { p { class: "muted", "尚无走访记录" } };
    }
    rsx! {
        div { class: "timeline",
            for visit in visits {
                div { class: "event", key: "{visit.id}",
                    strong { "{visit.date}" }
                    div { "{work_summary(&visit)}" }
                    if !visit.note.is_empty() {
                        div { class: "muted", "{visit.note}" }
                    }
                    if !visit.photos.is_empty() || visit.position.is_some() {
                        div { class: "muted", "{attachments(&visit)}" }
                    }
                }
            }
        }
    }
}

/// What came with a visit besides the work, e.g. `照片 2 张 · 已定位`.
fn attachments(visit: &Visit) -> String {
    let mut parts = Vec::new();
    if !visit.photos.is_empty() {
        parts.push(format!("照片 {} 张", visit.photos.len()));
    }
    if visit.position.is_some() {
        parts.push("已定位".to_owned());
    }
    parts.join(" · ")
}

/// The work items a visit recorded, e.g. `入户宣讲政策 1次、联系农户产品销售`.
fn work_summary(visit: &Visit) -> String {
    let w = &visit.work;
    let counts = [
        (WorkItem::PolicyTalks, w.policy_talks),
        (WorkItem::TrainedPeople, w.trained_people),
        (WorkItem::TechGuidance, w.tech_guidance),
        (WorkItem::ProblemsSolved, w.problems_solved),
        (WorkItem::CoopMembers, w.coop_members),
    ];
    let flags = [
        (WorkItem::IndustryChoice, w.industry_choice),
        (WorkItem::ProjectSupport, w.project_support),
        (WorkItem::SalesHelp, w.sales_help),
        (WorkItem::BenefitLink, w.benefit_link),
    ];
    let mut parts: Vec<String> = counts
        .iter()
        .filter(|(_, n)| *n > 0)
        .map(|(item, n)| format!("{} {n}{}", item.label(), item.unit()))
        .collect();
    parts.extend(
        flags
            .iter()
            .filter(|(_, on)| *on)
            .map(|(i, _)| i.label().to_owned()),
    );
    for (item, amount) in [
        (WorkItem::Funds, w.funds),
        (WorkItem::SalesIncome, w.sales_income),
    ] {
        if amount.hundredths() > 0 {
            parts.push(format!("{} {amount}元", item.label()));
        }
    }
    if parts.is_empty() {
        return "（未记录工作项目）".to_owned();
    }

    parts.join("、")
}
