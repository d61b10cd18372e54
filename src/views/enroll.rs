//! First start: the server address, enrollment code and certificate
//! fingerprint, typed in or pasted from the county office's QR code.
//! Enrolling needs the network; the form can be left to work offline.

use dioxus::prelude::*;

use crate::AppState;
use crate::components::{Button, ButtonKind, TextInput};
use crate::enroll::{EnrollError, EnrollLink};

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

/// The enrollment form; `ondone` runs once the phone is enrolled, or when
/// the user goes on offline.
#[component]
pub fn EnrollForm(ondone: EventHandler<()>) -> Element {
    let state = use_context::<AppState>();
    let mut server = use_signal(String::new);
    let mut code = use_signal(String::new);
    let mut fingerprint = use_signal(String::new);
    let mut pasted = use_signal(String::new);
    let mut message = use_signal(|| None::<String>);
    let mut busy = use_signal(|| false);

    let submit = use_callback(move |link: Result<EnrollLink, EnrollError>| {
        let link = match link {
            Ok(link) => link,
            Err(why) => return message.set(Some(why.to_string())),
        };
        let pending = state.data.enroll(&link);
        busy.set(true);
        message.set(None);
        spawn(async move {
            let outcome = pending.await;
            busy.set(false);
            match outcome {
                Ok(_) => ondone.call(()),
                Err(why) => message.set(Some(why.to_string())),
            }
        });
    });
    let typed = move |_| {
        let link = EnrollLink::from_fields(&server.read(), &code.read())
            .map(|l| l.with_fingerprint(&fingerprint.read()));
        submit(link)
    };

    rsx! {
        section { class: "screen",
            h1 { "产业指导员台账" }
            p { "首次使用，请填写县联络办公室提供的服务器地址、注册码和证书指纹，或粘贴二维码内容。注册需要联网。" }
            TextInput {
                label: "服务器地址",
                placeholder: "https://",
                value: server(),
                oninput: move |v| server.set(v),
            }
            TextInput { label: "注册码", value: code(), oninput: move |v| code.set(v) }
            TextInput {
                label: "证书指纹（64位十六进制）",
                value: fingerprint(),
                oninput: move |v| fingerprint.set(v),
            }
            Button { label: if busy() { "正在注册…".to_owned() } else { "注册".to_owned() }, onclick: typed }
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
            p { class: "muted", "暂时无法联网？可以先离线查看和填写，联网后再注册；注册后，之前保存的记录会自动上传。" }
            Button {
                label: "暂不注册，先离线使用",
                kind: ButtonKind::Secondary,
                onclick: move |_| ondone.call(()),
            }
        }
    }
}
