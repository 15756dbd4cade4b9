//! The last resort for the redirect server's answers that the inventory could not take.
//!
//! A MAC password exists only in the server's answer to a registration: when recording that
//! answer fails (the file is held by another writer past every retry, the disk is full), the
//! answers go to a user-only JSON file next to the inventory,
//! `<inventory>.recovery-<time>-<pid>-<n>.json`. [`Inventory::restore_recovered`] (run by
//! every sync before it plans) records them and removes the file.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::{Inventory, InventoryError, RedirectUpdate};
use crate::device::{Mac, MacPassword};

/// One registration the server confirmed, as the inventory should record it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecoveredAnswer {
    pub mac: String,
    pub mac_id: String,
    pub provider: String,
    pub url: String,
    /// In clear: the file is readable by the user only, as the inventory is.
    pub mac_password: Option<String>,
}

#[derive(Debug, Serialize, Deserialize)]
struct RecoveryFile {
    /// What the file is, for whoever finds it.
    about: String,
    written_at: String,
    answers: Vec<RecoveredAnswer>,
}

/// What [`Inventory::restore_recovered`] did with one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Restored {
    pub file: PathBuf,
    /// Answers recorded with their inventory device.
    pub recorded: usize,
    /// Answers of devices the inventory no longer holds; the file is kept when there are any.
    pub unknown: Vec<String>,
}

fn prefix(inventory: &Path) -> String {
    let name = inventory
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    format!("{name}.recovery-")
}

/// Writes `answers` to a new user-only recovery file next to `inventory` (whole or not at all:
/// written under a temporary name, synced, then renamed) and returns its path.
pub fn write_recovery(
    inventory: &Path,
    answers: &[RecoveredAnswer],
) -> Result<PathBuf, InventoryError> {
    static COUNTER: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let now = chrono::Utc::now();
    let name = format!(
        "{}{}-{}-{n}.json",
        prefix(inventory),
        now.format("%Y%m%dT%H%M%S%.3fZ"),
        std::process::id()
    );
    let target = inventory.with_file_name(name);
    let mut partial = target.as_os_str().to_owned();
    partial.push(".partial");
    let partial = PathBuf::from(partial);
    let io_error = |path: &Path| {
        let path = path.to_path_buf();
        move |source| InventoryError::Io { path, source }
    };
    let file = RecoveryFile {
        about: "MAC passwords and registrations the redirect server confirmed that provdesk could not record in its inventory; `provdesk sync` records them and removes this file".into(),
        written_at: now.to_rfc3339(),
        answers: answers.to_vec(),
    };
    let json = serde_json::to_vec_pretty(&file).expect("plain strings serialise");
    crate::private_file::create_private_file(&partial).map_err(io_error(&partial))?;
    let mut out = std::fs::OpenOptions::new()
        .write(true)
        .truncate(true)
        .open(&partial)
        .map_err(io_error(&partial))?;
    out.write_all(&json)
        .and_then(|()| out.sync_all())
        .map_err(io_error(&partial))?;
    std::fs::rename(&partial, &target).map_err(io_error(&target))?;
    Ok(target)
}

/// The recovery files lying next to `inventory`, oldest first.
pub fn recovery_files(inventory: &Path) -> Vec<PathBuf> {
    let prefix = prefix(inventory);
    let dir = match inventory.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| {
            path.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(&prefix) && n.ends_with(".json"))
        })
        .collect();
    files.sort();
    files
}

impl Inventory {
    /// Records the answers of every recovery file next to the inventory (registered, with the
    /// MAC password) and removes each file whose answers all found their device.
    pub fn restore_recovered(&mut self) -> Result<Vec<Restored>, InventoryError> {
        let mut restored = Vec::new();
        for file in recovery_files(&self.path) {
            let io_error = |source| InventoryError::Io {
                path: file.clone(),
                source,
            };
            let text = std::fs::read(&file).map_err(io_error)?;
            let parsed: RecoveryFile = serde_json::from_slice(&text)
                .map_err(|e| io_error(std::io::Error::new(std::io::ErrorKind::InvalidData, e)))?;
            let mut updates = Vec::new();
            let mut unknown = Vec::new();
            for answer in parsed.answers {
                let Ok(mac) = Mac::parse(&answer.mac) else {
                    unknown.push(answer.mac);
                    continue;
                };
                if self.device_by_mac(mac)?.is_none() {
                    unknown.push(answer.mac);
                    continue;
                }
                let mac_password = answer
                    .mac_password
                    .as_deref()
                    .and_then(|p| MacPassword::parse(p).ok());
                updates.push((
                    mac,
                    RedirectUpdate::Registered {
                        provider: answer.provider,
                        url: answer.url,
                        date: None,
                        mac_password,
                    },
                ));
            }
            let recorded = self.record_redirect(&updates)?;
            if unknown.is_empty() {
                std::fs::remove_file(&file).map_err(io_error)?;
            }
            restored.push(Restored {
                file,
                recorded,
                unknown,
            });
        }
        Ok(restored)
    }
}
