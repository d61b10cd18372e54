//! A one-line text field.

use dioxus::prelude::*;

use super::Field;

/// A labelled text input that reports every keystroke and when it is left.
#[component]
pub fn TextInput(
    label: String,
    value: String,
    oninput: EventHandler<String>,
    #[props(default)] onblur: EventHandler<()>,
    error: Option<String>,
    warning: Option<String>,
    #[props(default)] placeholder: String,
) -> Element {
    rsx! {
        Field { label: label.clone(), error, warning,
            input {
                r#type: "text",
                aria_label: "{label}",
                placeholder,
                value,
                oninput: move |e| oninput.call(e.value()),
                onblur: move |_| onblur.call(()),
            }
        }
    }
}
