//! The JSON log of a serving run: one object per request appended to a file the user names,
//! for a script or a later look. Both faces write it the same way, so a line from the window
//! and one from `provdesk serve` read alike (never a password, HA1 or digest response: the
//! event holds none).

use std::fs::{File, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use super::event::ServeEvent;
use crate::sqlite_files::not_to_be_written;

/// Why the JSON log could not be opened or written, with what to do.
#[derive(Debug, thiserror::Error)]
#[error("JSON log {path}: {reason}")]
pub struct JsonLogError {
    pub path: PathBuf,
    reason: String,
}

impl JsonLogError {
    fn io(path: &Path, source: &io::Error) -> Self {
        Self {
            path: path.to_path_buf(),
            reason: format!("{source}; pick a file in a folder you can write to"),
        }
    }
}

/// The file the events go to, appended to: a run after a restart keeps the earlier lines.
pub struct JsonLog {
    path: PathBuf,
    out: BufWriter<File>,
}

impl JsonLog {
    /// Opens `path` for appending, creating it when it does not exist yet. The inventory, or
    /// any other SQLite database, is refused before it is opened: lines appended to it would
    /// damage it, and opening it beside SQLite drops SQLite's locks (see
    /// [`crate::sqlite_files`]).
    pub fn open(path: &Path) -> Result<Self, JsonLogError> {
        if let Some(reason) = not_to_be_written(path) {
            return Err(JsonLogError {
                path: path.to_path_buf(),
                reason: reason.to_string(),
            });
        }
        let file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .map_err(|source| JsonLogError::io(path, &source))?;
        Ok(Self {
            path: path.to_path_buf(),
            out: BufWriter::new(file),
        })
    }

    /// Appends one event as a line, flushed at once: a run stopped by Ctrl-C or a crash keeps
    /// every request answered before it.
    pub fn write(&mut self, event: &ServeEvent) -> Result<(), JsonLogError> {
        let line = serde_json::to_string(event).map_err(io::Error::other);
        line.and_then(|line| {
            writeln!(self.out, "{line}")?;
            self.out.flush()
        })
        .map_err(|source| JsonLogError::io(&self.path, &source))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_database_is_refused_before_it_is_opened_and_stays_as_it_was() {
        let dir = tempfile::tempdir().unwrap();
        let database = dir.path().join("inventory.sqlite3");
        let pages = b"SQLite format 3\0the devices";
        std::fs::write(&database, pages).unwrap();
        let error = JsonLog::open(&database).err().expect("refused");
        assert!(error.to_string().contains("SQLite database"), "{error}");
        assert!(error.to_string().ends_with("choose another file name"));
        assert_eq!(std::fs::read(&database).unwrap(), pages);
        assert!(JsonLog::open(&dir.path().join("serve.jsonl")).is_ok());
    }
}
