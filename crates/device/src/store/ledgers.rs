//! Ledgers (Attachment 5): one per household per year.

use fieldledger_model::Ledger;
use fieldledger_model::wire::RecordKind;
use rusqlite::{OptionalExtension, params};
use uuid::Uuid;

use super::Store;
use super::error::{Result, StoreError};
use super::sql::{count, json_at};

impl Store {
    /// The household's ledger for `year`, if there is one.
    pub fn ledger(&self, household: Uuid, year: i32) -> Result<Option<Ledger>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT body FROM ledgers WHERE household_id = ?1 AND year = ?2 ORDER BY id LIMIT 1",
        )?;

        Ok(stmt
            .query_row(params![household.to_string(), year], |r| json_at(r, 0))
            .optional()?)
    }

    /// Every ledger of the household, oldest year first.
    pub fn ledgers_of(&self, household: Uuid) -> Result<Vec<Ledger>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT body FROM ledgers WHERE household_id = ?1 ORDER BY year, id")?;
        let rows = stmt.query_map([household.to_string()], |r| json_at(r, 0))?;

        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// How many ledgers this phone holds.
    pub fn ledger_count(&self) -> Result<u64> {
        count(&self.conn, "SELECT count(*) FROM ledgers")
    }

    /// Starts the household's ledger for `year + 1` from its ledger for
    /// `year` ([`Ledger::carried_forward`]) and saves it with its op.
    pub fn start_next_year(&mut self, household: Uuid, year: i32) -> Result<Ledger> {
        let current = self.ledger(household, year)?.ok_or(StoreError::NotFound {
            kind: RecordKind::Ledger,
            id: household,
        })?;
        let next = current.carried_forward();
        self.save_ledger(&next)?;

        Ok(next)
    }
}
