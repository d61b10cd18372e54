//! The screens, one per file; each reads [`crate::AppState`] and renders
//! view-models.

mod enroll;
mod household;
mod household_row;
mod households;
mod ledger;
mod new_household;
mod notice;
mod shell;
mod stats;
mod sync;
mod township;
mod visit;

pub use enroll::{Enroll, EnrollForm};
pub use household::{HouseholdPage, HouseholdView};
pub use household_row::HouseholdRowItem;
pub use households::{HouseholdList, Households};
pub use ledger::LedgerForm;
pub use new_household::NewHousehold;
pub use notice::ErrorNotice;
pub use shell::Shell;
pub use stats::{Attachment4Table, MyStats};
pub use sync::{SyncScreen, SyncView};
pub use township::{Township, TownshipPanel};
pub use visit::{VisitFor, VisitLog};
