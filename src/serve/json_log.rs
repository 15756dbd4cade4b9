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
    ///
    /// The log names the phones, their users and addresses, so it is the user's only, as every
    /// file provdesk writes with phone data is: created 0600, and an older log readable by
    /// others made 0600. A symbolic link at `path` is refused rather than followed, so a link
    /// planted in a shared folder cannot make the log append to a file it points at.
    pub fn open(path: &Path) -> Result<Self, JsonLogError> {
        let refused = |reason: &str| JsonLogError {
            path: path.to_path_buf(),
            reason: reason.to_string(),
        };
        if let Some(reason) = not_to_be_written(path) {
            return Err(refused(reason));
        }
        if is_link(path) {
            return Err(refused(LINK_REFUSED));
        }
        let mut options = OpenOptions::new();
        options.create(true).append(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let file = options
            .open(path)
            .map_err(|source| JsonLogError::io(path, &source))?;
        if !is_the_file_at(&file, path) {
            return Err(refused(LINK_REFUSED));
        }
        make_private(&file).map_err(|source| JsonLogError::io(path, &source))?;
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

const LINK_REFUSED: &str =
    "it is a symbolic link; give the path of the log file itself, or a new file name";

fn is_link(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|meta| meta.file_type().is_symlink())
}

/// Whether the file opened is the one at `path` itself, not one a link put there after the
/// check pointed to (compared by device and inode; elsewhere, by the check before opening).
#[cfg(unix)]
fn is_the_file_at(file: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), std::fs::symlink_metadata(path)) {
        (Ok(opened), Ok(named)) => opened.dev() == named.dev() && opened.ino() == named.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn is_the_file_at(_file: &File, path: &Path) -> bool {
    !is_link(path)
}

/// An existing log that others can read (written by an older provdesk, or by hand) becomes
/// the user's only.
#[cfg(unix)]
fn make_private(file: &File) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let mode = file.metadata()?.permissions().mode();
    if mode & 0o077 == 0 {
        return Ok(());
    }
    file.set_permissions(std::fs::Permissions::from_mode(mode & 0o700))
}

#[cfg(not(unix))]
fn make_private(_file: &File) -> io::Result<()> {
    Ok(())
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

    #[cfg(unix)]
    #[test]
    fn the_log_is_the_users_only_and_a_link_is_not_followed() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let mode = |path: &Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
        let new = dir.path().join("serve.jsonl");
        JsonLog::open(&new).unwrap();
        assert_eq!(mode(&new), 0o600);

        let older = dir.path().join("older.jsonl");
        std::fs::write(&older, "{}\n").unwrap();
        std::fs::set_permissions(&older, std::fs::Permissions::from_mode(0o644)).unwrap();
        JsonLog::open(&older).unwrap();
        assert_eq!(mode(&older), 0o600);

        let target = dir.path().join("bashrc");
        std::fs::write(&target, "kept\n").unwrap();
        let link = dir.path().join("planted.jsonl");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        let error = JsonLog::open(&link).err().expect("refused");
        assert!(error.to_string().contains("symbolic link"), "{error}");
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "kept\n");
        let dangling = dir.path().join("dangling.jsonl");
        std::os::unix::fs::symlink(dir.path().join("absent"), &dangling).unwrap();
        assert!(JsonLog::open(&dangling).is_err());
        assert!(
            !dir.path().join("absent").exists(),
            "nothing created through the link"
        );
    }
}
