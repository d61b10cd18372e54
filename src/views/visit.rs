//! 记录走访: which households, the eleven work items of Attachment 4, a
//! note, photos and, where the platform gives one, the position.

use std::collections::BTreeMap;

use dioxus::prelude::*;
use fieldledger_model::tally::WorkItem;
use fieldledger_model::validate::Validate;
use fieldledger_model::visit::{Position, Work};
use fieldledger_model::{Amount, Visit};
use uuid::Uuid;

use crate::components::{AmountInput, Button, ButtonKind, Checkbox, Field};
use crate::viewmodel::HouseholdQuery;
use crate::{AppState, Route, webview};

/// The id of the photo input, for the page to find its files by.
const PHOTO_INPUT: &str = "visit-photos";

/// Matches offered while picking households.
const PICKER_MATCHES: usize = 5;

/// The 走访 tab, households chosen on the screen.
#[component]
pub fn VisitLog() -> Element {
    rsx! { VisitForm { preselected: None } }
}

/// A visit to one household, opened from its page.
#[component]
pub fn VisitFor(household: Uuid) -> Element {
    rsx! { VisitForm { preselected: Some(household) } }
}

/// Where the visit took place, as far as the platform tells.
#[derive(Clone, PartialEq)]
enum PositionState {
    Asking,
    Fixed(Position),
    Failed(String),
}

impl PositionState {
    fn fix(&self) -> Option<Position> {
        match self {
            PositionState::Fixed(p) => Some(*p),
            _ => None,
        }
    }

    /// One line for the form, e.g. `位置：北纬 26.5801°，东经 106.7102°（误差约 12 米）`.
    fn describe(&self) -> String {
        match self {
            PositionState::Asking => "位置：正在定位…".to_owned(),
            PositionState::Fixed(p) => {
                let lat = if p.latitude >= 0.0 {
                    "北纬"
                } else {
                    "南纬"
                };
                let lon = if p.longitude >= 0.0 {
                    "东经"
                } else {
                    "西经"
                };
                let mut line = format!(
                    "位置：{lat} {:.4}°，{lon} {:.4}°",
                    p.latitude.abs(),
                    p.longitude.abs()
                );
                if let Some(a) = p.accuracy_m {
                    line.push_str(&format!("（误差约 {} 米）", a.round()));
                }
                line
            }
            PositionState::Failed(why) => format!("位置：未记录（{why}）"),
        }
    }
}

/// The figures typed for the work items, as text until saved.
type WorkTexts = BTreeMap<WorkItem, String>;

#[component]
fn VisitForm(preselected: Option<Uuid>) -> Element {
    let state = use_context::<AppState>();
    let first = preselected.and_then(|id| {
        let detail = state.data.household(id).ok()?;
        Some((id, detail.household.head_name))
    });
    let chosen = use_signal(|| first.into_iter().collect::<Vec<_>>());
    let mut texts = use_signal(WorkTexts::new);
    let mut flags = use_signal(BTreeMap::<WorkItem, bool>::new);
    let mut note = use_signal(String::new);
    let mut date = use_signal(|| state.today.to_string());
    let mut photos = use_signal(Vec::<String>::new);
    // Photos are filed under the visit before it is saved.
    let visit_id = use_hook(fieldledger_model::id::new_id);
    let mut message = use_signal(|| None::<(bool, String)>);
    let nav = use_navigator();
    // The position is asked for once as the screen opens, and again on
    // request; the visit is saved with whatever answer is there by then.
    let mut position = use_signal(|| PositionState::Asking);
    let mut locate = move || {
        position.set(PositionState::Asking);
        spawn(async move {
            position.set(match webview::current_position().await {
                Ok(p) => PositionState::Fixed(p),
                Err(why) => PositionState::Failed(why),
            });
        });
    };
    use_hook(locate);

    let data = state.data.clone();
    let save = move |_| {
        let visit = build_visit(
            &state,
            visit_id,
            &chosen.read(),
            &texts.read(),
            &flags.read(),
            &note.read(),
            &date.read(),
            &photos.read(),
            position().fix(),
        );
        match visit.and_then(|v| data.save_visit(&v).map_err(|e| e.to_string())) {
            // The visit's page shows it saved; staying here would let a
            // second press overwrite the same visit.
            Ok(()) => match preselected.or_else(|| chosen.read().first().map(|c| c.0)) {
                Some(id) => {
                    nav.push(Route::HouseholdPage { id });
                }
                None => message.set(Some((true, "走访记录已保存，待同步".to_owned()))),
            },
            Err(why) => message.set(Some((false, why))),
        }
    };
    let data = use_context::<AppState>().data;
    let add_photos = move |e: FormEvent| {
        let data = data.clone();
        async move {
            for file in webview::picked_files(&e, PHOTO_INPUT).await {
                let stored = match file.bytes {
                    Ok(bytes) => data
                        .add_photo(visit_id, bytes)
                        .await
                        .map_err(|e| e.to_string()),
                    Err(why) => Err(why),
                };
                match stored {
                    Ok(hash) => photos.write().push(hash),
                    Err(why) => message.set(Some((false, why))),
                }
            }
        }
    };
    rsx! {
        section { class: "screen",
            h1 { "记录走访" }
            HouseholdPicker { chosen }
            Field { label: "走访日期",
                input { r#type: "date", aria_label: "走访日期", value: date(), oninput: move |e| date.set(e.value()) }
            }
            h2 { "工作内容" }
            for item in WorkItem::ALL {
                if item.counts_households() {
                    Checkbox {
                        key: "{item.label()}",
                        label: "{item.label()}（{item.unit()}）",
                        checked: flags.read().get(&item).copied().unwrap_or(false),
                        onchange: move |on| { flags.write().insert(item, on); },
                    }
                } else {
                    AmountInput {
                        key: "{item.label()}",
                        label: item.label(),
                        unit: input_unit(item),
                        value: texts.read().get(&item).cloned().unwrap_or_default(),
                        oninput: move |v| { texts.write().insert(item, v); },
                        error: parse_item(item, texts.read().get(&item).map(String::as_str).unwrap_or("")).err(),
                    }
                }
            }
            Field { label: "备注",
                textarea { aria_label: "备注", value: note(), oninput: move |e| note.set(e.value()) }
            }
            Field { label: "照片（已添加{photos.read().len()}张）",
                // The system's file input, hidden inside a button of our own
                // wording: its own label is in the browser's language.
                label { class: "btn secondary picker",
                    "拍照或选择照片"
                    input { id: PHOTO_INPUT, r#type: "file", accept: "image/*", multiple: true, aria_label: "添加照片", onchange: add_photos }
                }
            }
            div { class: "position",
                p { class: if matches!(position(), PositionState::Fixed(_)) { "" } else { "muted" }, "{position().describe()}" }
                if !matches!(position(), PositionState::Asking) {
                    Button { label: "重新定位", kind: ButtonKind::Secondary, onclick: move |_| locate() }
                }
            }
            if let Some((ok, text)) = message() {
                div { class: if ok { "notice" } else { "notice bad" }, role: "alert", "{text}" }
            }
            Button { label: "保存走访记录", onclick: save }
        }
    }
}

/// Search and pick the households a visit served.
#[component]
fn HouseholdPicker(chosen: Signal<Vec<(Uuid, String)>>) -> Element {
    let state = use_context::<AppState>();
    let mut search = use_signal(String::new);
    let matches = if search.read().trim().is_empty() {
        Vec::new()
    } else {
        let query = HouseholdQuery {
            limit: PICKER_MATCHES,
            ..HouseholdQuery::first_page(&search.read())
        };
        state
            .data
            .households(&query)
            .map(|p| p.rows)
            .unwrap_or_default()
    };
    rsx! {
        Field { label: "走访农户",
            for (id, name) in chosen.read().clone() {
                div { class: "row-top", key: "{id}",
                    strong { "{name}" }
                    Button {
                        label: "移除",
                        kind: ButtonKind::Danger,
                        onclick: move |_| chosen.write().retain(|(c, _)| *c != id),
                    }
                }
            }
            input {
                r#type: "search",
                aria_label: "查找农户",
                placeholder: "输入姓名、身份证号后几位或村名",
                value: search(),
                oninput: move |e| search.set(e.value()),
            }
            ul { class: "list",
                for row in matches {
                    li { key: "{row.id}",
                        button {
                            class: "btn secondary block",
                            onclick: move |_| {
                                let pick = (row.id, row.head_name.clone());
                                if !chosen.read().contains(&pick) {
                                    chosen.write().push(pick);
                                }
                                search.set(String::new());
                            },
                            "添加 {row.head_name}（{row.village}）"
                        }
                    }
                }
            }
        }
    }
}

/// The unit typed in: money in 元, even where the form reports 万元.
fn input_unit(item: WorkItem) -> &'static str {
    match item {
        WorkItem::SalesIncome => "元",
        other => other.unit(),
    }
}

/// Reads one figure; blank is zero.
fn parse_item(item: WorkItem, text: &str) -> Result<Amount, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(Amount::ZERO);
    }
    match item {
        WorkItem::Funds | WorkItem::SalesIncome => Amount::parse(text).map_err(|e| e.to_string()),
        _ => text
            .parse::<u32>()
            .map(|n| Amount::from_units(i64::from(n)))
            .map_err(|_| "请输入整数".to_owned()),
    }
}

#[allow(clippy::too_many_arguments)]
fn build_visit(
    state: &AppState,
    id: Uuid,
    chosen: &[(Uuid, String)],
    texts: &WorkTexts,
    flags: &BTreeMap<WorkItem, bool>,
    note: &str,
    date: &str,
    photos: &[String],
    position: Option<Position>,
) -> Result<Visit, String> {
    let mut figures = BTreeMap::new();
    for item in WorkItem::ALL.into_iter().filter(|i| !i.counts_households()) {
        let text = texts.get(&item).map(String::as_str).unwrap_or("");
        let value = parse_item(item, text).map_err(|why| format!("{}：{why}", item.label()))?;
        figures.insert(item, value);
    }
    let count = |item| u32::try_from(figures[&item].hundredths() / 100).unwrap_or(u32::MAX);
    let flag = |item| flags.get(&item).copied().unwrap_or(false);
    let work = Work {
        policy_talks: count(WorkItem::PolicyTalks),
        industry_choice: flag(WorkItem::IndustryChoice),
        trained_people: count(WorkItem::TrainedPeople),
        tech_guidance: count(WorkItem::TechGuidance),
        problems_solved: count(WorkItem::ProblemsSolved),
        project_support: flag(WorkItem::ProjectSupport),
        funds: figures[&WorkItem::Funds],
        sales_help: flag(WorkItem::SalesHelp),
        sales_income: figures[&WorkItem::SalesIncome],
        coop_members: count(WorkItem::CoopMembers),
        benefit_link: flag(WorkItem::BenefitLink),
    };
    let date = chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d")
        .map_err(|_| "请选择走访日期".to_owned())?;
    let instructor_id = state
        .data
        .user()
        .ok()
        .flatten()
        .and_then(|u| u.instructor_id)
        .unwrap_or_default();
    let visit = Visit {
        id,
        instructor_id,
        date,
        households: chosen.iter().map(|(id, _)| *id).collect(),
        work,
        note: note.trim().to_owned(),
        position,
        photos: photos.to_vec(),
    };
    let report = visit.validate();
    match report.errors().next() {
        Some(issue) => Err(issue.message.clone()),
        None => Ok(visit),
    }
}
