//! Reading and writing one record's row, whatever its kind: the JSON body,
//! the schema version, the local head and the indexed columns each kind
//! needs for lists, search and the tally.

use fieldledger_model::wire::{Record, RecordKind};
use fieldledger_model::{Household, Ledger, SCHEMA_VERSION, Visit};
use rusqlite::{Connection, OptionalExtension, params};
use uuid::Uuid;

use super::error::{Result, StoreError};
use super::migrations::reversed;
use super::sql::{opt_uuid, parse_uuid};

/// A record as this phone holds it.
#[derive(Debug, Clone)]
pub(crate) struct Local {
    /// The op id of the latest local version, if the record has one.
    pub head: Option<Uuid>,
    pub record: Record,
}

/// The table a kind of record lives in.
fn table(kind: RecordKind) -> &'static str {
    match kind {
        RecordKind::Household => "households",
        RecordKind::Ledger => "ledgers",
        RecordKind::Visit => "visits",
        RecordKind::Area | RecordKind::Instructor => "directory",
    }
}

/// The record `id` of `kind`, with its head.
pub(crate) fn load(conn: &Connection, kind: RecordKind, id: Uuid) -> Result<Option<Local>> {
    let sql = format!("SELECT head, body FROM {} WHERE id = ?1", table(kind));
    let row: Option<(Option<String>, String)> = conn
        .query_row(&sql, [id.to_string()], |row| Ok((row.get(0)?, row.get(1)?)))
        .optional()?;
    let Some((head, body)) = row else {
        return Ok(None);
    };

    Ok(Some(Local {
        head: opt_uuid(head)?,
        record: decode(kind, &body)?,
    }))
}

/// The local head of record `id` of `kind`; `None` when the record is new.
pub(crate) fn head(conn: &Connection, kind: RecordKind, id: Uuid) -> Result<Option<Uuid>> {
    let sql = format!("SELECT head FROM {} WHERE id = ?1", table(kind));
    let head: Option<Option<String>> = conn
        .query_row(&sql, [id.to_string()], |row| row.get(0))
        .optional()?;

    opt_uuid(head.flatten())
}

/// A record from its stored JSON.
pub(crate) fn decode(kind: RecordKind, body: &str) -> Result<Record> {
    Ok(match kind {
        RecordKind::Household => Record::Household(serde_json::from_str(body)?),
        RecordKind::Ledger => Record::Ledger(serde_json::from_str(body)?),
        RecordKind::Visit => Record::Visit(serde_json::from_str(body)?),
        RecordKind::Area => Record::Area(serde_json::from_str(body)?),
        RecordKind::Instructor => Record::Instructor(serde_json::from_str(body)?),
    })
}

/// Writes `record` as the local version, with `head` as its head.
pub(crate) fn write(conn: &Connection, record: &Record, head: Option<Uuid>) -> Result<()> {
    let head = head.map(|h| h.to_string());
    match record {
        Record::Household(h) => write_household(conn, h, head),
        Record::Ledger(l) => write_ledger(conn, l, head),
        Record::Visit(v) => write_visit(conn, v, head),
        Record::Area(a) => {
            write_directory(conn, record.kind(), a.id, &serde_json::to_string(a)?, head)
        }
        Record::Instructor(i) => {
            write_directory(conn, record.kind(), i.id, &serde_json::to_string(i)?, head)
        }
    }
}

fn write_household(conn: &Connection, h: &Household, head: Option<String>) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO households (id, schema, head, body, head_name, village, masked_id, id_rev)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
         ON CONFLICT(id) DO UPDATE SET schema = ?2, head = ?3, body = ?4, head_name = ?5,
             village = ?6, masked_id = ?7, id_rev = ?8",
    )?
    .execute(params![
        h.id.to_string(),
        SCHEMA_VERSION,
        head,
        serde_json::to_string(h)?,
        h.head_name,
        h.location.village,
        h.masked_id(),
        reversed(&h.id_number),
    ])?;

    Ok(())
}

fn write_ledger(conn: &Connection, l: &Ledger, head: Option<String>) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO ledgers (id, schema, head, body, household_id, year)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT(id) DO UPDATE SET schema = ?2, head = ?3, body = ?4, household_id = ?5,
             year = ?6",
    )?
    .execute(params![
        l.id.to_string(),
        SCHEMA_VERSION,
        head,
        serde_json::to_string(l)?,
        l.household_id.to_string(),
        l.year,
    ])?;

    Ok(())
}

/// The four household-counted items of a visit as the `flags` bits.
pub(crate) fn household_flags(visit: &Visit) -> i64 {
    let w = &visit.work;
    [
        w.industry_choice,
        w.project_support,
        w.sales_help,
        w.benefit_link,
    ]
    .iter()
    .enumerate()
    .filter(|(_, on)| **on)
    .map(|(bit, _)| 1 << bit)
    .sum()
}

fn write_visit(conn: &Connection, v: &Visit, head: Option<String>) -> Result<()> {
    let id = v.id.to_string();
    let date = v.date.to_string();
    let w = &v.work;
    conn.prepare_cached(
        "INSERT INTO visits (id, schema, head, body, instructor_id, date, policy, trained, tech,
             problems, funds, sold, coop)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)
         ON CONFLICT(id) DO UPDATE SET schema = ?2, head = ?3, body = ?4, instructor_id = ?5,
             date = ?6, policy = ?7, trained = ?8, tech = ?9, problems = ?10, funds = ?11,
             sold = ?12, coop = ?13",
    )?
    .execute(params![
        id,
        SCHEMA_VERSION,
        head,
        serde_json::to_string(v)?,
        v.instructor_id.to_string(),
        date,
        w.policy_talks,
        w.trained_people,
        w.tech_guidance,
        w.problems_solved,
        w.funds.hundredths(),
        w.sales_income.hundredths(),
        w.coop_members,
    ])?;
    conn.prepare_cached("DELETE FROM visit_households WHERE visit_id = ?1")?
        .execute([&id])?;
    let mut link = conn.prepare_cached(
        "INSERT OR IGNORE INTO visit_households (visit_id, household_id, date, instructor_id, flags)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    let instructor = v.instructor_id.to_string();
    for household in &v.households {
        link.execute(params![
            id,
            household.to_string(),
            date,
            instructor,
            household_flags(v)
        ])?;
    }

    Ok(())
}

fn write_directory(
    conn: &Connection,
    kind: RecordKind,
    id: Uuid,
    body: &str,
    head: Option<String>,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO directory (id, kind, schema, head, body) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT(id) DO UPDATE SET kind = ?2, schema = ?3, head = ?4, body = ?5",
    )?
    .execute(params![
        id.to_string(),
        kind.as_str(),
        SCHEMA_VERSION,
        head,
        body
    ])?;

    Ok(())
}

/// Reads a kind from its stored name.
pub(crate) fn kind_from_str(text: &str) -> Result<RecordKind> {
    serde_json::from_value(serde_json::Value::String(text.to_owned())).map_err(|_| {
        StoreError::Corrupt {
            what: format!("record kind {text}"),
        }
    })
}

/// True when household `id` is on this phone.
pub(crate) fn household_exists(conn: &Connection, id: Uuid) -> Result<bool> {
    let found: Option<i64> = conn
        .prepare_cached("SELECT 1 FROM households WHERE id = ?1")?
        .query_row([id.to_string()], |row| row.get(0))
        .optional()?;

    Ok(found.is_some())
}

/// Reads a uuid column that must hold one.
pub(crate) fn uuid_at(row: &rusqlite::Row<'_>, index: usize) -> rusqlite::Result<Uuid> {
    let text: String = row.get(index)?;
    parse_uuid(&text)
}
