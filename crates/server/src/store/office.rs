//! What the office tables read and write: a county's households, roster,
//! areas and ledgers in one read, a village's number of main industries,
//! and an import written in one transaction.

use std::collections::{HashMap, HashSet};

use chrono::Utc;
use fieldledger_model::area::AreaLevel;
use fieldledger_model::roster::Instructor;
use fieldledger_model::wire::{Op, Outcome, Record};
use fieldledger_model::{Household, Ledger, SCHEMA_VERSION};
use uuid::Uuid;

use super::conn::Conn;
use super::records::{self, parse_level};
use super::{Actor, Store, StoreError, push};

/// One area of a county, with the staffing rule's input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountyArea {
    pub id: Uuid,
    pub level: AreaLevel,
    pub name: String,
    pub parent: Option<Uuid>,
    pub township_id: Option<Uuid>,
    /// Main industries (主导产业) of a village, when the office set it.
    pub main_industries: Option<u32>,
}

/// Everything of one county the office tables need, read at one instant.
#[derive(Debug, Clone, Default)]
pub struct CountyData {
    pub areas: Vec<CountyArea>,
    /// Current versions, oldest change first.
    pub households: Vec<Household>,
    /// Current versions, oldest change first.
    pub instructors: Vec<Instructor>,
    /// Current versions, oldest change first.
    pub ledgers: Vec<Ledger>,
}

impl Store {
    /// The areas, households, roster and ledgers of `county`.
    #[tracing::instrument(skip_all, fields(county = %county, db = self.kind()))]
    pub async fn county_data(&self, county: Uuid) -> Result<CountyData, StoreError> {
        self.read(move |mut c| Box::pin(async move { county_data(&mut c, county).await }))
            .await
    }

    /// Sets or clears a village's number of main industries; false when
    /// `village` is not a village.
    pub async fn set_main_industries(
        &self,
        village: Uuid,
        industries: Option<u32>,
    ) -> Result<bool, StoreError> {
        self.write(move |mut c| {
            Box::pin(async move {
                let sql =
                    "UPDATE areas SET main_industries = $2 WHERE id = $1 AND level = 'village'";
                let n = industries.map(i64::from);
                Ok(c.exec(sql, &[village.into(), n.into()]).await? > 0)
            })
        })
        .await
    }

    /// The ID numbers of every registered household, as stored.
    pub async fn household_id_numbers(&self) -> Result<HashSet<String>, StoreError> {
        self.read(|mut c| {
            Box::pin(async move {
                let sql = "SELECT body FROM records WHERE kind = 'household'";
                let mut ids = HashSet::new();
                for row in c.query(sql, &[]).await? {
                    if let Record::Household(h) = serde_json::from_str(&row.text(0)?)? {
                        ids.insert(h.id_number);
                    }
                }
                Ok(ids)
            })
        })
        .await
    }

    /// Writes every record as `actor` in one transaction, each checked,
    /// audited and placed in the change feed as an admin write is. When
    /// one is refused, nothing is written and the refusal says which.
    #[tracing::instrument(skip_all, fields(records = batch.len(), db = self.kind()))]
    pub async fn put_all(&self, actor: Actor, batch: Vec<Record>) -> Result<usize, StoreError> {
        self.write(move |mut c| {
            Box::pin(async move {
                let now = Utc::now();
                for (i, record) in batch.iter().enumerate() {
                    let base = records::load(&mut c, record.id()).await?.map(|s| s.head);
                    let op = Op {
                        op_id: Uuid::now_v7(),
                        base,
                        schema: SCHEMA_VERSION,
                        record: record.clone(),
                    };
                    if let Outcome::Rejected { reason, .. } =
                        push::apply_in_savepoint(&mut c, &actor, &op, now).await?
                    {
                        return Err(StoreError::Invalid(format!(
                            "第{}条记录未能写入，全部未导入：{reason}",
                            i + 1
                        )));
                    }
                }
                Ok(batch.len())
            })
        })
        .await
    }
}

async fn county_data(c: &mut Conn<'_>, county: Uuid) -> Result<CountyData, StoreError> {
    let sql = "SELECT id, level, name, parent, township_id, main_industries FROM areas \
               WHERE county_id = $1 ORDER BY name, id";
    let mut data = CountyData::default();
    for r in c.query(sql, &[county.into()]).await? {
        data.areas.push(CountyArea {
            id: r.uuid(0)?,
            level: parse_level(&r.text(1)?)?,
            name: r.text(2)?,
            parent: r.opt_uuid(3)?,
            township_id: r.opt_uuid(4)?,
            main_industries: r.opt_int(5)?.map(|n| u32::try_from(n).unwrap_or(0)),
        });
    }
    let sql = "SELECT body FROM records WHERE county_id = $1 AND kind IN ('household', 'instructor', 'ledger') \
               ORDER BY seq";
    for row in c.query(sql, &[county.into()]).await? {
        match serde_json::from_str(&row.text(0)?)? {
            Record::Household(h) => data.households.push(h),
            Record::Instructor(i) => data.instructors.push(i),
            Record::Ledger(l) => data.ledgers.push(l),
            _ => {}
        }
    }

    Ok(data)
}

impl CountyData {
    /// The name of the area `id`, or empty.
    pub fn area_name(&self, id: Option<Uuid>) -> &str {
        id.and_then(|id| self.areas.iter().find(|a| a.id == id))
            .map_or("", |a| a.name.as_str())
    }

    /// The latest ledger of each household for `year`: the one changed
    /// last when a household has several.
    pub fn ledgers_of_year(&self, year: i32) -> HashMap<Uuid, &Ledger> {
        self.ledgers
            .iter()
            .filter(|l| l.year == year)
            .map(|l| (l.household_id, l))
            .collect()
    }
}
