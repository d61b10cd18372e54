//! Reading and writing record versions, shared by sync and administration.
//!
//! Every write takes the next number of the change feed (`seq`), so that a
//! phone's pull finds it, and leaves an audit line.

use chrono::{DateTime, Utc};
use fieldledger_model::Visit;
use fieldledger_model::area::AreaLevel;
use fieldledger_model::wire::{Record, RecordKind};
use uuid::Uuid;

use super::conn::{Conn, Value};
use super::{Actor, StoreError, millis};

/// A record as stored.
#[derive(Debug, Clone)]
pub struct Stored {
    pub kind: String,
    pub head: Uuid,
    pub body: String,
    pub conflict: bool,
    pub county_id: Uuid,
}

/// A household's place and assignment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HouseholdRow {
    pub id: Uuid,
    pub instructor_id: Option<Uuid>,
    pub county_id: Uuid,
    pub township_id: Option<Uuid>,
}

/// An area's place in the tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AreaRow {
    pub id: Uuid,
    pub level: AreaLevel,
    pub name: String,
    pub county_id: Uuid,
    pub township_id: Option<Uuid>,
}

/// Takes the next number of the change feed.
pub async fn next_seq(c: &mut Conn<'_>) -> Result<i64, StoreError> {
    let row = c
        .query_opt(
            "UPDATE counters SET value = value + 1 WHERE name = 'change_seq' RETURNING value",
            &[],
        )
        .await?
        .ok_or_else(|| StoreError::Decode("change counter missing".into()))?;
    row.int(0)
}

pub async fn load(c: &mut Conn<'_>, id: Uuid) -> Result<Option<Stored>, StoreError> {
    let row = c
        .query_opt(
            "SELECT kind, head, body, conflict, county_id FROM records WHERE id = $1",
            &[id.into()],
        )
        .await?;
    row.map(|r| {
        Ok(Stored {
            kind: r.text(0)?,
            head: r.uuid(1)?,
            body: r.text(2)?,
            conflict: r.int(3)? != 0,
            county_id: r.uuid(4)?,
        })
    })
    .transpose()
}

pub async fn household(c: &mut Conn<'_>, id: Uuid) -> Result<Option<HouseholdRow>, StoreError> {
    let sql = "SELECT instructor_id, county_id, township_id FROM households WHERE id = $1";
    let row = c.query_opt(sql, &[id.into()]).await?;
    row.map(|r| {
        Ok(HouseholdRow {
            id,
            instructor_id: r.opt_uuid(0)?,
            county_id: r.uuid(1)?,
            township_id: r.opt_uuid(2)?,
        })
    })
    .transpose()
}

pub async fn area(c: &mut Conn<'_>, id: Uuid) -> Result<Option<AreaRow>, StoreError> {
    let sql = "SELECT level, name, county_id, township_id FROM areas WHERE id = $1";
    let row = c.query_opt(sql, &[id.into()]).await?;
    row.map(|r| {
        Ok(AreaRow {
            id,
            level: parse_level(&r.text(0)?)?,
            name: r.text(1)?,
            county_id: r.uuid(2)?,
            township_id: r.opt_uuid(3)?,
        })
    })
    .transpose()
}

pub fn level_str(level: AreaLevel) -> &'static str {
    match level {
        AreaLevel::County => "county",
        AreaLevel::Township => "township",
        AreaLevel::Village => "village",
        AreaLevel::Group => "group",
    }
}

pub fn parse_level(text: &str) -> Result<AreaLevel, StoreError> {
    match text {
        "county" => Ok(AreaLevel::County),
        "township" => Ok(AreaLevel::Township),
        "village" => Ok(AreaLevel::Village),
        "group" => Ok(AreaLevel::Group),
        other => Err(StoreError::Decode(format!("area level {other}"))),
    }
}

/// The county of the instructor `id`, if the roster has them.
pub async fn instructor_county(c: &mut Conn<'_>, id: Uuid) -> Result<Option<Uuid>, StoreError> {
    let row = c
        .query_opt(
            "SELECT county_id FROM instructors WHERE id = $1",
            &[id.into()],
        )
        .await?;
    row.map(|r| r.uuid(0)).transpose()
}

/// A new current version of a record.
pub struct Version<'a> {
    pub record: &'a Record,
    pub head: Uuid,
    pub county_id: Uuid,
}

/// Writes `version` as the record's current version and clears its
/// conflict; keeps the side tables (visits) in step.
pub async fn put(c: &mut Conn<'_>, version: &Version<'_>) -> Result<(), StoreError> {
    let seq = next_seq(c).await?;
    let record = version.record;
    let body = serde_json::to_string(record)?;
    let sql = "INSERT INTO records (id, kind, head, body, seq, conflict, county_id) VALUES ($1, $2, $3, $4, $5, 0, $6) \
               ON CONFLICT (id) DO UPDATE SET kind = $2, head = $3, body = $4, seq = $5, conflict = 0, county_id = $6";
    let params = [
        record.id().into(),
        record.kind().as_str().into(),
        version.head.into(),
        body.into(),
        seq.into(),
        version.county_id.into(),
    ];
    c.exec(sql, &params).await?;
    if let Record::Visit(visit) = record {
        // A visit's households are in `visit_households`.
        put_visit(c, visit, version.county_id).await?;
    } else {
        c.exec(
            "DELETE FROM record_households WHERE record_id = $1",
            &[record.id().into()],
        )
        .await?;
        for household in record.households() {
            let sql = "INSERT INTO record_households (record_id, household_id) VALUES ($1, $2)";
            c.exec(sql, &[record.id().into(), household.into()]).await?;
        }
    }

    Ok(())
}

/// Moves the record to the end of the change feed, marking it in conflict.
pub async fn mark_conflict(c: &mut Conn<'_>, id: Uuid) -> Result<(), StoreError> {
    let seq = next_seq(c).await?;
    c.exec(
        "UPDATE records SET conflict = 1, seq = $2 WHERE id = $1",
        &[id.into(), seq.into()],
    )
    .await?;

    Ok(())
}

/// Moves every record about `household` to the end of the change feed, so
/// that whoever may now see it receives it.
pub async fn touch_household(c: &mut Conn<'_>, household: Uuid) -> Result<(), StoreError> {
    let sql = "SELECT record_id FROM record_households WHERE household_id = $1 \
               UNION SELECT visit_id FROM visit_households WHERE household_id = $1";
    for row in c.query(sql, &[household.into()]).await? {
        let seq = next_seq(c).await?;
        c.exec(
            "UPDATE records SET seq = $2 WHERE id = $1",
            &[row.text(0)?.into(), seq.into()],
        )
        .await?;
    }

    Ok(())
}

async fn put_visit(c: &mut Conn<'_>, visit: &Visit, county_id: Uuid) -> Result<(), StoreError> {
    use super::batch_rows::{
        VISIT_COLUMNS, VISIT_HOUSEHOLD_COLUMNS, VISIT_UPSERT, visit_links, visit_row,
    };
    let township = match visit.households.first() {
        Some(first) => household(c, *first).await?.and_then(|h| h.township_id),
        None => None,
    };
    let row = visit_row(visit, county_id, township);
    c.insert_many("visits", VISIT_COLUMNS, vec![row], VISIT_UPSERT)
        .await?;
    c.exec(
        "DELETE FROM visit_households WHERE visit_id = $1",
        &[visit.id.into()],
    )
    .await?;
    let links = visit_links(visit, county_id, township).collect();
    c.insert_many("visit_households", VISIT_HOUSEHOLD_COLUMNS, links, "")
        .await
}

/// One audit line.
pub struct AuditLine<'a> {
    pub op_id: Uuid,
    pub record_id: Uuid,
    pub kind: RecordKind,
    pub before: Option<&'a str>,
    pub after: &'a str,
    pub outcome: &'a str,
}

pub async fn audit(
    c: &mut Conn<'_>,
    actor: &Actor,
    line: AuditLine<'_>,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    let sql = "INSERT INTO audit (op_id, record_id, kind, user_id, device_id, at, before, after, outcome) \
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
    let params: [Value; 9] = [
        line.op_id.into(),
        line.record_id.into(),
        line.kind.as_str().into(),
        actor.user.id.into(),
        actor.device_id.into(),
        millis(at).into(),
        line.before.into(),
        line.after.into(),
        line.outcome.into(),
    ];
    c.exec(sql, &params).await?;

    Ok(())
}

/// One line of a record's audit history.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct AuditEntry {
    pub op_id: Uuid,
    pub user_id: Option<Uuid>,
    pub device_id: Option<Uuid>,
    pub at: DateTime<Utc>,
    pub before: Option<String>,
    pub after: String,
    pub outcome: String,
}

/// The audit history of one record, oldest first.
pub async fn history(c: &mut Conn<'_>, record: Uuid) -> Result<Vec<AuditEntry>, StoreError> {
    let sql = "SELECT op_id, user_id, device_id, at, before, after, outcome FROM audit WHERE record_id = $1 ORDER BY at, op_id";
    let rows = c.query(sql, &[record.into()]).await?;
    rows.iter()
        .map(|r| {
            Ok(AuditEntry {
                op_id: r.uuid(0)?,
                user_id: r.opt_uuid(1)?,
                device_id: r.opt_uuid(2)?,
                at: super::from_millis(r.int(3)?),
                before: r.opt_text(4)?,
                after: r.text(5)?,
                outcome: r.text(6)?,
            })
        })
        .collect()
}
