//! A ledger form being filled in, addressed field by field.
//!
//! Fields are named by the same paths validation reports use
//! (`resources.cultivated`, `labour[2].name`; `head_name` and `id_number`
//! belong to the household). A text that does not parse is kept as typed,
//! with its message, so that nothing the user typed is lost and the message
//! can be shown at the field.

use std::collections::BTreeMap;

use fieldledger_model::validate::Validate;
use fieldledger_model::{Amount, Household, Issue, Ledger, Report, Severity, YearMonth};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// How a field's text becomes a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    /// Free text, kept as typed.
    Text,
    /// 元, 亩 and other quantities with up to two decimals.
    Amount,
    /// A whole number.
    Count,
    /// 出生年月.
    YearMonth,
}

/// Text that did not parse, with the reason in Chinese.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RawText {
    pub text: String,
    pub error: String,
}

/// The household and its ledger as the form holds them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerDraft {
    pub household: Household,
    pub ledger: Ledger,
    /// Texts that did not parse, by field path.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub raw: BTreeMap<String, RawText>,
    /// Texts that parsed but read differently from their stored form
    /// (`1983-1` for `1983-01`, `12.` for `12`), shown as typed so that an
    /// input is never rewritten under the user's thumb.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub typed: BTreeMap<String, String>,
}

/// Fields stored on the household rather than on the ledger.
const HOUSEHOLD_FIELDS: [&str; 3] = ["head_name", "id_number", "location"];

impl LedgerDraft {
    pub fn new(household: Household, ledger: Ledger) -> Self {
        Self {
            household,
            ledger,
            raw: BTreeMap::new(),
            typed: BTreeMap::new(),
        }
    }

    /// The field's text as the input shows it.
    pub fn text(&self, path: &str) -> String {
        if let Some(raw) = self.raw.get(path) {
            return raw.text.clone();
        }
        if let Some(typed) = self.typed.get(path) {
            return typed.clone();
        }
        match self.value(path) {
            Value::String(text) => text,
            Value::Number(n) => n.to_string(),
            _ => String::new(),
        }
    }

    /// The field's stored value; `Null` when absent.
    pub fn value(&self, path: &str) -> Value {
        let root = self.root_value(path);
        lookup(&root, &segments(path))
            .cloned()
            .unwrap_or(Value::Null)
    }

    /// Takes what the user typed into the field at `path`.
    pub fn set_text(&mut self, path: &str, kind: FieldKind, text: &str) {
        match parse(kind, text) {
            Ok(value) => {
                let canonical = value.as_str().map(str::to_owned);
                self.set_value(path, value);
                if !self.raw.contains_key(path) && canonical.as_deref().is_some_and(|c| c != text) {
                    self.typed.insert(path.to_owned(), text.to_owned());
                }
            }
            Err(error) => {
                let text = text.to_owned();
                self.raw.insert(path.to_owned(), RawText { text, error });
            }
        }
    }

    /// Stores `value` at `path`, keeping the text as raw when the record
    /// refuses it.
    pub fn set_value(&mut self, path: &str, value: Value) {
        let mut root = self.root_value(path);
        let shown = match &value {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        if !assign(&mut root, &segments(path), value) || self.store_root(path, root).is_err() {
            let error = "数值超出范围".to_owned();
            self.raw
                .insert(path.to_owned(), RawText { text: shown, error });
            return;
        }
        self.raw.remove(path);
        self.typed.remove(path);
    }

    /// Drops kept texts and whose paths start with `prefix`, after a row is
    /// removed and the rows below it move up.
    pub fn forget_under(&mut self, prefix: &str) {
        self.raw.retain(|path, _| !path.starts_with(prefix));
        self.typed.retain(|path, _| !path.starts_with(prefix));
    }

    /// Every problem in the form: unparsed texts, then the household's and
    /// the ledger's rules.
    pub fn report(&self) -> Report {
        let mut issues: Vec<Issue> = self
            .raw
            .iter()
            .map(|(path, raw)| Issue {
                path: path.clone(),
                severity: Severity::Error,
                message: raw.error.clone(),
            })
            .collect();
        issues.extend(self.household.validate().issues);
        issues.extend(self.ledger.validate().issues);

        Report { issues }
    }

    fn is_household(path: &str) -> bool {
        HOUSEHOLD_FIELDS.iter().any(|f| path.starts_with(f))
    }

    fn root_value(&self, path: &str) -> Value {
        let value = if Self::is_household(path) {
            serde_json::to_value(&self.household)
        } else {
            serde_json::to_value(&self.ledger)
        };
        value.unwrap_or(Value::Null)
    }

    fn store_root(&mut self, path: &str, root: Value) -> Result<(), serde_json::Error> {
        if Self::is_household(path) {
            self.household = serde_json::from_value(root)?;
        } else {
            self.ledger = serde_json::from_value(root)?;
        }

        Ok(())
    }
}

fn parse(kind: FieldKind, text: &str) -> Result<Value, String> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Ok(match kind {
            FieldKind::Text => Value::String(text.to_owned()),
            _ => Value::Null,
        });
    }
    match kind {
        FieldKind::Text => Ok(Value::String(text.to_owned())),
        FieldKind::Amount => Amount::parse(trimmed)
            .map(|a| Value::String(a.to_string()))
            .map_err(|e| e.to_string()),
        FieldKind::Count => trimmed
            .parse::<u32>()
            .map(Value::from)
            .map_err(|_| "请输入整数".to_owned()),
        FieldKind::YearMonth => YearMonth::parse(trimmed)
            .map(|ym| Value::String(ym.to_string()))
            .map_err(|e| e.to_string()),
    }
}

/// One step of a field path.
#[derive(Debug, PartialEq)]
enum Segment<'a> {
    Key(&'a str),
    Index(usize),
}

/// Splits `labour[2].name` into `labour`, `2`, `name`.
fn segments(path: &str) -> Vec<Segment<'_>> {
    let mut out = Vec::new();
    for part in path.split('.') {
        let (key, rest) = part.split_once('[').unwrap_or((part, ""));
        out.push(Segment::Key(key));
        for index in rest.split('[') {
            if let Ok(i) = index.trim_end_matches(']').parse() {
                out.push(Segment::Index(i));
            }
        }
    }

    out
}

fn lookup<'v>(mut value: &'v Value, path: &[Segment<'_>]) -> Option<&'v Value> {
    for segment in path {
        value = match segment {
            Segment::Key(key) => value.get(*key)?,
            Segment::Index(i) => value.get(*i)?,
        };
    }

    Some(value)
}

/// Writes `new` at `path`, making missing objects on the way.
fn assign(value: &mut Value, path: &[Segment<'_>], new: Value) -> bool {
    let Some((first, rest)) = path.split_first() else {
        *value = new;
        return true;
    };
    let child = match first {
        Segment::Key(key) => {
            if value.is_null() {
                *value = Value::Object(Default::default());
            }
            match value.as_object_mut() {
                Some(map) => map.entry(*key).or_insert(Value::Null),
                None => return false,
            }
        }
        Segment::Index(i) => match value.get_mut(*i) {
            Some(child) => child,
            None => return false,
        },
    };

    assign(child, rest, new)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use fieldledger_model::ledger::LabourMember;
    use uuid::Uuid;

    fn draft() -> LedgerDraft {
        let household = Household {
            id: Uuid::nil(),
            head_name: "王明".into(),
            id_number: "11010519491231002X".into(),
            location: Default::default(),
            village_id: None,
            instructor_id: None,
        };
        LedgerDraft::new(household, Ledger::new(Uuid::nil(), 2025))
    }

    #[test]
    fn splits_paths_with_indexes() {
        assert_eq!(
            segments("labour[2].name"),
            vec![
                Segment::Key("labour"),
                Segment::Index(2),
                Segment::Key("name")
            ]
        );
    }

    #[test]
    fn amounts_are_parsed_and_bad_text_is_kept_with_its_reason() {
        let mut d = draft();
        d.set_text("resources.cultivated", FieldKind::Amount, "3.5");
        assert_eq!(
            d.ledger.resources.cultivated,
            Some(Amount::from_hundredths(350))
        );
        d.set_text("resources.forest", FieldKind::Amount, "1.234");
        assert_eq!(d.text("resources.forest"), "1.234");
        let report = d.report();
        let issue = report.at("resources.forest").next().unwrap();
        assert_eq!(issue.message, "最多保留两位小数");
        d.set_text("resources.forest", FieldKind::Amount, "");
        assert_eq!(d.ledger.resources.forest, None);
        assert!(d.raw.is_empty());
    }

    #[test]
    fn row_fields_and_household_fields_are_reachable() {
        let mut d = draft();
        d.ledger.labour.push(LabourMember::default());
        d.set_text("labour[0].name", FieldKind::Text, "李四");
        d.set_text("labour[0].birth", FieldKind::YearMonth, "1985年3月");
        assert_eq!(d.ledger.labour[0].name, "李四");
        assert_eq!(d.text("labour[0].birth"), "1985年3月", "shown as typed");
        assert_eq!(
            d.ledger.labour[0].birth.map(|b| b.to_string()).as_deref(),
            Some("1985-03")
        );
        d.set_text("labour[0].birth", FieldKind::YearMonth, "1983-1");
        d.set_text("labour[0].birth", FieldKind::YearMonth, "1983-11");
        assert_eq!(d.text("labour[0].birth"), "1983-11");
        d.set_text("income.expected_total", FieldKind::Amount, "12.");
        assert_eq!(
            d.text("income.expected_total"),
            "12.",
            "a decimal point being typed stays"
        );
        d.set_text("head_name", FieldKind::Text, "王小明");
        assert_eq!(d.household.head_name, "王小明");
        d.set_text("basic.population", FieldKind::Count, "4");
        assert_eq!(d.ledger.basic.population, Some(4));
    }

    #[test]
    fn values_out_of_range_stay_as_text() {
        let mut d = draft();
        d.ledger.participation.employed.push(Default::default());
        let path = "participation.employed[0].workdays_per_month";
        d.set_text(path, FieldKind::Count, "300");
        assert_eq!(d.text(path), "300");
        assert!(d.report().at(path).next().is_some());
    }
}
