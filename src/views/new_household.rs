//! 新增贫困户: a household not yet on this phone. The instructor types its
//! place, the head's name and resident ID number; once these pass the
//! household rules the ledger form opens with them, and the household is
//! saved together with its first ledger.

use std::collections::BTreeSet;

use dioxus::prelude::*;
use fieldledger_model::validate::Validate;
use fieldledger_model::{Household, Ledger, id::new_id};

use crate::components::{Button, TextInput};
use crate::viewmodel::LedgerDraft;
use crate::{AppState, Route};

/// The fields of the screen: the household path each fills, and its label
/// as the ledger form words it.
const FIELDS: [(&str, &str); 6] = [
    ("location.county", "县（市、区、特区）"),
    ("location.township", "乡（镇、社区）"),
    ("location.village", "村"),
    ("location.group", "村民组"),
    ("head_name", "贫困户户主姓名"),
    ("id_number", "身份证号"),
];

/// The 新增贫困户 route.
#[component]
pub fn NewHousehold() -> Element {
    let state = use_context::<AppState>();
    let id = use_hook(new_id);
    let mut household = use_signal(|| Household {
        id,
        head_name: String::new(),
        id_number: String::new(),
        location: Default::default(),
        village_id: None,
        instructor_id: state
            .data
            .user()
            .ok()
            .flatten()
            .and_then(|u| u.instructor_id),
    });
    let mut touched = use_signal(BTreeSet::<&'static str>::new);
    let mut tried = use_signal(|| false);
    let mut failure = use_signal(|| None::<String>);
    let nav = use_navigator();

    let report = household.read().validate();
    let message = move |path: &'static str| {
        let shown = tried() || touched.read().contains(path);
        shown
            .then(|| report.at(path).next().map(|i| i.message.clone()))
            .flatten()
    };
    let next = move |_| {
        tried.set(true);
        match start_ledger(&state, &household.read()) {
            Ok(Some(year)) => {
                nav.push(Route::LedgerForm { id, year });
            }
            Ok(None) => {}
            Err(why) => failure.set(Some(why)),
        }
    };

    rsx! {
        section { class: "screen",
            h1 { "新增贫困户" }
            p { class: "muted", "填写位置、户主姓名和身份证号后，接着填写本年度台账。" }
            for (path, label) in FIELDS {
                TextInput {
                    key: "{path}",
                    label,
                    value: text_of(&household.read(), path),
                    error: message(path),
                    oninput: move |text: String| set_text(&mut household.write(), path, text),
                    onblur: move |_| { touched.write().insert(path); },
                }
            }
            if let Some(why) = failure() {
                div { class: "notice bad", role: "alert", "{why}" }
            }
            Button { label: "下一步：填写台账", onclick: next }
        }
    }
}

/// The text of `household` at one of the [`FIELDS`].
fn text_of(household: &Household, path: &str) -> String {
    let location = &household.location;
    match path {
        "location.county" => location.county.clone(),
        "location.township" => location.township.clone(),
        "location.village" => location.village.clone(),
        "location.group" => location.group.clone(),
        "head_name" => household.head_name.clone(),
        _ => household.id_number.clone(),
    }
}

/// Takes what was typed at one of the [`FIELDS`].
fn set_text(household: &mut Household, path: &str, text: String) {
    let location = &mut household.location;
    let slot = match path {
        "location.county" => &mut location.county,
        "location.township" => &mut location.township,
        "location.village" => &mut location.village,
        "location.group" => &mut location.group,
        "head_name" => &mut household.head_name,
        _ => &mut household.id_number,
    };
    *slot = text;
}

/// Keeps the household as the draft of this year's ledger, when it passes
/// the household rules; the year to open, `None` while fields need fixing.
fn start_ledger(state: &AppState, household: &Household) -> Result<Option<i32>, String> {
    if household.validate().has_errors() {
        return Ok(None);
    }
    let mut household = household.clone();
    household.normalise();
    let year = state.year();
    let draft = LedgerDraft::new(household.clone(), Ledger::new(household.id, year));
    state.data.save_draft(&draft).map_err(|e| e.to_string())?;

    Ok(Some(year))
}
