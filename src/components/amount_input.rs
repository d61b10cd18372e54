//! A number with its unit (亩, 元, 头, 羽, 公斤, 人) printed beside it.

use dioxus::prelude::*;

use super::Field;

/// A labelled numeric input; the phone shows its number keyboard.
#[component]
pub fn AmountInput(
    label: String,
    unit: String,
    value: String,
    oninput: EventHandler<String>,
    #[props(default)] onblur: EventHandler<()>,
    error: Option<String>,
    warning: Option<String>,
) -> Element {
    rsx! {
        Field { label: label.clone(), error, warning,
            div { class: "amount",
                input {
                    r#type: "text",
                    inputmode: "decimal",
                    aria_label: "{label}",
                    value,
                    oninput: move |e| oninput.call(e.value()),
                    onblur: move |_| onblur.call(()),
                }
                span { class: "unit", "{unit}" }
            }
        }
    }
}
