//! The household list and its search.
//!
//! One search box finds a household by the head's name (any part of it),
//! the last digits of the ID number, or the village. Text made only of
//! digits and `X` is taken as an ID tail and found through an index on the
//! reversed number; other text is matched against names and villages, a scan
//! of short indexed columns. Rows come sorted by village, then name.

use chrono::NaiveDate;
use fieldledger_model::Household;
use rusqlite::{OptionalExtension, params};
use uuid::Uuid;

use super::error::Result;
use super::migrations::reversed;
use super::records::uuid_at;
use super::sql::{count, json_at};
use super::{Store, drafts};

/// What the household list asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HouseholdQuery {
    /// The search box; blank lists everyone.
    pub text: String,
    /// The year whose ledger state the rows show.
    pub year: i32,
    pub offset: u32,
    pub limit: u32,
}

/// Rows in one page of the list when the caller does not say.
const DEFAULT_PAGE: u32 = 50;

impl HouseholdQuery {
    /// The first page for `text`, showing this year's ledgers.
    pub fn new(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            year: super::this_year(),
            offset: 0,
            limit: DEFAULT_PAGE,
        }
    }
}

/// Where a household's ledger for the year stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LedgerState {
    None,
    /// A half-filled form is kept in the drafts.
    Draft,
    Saved,
}

/// One line of the household list. The ID number appears only masked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HouseholdRow {
    pub id: Uuid,
    pub head_name: String,
    pub masked_id: String,
    pub village: String,
    pub last_visit: Option<NaiveDate>,
    pub ledger: LedgerState,
    /// Ops about this household waiting to be sent.
    pub pending: u32,
    /// Ops about this household the server refused.
    pub rejected: u32,
    /// True while a record of this household has two versions to reconcile.
    pub conflict: bool,
}

/// The page's ids are found first; the columns that need lookups are then
/// computed for those rows only.
const PAGE_SQL: &str = "
WITH page AS (
    SELECT id, head_name, masked_id, village FROM households
    WHERE {filter}
    ORDER BY village, head_name, id LIMIT ?2 OFFSET ?3
)
SELECT p.id, p.head_name, p.masked_id, p.village,
    (SELECT max(date) FROM visit_households v WHERE v.household_id = p.id),
    EXISTS (SELECT 1 FROM ledgers l WHERE l.household_id = p.id AND l.year = ?4),
    EXISTS (SELECT 1 FROM drafts d WHERE d.key = ?5 || p.id || '/' || ?4),
    (SELECT count(*) FILTER (WHERE o.rejected_code IS NULL)
        FROM outbox_households oh JOIN outbox o ON o.seq = oh.seq WHERE oh.household_id = p.id),
    (SELECT count(*) FILTER (WHERE o.rejected_code IS NOT NULL)
        FROM outbox_households oh JOIN outbox o ON o.seq = oh.seq WHERE oh.household_id = p.id),
    EXISTS (SELECT 1 FROM conflict_households c WHERE c.household_id = p.id)
FROM page p ORDER BY p.village, p.head_name, p.id";

/// How the search text is matched.
fn filter(text: &str) -> (&'static str, String) {
    let text = text.trim();
    if text.is_empty() {
        ("?1 = ''", String::new())
    } else if text
        .chars()
        .all(|c| c.is_ascii_digit() || c == 'x' || c == 'X')
    {
        ("id_rev >= ?1 AND id_rev < ?1 || '~'", reversed(text))
    } else {
        (
            "head_name LIKE '%' || ?1 || '%' ESCAPE '\\' OR village LIKE '%' || ?1 || '%' ESCAPE '\\'",
            escape_like(text),
        )
    }
}

/// Makes `%`, `_` and `\` in user text match themselves.
fn escape_like(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<HouseholdRow> {
    let last: Option<String> = r.get(4)?;
    let ledger = match (r.get::<_, bool>(5)?, r.get::<_, bool>(6)?) {
        (true, _) => LedgerState::Saved,
        (false, true) => LedgerState::Draft,
        (false, false) => LedgerState::None,
    };

    Ok(HouseholdRow {
        id: uuid_at(r, 0)?,
        head_name: r.get(1)?,
        masked_id: r.get(2)?,
        village: r.get(3)?,
        last_visit: last.and_then(|d| d.parse().ok()),
        ledger,
        pending: r.get(7)?,
        rejected: r.get(8)?,
        conflict: r.get(9)?,
    })
}

impl Store {
    /// One page of the household list, filtered by the query's text.
    pub fn households(&self, query: &HouseholdQuery) -> Result<Vec<HouseholdRow>> {
        let (clause, param) = filter(&query.text);
        let sql = PAGE_SQL.replace("{filter}", clause);
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(
            params![
                param,
                query.limit,
                query.offset,
                query.year,
                drafts::LEDGER_PREFIX
            ],
            row,
        )?;

        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The household `id`, if this phone holds it.
    pub fn household(&self, id: Uuid) -> Result<Option<Household>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT body FROM households WHERE id = ?1")?;

        Ok(stmt
            .query_row([id.to_string()], |r| json_at(r, 0))
            .optional()?)
    }

    /// How many households this phone holds.
    pub fn household_count(&self) -> Result<u64> {
        count(&self.conn, "SELECT count(*) FROM households")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_classified() {
        assert_eq!(filter("  ").1, "");
        assert_eq!(filter("002x").1, "X200");
        assert!(filter("002x").0.contains("id_rev"));
        assert!(filter("张").0.contains("head_name"));
        assert_eq!(escape_like("50%_\\"), "50\\%\\_\\\\");
    }
}
