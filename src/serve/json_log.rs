//! The JSON log of a serving run: one object per request appended to a file the user names,
//! for a script or a later look. Both faces write it the same way, so a line from the window
//! and one from `provdesk serve` read alike (never a password, HA1 or digest response: the
//! event holds none).

use std::fs::{File, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use super::event::ServeEvent;

/// Why the JSON log could not be opened or written.
#[derive(Debug, thiserror::Error)]
#[error("JSON log {path}: {source}; pick a file in a folder you can write to")]
pub struct JsonLogError {
    pub path: PathBuf,
    source: io::Error,
}

/// The file the events go to, appended to: a run after a restart keeps the earlier lines.
pub struct JsonLog {
    path: PathBuf,
    out: BufWriter<File>,
}

impl JsonLog {
    /// Opens `path` for appending, creating it when it does not exist yet.
    pub fn open(path: &Path) -> Result<Self, JsonLogError> {
        let file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .map_err(|source| JsonLogError {
                path: path.to_path_buf(),
                source,
            })?;
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
        .map_err(|source| JsonLogError {
            path: self.path.clone(),
            source,
        })
    }
}
