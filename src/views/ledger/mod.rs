//! The ledger form (Attachment 5), sections A–H. Every change is kept as a
//! draft at once; messages appear at a field once the user leaves it, and
//! at every field after a save attempt.

mod bind;
mod form;
mod general;
mod labour;
mod links;
mod participation;

use dioxus::prelude::*;
use uuid::Uuid;

use super::ErrorNotice;
use crate::components::Button;
use crate::{AppState, Route};
pub use form::FormCtx;

/// The ledger route: `household`'s ledger for `year`.
#[component]
pub fn LedgerForm(id: Uuid, year: i32) -> Element {
    let state = use_context::<AppState>();
    match state.data.ledger_draft(id, year) {
        Ok(draft) => rsx! { LedgerEditor { key: "{id}-{year}", draft } },
        Err(e) => rsx! { ErrorNotice { message: e.to_string() } },
    }
}

#[component]
fn LedgerEditor(draft: crate::viewmodel::LedgerDraft) -> Element {
    let state = use_context::<AppState>();
    let form = use_context_provider(|| FormCtx::new(draft, state.data.clone()));
    let nav = use_navigator();
    let year = form.draft.read().ledger.year;
    let household = form.draft.read().household.id;
    let problems = form.problems();

    let saving = form.clone();
    let save = move |_| {
        if let Ok(()) = saving.save() {
            nav.push(Route::HouseholdPage { id: household });
        }
    };

    rsx! {
        section { class: "screen",
            h1 { "贫困户产业发展台账" }
            p { class: "muted", "{year}年度 · 填写内容随时自动保存为草稿" }
            general::Location {}
            general::Basic {}
            general::Resources {}
            labour::Labour {}
            general::Intent {}
            general::Income {}
            participation::Participation {}
            links::BenefitLinks {}
            links::Sales {}
            if let Some(text) = problems {
                div { class: "notice bad", role: "alert", "{text}" }
            }
            if let Some(text) = form.error.read().clone() {
                div { class: "notice bad", role: "alert", "{text}" }
            }
            Button { label: "保存台账", onclick: save }
        }
    }
}
