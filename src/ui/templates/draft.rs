//! One template's editor state: its text, the note for the next version, the text in use, and
//! the problems found in the text (checked again only when it changed).

use crate::templates::{DefaultTemplate, Located, Template};

/// One template's text in the editor and the text of the version in use.
pub(super) struct Draft {
    pub(super) text: String,
    /// The note for the version the next save makes (optional, one line).
    pub(super) note: String,
    /// What is in use: the newest saved body, or the built-in text.
    pub(super) in_use: String,
    /// The version the editor's text started from (`None`: the built-in template, none saved):
    /// the newest whenever the editor has no unsaved edits, so a save over a version saved
    /// elsewhere meanwhile is refused instead of undoing it.
    pub(super) base: Option<u32>,
    /// The text `problems` were found in.
    pub(super) checked: Option<String>,
    pub(super) problems: Vec<Located>,
    /// When the text parses, the problems of the files it renders for a sample device of each
    /// model that reads it ([`Template::trial`]): saving refuses these as it refuses `problems`.
    pub(super) refused: Vec<Located>,
    /// The parsed template when the text is valid, for the preview.
    pub(super) parsed: Option<Template>,
}

impl Draft {
    pub(super) fn new(text: String) -> Self {
        Self {
            in_use: text.clone(),
            text,
            base: None,
            note: String::new(),
            checked: None,
            problems: Vec::new(),
            refused: Vec::new(),
            parsed: None,
        }
    }

    pub(super) fn dirty(&self) -> bool {
        self.text != self.in_use
    }

    /// Validates the text when it changed since the last check.
    pub(super) fn check(&mut self, default: &DefaultTemplate) {
        if self.checked.as_deref() == Some(self.text.as_str()) {
            return;
        }
        match Template::parse(default.name, default.format, &self.text, None) {
            Ok(template) => {
                self.problems.clear();
                self.refused = template.trial();
                self.parsed = Some(template);
            }
            Err(errors) => {
                self.problems = errors.0;
                self.refused.clear();
                self.parsed = None;
            }
        }
        self.checked = Some(self.text.clone());
    }

    /// What keeps the text from being saved: its own problems, else those of its files.
    pub(super) fn blocking(&self) -> &[Located] {
        if self.problems.is_empty() {
            &self.refused
        } else {
            &self.problems
        }
    }
}
