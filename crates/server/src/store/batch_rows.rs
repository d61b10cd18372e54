//! The side tables of a run of record versions, written in bulk: which
//! households each household or ledger record is about, and each visit's
//! households and work items in columns for Attachment 4.
//! [`super::records::put`] writes the same rows for one record at a time,
//! with the row builders here.

use std::collections::{HashMap, HashSet};

use fieldledger_model::Visit;
use fieldledger_model::wire::Record;
use uuid::Uuid;

use super::StoreError;
use super::conn::{Conn, Ty, Value};
use super::records::HouseholdRow;

const RECORD_HOUSEHOLD_COLUMNS: &[(&str, Ty)] =
    &[("record_id", Ty::Text), ("household_id", Ty::Text)];

pub(super) const VISIT_COLUMNS: &[(&str, Ty)] = &[
    ("id", Ty::Text),
    ("instructor_id", Ty::Text),
    ("county_id", Ty::Text),
    ("township_id", Ty::Text),
    ("day", Ty::Text),
    ("policy", Ty::Int),
    ("trained", Ty::Int),
    ("tech", Ty::Int),
    ("problems", Ty::Int),
    ("coop", Ty::Int),
    ("funds", Ty::Int),
    ("sold", Ty::Int),
];

pub(super) const VISIT_UPSERT: &str = "ON CONFLICT (id) DO UPDATE SET instructor_id = excluded.instructor_id, \
    county_id = excluded.county_id, township_id = excluded.township_id, day = excluded.day, \
    policy = excluded.policy, trained = excluded.trained, tech = excluded.tech, \
    problems = excluded.problems, coop = excluded.coop, funds = excluded.funds, sold = excluded.sold";

pub(super) const VISIT_HOUSEHOLD_COLUMNS: &[(&str, Ty)] = &[
    ("visit_id", Ty::Text),
    ("household_id", Ty::Text),
    ("instructor_id", Ty::Text),
    ("county_id", Ty::Text),
    ("township_id", Ty::Text),
    ("day", Ty::Text),
    ("choice", Ty::Int),
    ("project", Ty::Int),
    ("sales", Ty::Int),
    ("link", Ty::Int),
];

/// Writes the side rows of each `(record, county)`; every record appears
/// once. `households` holds the rows of the households they name; the
/// side rows of records in `stored`, which the database held before, are
/// replaced.
pub async fn put_versions(
    c: &mut Conn<'_>,
    households: &HashMap<Uuid, HouseholdRow>,
    stored: &HashSet<Uuid>,
    versions: &[(&Record, Uuid)],
) -> Result<(), StoreError> {
    // A visit's households are in `visit_households`, written below.
    let others = || {
        versions
            .iter()
            .filter(|(r, _)| !matches!(r, Record::Visit(_)))
    };
    let ids: Vec<Value> = others()
        .map(|(r, _)| r.id())
        .filter(|id| stored.contains(id))
        .map(Into::into)
        .collect();
    c.for_each_key("DELETE FROM record_households WHERE record_id", ids)
        .await?;
    let links = others()
        .flat_map(|(r, _)| {
            let id = r.id();
            r.households()
                .into_iter()
                .map(move |h| vec![id.into(), h.into()])
        })
        .collect();
    c.insert_many("record_households", RECORD_HOUSEHOLD_COLUMNS, links, "")
        .await?;

    let visits: Vec<(&Visit, Uuid)> = versions
        .iter()
        .filter_map(|(r, county)| match r {
            Record::Visit(v) => Some((v, *county)),
            _ => None,
        })
        .collect();
    if visits.is_empty() {
        return Ok(());
    }
    let ids: Vec<Value> = visits
        .iter()
        .map(|(v, _)| v.id)
        .filter(|id| stored.contains(id))
        .map(Into::into)
        .collect();
    c.for_each_key("DELETE FROM visit_households WHERE visit_id", ids)
        .await?;
    let mut rows = Vec::with_capacity(visits.len());
    let mut links = Vec::with_capacity(visits.len());
    for (visit, county) in visits {
        let township = visit
            .households
            .first()
            .and_then(|h| households.get(h))
            .and_then(|h| h.township_id);
        rows.push(visit_row(visit, county, township));
        links.extend(visit_links(visit, county, township));
    }
    c.insert_many("visits", VISIT_COLUMNS, rows, VISIT_UPSERT)
        .await?;
    c.insert_many("visit_households", VISIT_HOUSEHOLD_COLUMNS, links, "")
        .await
}

pub(super) fn visit_row(visit: &Visit, county: Uuid, township: Option<Uuid>) -> Vec<Value> {
    let w = &visit.work;
    vec![
        visit.id.into(),
        visit.instructor_id.into(),
        county.into(),
        township.into(),
        visit.date.to_string().into(),
        i64::from(w.policy_talks).into(),
        i64::from(w.trained_people).into(),
        i64::from(w.tech_guidance).into(),
        i64::from(w.problems_solved).into(),
        i64::from(w.coop_members).into(),
        w.funds.hundredths().into(),
        w.sales_income.hundredths().into(),
    ]
}

pub(super) fn visit_links(
    visit: &Visit,
    county: Uuid,
    township: Option<Uuid>,
) -> impl Iterator<Item = Vec<Value>> + '_ {
    let w = &visit.work;
    let day = visit.date.to_string();
    visit.households.iter().map(move |h| {
        vec![
            visit.id.into(),
            (*h).into(),
            visit.instructor_id.into(),
            county.into(),
            township.into(),
            day.clone().into(),
            w.industry_choice.into(),
            w.project_support.into(),
            w.sales_help.into(),
            w.benefit_link.into(),
        ]
    })
}
