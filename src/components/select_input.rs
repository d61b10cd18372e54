//! A single choice from a list.

use dioxus::prelude::*;

use super::Field;

/// A labelled drop-down. Options are `(value, label)`; the empty value
/// stands for 请选择 (nothing chosen).
#[component]
pub fn SelectInput(
    label: String,
    options: Vec<(String, String)>,
    value: String,
    onchange: EventHandler<String>,
    error: Option<String>,
) -> Element {
    rsx! {
        Field { label: label.clone(), error,
            select {
                aria_label: "{label}",
                onchange: move |e| onchange.call(e.value()),
                option { value: "", selected: value.is_empty(), "请选择" }
                for (v, text) in options {
                    option { key: "{v}", selected: v == value, value: "{v}", "{text}" }
                }
            }
        }
    }
}
