//! The household list: a search, one page of rows, and each row's state.

use chrono::NaiveDate;
use uuid::Uuid;

/// Rows fetched per page. Twenty rows fill two phone screens, so the list
/// renders at once even when the instructor guides thousands of households.
pub const PAGE_SIZE: usize = 20;

/// What the list asks the store for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HouseholdQuery {
    /// A name, the tail of an ID number, or a village; blank for all.
    pub text: String,
    /// Rows to skip.
    pub offset: usize,
    /// Rows wanted.
    pub limit: usize,
}

impl HouseholdQuery {
    /// The first page of households matching `text`.
    pub fn first_page(text: &str) -> Self {
        Self {
            text: text.trim().to_owned(),
            offset: 0,
            limit: PAGE_SIZE,
        }
    }
}

/// One page of the list.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HouseholdPage {
    pub rows: Vec<HouseholdRow>,
    /// How many households match in all.
    pub total: usize,
}

/// Where this year's ledger of a household stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LedgerState {
    /// No ledger for this year yet.
    Missing,
    /// A form was started and not saved.
    Draft,
    /// Saved on the phone.
    Saved,
}

impl LedgerState {
    /// The state as the list prints it.
    pub fn label(self) -> &'static str {
        match self {
            LedgerState::Missing => "本年度未填",
            LedgerState::Draft => "本年度草稿",
            LedgerState::Saved => "本年度已填",
        }
    }
}

/// Whether a record's latest version has reached the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SyncState {
    Synced,
    Pending,
    Rejected,
    Conflict,
}

impl SyncState {
    /// The badge's text.
    pub fn label(self) -> &'static str {
        match self {
            SyncState::Synced => "已同步",
            SyncState::Pending => "待同步",
            SyncState::Rejected => "被退回",
            SyncState::Conflict => "有冲突",
        }
    }
}

/// One line of the household list. Holds the masked ID only: the full
/// number never reaches the list.
#[derive(Debug, Clone, PartialEq)]
pub struct HouseholdRow {
    pub id: Uuid,
    pub head_name: String,
    pub masked_id: String,
    pub village: String,
    pub last_visit: Option<NaiveDate>,
    pub ledger: LedgerState,
    pub sync: SyncState,
}
