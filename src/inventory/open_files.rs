//! The database files this process holds open through SQLite.
//!
//! SQLite locks a database with POSIX advisory locks, and POSIX drops every lock a process
//! holds on a file when the process closes *any* descriptor of that file. Reading the
//! inventory's first bytes with `std::fs` while a connection of this process has it open (a
//! second connection of the window opening, a label "import" of the inventory itself) therefore
//! released the window's locks: the next `sqlite3` shell or script to close the file took
//! itself for the last user, checkpointed and deleted the write-ahead log under the window,
//! and the window's later writes were lost ("How To Corrupt An SQLite Database File", 2.2).
//! Code that would open a file first asks here whether it is one of these, or one of their
//! journal files, and leaves it to SQLite if so.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{LazyLock, Mutex, PoisonError};

/// The files SQLite keeps beside a database, which hold its pages too.
const COMPANIONS: [&str; 4] = ["", "-wal", "-shm", "-journal"];

/// Each file held open (canonical path), with how many connections hold it.
static HELD: LazyLock<Mutex<HashMap<PathBuf, usize>>> = LazyLock::new(Mutex::default);

/// One connection's hold on its file, given back when dropped.
#[derive(Debug)]
pub(super) struct Hold(Option<PathBuf>);

/// Records that a connection of this process has the database at `path` open. A path that
/// cannot be resolved is not recorded (the file was just opened, so that does not happen).
pub(super) fn hold(path: &Path) -> Hold {
    let Ok(file) = path.canonicalize() else {
        return Hold(None);
    };
    *held().entry(file.clone()).or_default() += 1;
    Hold(Some(file))
}

impl Drop for Hold {
    fn drop(&mut self) {
        let Some(file) = self.0.take() else {
            return;
        };
        let mut held = held();
        if let Some(count) = held.get_mut(&file) {
            *count -= 1;
            if *count == 0 {
                held.remove(&file);
            }
        }
    }
}

/// Whether `path` is a database this process holds open through SQLite, or one of its
/// journal files: opening and closing it outside SQLite would drop SQLite's locks.
pub fn held_open(path: &Path) -> bool {
    let Ok(file) = path.canonicalize() else {
        return false;
    };
    let held = held();
    held.keys().any(|database| {
        COMPANIONS.iter().any(|suffix| {
            let mut name = database.as_os_str().to_owned();
            name.push(suffix);
            file.as_os_str() == name
        })
    })
}

fn held() -> std::sync::MutexGuard<'static, HashMap<PathBuf, usize>> {
    HELD.lock().unwrap_or_else(PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_held_while_any_hold_on_it_lasts_and_its_journals_with_it() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("inventory.sqlite3");
        std::fs::write(&db, b"").unwrap();
        let wal = dir.path().join("inventory.sqlite3-wal");
        std::fs::write(&wal, b"").unwrap();
        let other = dir.path().join("labels.csv");
        std::fs::write(&other, b"").unwrap();
        assert!(!held_open(&db));
        let first = hold(&db);
        let second = hold(&dir.path().join(".").join("inventory.sqlite3"));
        assert!(held_open(&db) && held_open(&wal));
        assert!(!held_open(&other));
        drop(first);
        assert!(held_open(&db), "the second connection still holds it");
        drop(second);
        assert!(!held_open(&db) && !held_open(&wal));
    }
}
