//! A resident ID number as lists show it, middle digits hidden.

use dioxus::prelude::*;

/// Shows an already masked number, e.g. `5201**********123X`. Taking the
/// masked text, not the number, keeps the full number out of the list's
/// props and DOM.
#[component]
pub fn MaskedId(masked: String) -> Element {
    rsx! {
        span { class: "idno", aria_label: "身份证号（中间已隐藏）", "{masked}" }
    }
}
