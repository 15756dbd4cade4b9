//! Writing an import batch: all valid rows in one transaction, with one audit entry.

use std::collections::HashMap;

use rusqlite::params;
use serde::Serialize;

use super::devices::{constraint_error, insert_if_new};
use super::sites::ensure_site;
use super::{Inventory, InventoryError, audit};
use crate::device::NewDevice;
use crate::labels::ImportBatch;
use crate::secret::Secret;

/// What to do with a device whose MAC is already in the inventory.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub enum OnExisting {
    /// Leave the stored device as it is and report it.
    #[default]
    Skip,
    /// Fill in the fields the import gives; fields it leaves empty keep their stored value.
    Update,
    /// Refuse the whole batch.
    Error,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportOptions {
    pub on_existing: OnExisting,
    /// Write the valid rows even when some rows are invalid.
    pub skip_invalid: bool,
    /// Do everything, then roll back: the report says what would happen.
    pub dry_run: bool,
}

/// What an import did (or, in a dry run, would do).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ImportReport {
    pub added: usize,
    pub updated: usize,
    /// MACs already in the inventory that were left alone.
    pub skipped_existing: Vec<String>,
    pub invalid: usize,
    pub written: bool,
}

impl Inventory {
    /// Writes the valid rows of `batch` in one transaction. Invalid rows refuse the whole batch
    /// unless `skip_invalid`; `progress` hears (done, total) every 1,000 rows.
    pub fn import_batch(
        &mut self,
        batch: &ImportBatch,
        options: ImportOptions,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<ImportReport, InventoryError> {
        let invalid = batch.invalid_count();
        if invalid > 0 && !options.skip_invalid {
            return Err(InventoryError::InvalidRows { count: invalid });
        }
        let valid: Vec<(&crate::labels::SourceRef, &NewDevice)> = batch.valid().collect();
        let total = valid.len();
        let mut report = ImportReport {
            invalid,
            ..ImportReport::default()
        };
        let mut refused = Vec::new();
        let mut site_ids: HashMap<String, i64> = HashMap::new();
        let tx = self.write()?;
        for (done, (source, device)) in valid.into_iter().enumerate() {
            if done % 1000 == 0 {
                progress(done, total);
            }
            let at_row = |error: InventoryError| InventoryError::AtSource {
                location: source.to_string(),
                error: Box::new(error),
            };
            let site_id = match device.site.as_deref() {
                None => None,
                Some(name) => Some(cached_site_id(&tx, &mut site_ids, name)?),
            };
            if insert_if_new(&tx, device, site_id).map_err(at_row)? {
                report.added += 1;
                continue;
            }
            match options.on_existing {
                OnExisting::Skip => report.skipped_existing.push(device.mac.macd()),
                OnExisting::Error => refused.push(format!("{source}: {}", device.mac)),
                OnExisting::Update => {
                    let id: i64 = tx
                        .prepare_cached("SELECT id FROM devices WHERE mac = ?1")?
                        .query_row([device.mac.macd()], |row| row.get(0))?;
                    merge_update(&tx, id, device, site_id).map_err(at_row)?;
                    report.updated += 1;
                }
            }
        }
        progress(total, total);
        if !refused.is_empty() {
            return Err(InventoryError::AlreadyPresent { devices: refused });
        }
        audit::record(&tx, "import", &batch.sources.join(", "), &report.counts())?;
        if options.dry_run {
            tx.rollback()?;
        } else {
            tx.commit()?;
            report.written = true;
        }
        Ok(report)
    }
}

impl ImportReport {
    /// The counts, as the audit log keeps them.
    fn counts(&self) -> String {
        format!(
            "added={} updated={} skipped_existing={} invalid={}",
            self.added,
            self.updated,
            self.skipped_existing.len(),
            self.invalid
        )
    }
}

/// The id of the site `name`, created if need be, looked up once per import.
fn cached_site_id(
    tx: &rusqlite::Connection,
    site_ids: &mut HashMap<String, i64>,
    name: &str,
) -> Result<i64, InventoryError> {
    // ASCII-lower-cased, as SQLite's NOCASE compares.
    let key = name.to_ascii_lowercase();
    if let Some(&id) = site_ids.get(&key) {
        return Ok(id);
    }
    let id = ensure_site(tx, name)?;
    site_ids.insert(key, id);
    Ok(id)
}

/// Fills a stored device with the fields the import gives; empty fields keep the stored value.
fn merge_update(
    tx: &rusqlite::Connection,
    id: i64,
    device: &NewDevice,
    site_id: Option<i64>,
) -> Result<(), InventoryError> {
    tx.prepare_cached(
        "UPDATE devices SET
            mac_id = coalesce(?2, mac_id),
            mac_password = coalesce(?3, mac_password),
            model = coalesce(?4, model),
            site_id = coalesce(?5, site_id),
            provider = coalesce(?6, provider),
            url = coalesce(?7, url),
            digest_username = coalesce(?8, digest_username),
            digest_password = coalesce(?9, digest_password),
            notes = CASE WHEN ?10 = '' THEN notes ELSE ?10 END,
            updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
         WHERE id = ?1",
    )?
    .execute(params![
        id,
        device.mac_id.as_ref().map(ToString::to_string),
        device.mac_password.as_ref().map(|p| p.secret().expose()),
        device.model.map(|m| m.name),
        site_id,
        device.provider,
        device.url.as_ref().map(|u| u.expose()),
        device.digest_username,
        device.digest_password.as_ref().map(Secret::expose),
        device.notes,
    ])
    .map_err(|e| constraint_error(e, device))?;
    Ok(())
}
