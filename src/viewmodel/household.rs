//! One household's page: the household, its yearly ledgers, its visits.

use fieldledger_model::{Household, Visit};

use super::{LedgerState, SyncState};

/// One year's ledger as the household page lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct LedgerSummary {
    pub year: i32,
    pub state: LedgerState,
    pub sync: SyncState,
    /// 人口数（人）, when filled.
    pub population: Option<u32>,
    /// The chosen 意向发展产业 labels.
    pub industries: Vec<String>,
}

/// Everything the household page shows.
#[derive(Debug, Clone, PartialEq)]
pub struct HouseholdDetail {
    pub household: Household,
    pub sync: SyncState,
    /// Newest year first.
    pub ledgers: Vec<LedgerSummary>,
    /// Newest first.
    pub visits: Vec<Visit>,
}

impl HouseholdDetail {
    /// The ledger of `year`, if any.
    pub fn ledger(&self, year: i32) -> Option<&LedgerSummary> {
        self.ledgers.iter().find(|l| l.year == year)
    }

    /// The year after the newest ledger: what 开始填写下一年度台账 opens.
    pub fn next_year(&self, this_year: i32) -> i32 {
        self.ledgers
            .iter()
            .map(|l| l.year + 1)
            .max()
            .unwrap_or(this_year)
    }
}
