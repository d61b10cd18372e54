//! Small building blocks shared by the screens, one per file.

mod amount_input;
mod bar_chart;
mod button;
mod checkbox;
mod field;
mod masked_id;
mod multi_select;
mod row_editor;
mod select_input;
mod sync_badge;
mod tab_bar;
mod text_input;

pub use amount_input::AmountInput;
pub use bar_chart::BarChart;
pub use button::{Button, ButtonKind};
pub use checkbox::Checkbox;
pub use field::Field;
pub use masked_id::MaskedId;
pub use multi_select::MultiSelect;
pub use row_editor::RowEditor;
pub use select_input::SelectInput;
pub use sync_badge::SyncBadge;
pub use tab_bar::TabBar;
pub use text_input::TextInput;
