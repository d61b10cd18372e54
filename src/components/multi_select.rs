//! A multi-select of a form's option list, with 其他 and its own text.

use dioxus::prelude::*;

use super::{Checkbox, Field};

/// The options as chips; ticking 其他 opens a text field for what it is.
/// `other` is `None` while 其他 is not ticked.
#[component]
pub fn MultiSelect(
    label: String,
    options: Vec<(String, bool)>,
    other: Option<String>,
    ontoggle: EventHandler<(usize, bool)>,
    onother: EventHandler<Option<String>>,
    #[props(default)] onblur: EventHandler<()>,
    error: Option<String>,
    #[props(default = true)] with_other: bool,
) -> Element {
    let other_on = other.is_some();
    rsx! {
        Field { label: label.clone(), error,
            div { class: "choices", role: "group", aria_label: "{label}",
                for (i, (option, on)) in options.into_iter().enumerate() {
                    Checkbox {
                        key: "{option}",
                        label: option,
                        checked: on,
                        onchange: move |on| ontoggle.call((i, on)),
                    }
                }
                if with_other {
                    Checkbox {
                        label: "其他",
                        checked: other_on,
                        onchange: move |on: bool| onother.call(on.then(String::new)),
                    }
                }
            }
            if let Some(text) = other {
                input {
                    r#type: "text",
                    aria_label: "其他（请写明）",
                    placeholder: "其他（请写明）",
                    value: text,
                    oninput: move |e| onother.call(Some(e.value())),
                    onblur: move |_| onblur.call(()),
                }
            }
        }
    }
}
