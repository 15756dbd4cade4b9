//! Where the inventory file lives.
//!
//! `--db PATH` wins, then `PROVDESK_DB`, then the platform's data folder, so that a laptop has
//! one inventory by default and tests and scripts can point anywhere.

use std::path::PathBuf;

use super::InventoryError;

/// The reverse-DNS id shared by the window (`with_app_id`), the `.desktop` file and the data folder.
pub const APP_ID: &str = "net.provdesk.Provdesk";

/// The environment variable that names the database when `--db` is not given.
pub const DB_ENV: &str = "PROVDESK_DB";

/// Picks the database path: the explicit one, else `PROVDESK_DB`, else the platform data folder.
pub fn resolve_db_path(explicit: Option<PathBuf>) -> Result<PathBuf, InventoryError> {
    if let Some(path) = explicit {
        return Ok(path);
    }
    if let Some(path) = std::env::var_os(DB_ENV).filter(|v| !v.is_empty()) {
        return Ok(PathBuf::from(path));
    }
    let dirs = directories::ProjectDirs::from("net", "provdesk", "Provdesk")
        .ok_or(InventoryError::NoDataDir)?;
    Ok(dirs.data_dir().join("inventory.sqlite3"))
}
