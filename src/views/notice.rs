//! A data error shown in place of a screen's content.

use dioxus::prelude::*;

/// The error's message for users, in a red-edged box.
#[component]
pub fn ErrorNotice(message: String) -> Element {
    rsx! {
        div { class: "notice bad", role: "alert", "{message}" }
    }
}
