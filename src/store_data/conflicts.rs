//! A conflict's two versions compared field by field, and merged back from
//! the user's choices.
//!
//! Records are compared as their JSON. A field is a leaf of that tree,
//! named by a JSON pointer (`/basic/population`); a list whose length
//! differs between the versions counts as one field, since its rows cannot
//! be paired up.

use std::collections::BTreeSet;

use fieldledger_model::wire::Record;
use serde_json::{Map, Value};

use crate::viewmodel::FieldDiff;

/// Longest value shown in a conflict's table, in characters.
const SHOWN_CHARS: usize = 40;

/// The fields where `mine` and `theirs` differ, in document order.
pub fn diff(mine: &Record, theirs: &Record) -> Vec<FieldDiff> {
    let (a, b) = (to_value(mine), to_value(theirs));
    let mut out = Vec::new();
    walk(String::new(), &a, &b, &mut out);

    out
}

/// `theirs` with this phone's value at every differing field not chosen in
/// `take_theirs`; `mine` whole when the server's version is unknown.
pub fn merge(
    mine: &Record,
    theirs: Option<&Record>,
    take_theirs: &BTreeSet<String>,
) -> Result<Record, serde_json::Error> {
    let Some(theirs) = theirs else {
        return Ok(mine.clone());
    };
    let ours = to_value(mine);
    let mut merged = to_value(theirs);
    for field in diff(mine, theirs) {
        if !take_theirs.contains(&field.path) {
            let value = ours.pointer(&field.path).cloned().unwrap_or(Value::Null);
            set(&mut merged, &field.path, value);
        }
    }

    serde_json::from_value(merged)
}

fn to_value(record: &Record) -> Value {
    serde_json::to_value(record).unwrap_or(Value::Null)
}

fn walk(path: String, a: &Value, b: &Value, out: &mut Vec<FieldDiff>) {
    if a == b {
        return;
    }
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let keys: BTreeSet<&String> = x.keys().chain(y.keys()).collect();
            for key in keys {
                let (va, vb) = (x.get(key), y.get(key));
                let null = Value::Null;
                walk(
                    format!("{path}/{key}"),
                    va.unwrap_or(&null),
                    vb.unwrap_or(&null),
                    out,
                );
            }
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            for (i, (va, vb)) in x.iter().zip(y).enumerate() {
                walk(format!("{path}/{i}"), va, vb, out);
            }
        }
        _ => out.push(FieldDiff {
            label: label(&path),
            mine: shown(a),
            theirs: shown(b),
            path,
        }),
    }
}

/// Writes `value` at `pointer`, making objects on the way.
fn set(root: &mut Value, pointer: &str, value: Value) {
    let mut at = root;
    let steps: Vec<&str> = pointer.split('/').skip(1).collect();
    let Some((last, parents)) = steps.split_last() else {
        *at = value;
        return;
    };
    for step in parents {
        at = match at {
            Value::Array(items) => {
                match step.parse::<usize>().ok().and_then(|i| items.get_mut(i)) {
                    Some(item) => item,
                    None => return,
                }
            }
            other => {
                if !other.is_object() {
                    *other = Value::Object(Map::new());
                }
                match other.as_object_mut() {
                    Some(map) => map.entry(step.to_string()).or_insert(Value::Null),
                    None => return,
                }
            }
        };
    }
    match at {
        Value::Array(items) => {
            if let Some(slot) = last.parse::<usize>().ok().and_then(|i| items.get_mut(i)) {
                *slot = value;
            }
        }
        Value::Object(map) => {
            map.insert((*last).to_owned(), value);
        }
        other => *other = value,
    }
}

/// A field's value as one short line.
fn shown(value: &Value) -> String {
    let text = match value {
        Value::Null => return "（空）".to_owned(),
        Value::String(s) if s.is_empty() => return "（空）".to_owned(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    if text.chars().count() <= SHOWN_CHARS {
        return text;
    }
    let cut: String = text.chars().take(SHOWN_CHARS).collect();

    format!("{cut}…")
}

/// Form section names for the top of a record's JSON.
const SECTIONS: [(&str, &str); 16] = [
    ("head_name", "户主姓名"),
    ("id_number", "身份证号"),
    ("location", "住址"),
    ("basic", "A. 基本信息"),
    ("resources", "B. 生产资源"),
    ("labour", "C. 劳动力"),
    ("intent", "D. 发展意向"),
    ("income", "E. 收入"),
    ("participation", "F. 参与产业"),
    ("benefit_links", "G. 利益联结"),
    ("sales", "H. 产销对接"),
    ("date", "走访日期"),
    ("households", "走访农户"),
    ("work", "工作内容"),
    ("note", "备注"),
    ("photos", "照片"),
];

/// The form's labels for the fields of a record, by their key.
const FIELDS: [(&str, &str); 34] = [
    ("population", "人口数（人）"),
    ("poverty_causes", "致贫原因"),
    ("cultivated", "耕地面积（亩）"),
    ("under_15", "15度以下耕地面积"),
    ("from_15_to_25", "15-25度坡耕地面积"),
    ("over_25", "25度以上坡耕地面积"),
    ("forest", "林地面积（亩）"),
    ("last_year_total", "上年家庭收入（元）"),
    ("last_year_farming", "上年农业产业收入（元）"),
    ("expected_total", "预计今年家庭收入（元）"),
    ("expected_farming", "预计今年农业产业收入（元）"),
    ("name", "姓名"),
    ("relation", "家庭关系"),
    ("birth", "出生年月"),
    ("education", "学历"),
    ("skills", "掌握生产技能"),
    ("industries", "意向发展产业"),
    ("main_work", "主要从事工作"),
    ("entity", "经营主体名称"),
    ("industry", "产业"),
    ("product", "产品名称"),
    ("unit", "单位"),
    ("scale", "产业规模"),
    ("expected_output", "预计年产量"),
    ("expected_income", "预计年收入（元）"),
    ("actual_income", "实际年收入（元）"),
    ("employer", "被聘用经营主体名称"),
    ("workdays_per_month", "平均每月工作天数"),
    ("monthly_wage", "平均每月工资收入（元）"),
    ("buyer", "产销对接经营主体名称"),
    ("expected_quantity", "预计年订单数量"),
    ("actual_quantity", "实际年度收购数量"),
    ("actual_amount", "实际收购金额（元）"),
    ("expected_dividend", "预计年度分红（元）"),
];

/// A readable name for a field: its form section, then the rest of the
/// path, rows counted from 1.
fn label(pointer: &str) -> String {
    // The record's JSON is tagged: `/data/...` or `/<kind>/...` comes first.
    let steps: Vec<&str> = pointer.split('/').skip(1).collect();
    let start = steps
        .iter()
        .position(|s| SECTIONS.iter().any(|(key, _)| key == s))
        .unwrap_or(0);
    let mut parts = Vec::new();
    for step in &steps[start..] {
        match SECTIONS.iter().find(|(key, _)| key == step) {
            Some((_, name)) if parts.is_empty() => parts.push((*name).to_owned()),
            _ => match step.parse::<usize>() {
                Ok(i) => parts.push(format!("第{}条", i + 1)),
                Err(_) => parts.push(field_name(step)),
            },
        }
    }

    parts.join(" · ")
}

fn field_name(key: &str) -> String {
    FIELDS
        .iter()
        .find(|(k, _)| *k == key)
        .map_or_else(|| key.to_owned(), |(_, label)| (*label).to_owned())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use fieldledger_model::Ledger;
    use uuid::Uuid;

    fn ledger(population: u32, rows: usize) -> Record {
        let mut l = Ledger::new(Uuid::nil(), 2025);
        l.id = Uuid::from_u128(1);
        l.basic.population = Some(population);
        l.labour = vec![Default::default(); rows];
        Record::Ledger(l)
    }

    #[test]
    fn differing_fields_are_named_and_merged_as_chosen() {
        let (mine, theirs) = (ledger(4, 1), ledger(5, 2));
        let fields = diff(&mine, &theirs);
        let paths: Vec<&str> = fields.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(fields.len(), 2, "{paths:?}");
        let population = fields
            .iter()
            .find(|f| f.path.ends_with("/population"))
            .unwrap();
        assert_eq!(
            (population.mine.as_str(), population.theirs.as_str()),
            ("4", "5")
        );
        assert!(
            population.label.starts_with("A. 基本信息"),
            "{}",
            population.label
        );

        let labour = fields.iter().find(|f| f.path.ends_with("/labour")).unwrap();
        let take = BTreeSet::from([labour.path.clone()]);
        let Record::Ledger(merged) = merge(&mine, Some(&theirs), &take).unwrap() else {
            panic!("a ledger stays a ledger");
        };
        assert_eq!(merged.basic.population, Some(4), "mine kept");
        assert_eq!(merged.labour.len(), 2, "theirs taken");
    }
}
