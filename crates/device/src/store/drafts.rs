//! Drafts: half-filled forms kept as the user types, so that they are there
//! after the app is killed. The form calls [`Store::save_draft`] on every
//! change, so a draft write is one small upsert committed with
//! `synchronous = NORMAL`: in WAL mode that survives the app being killed
//! (the write is in the operating system's hands when it returns) and only
//! a power loss in the next moment can undo it. Saved records keep the full
//! durable commit.

use rusqlite::{OptionalExtension, params};
use uuid::Uuid;

use super::Store;
use super::error::Result;
use super::sql::now_ms;

/// The start of every ledger draft key; the household list looks drafts up
/// by it.
pub(crate) const LEDGER_PREFIX: &str = "ledger/";

/// The draft key of a household's ledger form for `year`.
pub fn ledger_draft_key(household: Uuid, year: i32) -> String {
    format!("{LEDGER_PREFIX}{household}/{year}")
}

impl Store {
    /// Keeps `json` as the draft under `key`, replacing the previous one.
    pub fn save_draft(&mut self, key: &str, json: &str) -> Result<()> {
        self.conn.pragma_update(None, "synchronous", "NORMAL")?;
        let written = self
            .conn
            .prepare_cached(
                "INSERT INTO drafts (key, body, updated_at) VALUES (?1, ?2, ?3)
                 ON CONFLICT(key) DO UPDATE SET body = ?2, updated_at = ?3",
            )
            .and_then(|mut stmt| stmt.execute(params![key, json, now_ms()]));
        self.conn.pragma_update(None, "synchronous", "FULL")?;
        written?;

        Ok(())
    }

    /// The draft under `key`, if there is one.
    pub fn draft(&self, key: &str) -> Result<Option<String>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT body FROM drafts WHERE key = ?1")?;

        Ok(stmt.query_row([key], |row| row.get(0)).optional()?)
    }

    /// Forgets the draft under `key`; the form calls it once the record is
    /// saved or the user throws the draft away.
    pub fn discard_draft(&mut self, key: &str) -> Result<()> {
        self.conn
            .prepare_cached("DELETE FROM drafts WHERE key = ?1")?
            .execute([key])?;
        Ok(())
    }
}
