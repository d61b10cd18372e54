//! A labelled form field with its error or warning shown right under it.

use dioxus::prelude::*;

/// Wraps one input: the label above, the message below.
#[component]
pub fn Field(
    label: String,
    error: Option<String>,
    warning: Option<String>,
    children: Element,
) -> Element {
    let class = if error.is_some() {
        "field invalid"
    } else {
        "field"
    };
    rsx! {
        div { class,
            label { "{label}" }
            {children}
            if let Some(error) = error {
                div { class: "error", role: "alert", "{error}" }
            }
            if let Some(warning) = warning {
                div { class: "warning", "{warning}" }
            }
        }
    }
}
