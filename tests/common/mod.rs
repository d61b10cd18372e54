//! Rendering helpers and a data source held in memory, built from model
//! values, for rendering the screens without a device store.

#![allow(dead_code)]

use std::sync::{Arc, Mutex};

use chrono::NaiveDate;
use dioxus::prelude::*;
use fieldledger::data::{AppData, DataError};
use fieldledger::enroll::EnrollLink;
use fieldledger::viewmodel::*;
use fieldledger::{App, AppState};
use fieldledger_model::area::Location;
use fieldledger_model::resident_id::check_char;
use fieldledger_model::tally::{Attachment4, Period};
use fieldledger_model::wire::{Role, UserInfo};
use fieldledger_model::{Household, Ledger, Visit};
use uuid::Uuid;

/// The date the tests pretend it is.
pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 6, 1).unwrap()
}

/// A valid resident ID number from its first seventeen digits.
pub fn id_number(first17: &str) -> String {
    format!("{first17}{}", check_char(first17.as_bytes()))
}

/// Renders the whole app at `route` to HTML.
pub fn render_at(data: Arc<dyn AppData>, route: &str) -> String {
    let state = AppState::new(data).dated(today()).starting_at(route);
    let mut dom = VirtualDom::new(App).with_root_context(state);
    dom.rebuild_in_place();
    dioxus_ssr::render(&dom)
}

/// Households, ledgers and visits held in memory.
#[derive(Default)]
pub struct MemoryData {
    pub user: Option<UserInfo>,
    pub households: Vec<Household>,
    pub ledgers: Vec<Ledger>,
    pub visits: Vec<Visit>,
    pub drafts: Mutex<Vec<LedgerDraft>>,
    pub status: SyncStatus,
    pub township: Option<TownshipView>,
}

impl MemoryData {
    /// `n` households in 青山村, the first headed by 王明.
    pub fn with_households(n: usize) -> Self {
        let households = (0..n)
            .map(|i| Household {
                id: Uuid::from_u128(i as u128 + 1),
                head_name: if i == 0 {
                    "王明".into()
                } else {
                    format!("农户{i}")
                },
                id_number: id_number(&format!("52010219800101{:03}", i % 1000)),
                location: Location {
                    county: "开阳县".into(),
                    township: "南江乡".into(),
                    village: "青山村".into(),
                    group: "一组".into(),
                },
                village_id: None,
                instructor_id: None,
            })
            .collect();
        Self {
            user: Some(UserInfo {
                id: Uuid::from_u128(99),
                name: "张指导".into(),
                role: Role::Instructor,
                area_id: Uuid::from_u128(98),
                instructor_id: Some(Uuid::from_u128(97)),
            }),
            households,
            ..Self::default()
        }
    }

    fn row(&self, h: &Household) -> HouseholdRow {
        HouseholdRow {
            id: h.id,
            head_name: h.head_name.clone(),
            masked_id: h.masked_id(),
            village: h.location.village.clone(),
            last_visit: self
                .visits
                .iter()
                .filter(|v| v.households.contains(&h.id))
                .map(|v| v.date)
                .max(),
            ledger: if self
                .ledgers
                .iter()
                .any(|l| l.household_id == h.id && l.year == 2025)
            {
                LedgerState::Saved
            } else {
                LedgerState::Missing
            },
            sync: SyncState::Pending,
        }
    }
}

impl AppData for MemoryData {
    fn user(&self) -> Result<Option<UserInfo>, DataError> {
        Ok(self.user.clone())
    }

    fn enroll(&self, _link: &EnrollLink) -> Result<(), DataError> {
        Ok(())
    }

    fn households(&self, query: &HouseholdQuery) -> Result<HouseholdPage, DataError> {
        let matching: Vec<&Household> = self
            .households
            .iter()
            .filter(|h| {
                query.text.is_empty()
                    || h.head_name.contains(&query.text)
                    || h.id_number.ends_with(&query.text)
                    || h.location.village.contains(&query.text)
            })
            .collect();
        let rows = matching
            .iter()
            .skip(query.offset)
            .take(query.limit)
            .map(|h| self.row(h))
            .collect();
        Ok(HouseholdPage {
            rows,
            total: matching.len(),
        })
    }

    fn household(&self, id: Uuid) -> Result<HouseholdDetail, DataError> {
        let household = self
            .households
            .iter()
            .find(|h| h.id == id)
            .ok_or(DataError::NotFound)?
            .clone();
        let ledgers = self
            .ledgers
            .iter()
            .filter(|l| l.household_id == id)
            .map(|l| LedgerSummary {
                year: l.year,
                state: LedgerState::Saved,
                sync: SyncState::Synced,
                population: l.basic.population,
                industries: l.intent.industries.labels(),
            })
            .collect();
        let visits = self
            .visits
            .iter()
            .filter(|v| v.households.contains(&id))
            .cloned()
            .collect();
        Ok(HouseholdDetail {
            household,
            sync: SyncState::Synced,
            ledgers,
            visits,
        })
    }

    fn ledger_draft(&self, household: Uuid, year: i32) -> Result<LedgerDraft, DataError> {
        let h = self
            .households
            .iter()
            .find(|h| h.id == household)
            .ok_or(DataError::NotFound)?;
        let ledger = self
            .ledgers
            .iter()
            .find(|l| l.household_id == household && l.year == year)
            .cloned()
            .unwrap_or_else(|| Ledger::new(household, year));
        Ok(LedgerDraft::new(h.clone(), ledger))
    }

    fn save_draft(&self, draft: &LedgerDraft) -> Result<(), DataError> {
        self.drafts.lock().unwrap().push(draft.clone());
        Ok(())
    }

    fn save_ledger(&self, _draft: &LedgerDraft) -> Result<(), DataError> {
        Err(DataError::Unavailable("只读"))
    }

    fn add_photo(&self, _bytes: &[u8]) -> Result<String, DataError> {
        Err(DataError::Unavailable("只读"))
    }

    fn save_visit(&self, _visit: &Visit) -> Result<(), DataError> {
        Err(DataError::Unavailable("只读"))
    }

    fn my_statistics(&self, year: i32) -> Result<Attachment4, DataError> {
        Ok(Attachment4::tally(&self.visits, Period::year(year)))
    }

    fn sync_status(&self) -> Result<SyncStatus, DataError> {
        Ok(self.status.clone())
    }

    fn township(&self) -> Result<Option<TownshipView>, DataError> {
        Ok(self.township.clone())
    }
}
