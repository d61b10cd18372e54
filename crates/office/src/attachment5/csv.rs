//! Attachment 5 as CSV: the title and location, then each section as its
//! title on a line, its labels on the next and its values below.

use fieldledger_model::{Household, Ledger};

use super::fields::{self, SECTIONS};
use super::{NOTE, TITLE};
use crate::ExportError;
use crate::csv_out::write_lines;
use crate::table::Value;

pub fn write(household: &Household, ledger: &Ledger) -> Result<Vec<u8>, ExportError> {
    let l = &household.location;
    let mut lines: Vec<Vec<String>> = vec![
        vec![TITLE.into()],
        vec!["年度".into(), ledger.year.to_string()],
        owned(&fields::LOCATION),
        vec![
            l.county.clone(),
            l.township.clone(),
            l.village.clone(),
            l.group.clone(),
        ],
    ];
    let population = ledger
        .basic
        .population
        .map(|p| p.to_string())
        .unwrap_or_default();
    let basic = vec![
        household.head_name.clone(),
        household.id_number.clone(),
        population,
        ledger.basic.poverty_causes.labels().join("、"),
    ];
    block(&mut lines, SECTIONS[0], &fields::BASIC, vec![basic]);
    block(
        &mut lines,
        SECTIONS[1],
        &fields::RESOURCES,
        vec![texts(&fields::resources(ledger))],
    );
    block(
        &mut lines,
        SECTIONS[2],
        &fields::LABOUR,
        rows(fields::labour(ledger)),
    );
    let work: Vec<&str> = ledger
        .intent
        .work
        .iter()
        .map(|w| fields_label(*w))
        .collect();
    let intent = vec![
        ledger.intent.industries.labels().join("、"),
        work.join("、"),
    ];
    block(&mut lines, SECTIONS[3], &fields::INTENT, vec![intent]);
    let income_labels = [
        fields::INCOME[0].to_owned(),
        format!("{}-{}", fields::INCOME[0], fields::INCOME[1]),
        fields::INCOME[2].to_owned(),
        format!("{}-{}", fields::INCOME[2], fields::INCOME[3]),
    ];
    lines.push(vec![SECTIONS[4].into()]);
    lines.push(income_labels.to_vec());
    lines.push(texts(&fields::income(ledger)));
    block(
        &mut lines,
        SECTIONS[5],
        &[fields::MAIN_WORK],
        vec![vec![fields::main_work(ledger)]],
    );
    block(&mut lines, "", &fields::OWN, rows(fields::own(ledger)));
    block(
        &mut lines,
        "",
        &fields::EMPLOYED,
        rows(fields::employed(ledger)),
    );
    block(
        &mut lines,
        SECTIONS[6],
        &fields::LINKS,
        rows(fields::links(ledger)),
    );
    block(
        &mut lines,
        SECTIONS[7],
        &fields::SALES,
        rows(fields::sales(ledger)),
    );
    lines.push(vec![NOTE.into()]);

    write_lines(&lines)
}

/// A section's title (when not empty), labels and rows.
fn block(lines: &mut Vec<Vec<String>>, title: &str, labels: &[&str], rows: Vec<Vec<String>>) {
    if !title.is_empty() {
        lines.push(vec![title.to_owned()]);
    }
    lines.push(owned(labels));
    lines.extend(rows);
}

fn owned(labels: &[&str]) -> Vec<String> {
    labels.iter().map(|l| (*l).to_owned()).collect()
}

fn texts(values: &[Value]) -> Vec<String> {
    values.iter().map(Value::as_text).collect()
}

fn rows(values: Vec<Vec<Value>>) -> Vec<Vec<String>> {
    values.iter().map(|row| texts(row)).collect()
}

fn fields_label(kind: fieldledger_model::ledger::WorkKind) -> &'static str {
    use fieldledger_model::choice::Choice;
    kind.label()
}
