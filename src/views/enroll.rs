//! First start: the server address and enrollment code, typed in or
//! pasted from the county office's QR code.

use dioxus::prelude::*;

use crate::AppState;
use crate::components::{Button, ButtonKind, TextInput};
use crate::enroll::EnrollLink;

/// The enrollment screen as its own route.
#[component]
pub fn Enroll() -> Element {
    let nav = use_navigator();
    rsx! {
        EnrollForm {
            ondone: move |_| {
                nav.push(crate::Route::Households {});
            },
        }
    }
}

/// The enrollment form; `ondone` runs once the link is stored, or when
/// the user goes on offline.
#[component]
pub fn EnrollForm(ondone: EventHandler<()>) -> Element {
    let state = use_context::<AppState>();
    let mut server = use_signal(String::new);
    let mut code = use_signal(String::new);
    let mut pasted = use_signal(String::new);
    let mut message = use_signal(|| None::<String>);
    let mut saved = use_signal(|| false);

    let submit = use_callback(
        move |link: Result<EnrollLink, crate::enroll::EnrollError>| {
            let outcome = link
                .map_err(|e| e.to_string())
                .and_then(|link| state.data.enroll(&link).map_err(|e| e.to_string()));
            match outcome {
                Ok(()) => saved.set(true),
                Err(why) => message.set(Some(why)),
            }
        },
    );

    rsx! {
        section { class: "screen",
            h1 { "产业指导员台账" }
            p { "首次使用，请填写县联络办公室提供的服务器地址和注册码，或粘贴二维码内容。" }
            if saved() {
                div { class: "notice", role: "status",
                    "注册信息已保存。联网后将自动完成注册，之前可先离线填写。"
                }
                Button { label: "开始使用", onclick: move |_| ondone.call(()) }
            } else {
                TextInput {
                    label: "服务器地址",
                    placeholder: "https://",
                    value: server(),
                    oninput: move |v| server.set(v),
                }
                TextInput { label: "注册码", value: code(), oninput: move |v| code.set(v) }
                Button {
                    label: "注册",
                    onclick: move |_| submit(EnrollLink::from_fields(&server.read(), &code.read())),
                }
                TextInput {
                    label: "或粘贴二维码内容",
                    placeholder: "fieldledger://enroll?…",
                    value: pasted(),
                    oninput: move |v| pasted.set(v),
                }
                Button {
                    label: "用二维码内容注册",
                    kind: ButtonKind::Secondary,
                    onclick: move |_| submit(EnrollLink::parse(&pasted.read())),
                }
                if let Some(why) = message() {
                    div { class: "notice bad", role: "alert", "{why}" }
                }
            }
        }
    }
}
