//! The inventory's file, and the journal files beside it, readable by the user only.
//!
//! A new inventory is created so, but a file that was there already (a `touch`ed one adopted
//! as a new inventory, a copy made 0644 by `cp` or a file manager) kept its mode, and SQLite
//! gives the `-wal` and `-shm` files the main file's: a world-readable inventory with MAC
//! passwords in it, and journals with the newest ones. Each open makes them private again
//! when the user may (it is their file), and says so; when they may not, every open says so.

use std::fmt;
use std::path::{Path, PathBuf};

/// What an open found of the files' modes, when they were not private.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileModeNote {
    /// Made private; `mode` is what the first of them had.
    MadePrivate { files: Vec<PathBuf>, mode: u32 },
    /// Still readable by others: the user may not change the mode.
    StillShared {
        file: PathBuf,
        mode: u32,
        error: String,
    },
}

impl FileModeNote {
    /// Whether the files are still readable by others, which the faces show as a problem.
    pub fn still_shared(&self) -> bool {
        matches!(self, Self::StillShared { .. })
    }
}

impl fmt::Display for FileModeNote {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::MadePrivate { files, mode } => write!(
                f,
                "made {} readable by you only (0600): {} readable by other users (mode {mode:04o}), and an inventory holds MAC and digest passwords",
                names(files),
                if files.len() == 1 {
                    "it was"
                } else {
                    "they were"
                },
            ),
            Self::StillShared { file, mode, error } => write!(
                f,
                "{} is readable by other users (mode {mode:04o}), and an inventory holds MAC and digest passwords, but provdesk could not make it private ({error}); have its owner run `chmod 600 {}`, or keep your own copy in a file of yours",
                file.display(),
                file.display()
            ),
        }
    }
}

fn names(files: &[PathBuf]) -> String {
    files
        .iter()
        .map(|file| file.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Makes the inventory at `path` and its journal files private where others may read or write
/// them. Files not there are left alone.
#[cfg(unix)]
pub(super) fn make_private(path: &Path) -> Option<FileModeNote> {
    use std::os::unix::fs::PermissionsExt as _;
    let mut made = Vec::new();
    let mut first_mode = None;
    for suffix in ["", "-wal", "-shm"] {
        let mut name = path.as_os_str().to_owned();
        name.push(suffix);
        let file = PathBuf::from(name);
        let Ok(metadata) = std::fs::metadata(&file) else {
            continue;
        };
        let mode = metadata.permissions().mode() & 0o7777;
        if !metadata.is_file() || mode & 0o077 == 0 {
            continue;
        }
        let private = std::fs::Permissions::from_mode(mode & 0o700);
        if let Err(error) = std::fs::set_permissions(&file, private) {
            return Some(FileModeNote::StillShared {
                file,
                mode,
                error: error.to_string(),
            });
        }
        first_mode.get_or_insert(mode);
        made.push(file);
    }
    first_mode.map(|mode| FileModeNote::MadePrivate { files: made, mode })
}

/// On Windows the files keep the ACL of their folder (see [`crate::private_file`]).
#[cfg(not(unix))]
pub(super) fn make_private(_: &Path) -> Option<FileModeNote> {
    None
}

#[cfg(all(test, unix))]
mod tests {
    use std::os::unix::fs::PermissionsExt as _;

    use super::*;

    fn mode(path: &Path) -> u32 {
        std::fs::metadata(path).unwrap().permissions().mode() & 0o7777
    }

    #[test]
    fn the_file_and_its_journals_are_made_private_once() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("inventory.sqlite3");
        let journals = ["", "-wal", "-shm"]
            .map(|suffix| dir.path().join(format!("inventory.sqlite3{suffix}")));
        for file in &journals {
            std::fs::write(file, "").unwrap();
            std::fs::set_permissions(file, std::fs::Permissions::from_mode(0o664)).unwrap();
        }
        let note = make_private(&db).unwrap();
        assert_eq!(
            note,
            FileModeNote::MadePrivate {
                files: journals.to_vec(),
                mode: 0o664
            }
        );
        assert!(
            note.to_string()
                .contains("they were readable by other users (mode 0664)"),
            "{note}"
        );
        for file in &journals {
            assert_eq!(mode(file), 0o600);
        }
        assert_eq!(make_private(&db), None, "nothing left to do");
    }

    #[test]
    fn a_private_or_missing_file_is_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("inventory.sqlite3");
        assert_eq!(make_private(&db), None);
        std::fs::write(&db, "").unwrap();
        std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o400)).unwrap();
        assert_eq!(make_private(&db), None);
        assert_eq!(mode(&db), 0o400);
    }
}
