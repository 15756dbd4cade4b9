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

/// Each file held open (canonical path), with how many connections hold it and which file it
/// is on its disk: a hard link to it, under any name, is the same file.
static HELD: LazyLock<Mutex<HashMap<PathBuf, Held>>> = LazyLock::new(Mutex::default);

#[derive(Debug, Default)]
struct Held {
    connections: usize,
    id: Option<FileId>,
}

/// One connection's hold on its file, given back when dropped.
#[derive(Debug)]
pub(crate) struct Hold(Option<PathBuf>);

/// Records that a connection of this process has the database at `path` open. A path that
/// cannot be resolved is not recorded (the file was just opened, so that does not happen).
pub(crate) fn hold(path: &Path) -> Hold {
    let Ok(file) = path.canonicalize() else {
        return Hold(None);
    };
    let mut held = held();
    let entry = held.entry(file.clone()).or_default();
    entry.connections += 1;
    entry.id = entry.id.or_else(|| file_id(&file));
    Hold(Some(file))
}

impl Drop for Hold {
    fn drop(&mut self) {
        let Some(file) = self.0.take() else {
            return;
        };
        let mut held = held();
        if let Some(entry) = held.get_mut(&file) {
            entry.connections -= 1;
            if entry.connections == 0 {
                held.remove(&file);
            }
        }
    }
}

/// Whether `path` is a database this process holds open through SQLite, or one of its
/// journal files: opening and closing it outside SQLite would drop SQLite's locks. Judged by
/// name (a journal file SQLite has not made yet counts) and, where the file is there, by
/// which file it is on its disk, so a hard link to the inventory under another name (`ln
/// inventory.sqlite3 labels.csv`) is seen too. Never opens `path`.
pub fn held_open(path: &Path) -> bool {
    let Some(file) = resolved(path) else {
        return false;
    };
    let id = file_id(&file);
    let held = held();
    held.iter().any(|(database, entry)| {
        COMPANIONS.iter().any(|suffix| {
            let mut name = database.as_os_str().to_owned();
            name.push(suffix);
            let same_id = || {
                let companion = if suffix.is_empty() {
                    entry.id
                } else {
                    file_id(Path::new(&name))
                };
                id.is_some() && companion == id
            };
            file.as_os_str() == name || same_id()
        })
    })
}

/// Which file `path` is on its disk (device and inode), following links; `None` where it is
/// not there, or on a system where provdesk does not ask (there, names alone are compared).
#[cfg(unix)]
fn file_id(path: &Path) -> Option<FileId> {
    use std::os::unix::fs::MetadataExt as _;
    let metadata = std::fs::metadata(path).ok()?;
    Some((metadata.dev(), metadata.ino()))
}

#[cfg(not(unix))]
fn file_id(_: &Path) -> Option<FileId> {
    None
}

type FileId = (u64, u64);

/// `path` with its links and `..` resolved; a file not there yet (a journal file SQLite has
/// not made, a file about to be saved) is resolved by its folder, so a save under that name
/// is still seen to be one.
pub(crate) fn resolved(path: &Path) -> Option<PathBuf> {
    if let Ok(file) = path.canonicalize() {
        return Some(file);
    }
    let folder = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    Some(folder.canonicalize().ok()?.join(path.file_name()?))
}

/// The first bytes of every SQLite database file.
pub const SQLITE_HEADER: &[u8] = b"SQLite format 3\0";

/// Whether the file at `path` starts as an SQLite database does; `None` when it is missing,
/// empty or unreadable, or not a plain file, so there is nothing to tell. A database this
/// process holds open is one, and is not opened to read it (see [`held_open`]). A pipe or a
/// device is not opened either: opening a pipe to read it waits for a writer, and
/// `/dev/stdout` into a pipe is the read end of provdesk's own output, so `export --csv
/// /dev/stdout | head` waited forever.
pub fn starts_as_sqlite(path: &Path) -> Option<bool> {
    use std::io::Read as _;
    if held_open(path) {
        return Some(true);
    }
    if !std::fs::metadata(path).ok()?.is_file() {
        return None;
    }
    let file = std::fs::File::open(path).ok()?;
    let mut head = Vec::with_capacity(SQLITE_HEADER.len());
    match file.take(SQLITE_HEADER.len() as u64).read_to_end(&mut head) {
        Ok(0) | Err(_) => None,
        Ok(_) => Some(head == SQLITE_HEADER),
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
    if starts_as_sqlite(path) == Some(true) {
        return Some(
            "it is an SQLite database (an inventory, or a backup of one), which saving here would destroy; choose another file name",
        );
    }
    is_sqlite_journal(path).then_some(
        "it is the journal of an SQLite database (an inventory another provdesk may have open), which saving here would damage; choose another file name",
    )
}

/// The first bytes of SQLite's write-ahead log (either byte order of its checksums) and of its
/// rollback journal.
const JOURNAL_HEADERS: [&[u8]; 3] = [
    &[0x37, 0x7f, 0x06, 0x82],
    &[0x37, 0x7f, 0x06, 0x83],
    &[0xd9, 0xd5, 0x05, 0xf9, 0x20, 0xa1, 0x63, 0xd7],
];

/// Whether `path` is a journal file of an SQLite database: it begins as one, or is named as one
/// beside a database. Another process's inventory is not in this process's registry, and its
/// `-wal` holds the changes not yet copied into the database: a HAR saved over it while that
/// window or `provdesk serve` ran left the inventory damaged, and their recent changes lost.
fn is_sqlite_journal(path: &Path) -> bool {
    use std::io::Read as _;
    let named_beside_a_database = COMPANIONS[1..].iter().any(|suffix| {
        path.to_str()
            .and_then(|name| name.strip_suffix(suffix))
            .is_some_and(|database| starts_as_sqlite(Path::new(database)) == Some(true))
    });
    if named_beside_a_database {
        return true;
    }
    if !std::fs::metadata(path).is_ok_and(|m| m.is_file()) {
        return false;
    }
    let mut head = Vec::with_capacity(8);
    std::fs::File::open(path)
        .and_then(|file| file.take(8).read_to_end(&mut head))
        .is_ok()
        && JOURNAL_HEADERS.iter().any(|magic| head.starts_with(magic))
}

fn held() -> std::sync::MutexGuard<'static, HashMap<PathBuf, Held>> {
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
    /// A hard link is the inventory under another name: reading it as a label file or saving
    /// over it is what the name check let through.
    #[cfg(unix)]
    #[test]
    fn a_hard_link_to_a_held_file_or_its_journal_is_held_too() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("inventory.sqlite3");
        std::fs::write(&db, b"SQLite format 3\0").unwrap();
        let wal = dir.path().join("inventory.sqlite3-wal");
        std::fs::write(&wal, b"").unwrap();
        let _hold = hold(&db);
        let linked = dir.path().join("labels.csv");
        std::fs::hard_link(&db, &linked).unwrap();
        let linked_wal = dir.path().join("trace.txt");
        std::fs::hard_link(&wal, &linked_wal).unwrap();
        assert!(held_open(&linked) && held_open(&linked_wal));
        assert!(
            not_to_be_written(&linked)
                .unwrap()
                .contains("the inventory provdesk has open")
        );
        let copy = dir.path().join("copy.csv");
        std::fs::copy(&db, &copy).unwrap();
        assert!(!held_open(&copy), "a copy is another file");
    }

    /// Opening a pipe to read it waits for a writer: the check must not open it. A writer
    /// thread stands by so that a check which does open it ends (and fails) instead of hanging.
    #[cfg(unix)]
    /// Another process's inventory is not in this one's registry: its journals are known by
    /// their name beside a database, and by their first bytes.
    #[test]
    fn a_journal_of_a_database_not_open_here_is_not_to_be_written() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("elsewhere.sqlite3");
        let other = rusqlite::Connection::open(&db).unwrap();
        other.pragma_update(None, "journal_mode", "WAL").unwrap();
        other
            .execute_batch("CREATE TABLE t(x); INSERT INTO t VALUES (1);")
            .unwrap();
        let wal = dir.path().join("elsewhere.sqlite3-wal");
        assert!(wal.exists(), "the other connection's log");
        for journal in ["-wal", "-shm", "-journal"] {
            let path = dir.path().join(format!("elsewhere.sqlite3{journal}"));
            let why = not_to_be_written(&path).unwrap_or_default();
            assert!(
                why.contains("the journal of an SQLite database"),
                "{journal}: {why}"
            );
        }
        let moved = dir.path().join("renamed.log");
        std::fs::copy(&wal, &moved).unwrap();
        assert!(
            not_to_be_written(&moved).is_some(),
            "known by its first bytes"
        );
        let text = dir.path().join("notes-wal");
        std::fs::write(&text, "not a journal").unwrap();
        assert_eq!(not_to_be_written(&text), None);
        drop(other);
    }

    #[test]
    fn a_pipe_is_not_opened_to_look_at_it() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("export.csv");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        assert!(made.unwrap().success());
        let writer = {
            let fifo = fifo.clone();
            std::thread::spawn(move || {
                use std::io::Write as _;
                let mut end = std::fs::OpenOptions::new().write(true).open(fifo)?;
                end.write_all(SQLITE_HEADER)
            })
        };
        assert_eq!(starts_as_sqlite(&fifo), None);
        assert_eq!(not_to_be_written(&fifo), None);
        // Linux opens a pipe for reading and writing at once without waiting: it lets the
        // writer through.
        let _release = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .open(&fifo);
        let _ = writer.join();
    }
}
