//! A large button: at least 52 px tall, for thumbs and gloves.

use dioxus::prelude::*;

/// How prominent a button is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ButtonKind {
    /// The one main action of a screen.
    #[default]
    Primary,
    Secondary,
    /// Removes something.
    Danger,
}

impl ButtonKind {
    fn class(self) -> &'static str {
        match self {
            ButtonKind::Primary => "btn primary",
            ButtonKind::Secondary => "btn secondary",
            ButtonKind::Danger => "btn danger",
        }
    }
}

/// A button with a text label.
#[component]
pub fn Button(
    label: String,
    onclick: EventHandler<()>,
    #[props(default)] kind: ButtonKind,
    #[props(default)] disabled: bool,
) -> Element {
    rsx! {
        button {
            r#type: "button",
            class: kind.class(),
            disabled,
            onclick: move |_| onclick.call(()),
            "{label}"
        }
    }
}
