//! The frame around the screens: the current screen and the tab bar.
//! Shows enrollment first on a phone that was never enrolled.

use dioxus::prelude::*;
use fieldledger_model::wire::Role;

use super::{EnrollForm, ErrorNotice};
use crate::components::TabBar;
use crate::{AppState, Route, use_changes};

/// The layout of every screen but enrollment.
#[component]
pub fn Shell() -> Element {
    let state = use_context::<AppState>();
    let mut skipped = use_signal(|| false);
    use_changes();
    let user = match state.data.user() {
        Ok(user) => user,
        Err(e) => return rsx! { ErrorNotice { message: e.to_string() } },
    };
    if user.is_none() && !skipped() {
        return rsx! {
            EnrollForm { ondone: move |_| skipped.set(true) }
        };
    }
    let liaison = user.is_some_and(|u| u.role == Role::Liaison);

    rsx! {
        main { Outlet::<Route> {} }
        TabBar { liaison }
    }
}
