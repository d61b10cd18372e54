//! Form inputs bound to a field path of the open ledger draft.

use std::collections::BTreeSet;

use dioxus::prelude::*;
use fieldledger_model::Ledger;
use fieldledger_model::choice::Choice;
use fieldledger_model::ledger::Industry;
use serde_json::{Value, json};

use super::FormCtx;
use crate::components::{AmountInput, MultiSelect, SelectInput, TextInput};
use crate::viewmodel::FieldKind;

/// The `(value, label)` options of a form list, valued as serde names them.
pub fn options<T: Choice>() -> Vec<(String, String)> {
    T::ALL
        .iter()
        .map(|c| (serde_name(c), c.label().to_owned()))
        .collect()
}

fn serde_name<T: Choice>(choice: &T) -> String {
    match serde_json::to_value(choice) {
        Ok(Value::String(name)) => name,
        _ => String::new(),
    }
}

/// A text field at `path`.
#[component]
pub fn DraftText(
    path: String,
    label: String,
    #[props(default = FieldKind::Text)] kind: FieldKind,
) -> Element {
    let form = use_context::<FormCtx>();
    let value = form.draft.read().text(&path);
    let (error, warning) = form.messages(&path);
    let (f, p) = (form.clone(), path.clone());
    rsx! {
        TextInput {
            label,
            value,
            error,
            warning,
            oninput: move |text: String| f.set_text(&p, kind, &text),
            onblur: move |_| form.touch(&path),
        }
    }
}

/// A number at `path` with its unit.
#[component]
pub fn DraftNumber(
    path: String,
    label: String,
    unit: String,
    #[props(default = FieldKind::Amount)] kind: FieldKind,
) -> Element {
    let form = use_context::<FormCtx>();
    let value = form.draft.read().text(&path);
    let (error, warning) = form.messages(&path);
    let (f, p) = (form.clone(), path.clone());
    rsx! {
        AmountInput {
            label,
            unit,
            value,
            error,
            warning,
            oninput: move |text: String| f.set_text(&p, kind, &text),
            onblur: move |_| form.touch(&path),
        }
    }
}

/// A single choice at `path` from `options`.
#[component]
pub fn DraftSelect(path: String, label: String, options: Vec<(String, String)>) -> Element {
    let form = use_context::<FormCtx>();
    let value = match form.draft.read().value(&path) {
        Value::String(v) => v,
        _ => String::new(),
    };
    let (error, _) = form.messages(&path);
    rsx! {
        SelectInput {
            label,
            options,
            value,
            error,
            onchange: move |v: String| {
                let value = if v.is_empty() { Value::Null } else { Value::String(v) };
                form.edit(|d| d.set_value(&path, value));
                form.touch(&path);
            },
        }
    }
}

/// Marks the 其他 choice of an industry pick.
const OTHER: &str = "__other";

/// An industry type at `path`: one of the list, or 其他 with its text.
#[component]
pub fn DraftIndustry(path: String, label: String) -> Element {
    let form = use_context::<FormCtx>();
    let current = form.draft.read().value(&path);
    let value = match (&current["listed"], &current["other"]) {
        (Value::String(v), _) => v.clone(),
        (_, Value::String(_)) => OTHER.to_owned(),
        _ => String::new(),
    };
    let mut choices = options::<Industry>();
    choices.push((OTHER.to_owned(), "其他".to_owned()));
    let other_path = format!("{path}.other");
    let (f, p) = (form.clone(), path.clone());
    rsx! {
        SelectInput {
            label,
            options: choices,
            value: value.clone(),
            onchange: move |v: String| {
                let pick = match v.as_str() {
                    "" => Value::Null,
                    OTHER => json!({ "other": "" }),
                    listed => json!({ "listed": listed }),
                };
                f.edit(|d| d.set_value(&p, pick));
            },
        }
        if value == OTHER {
            DraftText { path: other_path, label: "其他产业（请写明）" }
        }
    }
}

/// Reaches a multi-select's options in a ledger.
pub type SetOf<T> = fn(&mut Ledger) -> &mut BTreeSet<T>;

/// Reaches a multi-select's 其他 text in a ledger.
pub type OtherOf = fn(&mut Ledger) -> &mut Option<String>;

/// How a [`DraftMulti`] reaches its options and its 其他 text. Equal
/// whenever compared: a path always comes with the same accessors, and
/// comparing function pointers means nothing.
#[derive(Clone, Copy)]
pub struct Access<T: 'static> {
    pub set: SetOf<T>,
    pub other: Option<OtherOf>,
}

impl<T> PartialEq for Access<T> {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

/// A multi-select at `path`, with 其他 when `access` has it.
#[component]
pub fn DraftMulti<T: Choice>(path: String, label: String, access: Access<T>) -> Element {
    let Access { set, other } = access;
    let form = use_context::<FormCtx>();
    let mut ledger = form.draft.read().ledger.clone();
    let chosen = set(&mut ledger).clone();
    let other_text = other.and_then(|o| o(&mut ledger).clone());
    let shown: Vec<(String, bool)> = T::ALL
        .iter()
        .map(|c| (c.label().to_owned(), chosen.contains(c)))
        .collect();
    let other_path = format!("{path}.other");
    let (error, _) = form.messages(&other_path);
    let (f, g) = (form.clone(), form.clone());
    rsx! {
        MultiSelect {
            label,
            options: shown,
            other: other_text,
            with_other: other.is_some(),
            error,
            ontoggle: move |(i, on): (usize, bool)| {
                let choice = T::ALL[i];
                f.edit(|d| {
                    let options = set(&mut d.ledger);
                    if on { options.insert(choice); } else { options.remove(&choice); }
                });
            },
            onother: move |text: Option<String>| {
                if let Some(other) = other {
                    g.edit(|d| *other(&mut d.ledger) = text);
                }
            },
            onblur: move |_| form.touch(&other_path),
        }
    }
}
