//! Writing an import batch: all valid rows in one transaction, with one audit entry.
//!
//! A large batch is written the way a bulk load should be: one prepared insert and a page
//! cache that holds the batch.

use rusqlite::{Transaction, params};
use serde::Serialize;

use super::devices::{NewDeviceInsert, constraint_error};
use super::sip_accounts::{merge_given_accounts, store_given_accounts};
use super::sites::ensure_site;
use super::{Inventory, InventoryError, audit};
use crate::device::NewDevice;
use crate::labels::{ImportBatch, ImportRow, SourceRef};
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
        let invalid = refuse_invalid(batch, options)?;
        let valid: Vec<(&SourceRef, &NewDevice)> = batch.valid().collect();
        self.with_batch_cache(valid.len(), |inventory| {
            let tx = inventory.write()?;
            let mut writer = BatchWriter::new(&tx, options, valid.len(), progress)?;
            for (source, device) in valid {
                writer.write(source, device)?;
            }
            let report = writer.into_report(invalid)?;
            commit_import(tx, &batch.sources, report, options)
        })
    }

    /// Writes the valid rows of a batch in one transaction, as [`Self::import_batch`] does,
    /// while `validate` is still producing it: `validate` hands each validated chunk of rows
    /// to the function it is given, in order, and returns the whole batch at the end (as
    /// [`ImportBatch::parse_streaming`] does). For a large file the reading and checking hide
    /// behind SQLite's time. `rows` is about how many rows there will be (for the progress
    /// and the page cache). Returns the batch (its problems, warnings and notices) and what
    /// was written; invalid rows refuse the whole batch unless `skip_invalid`, as in
    /// `import_batch`.
    pub fn import_streaming(
        &mut self,
        rows: usize,
        validate: impl FnOnce(&mut dyn FnMut(&[ImportRow])) -> ImportBatch,
        options: ImportOptions,
        progress: &mut dyn FnMut(usize, usize),
    ) -> (ImportBatch, Result<ImportReport, InventoryError>) {
        let mut batch = None;
        let written = self.with_batch_cache(rows, |inventory| {
            let tx = inventory.write()?;
            let mut writer = BatchWriter::new(&tx, options, rows, progress)?;
            // A refused row or a failed write stops the writing; the validation goes on, so
            // that the batch still says what every row holds.
            let mut refused = false;
            let mut failed = None;
            let validated = validate(&mut |chunk| {
                refused |= !options.skip_invalid && chunk.iter().any(|row| row.outcome.is_err());
                if refused || failed.is_some() {
                    return;
                }
                for row in chunk {
                    if let Ok(device) = &row.outcome
                        && let Err(error) = writer.write(&row.source, device)
                    {
                        failed = Some(error);
                        return;
                    }
                }
            });
            let written = match (refuse_invalid(&validated, options), failed) {
                (Err(refusal), _) => Err(refusal),
                (Ok(_), Some(error)) => Err(error),
                (Ok(invalid), None) => writer
                    .into_report(invalid)
                    .and_then(|report| commit_import(tx, &validated.sources, report, options)),
            };
            batch = Some(validated);
            written
        });
        (batch.unwrap_or_default(), written)
    }

    /// Runs `write` with SQLite's page cache sized for a batch of `rows`, then puts it back.
    fn with_batch_cache<T>(
        &mut self,
        rows: usize,
        write: impl FnOnce(&mut Self) -> Result<T, InventoryError>,
    ) -> Result<T, InventoryError> {
        self.conn
            .pragma_update(None, "cache_size", -batch_cache_kib(rows))?;
        let written = write(self);
        // A failure here leaves a larger cache, which costs memory, not correctness.
        let _ = self
            .conn
            .pragma_update(None, "cache_size", -DEFAULT_CACHE_KIB);
        written
    }
}

/// The writing of one import batch inside its transaction: each valid row added, or what
/// happens to it when its MAC is stored already, counted for the report and the audit entry.
struct BatchWriter<'t, 'p> {
    tx: &'t Transaction<'t>,
    insert: NewDeviceInsert<'t>,
    options: ImportOptions,
    report: ImportReport,
    /// The site ids looked up so far, by name as written.
    site_ids: foldhash::HashMap<String, i64>,
    /// Devices refused under [`OnExisting::Error`], with where they were.
    refused: Vec<String>,
    done: usize,
    total: usize,
    progress: &'p mut dyn FnMut(usize, usize),
}

impl<'t, 'p> BatchWriter<'t, 'p> {
    fn new(
        tx: &'t Transaction<'t>,
        options: ImportOptions,
        total: usize,
        progress: &'p mut dyn FnMut(usize, usize),
    ) -> Result<Self, InventoryError> {
        Ok(Self {
            tx,
            insert: NewDeviceInsert::new(tx)?,
            options,
            report: ImportReport::default(),
            site_ids: foldhash::HashMap::default(),
            refused: Vec::new(),
            done: 0,
            total,
            progress,
        })
    }

    fn write(&mut self, source: &SourceRef, device: &NewDevice) -> Result<(), InventoryError> {
        if self.done.is_multiple_of(1000) {
            (self.progress)(self.done, self.total.max(self.done));
        }
        self.done += 1;
        // A row's own fault (a constraint it breaks) names the row; the store's (read-only,
        // disk full) does not, or the user would look for it in the label file.
        let at_row = |error: InventoryError| match &error {
            InventoryError::Sqlite(sqlite)
                if sqlite.sqlite_error_code() != Some(rusqlite::ErrorCode::ConstraintViolation) =>
            {
                error
            }
            _ => InventoryError::AtSource {
                location: source.to_string(),
                error: Box::new(error),
            },
        };
        let tx = self.tx;
        let site_id = match device.site.as_deref() {
            None => None,
            Some(name) => Some(cached_site_id(tx, &mut self.site_ids, name)?),
        };
        if self.insert.insert(device, site_id).map_err(at_row)? {
            store_given_accounts(tx, tx.last_insert_rowid(), device).map_err(at_row)?;
            self.report.added += 1;
            return Ok(());
        }
        match self.options.on_existing {
            OnExisting::Skip => self.report.skipped_existing.push(device.mac.macd()),
            OnExisting::Error => self.refused.push(format!("{source}: {}", device.mac)),
            OnExisting::Update => {
                let id: i64 = tx
                    .prepare_cached("SELECT id FROM devices WHERE mac = ?1")?
                    .query_row([device.mac.macd()], |row| row.get(0))?;
                merge_update(tx, id, device, site_id).map_err(at_row)?;
                merge_given_accounts(tx, id, device).map_err(at_row)?;
                self.report.updated += 1;
            }
        }
        Ok(())
    }

    /// The report of what was written, with the batch's `invalid` rows; refuses the batch
    /// where devices were stored already under [`OnExisting::Error`].
    fn into_report(self, invalid: usize) -> Result<ImportReport, InventoryError> {
        let Self {
            insert,
            mut report,
            refused,
            total,
            progress,
            ..
        } = self;
        drop(insert);
        progress(total, total);
        if !refused.is_empty() {
            return Err(InventoryError::AlreadyPresent { devices: refused });
        }
        report.invalid = invalid;
        Ok(report)
    }
}

/// How many rows of `batch` are invalid; refuses the batch when there are any, unless
/// `skip_invalid`.
fn refuse_invalid(batch: &ImportBatch, options: ImportOptions) -> Result<usize, InventoryError> {
    let invalid = batch.invalid_count();
    if invalid > 0 && !options.skip_invalid {
        return Err(InventoryError::InvalidRows { count: invalid });
    }
    Ok(invalid)
}

/// Audits the import of `sources` and commits it (rolls it back in a dry run).
fn commit_import(
    tx: Transaction<'_>,
    sources: &[String],
    mut report: ImportReport,
    options: ImportOptions,
) -> Result<ImportReport, InventoryError> {
    audit::record(&tx, "import", &sources.join(", "), &report.counts())?;
    if options.dry_run {
        tx.rollback()?;
    } else {
        tx.commit()?;
        report.written = true;
    }
    Ok(report)
}

/// SQLite's default page cache: 2,000 KiB (a negative `cache_size` is in KiB).
const DEFAULT_CACHE_KIB: i64 = 2_000;

/// SQLite's page cache for a batch of `rows`, in KiB: about 1 KiB per row (the row and its
/// index entries), the default at least and 256 MiB at most. A cache smaller than the batch
/// writes pages out and reads them back while the transaction runs.
fn batch_cache_kib(rows: usize) -> i64 {
    (rows as i64).clamp(DEFAULT_CACHE_KIB, 256 << 10)
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

/// The id of the site `name`, created if need be, looked up once per spelling per import.
/// Keyed by the name as written, so that a row costs no allocation; two spellings of one site
/// find the same id through SQLite's NOCASE comparison.
fn cached_site_id(
    tx: &rusqlite::Connection,
    site_ids: &mut foldhash::HashMap<String, i64>,
    name: &str,
) -> Result<i64, InventoryError> {
    if let Some(&id) = site_ids.get(name) {
        return Ok(id);
    }
    let id = ensure_site(tx, name)?;
    site_ids.insert(name.to_string(), id);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::DeviceQuery;
    use crate::labels::{BatchDefaults, LabelFile, parse_file};

    #[test]
    fn a_large_import_is_searchable_and_puts_the_page_cache_back() {
        let mut csv = String::from("MAC,Site,Notes\n");
        for n in 0..5_000 {
            csv.push_str(&format!("7C2F80{n:06X},Site {},room {n}\n", n % 7));
        }
        let source = parse_file("large.csv", csv.as_bytes());
        let batch = ImportBatch::from_sources(&[source], &BatchDefaults::default());
        let dir = tempfile::tempdir().unwrap();
        let mut inventory = Inventory::open(&dir.path().join("i.sqlite3")).unwrap();
        let report = inventory
            .import_batch(&batch, ImportOptions::default(), &mut |_, _| {})
            .unwrap();
        assert_eq!(report.added, 5_000);
        let found = inventory
            .query_devices(&DeviceQuery {
                search: "room 4321".into(),
                ..DeviceQuery::default()
            })
            .unwrap();
        assert_eq!(found.total, 1);
        assert_eq!(found.devices[0].mac.macd(), "7C2F800010E1");
        let cache: i64 = inventory
            .conn
            .query_row("PRAGMA cache_size", [], |row| row.get(0))
            .unwrap();
        assert_eq!(cache, -DEFAULT_CACHE_KIB, "the cache is put back");
    }

    /// 5,000 rows with a bad one near the end, imported as the command line does: the rows
    /// before it are written while it is still unread.
    fn streamed(
        inventory: &mut Inventory,
        options: ImportOptions,
    ) -> Result<ImportReport, InventoryError> {
        let mut csv = String::from("MAC,Notes\n");
        for n in 0..5_000 {
            csv.push_str(&format!("7C2F80{n:06X},room {n}\n"));
        }
        csv.push_str("not a mac,x\n");
        let files = [LabelFile {
            name: "late.csv".into(),
            bytes: csv.into_bytes(),
        }];
        let defaults = BatchDefaults::default();
        let (batch, written) = inventory.import_streaming(
            5_001,
            |each| ImportBatch::parse_streaming(&files, &defaults, each),
            options,
            &mut |_, _| {},
        );
        assert_eq!(
            batch.rows.len(),
            5_001,
            "the batch says what every row holds"
        );
        written
    }

    fn stored(inventory: &Inventory) -> usize {
        inventory
            .query_devices(&DeviceQuery::default())
            .unwrap()
            .total
    }

    #[test]
    fn a_streamed_import_with_a_late_bad_row_writes_nothing_unless_told_to_skip_it() {
        let dir = tempfile::tempdir().unwrap();
        let mut inventory = Inventory::open(&dir.path().join("i.sqlite3")).unwrap();
        let refused = streamed(&mut inventory, ImportOptions::default());
        assert!(
            matches!(refused, Err(InventoryError::InvalidRows { count: 1 })),
            "{refused:?}"
        );
        assert_eq!(stored(&inventory), 0, "all or nothing");

        let dry = ImportOptions {
            skip_invalid: true,
            dry_run: true,
            ..ImportOptions::default()
        };
        let report = streamed(&mut inventory, dry).unwrap();
        assert_eq!(
            (report.added, report.invalid, report.written),
            (5_000, 1, false)
        );
        assert_eq!(stored(&inventory), 0, "a dry run writes nothing");

        let skip = ImportOptions {
            skip_invalid: true,
            ..ImportOptions::default()
        };
        let report = streamed(&mut inventory, skip).unwrap();
        assert_eq!(
            (report.added, report.invalid, report.written),
            (5_000, 1, true)
        );
        assert_eq!(stored(&inventory), 5_000);
    }
}
