//! The status bar's state: the inventory file, counts, and the last message.

use std::path::PathBuf;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    Info,
    Error,
}

#[derive(Debug, Default)]
pub struct StatusLine {
    pub db_path: Option<PathBuf>,
    /// Set when the inventory could not be opened: the app shows it instead of the panels.
    pub open_error: Option<String>,
    pub message: Option<(Severity, String)>,
}

impl StatusLine {
    pub fn info(&mut self, message: impl Into<String>) {
        self.message = Some((Severity::Info, message.into()));
    }

    pub fn error(&mut self, message: impl Into<String>) {
        let message = message.into();
        tracing::warn!("{message}");
        self.message = Some((Severity::Error, message));
    }
}
