//! The local device inventory: one SQLite file, user-only, in WAL mode.
//!
//! Every change runs inside an immediate transaction together with its audit entry, so a
//! failed batch leaves the inventory as it was and several writers (two windows, a script)
//! wait for each other instead of failing. A damaged file is refused on open.

mod audit;
mod credentials;
mod devices;
mod elsewhere;
mod fit;
mod import;
mod location;
mod migrations;
mod privacy;
mod query;
mod recovery;
mod redirect;
mod rollout;
mod rollout_cancel;
mod rollout_progress;
mod schema;
mod seen;
mod sip_accounts;
mod site_move;
mod site_removal;
mod sites;
mod templates;

use std::path::{Path, PathBuf};

use rusqlite::Connection;
use thiserror::Error;

use crate::printable::printable;
use crate::private_file::{create_private_dir, create_private_file};
use crate::sqlite_files::{self, starts_as_sqlite};

pub use audit::AuditEntry;
pub use credentials::CredentialGaps;
pub use elsewhere::ChangedElsewhere;
pub use fit::models_text;
pub use import::{ImportOptions, ImportReport, OnExisting};
pub use location::{APP_ID, DB_ENV, resolve_db_path};
pub use migrations::SCHEMA_VERSION;
pub use privacy::FileModeNote;
pub use query::{DevicePage, DeviceQuery, SortKey};
pub use recovery::{RecoveredAnswer, Restored, recovery_files, write_recovery};
pub use redirect::{
    PickableDevice, RedirectUpdate, STATUS_NOT_REGISTERED, STATUS_REGISTERED, SyncDevice,
};
pub use rollout::{RolloutPlan, RolloutScope};
pub use rollout_cancel::RolloutCancel;
pub use rollout_progress::{RolloutDirection, RolloutProgress};
pub use seen::Sighting;
pub use sip_accounts::sip_account_problems;
pub use site_move::move_lockout_warning;
pub use site_removal::{InheritedValue, SiteDevices, SiteRemoval};
pub use sites::{Site, SiteDraft, lockout_warning, site_name_problem};
pub use templates::{SaveOutcome, TemplateStoreError, TemplateVersion, Unchanged};

#[derive(Debug, Error)]
pub enum InventoryError {
    #[error("cannot use the inventory file {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "no home folder found for the inventory; pass --db PATH or set PROVDESK_DB to choose a file"
    )]
    NoDataDir,
    #[error(
        "the inventory was written by a newer provdesk (schema {found}, this build knows {supported}); update provdesk"
    )]
    NewerSchema { found: u32, supported: u32 },
    #[error(
        "MAC {mac} is already in the inventory; edit that device or remove it first (provdesk device rm {mac})"
    )]
    DuplicateMac { mac: String },
    #[error("MAC-ID {mac_id} is already used by another device in the inventory")]
    DuplicateMacId { mac_id: String },
    #[error("no device with MAC {mac} in the inventory; list devices with `provdesk devices`")]
    DeviceNotFound { mac: String },
    #[error("no device with id {0} in the inventory; it may have been removed meanwhile")]
    DeviceIdNotFound(i64),
    #[error("site name is empty: give the site a name")]
    EmptySiteName,
    #[error("no site named \"{name}\" in the inventory; list sites with `provdesk site list`")]
    SiteNotFound { name: String },
    #[error("site \"{}\" was not renamed: {problem}", printable(name, 120))]
    SiteNotRenamed { name: String, problem: String },
    #[error(
        "site \"{name}\" was not renamed: another site is called \"{other}\" (site names are compared ignoring case); pick another name, or move the devices over (`provdesk device site MAC… --site \"{other}\"`) and delete \"{name}\"",
        name = printable(name, 120),
        other = printable(other, 120)
    )]
    SiteNameTaken { name: String, other: String },
    #[error(
        "site \"{site}\" was not deleted, since devices are in it: {consequence} To delete it all the same, run `provdesk site rm \"{site}\" --force`; or first move them to another site with `provdesk device site MAC… --site S`",
        site = printable(&removal.site, 120),
        consequence = removal.refused()
    )]
    SiteHasDevices { removal: Box<SiteRemoval> },
    #[error("a rollout needs the new user name and password; give both")]
    RolloutCredentials,
    #[error(
        "the digest credentials are too long for some devices that would carry them (their files could not be rendered, so those phones would get 500): {problems}. Choose shorter ones, or give those devices credentials of their own"
    )]
    CredentialsTooLong { problems: String },
    #[error(
        "nothing was moved to site \"{site}\": its digest credentials are too long for devices that would take them from it (their files could not be rendered, so those phones would get 500): {problems}. Give those devices credentials of their own first (provdesk device set MAC --digest-user U --digest-password-env VAR, or the device form), or shorten the site's (Settings, Sites and their defaults)"
    )]
    MoveCredentialsTooLong { site: String, problems: String },
    #[error(
        "a password could not be generated: the operating system's random generator failed ({0}); try again"
    )]
    Random(getrandom::Error),
    #[error(
        "the SIP accounts of {mac} were not stored:\n  {}",
        errors.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n  ")
    )]
    SipAccounts {
        mac: String,
        errors: Vec<crate::device::SipFieldError>,
    },
    #[error(
        "{} was changed elsewhere since you opened it: reload to see the new values",
        printable(name, 120)
    )]
    SiteChangedElsewhere { name: String },
    #[error("{mac} was changed elsewhere since you opened it: reload to see the new values")]
    DeviceChangedElsewhere { mac: String },
    #[error("site not stored: {0}")]
    Site(String),
    #[error("row {row}: {source}")]
    Row {
        row: usize,
        source: Box<InventoryError>,
    },
    #[error(
        "{} invalid, so nothing was imported; fix {}, or import the valid rows only",
        crate::words::count(*.count, "row") + crate::words::agree(*.count, " is", " are"),
        crate::words::agree(*.count, "it", "them")
    )]
    InvalidRows { count: usize },
    #[error(
        "already in the inventory, so nothing was imported (choose skip or update for existing devices):\n  {}",
        devices.join("\n  ")
    )]
    AlreadyPresent { devices: Vec<String> },
    #[error("{location}: {error}")]
    AtSource {
        location: String,
        error: Box<InventoryError>,
    },
    #[error(
        "{} is not a provdesk inventory (an SQLite database file starts with \"SQLite format 3\"); pass --db the inventory's file, or the name of a new file to start one",
        path.display()
    )]
    NotAnInventory { path: PathBuf },
    #[error(
        "the inventory {path} is damaged ({problem}), so provdesk will not write to it. Move it aside and restore a copy: {}",
        restore_hint(path)
    )]
    Damaged { path: PathBuf, problem: String },
    #[error(
        "could not bring the inventory to schema {to}: {source}. The file as it was is kept at {}: copy it back over the inventory to return to it",
        copy.display()
    )]
    Migration {
        to: u32,
        copy: PathBuf,
        source: rusqlite::Error,
    },
    #[error(
        "{source}; the registrations that could not be recorded (with their MAC passwords) are kept in {} (readable by you only): the next `provdesk sync` records them",
        recovery.display()
    )]
    KeptForRecovery {
        source: Box<InventoryError>,
        recovery: PathBuf,
    },
    /// Not marked as the source: SQLite's error already says what its own source would, and a
    /// chain of both printed the same words three times.
    #[error("{}", sqlite_message(.0))]
    Sqlite(rusqlite::Error),
}

impl From<rusqlite::Error> for InventoryError {
    fn from(error: rusqlite::Error) -> Self {
        Self::Sqlite(error)
    }
}

/// SQLite's error in words with what to do where there is something to do.
fn sqlite_message(error: &rusqlite::Error) -> String {
    match error.sqlite_error_code() {
        Some(rusqlite::ErrorCode::ReadOnly) => "the inventory cannot be written: the file, or \
            the folder it is in, is read-only for you (SQLite writes -wal and -shm files beside \
            it); check their permissions, or pass --db a file you may write"
            .into(),
        Some(rusqlite::ErrorCode::CannotOpen) => format!(
            "SQLite cannot open the inventory ({error}); check that the path names a file in a \
             folder you may write"
        ),
        Some(rusqlite::ErrorCode::DiskFull) => {
            "the disk is full, so nothing was written; free some space and try again".into()
        }
        _ => format!("database error: {error}"),
    }
}

/// The copies a damaged inventory can be restored from: the ones taken before a migration,
/// if any lie next to it, else the user's own backup.
fn restore_hint(path: &Path) -> String {
    let copies: Vec<String> = (1..=SCHEMA_VERSION)
        .rev()
        .map(|to| migrations::backup_path(path, to))
        .filter(|copy| copy.exists())
        .map(|copy| copy.display().to_string())
        .collect();
    if copies.is_empty() {
        "your own backup of it (no copy from before a schema change lies next to it)".into()
    } else {
        format!(
            "{} (taken before a schema change: newer changes are not in it), or your own backup",
            copies.join(" or ")
        )
    }
}

/// An open inventory. Not `Sync`: the GUI keeps it on its worker, the CLI on its one thread.
pub struct Inventory {
    conn: Connection,
    /// After `conn`, so that the file counts as held until the connection is closed.
    _hold: sqlite_files::Hold,
    path: PathBuf,
    migration_backup: Option<PathBuf>,
    file_mode_note: Option<FileModeNote>,
    /// Where [`Inventory::changed_elsewhere`] last looked.
    elsewhere: elsewhere::Watermark,
}

impl Inventory {
    /// Opens (creating if needed) the inventory at `path` and brings its schema up to date.
    /// A new file is created readable and writable by the user only. A damaged file is refused
    /// (`PRAGMA quick_check`); before a migration the file is copied (see
    /// [`Inventory::migration_backup`]).
    pub fn open(path: &Path) -> Result<Self, InventoryError> {
        let io_error = |source| InventoryError::Io {
            path: path.to_path_buf(),
            source,
        };
        if path.is_dir() {
            return Err(io_error(std::io::Error::new(
                std::io::ErrorKind::IsADirectory,
                format!(
                    "it is a folder; pass the path of a file, e.g. {}",
                    path.join("inventory.sqlite3").display()
                ),
            )));
        }
        if path.metadata().is_ok_and(|metadata| !metadata.is_file()) {
            return Err(io_error(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                "it is a pipe or a device, not a file; pass the path of a file",
            )));
        }
        if !holds_sqlite_or_nothing(path) {
            return Err(InventoryError::NotAnInventory {
                path: path.to_path_buf(),
            });
        }
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            create_private_dir(parent).map_err(io_error)?;
        }
        create_private_file(path).map_err(io_error)?;
        // Before SQLite opens it: a journal it creates takes the main file's mode.
        let file_mode_note = privacy::make_private(path);
        let damaged = |error| damaged_error(path, error);
        let mut conn = Connection::open(path)?;
        // First, so that everything after it waits for other writers instead of failing.
        conn.busy_timeout(BUSY_TIMEOUT)?;
        let migration_backup = until_not_busy(|| {
            conn.pragma_update(None, "journal_mode", "WAL")
                .map_err(damaged)?;
            conn.pragma_update(None, "synchronous", "NORMAL")?;
            conn.pragma_update(None, "foreign_keys", "ON")?;
            quick_check(&conn, path)?;
            let backup = migrations::migrate(&mut conn, path).map_err(|e| match e {
                InventoryError::Sqlite(error) => damaged_error(path, error),
                other => other,
            })?;
            match schema::missing(&conn).map_err(damaged)? {
                None => Ok(backup),
                Some(missing) => Err(InventoryError::Damaged {
                    path: path.to_path_buf(),
                    problem: format!(
                        "{missing}: it is not a provdesk inventory, or its tables were changed by hand"
                    ),
                }),
            }
        })?;
        let elsewhere = elsewhere::Watermark::read(&conn)?;
        Ok(Self {
            conn,
            _hold: sqlite_files::hold(path),
            path: path.to_path_buf(),
            migration_backup,
            file_mode_note,
            elsewhere,
        })
    }

    /// What this open found of the file's mode, when others could read it (see
    /// [`FileModeNote`]); the faces show it once.
    pub fn file_mode_note(&self) -> Option<&FileModeNote> {
        self.file_mode_note.as_ref()
    }

    /// How long a change waits for another writer before it fails (default 10 s).
    pub fn set_busy_timeout(&mut self, timeout: std::time::Duration) -> Result<(), InventoryError> {
        Ok(self.conn.busy_timeout(timeout)?)
    }

    /// The copy of the file taken before this open migrated its schema, if it did.
    pub fn migration_backup(&self) -> Option<&Path> {
        self.migration_backup.as_deref()
    }

    /// A transaction for a change. Immediate: it takes the write lock at once (waiting up to
    /// the busy timeout for another writer), so a change that reads before it writes cannot
    /// fail half-way with "database is locked" when another process wrote meanwhile.
    fn write(&mut self) -> Result<rusqlite::Transaction<'_>, InventoryError> {
        Ok(self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn schema_version(&self) -> Result<u32, InventoryError> {
        Ok(self
            .conn
            .query_row("PRAGMA user_version", [], |row| row.get(0))?)
    }
}

/// Runs the steps of opening again while SQLite answers "database is locked" without waiting:
/// it does so in a few places its busy timeout does not cover (several processes switching a
/// new file to WAL at once, one of them recovering the WAL index), seen with four processes
/// opening one new file on a loaded machine. Gives up after the busy timeout.
fn until_not_busy<T>(
    mut steps: impl FnMut() -> Result<T, InventoryError>,
) -> Result<T, InventoryError> {
    let deadline = std::time::Instant::now() + BUSY_TIMEOUT;
    loop {
        match steps() {
            Err(InventoryError::Sqlite(error))
                if error.sqlite_error_code() == Some(rusqlite::ErrorCode::DatabaseBusy)
                    && std::time::Instant::now() < deadline =>
            {
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            result => return result,
        }
    }
}

/// How long a change waits for another writer (another window, a script) to finish.
const BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

/// Whether `path` is missing, empty or starts as an SQLite database does: anything else (a CSV
/// file given to --db by mistake) is no inventory, and SQLite would call it damaged.
fn holds_sqlite_or_nothing(path: &Path) -> bool {
    starts_as_sqlite(path) != Some(false)
}

/// SQLite's own word that the file is damaged (or is no database) becomes
/// [`InventoryError::Damaged`]; any other error stays as it is.
fn damaged_error(path: &Path, error: rusqlite::Error) -> InventoryError {
    match error.sqlite_error_code() {
        Some(rusqlite::ErrorCode::DatabaseCorrupt | rusqlite::ErrorCode::NotADatabase) => {
            InventoryError::Damaged {
                path: path.to_path_buf(),
                problem: error.to_string(),
            }
        }
        _ => InventoryError::Sqlite(error),
    }
}

/// `PRAGMA quick_check` (the structure of every page, not the indexes' contents): a damaged
/// file is refused before anything is written to it.
fn quick_check(conn: &Connection, path: &Path) -> Result<(), InventoryError> {
    let problems: Vec<String> = conn
        .prepare("PRAGMA quick_check(5)")
        .and_then(|mut stmt| {
            stmt.query_map([], |row| row.get::<_, String>(0))?
                .collect::<Result<_, _>>()
        })
        .map_err(|error| damaged_error(path, error))?;
    if problems.len() == 1 && problems[0] == "ok" {
        return Ok(());
    }
    Err(InventoryError::Damaged {
        path: path.to_path_buf(),
        problem: format!("SQLite's quick_check says: {}", problems.join("; ")),
    })
}
