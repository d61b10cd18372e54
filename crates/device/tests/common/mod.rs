//! Helpers shared by the store's integration tests: a store in a temporary
//! directory and valid records to put in it.

#![allow(dead_code, clippy::unwrap_used)]

pub mod strategies;

use chrono::NaiveDate;
use fieldledger_device::Store;
use fieldledger_model::area::Location;
use fieldledger_model::resident_id::check_char;
use fieldledger_model::visit::Work;
use fieldledger_model::{Household, Ledger, Visit};
use tempfile::TempDir;
use uuid::Uuid;

/// A store in a fresh temporary data directory, kept alive with it.
pub fn temp_store() -> (TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    (dir, store)
}

/// A valid ID number from the first seventeen digits.
pub fn id_number(first17: &str) -> String {
    format!("{first17}{}", check_char(first17.as_bytes()))
}

/// A valid household.
pub fn household(name: &str, village: &str, first17: &str) -> Household {
    Household {
        id: Uuid::now_v7(),
        head_name: name.into(),
        id_number: id_number(first17),
        location: Location {
            county: "台江县".into(),
            township: "台拱镇".into(),
            village: village.into(),
            group: "3组".into(),
        },
        village_id: None,
        instructor_id: None,
    }
}

/// A valid, nearly empty ledger.
pub fn ledger(household: Uuid, year: i32) -> Ledger {
    let mut l = Ledger::new(household, year);
    l.basic.population = Some(4);
    l
}

/// A visit to `households` on `date` with some work done.
pub fn visit(households: &[Uuid], date: &str) -> Visit {
    Visit {
        id: Uuid::now_v7(),
        instructor_id: Uuid::nil(),
        date: NaiveDate::parse_from_str(date, "%Y-%m-%d").unwrap(),
        households: households.to_vec(),
        work: Work {
            policy_talks: 1,
            industry_choice: true,
            ..Work::default()
        },
        note: String::new(),
        position: None,
        photos: Vec::new(),
    }
}
