//! Problems found in a record, all at once, each tied to its field.
//!
//! A field path names the field as serde names it, with row indexes for
//! repeating sections: `resources.under_15`, `labour[2].name`. The screens use
//! it to show a message at the field; the server returns it with a refused
//! operation. Errors stop a record from being final; warnings only ask the
//! user to look again.

use serde::{Deserialize, Serialize};

use crate::Amount;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Error,
    Warning,
}

/// One problem with one field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Issue {
    pub path: String,
    pub severity: Severity,
    /// What is wrong and what to do, in Chinese, for the person filling the
    /// form.
    pub message: String,
}

/// Every problem found in one record.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    pub issues: Vec<Issue>,
}

impl Report {
    pub fn error(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.push(path.into(), Severity::Error, message.into());
    }

    pub fn warning(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.push(path.into(), Severity::Warning, message.into());
    }

    fn push(&mut self, path: String, severity: Severity, message: String) {
        self.issues.push(Issue {
            path,
            severity,
            message,
        });
    }

    pub fn has_errors(&self) -> bool {
        self.errors().next().is_some()
    }

    pub fn errors(&self) -> impl Iterator<Item = &Issue> {
        self.issues.iter().filter(|i| i.severity == Severity::Error)
    }

    pub fn warnings(&self) -> impl Iterator<Item = &Issue> {
        self.issues
            .iter()
            .filter(|i| i.severity == Severity::Warning)
    }

    /// The problems with one field, for showing beside it.
    pub fn at<'a>(&'a self, path: &'a str) -> impl Iterator<Item = &'a Issue> {
        self.issues.iter().filter(move |i| i.path == path)
    }

    /// Every error message with its path, one per line, for a refusal that a
    /// person reads.
    pub fn summary(&self) -> String {
        let lines: Vec<String> = self
            .errors()
            .map(|i| format!("{}：{}", i.path, i.message))
            .collect();
        lines.join("\n")
    }

    /// Refuses a negative amount at `path`.
    pub(crate) fn amount(&mut self, path: &str, amount: Option<Amount>) {
        if amount.is_some_and(Amount::is_negative) {
            self.error(path, "不能为负数");
        }
    }

    /// Requires `text` to hold something other than spaces.
    pub(crate) fn required(&mut self, path: &str, text: &str, label: &str) {
        if text.trim().is_empty() {
            self.error(path, format!("请填写{label}"));
        }
    }
}

/// A record that can check itself.
pub trait Validate {
    fn validate(&self) -> Report;
}
