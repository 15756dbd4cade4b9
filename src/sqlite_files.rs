//! SQLite database files: the ones this process holds open, and whether a file is one.
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
//!
//! It sits below both the inventory (which records its connections here) and the private
//! files (which refuse to replace a database with a saved HAR, trace or export), so that
//! neither has to know the other.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{LazyLock, Mutex, PoisonError};

/// The files SQLite keeps beside a database, which hold its pages too.
const COMPANIONS: [&str; 4] = ["", "-wal", "-shm", "-journal"];

/// Each file held open (canonical path), with how many connections hold it.
static HELD: LazyLock<Mutex<HashMap<PathBuf, usize>>> = LazyLock::new(Mutex::default);

/// One connection's hold on its file, given back when dropped.
#[derive(Debug)]
pub(crate) struct Hold(Option<PathBuf>);

/// Records that a connection of this process has the database at `path` open. A path that
/// cannot be resolved is not recorded (the file was just opened, so that does not happen).
pub(crate) fn hold(path: &Path) -> Hold {
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
    let Some(file) = resolved(path) else {
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

/// `path` with its links and `..` resolved; a file not there yet (a journal file SQLite has
/// not made, a file about to be saved) is resolved by its folder, so a save under that name
/// is still seen to be one.
fn resolved(path: &Path) -> Option<PathBuf> {
    if let Ok(file) = path.canonicalize() {
        return Some(file);
    }
    let folder = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    Some(folder.canonicalize().ok()?.join(path.file_name()?))
}

/// Whether the file at `path` starts as an SQLite database does; `None` when it is missing,
/// empty or unreadable, so there is nothing to tell. A database this process holds open is
/// one, and is not opened to read it (see [`held_open`]).
pub fn starts_as_sqlite(path: &Path) -> Option<bool> {
    use std::io::Read as _;
    const HEADER: &[u8] = b"SQLite format 3\0";
    if held_open(path) {
        return Some(true);
    }
    let file = std::fs::File::open(path).ok()?;
    let mut head = Vec::with_capacity(HEADER.len());
    match file.take(HEADER.len() as u64).read_to_end(&mut head) {
        Ok(0) | Err(_) => None,
        Ok(_) => Some(head == HEADER),
    }
}

/// Why a file saved whole (a HAR, a trace, an export, a rendered file) or appended to (a JSON
/// log) must not be written at `path`, if it must not: the inventory this process has open or one of its
/// journal files, or any other SQLite database (an inventory not open now, a backup of one).
/// Saving a HAR there would replace every device, site and password with it.
pub fn not_to_be_written(path: &Path) -> Option<&'static str> {
    if held_open(path) {
        return Some(
            "it is the inventory provdesk has open (or one of its journal files), which saving here would destroy; choose another file name",
        );
    }
    (starts_as_sqlite(path) == Some(true)).then_some(
        "it is an SQLite database (an inventory, or a backup of one), which saving here would destroy; choose another file name",
    )
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

    #[test]
    fn a_journal_file_not_made_yet_counts_as_held() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("inventory.sqlite3");
        std::fs::write(&db, b"").unwrap();
        let _hold = hold(&db);
        assert!(held_open(&dir.path().join("inventory.sqlite3-journal")));
        assert!(!held_open(&dir.path().join("inventory.sqlite3.har")));
    }

    #[test]
    fn a_database_is_not_to_be_written_whether_open_or_not() {
        let dir = tempfile::tempdir().unwrap();
        let open = dir.path().join("open.sqlite3");
        std::fs::write(&open, b"").unwrap();
        let _hold = hold(&open);
        let closed = dir.path().join("backup.sqlite3");
        std::fs::write(&closed, b"SQLite format 3\0and pages").unwrap();
        let text = dir.path().join("old.har");
        std::fs::write(&text, b"{}").unwrap();
        let open_reason = not_to_be_written(&open).unwrap();
        assert!(open_reason.contains("the inventory provdesk has open"));
        assert!(not_to_be_written(&dir.path().join("open.sqlite3-wal")).is_some());
        let closed_reason = not_to_be_written(&closed).unwrap();
        assert!(closed_reason.contains("SQLite database"));
        assert!(closed_reason.ends_with("choose another file name"));
        assert_eq!(not_to_be_written(&text), None);
        assert_eq!(not_to_be_written(&dir.path().join("new.har")), None);
    }
}
