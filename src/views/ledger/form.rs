//! The state of one open ledger form, shared by its sections.

use std::collections::BTreeSet;
use std::sync::Arc;

use dioxus::prelude::*;
use fieldledger_model::Severity;

use crate::data::AppData;
use crate::viewmodel::{FieldKind, LedgerDraft};

/// The draft, which fields were left, and whether a save was tried.
#[derive(Clone)]
pub struct FormCtx {
    pub draft: Signal<LedgerDraft>,
    touched: Signal<BTreeSet<String>>,
    tried: Signal<bool>,
    /// The last failure to store the draft or the ledger.
    pub error: Signal<Option<String>>,
    data: Arc<dyn AppData>,
}

impl FormCtx {
    pub fn new(draft: LedgerDraft, data: Arc<dyn AppData>) -> Self {
        Self {
            draft: Signal::new(draft),
            touched: Signal::new(BTreeSet::new()),
            tried: Signal::new(false),
            error: Signal::new(None),
            data,
        }
    }

    /// Changes the draft and keeps it.
    pub fn edit(&self, change: impl FnOnce(&mut LedgerDraft)) {
        let mut draft = self.draft;
        change(&mut draft.write());
        let kept = self.data.save_draft(&draft.read());
        let mut error = self.error;
        error.set(kept.err().map(|e| e.to_string()));
    }

    /// Takes the text typed at `path`.
    pub fn set_text(&self, path: &str, kind: FieldKind, text: &str) {
        self.edit(|d| d.set_text(path, kind, text));
    }

    /// Marks `path` as left by the user, so its messages show.
    pub fn touch(&self, path: &str) {
        let mut touched = self.touched;
        if !touched.read().contains(path) {
            touched.write().insert(path.to_owned());
        }
    }

    /// Forgets kept texts and left fields under `prefix`, after rows moved.
    pub fn forget_under(&self, prefix: &str) {
        let mut touched = self.touched;
        touched.write().retain(|p| !p.starts_with(prefix));
        self.edit(|d| d.forget_under(prefix));
    }

    /// The error and the warning to show at `path`, if it was left or a
    /// save was tried.
    pub fn messages(&self, path: &str) -> (Option<String>, Option<String>) {
        if !(self.tried)() && !self.touched.read().contains(path) {
            return (None, None);
        }
        let report = self.draft.read().report();
        let first = |severity| {
            report
                .at(path)
                .find(|i| i.severity == severity)
                .map(|i| i.message.clone())
        };

        (first(Severity::Error), first(Severity::Warning))
    }

    /// After a save attempt, how many fields still need fixing.
    pub fn problems(&self) -> Option<String> {
        if !(self.tried)() {
            return None;
        }
        let count = self.draft.read().report().errors().count();
        (count > 0).then(|| format!("还有{count}处需要修改，请查看标红的栏目"))
    }

    /// Saves the ledger when it has no errors.
    pub fn save(&self) -> Result<(), ()> {
        let mut tried = self.tried;
        tried.set(true);
        if self.draft.read().report().has_errors() {
            return Err(());
        }
        let saved = self.data.save_ledger(&self.draft.read());
        let mut error = self.error;
        error.set(saved.as_ref().err().map(|e| e.to_string()));

        saved.map_err(|_| ())
    }
}
