//! The screens' addresses.

use dioxus::prelude::*;
use uuid::Uuid;

use crate::views::{
    Enroll, HouseholdPage, Households, LedgerForm, MyStats, NewHousehold, Shell, SyncScreen,
    Township, VisitFor, VisitLog,
};

/// Every screen of the app. All but enrollment sit in the [`Shell`] with
/// its bottom tab bar.
#[derive(Routable, Clone, PartialEq, Debug)]
#[rustfmt::skip]
pub enum Route {
    #[layout(Shell)]
        #[route("/")]
        Households {},
        #[route("/households/new")]
        NewHousehold {},
        #[route("/households/:id")]
        HouseholdPage { id: Uuid },
        #[route("/households/:id/ledger/:year")]
        LedgerForm { id: Uuid, year: i32 },
        #[route("/visit")]
        VisitLog {},
        #[route("/visit/:household")]
        VisitFor { household: Uuid },
        #[route("/stats")]
        MyStats {},
        #[route("/sync")]
        SyncScreen {},
        #[route("/township")]
        Township {},
    #[end_layout]
    #[route("/enroll")]
    Enroll {},
}
