//! The local device inventory: one SQLite file, user-only, in WAL mode.
//!
//! Every change runs inside a transaction together with its audit entry, so a failed batch
//! leaves the inventory as it was.

mod audit;
mod devices;
mod import;
mod location;
mod migrations;
mod query;
mod redirect;
mod sites;
mod templates;

use std::path::{Path, PathBuf};

use rusqlite::Connection;
use thiserror::Error;

pub use audit::AuditEntry;
pub use import::{ImportOptions, ImportReport, OnExisting};
pub use location::{APP_ID, DB_ENV, resolve_db_path};
pub use migrations::SCHEMA_VERSION;
pub use query::{DevicePage, DeviceQuery, SortKey};
pub use redirect::{RedirectUpdate, STATUS_NOT_REGISTERED, STATUS_REGISTERED};
pub use sites::{Site, SiteDraft};
pub use templates::{TemplateStoreError, TemplateVersion};

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
    #[error("row {row}: {source}")]
    Row {
        row: usize,
        source: Box<InventoryError>,
    },
    #[error(
        "{count} row(s) are invalid, so nothing was imported; fix them, or import the valid rows only"
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
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
}

/// An open inventory. Not `Sync`: the GUI keeps it on its worker, the CLI on its one thread.
pub struct Inventory {
    conn: Connection,
    path: PathBuf,
}

impl Inventory {
    /// Opens (creating if needed) the inventory at `path` and brings its schema up to date.
    /// A new file is created readable and writable by the user only.
    pub fn open(path: &Path) -> Result<Self, InventoryError> {
        let io_error = |source| InventoryError::Io {
            path: path.to_path_buf(),
            source,
        };
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            create_private_dir(parent).map_err(io_error)?;
        }
        create_private_file(path).map_err(io_error)?;
        let mut conn = Connection::open(path)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        migrations::migrate(&mut conn)?;
        Ok(Self {
            conn,
            path: path.to_path_buf(),
        })
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

#[cfg(unix)]
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    if dir.exists() {
        return Ok(());
    }
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
}

#[cfg(not(unix))]
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)
}

/// Creates the file with mode 0600 before SQLite sees it; SQLite then gives its `-wal` and
/// `-shm` files the same mode. An existing file keeps the mode its owner gave it.
#[cfg(unix)]
fn create_private_file(path: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
    {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(e),
    }
}

#[cfg(not(unix))]
fn create_private_file(path: &Path) -> std::io::Result<()> {
    match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
    {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(e),
    }
}
