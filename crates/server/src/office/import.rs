//! Importing households or instructors into one county from an XLSX or CSV
//! file, whole or not at all: the file is read and checked against the
//! county's villages, roster and registered households; every record is
//! then written in one transaction.

use std::collections::{HashMap, HashSet};

use chrono::{Datelike, Utc};
use fieldledger_model::area::AreaLevel;
use fieldledger_model::ledger::{Basic, Ledger};
use fieldledger_model::wire::Record;
use fieldledger_office::import::{
    Format, HouseholdContext, ImportedHousehold, InstructorContext, VillageKey,
};
use uuid::Uuid;

use super::{OfficeError, county};
use crate::store::office::CountyData;
use crate::store::{Actor, Store};

/// What a file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportKind {
    Households,
    Instructors,
}

/// Reads `bytes` (XLSX or CSV, told apart by their first bytes) and writes
/// every record as `actor` in the county `id`; returns how many rows were
/// imported. Bad rows come back as [`OfficeError::Import`] and nothing is
/// written.
#[tracing::instrument(skip_all, fields(county = %id, kind = ?kind, bytes = bytes.len()))]
pub async fn import(
    store: &Store,
    actor: &Actor,
    id: Uuid,
    kind: ImportKind,
    bytes: &[u8],
) -> Result<usize, OfficeError> {
    let county = county(store, id).await?;
    let data = store.county_data(id).await?;
    let format = Format::sniff(bytes);
    let (records, rows) = match kind {
        ImportKind::Households => {
            let known = store.household_id_numbers().await?;
            let read = households(&data, &county.name, &known, bytes, format)?;
            let rows = read.len();
            (household_records(read), rows)
        }
        ImportKind::Instructors => {
            let counties = HashMap::from([(county.name.clone(), county.id)]);
            let known_mobiles: HashSet<String> =
                data.instructors.iter().map(|i| i.mobile.clone()).collect();
            let context = InstructorContext {
                counties: &counties,
                known_mobiles: &known_mobiles,
            };
            let read = fieldledger_office::import::instructors(bytes, format, &context)?;
            let rows = read.len();
            (read.into_iter().map(Record::Instructor).collect(), rows)
        }
    };
    store.put_all(actor.clone(), records).await?;
    tracing::info!(rows, "imported");

    Ok(rows)
}

fn households(
    data: &CountyData,
    county: &str,
    known_ids: &HashSet<String>,
    bytes: &[u8],
    format: Format,
) -> Result<Vec<ImportedHousehold>, OfficeError> {
    let villages: HashMap<VillageKey, Uuid> = data
        .areas
        .iter()
        .filter(|a| a.level == AreaLevel::Village)
        .map(|a| {
            let key = VillageKey::new(county, data.area_name(a.township_id), &a.name);
            (key, a.id)
        })
        .collect();
    let by_mobile: HashMap<String, Uuid> = data
        .instructors
        .iter()
        .map(|i| (i.mobile.clone(), i.id))
        .collect();
    let context = HouseholdContext {
        villages: &villages,
        known_ids,
        instructors_by_mobile: &by_mobile,
    };
    Ok(fieldledger_office::import::households(
        bytes, format, &context,
    )?)
}

/// Each household, followed by its first ledger for this year holding the
/// household's size (人口数).
fn household_records(read: Vec<ImportedHousehold>) -> Vec<Record> {
    let year = Utc::now().year();
    let mut records = Vec::with_capacity(read.len() * 2);
    for imported in read {
        let mut household = imported.household;
        household.normalise();
        let ledger = Ledger {
            id: fieldledger_model::id::new_id(),
            household_id: household.id,
            year,
            basic: Basic {
                population: Some(imported.population),
                ..Basic::default()
            },
            resources: Default::default(),
            labour: Vec::new(),
            intent: Default::default(),
            income: Default::default(),
            participation: Default::default(),
            benefit_links: Vec::new(),
            sales: Vec::new(),
        };
        records.push(Record::Household(household));
        records.push(Record::Ledger(ledger));
    }
    records
}
