//! A tickable option drawn as a large chip.

use dioxus::prelude::*;

/// One labelled checkbox.
#[component]
pub fn Checkbox(label: String, checked: bool, onchange: EventHandler<bool>) -> Element {
    let class = if checked { "choice on" } else { "choice" };
    rsx! {
        label { class,
            input {
                r#type: "checkbox",
                checked,
                onchange: move |e| onchange.call(e.checked()),
            }
            "{label}"
        }
    }
}
