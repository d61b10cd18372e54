//! The desktop smoke run's scene: a demo store with one record the server
//! refused and one in conflict, what the walk expects to see, and window
//! captures.

use std::path::{Path, PathBuf};
use std::process::Command;

use chrono::Datelike;
use fieldledger::data::AppData;
use fieldledger::store_data::StoreData;
use fieldledger::viewmodel::HouseholdQuery;
use fieldledger_device::Store;
use fieldledger_model::wire::{Change, ErrorCode, OpResult, Outcome, Record};
use uuid::Uuid;

/// The window's title, to find it on the screen.
const TITLE: &str = "产业指导员台账";

/// What the walk looks for.
pub struct Scene {
    /// The first household of the list.
    pub first_name: String,
    pub first_id_number: String,
    /// The household the walk opens: its ledger has labour rows.
    pub name: String,
    pub id_number: String,
    pub ledger_year: i32,
    dir: PathBuf,
}

/// Fills the store in `dir` with demo data, and has the server's answers
/// refuse one ledger edit and bring a second version of another.
pub fn stage(data: &StoreData, dir: &Path) -> Scene {
    data.fill_demo_if_empty(30, 60).unwrap();
    let year = chrono::Local::now().year() - 1;
    let rows = data
        .households(&HouseholdQuery::first_page(""))
        .unwrap()
        .rows;
    let shared = data.shared_store();
    let mut store = shared.lock().unwrap();
    let with_rows = rows
        .iter()
        .find(|r| {
            store
                .ledger(r.id, year)
                .unwrap()
                .is_some_and(|l| !l.labour.is_empty())
        })
        .unwrap();
    let others: Vec<Uuid> = rows
        .iter()
        .map(|r| r.id)
        .filter(|id| *id != with_rows.id)
        .collect();
    refuse_an_edit(&mut store, others[0], year);
    conflict_on(&mut store, others[1], year);
    let first = store.household(rows[0].id).unwrap().unwrap();
    let chosen = store.household(with_rows.id).unwrap().unwrap();

    Scene {
        first_name: first.head_name,
        first_id_number: first.id_number,
        name: chosen.head_name,
        id_number: chosen.id_number,
        ledger_year: year,
        dir: dir.to_owned(),
    }
}

fn refuse_an_edit(store: &mut Store, household: Uuid, year: i32) {
    let mut ledger = store.ledger(household, year).unwrap().unwrap();
    ledger.basic.population = Some(ledger.basic.population.unwrap_or(1) + 6);
    let op = store.save_ledger(&ledger).unwrap();
    let outcome = Outcome::Rejected {
        code: ErrorCode::Invalid,
        reason: "人口数比劳动力登记多出6人，请核对后重新填写".into(),
    };
    store
        .apply_push_results(&[OpResult {
            op_id: op.op_id,
            outcome,
        }])
        .unwrap();
}

fn conflict_on(store: &mut Store, household: Uuid, year: i32) {
    let mut mine = store.ledger(household, year).unwrap().unwrap();
    mine.basic.population = Some(4);
    mine.income.expected_total = fieldledger_model::Amount::parse("36000").ok();
    store.save_ledger(&mine).unwrap();
    let mut theirs = mine.clone();
    theirs.basic.population = Some(5);
    theirs.income.expected_total = fieldledger_model::Amount::parse("42000").ok();
    let change = Change {
        head: Uuid::now_v7(),
        record: Record::Ledger(theirs),
        conflict: false,
    };
    let cursor = store.cursor().unwrap();
    store.apply_pull(&[change], cursor + 1).unwrap();
}

impl Scene {
    /// Makes the phone enrolled as a township liaison with a server that
    /// is not running (port 9), so the township screen must say it needs
    /// the network.
    pub fn enroll_as_liaison(&self) {
        let credentials = serde_json::json!({
            "server": "https://127.0.0.1:9/",
            "token": "smoke-token",
            "device_id": Uuid::from_u128(7),
            "user": {
                "id": Uuid::from_u128(99),
                "name": "杨联络",
                "role": "liaison",
                "area_id": Uuid::from_u128(98),
                "instructor_id": null,
            },
            "trust": { "fingerprint": "ab".repeat(32) },
        });
        let path = fieldledger_device::sync::credentials_path(&self.dir);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, serde_json::to_vec(&credentials).unwrap()).unwrap();
    }
}

/// Saves the app's window as a PNG at `path`.
pub fn capture(path: &Path) -> Result<(), String> {
    let tree = Command::new("xwininfo")
        .args(["-root", "-tree"])
        .output()
        .map_err(|e| format!("xwininfo cannot run ({e}); install x11-utils"))?;
    let tree = String::from_utf8_lossy(&tree.stdout);
    let id = tree
        .lines()
        .filter(|l| l.contains(TITLE))
        .filter_map(|l| l.split_whitespace().next())
        .next()
        .ok_or("the app's window is not on the screen")?;
    let status = Command::new("import")
        .args(["-window", id])
        .arg(path)
        .status()
        .map_err(|e| format!("import cannot run ({e}); install imagemagick"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("import failed for {}", path.display()))
    }
}
