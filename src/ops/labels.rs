//! Label files in and out of the inventory: reading and parsing label files (CSV, scanner
//! text, photos), writing an import batch, and the CSV export that the import reads back.

use std::path::{Path, PathBuf};

use super::Progress;
use crate::cancel::CancelFlag;
use crate::device::Device;
use crate::inventory::{ImportOptions, ImportReport, Inventory, InventoryError};
use crate::labels::{BatchDefaults, ImportBatch, LabelFile, ParsedSource, parse_file, write_csv};
use crate::private_file::write_private;
use crate::sqlite_files::{SQLITE_HEADER, held_open};

/// A label file that could not be read: which, and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot read {}: {reason}", .path.display())]
pub struct UnreadableFile {
    pub path: PathBuf,
    pub reason: String,
}

/// Reads and parses one label file.
pub fn read_label_file(path: &Path) -> Result<ParsedSource, UnreadableFile> {
    let file = read_unparsed(path)?;
    Ok(parse_file(&file.name, &file.bytes))
}

/// Reads one label file, named as its rows will quote it.
fn read_unparsed(path: &Path) -> Result<LabelFile, UnreadableFile> {
    if held_open(path) {
        return Err(UnreadableFile {
            path: path.to_path_buf(),
            reason: "it is the inventory provdesk has open (or one of its journal files), not a label file; choose the CSV, text or photo of the labels".into(),
        });
    }
    let unreadable = |reason| UnreadableFile {
        path: path.to_path_buf(),
        reason,
    };
    let bytes = read_at_most(path, MAX_LABEL_FILE_BYTES).map_err(unreadable)?;
    if let Some(reason) = not_labels(&bytes) {
        return Err(unreadable(reason.into()));
    }
    Ok(LabelFile {
        name: path.display().to_string(),
        bytes,
    })
}

/// Why a file that starts as these do is no label file, with what to import instead. Read as
/// text, each made rows of binary noise, one problem each; an inventory's pages made "rows"
/// that quoted its MAC and digest passwords, on the screen and in `--json`.
const NOT_LABELS: [(&[u8], &str); 4] = [
    (
        SQLITE_HEADER,
        "it is an SQLite database (an inventory, or a backup of one), not a label file; to take its devices over, export them from it (provdesk --db FILE export --csv devices.csv) and import that",
    ),
    (
        b"PK\x03\x04",
        "it is a ZIP archive, such as an Excel (.xlsx) or LibreOffice workbook, not a label file; save the sheet as CSV (in Excel: File, Save As, CSV UTF-8) and import that",
    ),
    (
        b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1",
        "it is an older Office file, such as an Excel 97-2003 (.xls) workbook, not a label file; save the sheet as CSV (in Excel: File, Save As, CSV UTF-8) and import that",
    ),
    (
        b"%PDF-",
        "it is a PDF, not a label file; import the labels' CSV or scanner text, or a photo of the labels",
    ),
];

fn not_labels(bytes: &[u8]) -> Option<&'static str> {
    NOT_LABELS
        .iter()
        .find(|(start, _)| bytes.starts_with(start))
        .map(|(_, reason)| *reason)
}

/// The largest label file read: a CSV export of two million devices is some 200 MB and a
/// 50-megapixel photo far less, while a device file (`/dev/zero`) or a video picked by mistake
/// would be read until the laptop's memory ran out.
pub const MAX_LABEL_FILE_BYTES: u64 = 256 << 20;

/// The file's bytes, or why not, in words for the user: a folder or a device is refused
/// before it is read, and a file over `limit` bytes once `limit` have been read. A pipe is
/// read (`provdesk import <(…)`), up to the limit.
fn read_at_most(path: &Path, limit: u64) -> Result<Vec<u8>, String> {
    use std::io::Read as _;
    let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let metadata = file.metadata().map_err(|e| e.to_string())?;
    if metadata.is_dir() {
        return Err("it is a folder; choose the label files in it".into());
    }
    if !metadata.is_file() && !is_pipe(&metadata) {
        return Err(
            "it is a device or socket, not a file; choose the CSV, text or photo of the labels"
                .into(),
        );
    }
    let mut bytes = Vec::with_capacity(metadata.len().min(limit) as usize);
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| e.to_string())?;
    if bytes.len() as u64 > limit {
        return Err(format!(
            "it is larger than {} MB, more than any label file holds; check that it is the labels, or split it into smaller files",
            limit >> 20
        ));
    }
    Ok(bytes)
}

#[cfg(unix)]
fn is_pipe(metadata: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::FileTypeExt as _;
    metadata.file_type().is_fifo()
}

#[cfg(not(unix))]
fn is_pipe(_: &std::fs::Metadata) -> bool {
    false
}

/// Reads and parses the files in order; `each` hears every file's result as soon as it is
/// parsed (photos take a while). Files after a cancel are not read.
pub fn read_label_files(
    paths: &[PathBuf],
    progress: &mut dyn FnMut(Progress),
    each: &mut dyn FnMut(Result<ParsedSource, UnreadableFile>),
    cancel: &CancelFlag,
) {
    let total = paths.len();
    for (done, path) in paths.iter().enumerate() {
        if cancel.is_cancelled() {
            break;
        }
        progress(Progress {
            stage: "Reading the label files…",
            done,
            total,
        });
        each(read_label_file(path));
    }
    progress(Progress {
        stage: "Reading the label files…",
        done: total,
        total,
    });
}

/// Writes the batch in one transaction: all valid rows or none. It takes no cancel: the
/// write is a few seconds at most, and a half-written import is what the transaction is for
/// never to leave; cancelling belongs to the reading before it.
pub fn import(
    inventory: &mut Inventory,
    batch: &ImportBatch,
    options: ImportOptions,
    progress: &mut dyn FnMut(Progress),
) -> Result<ImportReport, InventoryError> {
    inventory.import_batch(batch, options, &mut importing(progress))
}

/// The inventory's (done, total) of an import, as the faces' progress hears it.
fn importing(progress: &mut dyn FnMut(Progress)) -> impl FnMut(usize, usize) + '_ {
    |done, total| {
        progress(Progress {
            stage: "Importing…",
            done,
            total,
        })
    }
}

/// Reads the label files, then parses, validates and writes them in one transaction, the
/// writing beside the reading (see [`Inventory::import_streaming`]): how the command line
/// imports, with no preview to wait for. A file that cannot be read stops it before anything
/// is written. Returns the batch (its problems, warnings and notices) and what was written.
pub fn import_files(
    inventory: &mut Inventory,
    paths: &[PathBuf],
    defaults: &BatchDefaults,
    options: ImportOptions,
    progress: &mut dyn FnMut(Progress),
) -> Result<(ImportBatch, Result<ImportReport, InventoryError>), UnreadableFile> {
    let mut files = Vec::with_capacity(paths.len());
    for (done, path) in paths.iter().enumerate() {
        progress(Progress {
            stage: "Reading the label files…",
            done,
            total: paths.len(),
        });
        files.push(read_unparsed(path)?);
    }
    // The progress's total, and the page cache's size.
    let rows = files.iter().map(LabelFile::rows_about).sum();
    Ok(inventory.import_streaming(
        rows,
        |each| ImportBatch::parse_streaming(&files, defaults, each),
        options,
        &mut importing(progress),
    ))
}

/// Writes the devices as CSV to `path` (the layout the import reads back unchanged).
///
/// The file is private from its first byte and replaces one already there whole. It never
/// replaces the inventory, its journal files or another SQLite database (see
/// [`write_private`]): the export holds no passwords, so writing over the inventory would lose
/// them.
pub fn export_csv(devices: &[Device], path: &Path) -> Result<(), String> {
    let cannot =
        |reason: &dyn std::fmt::Display| format!("cannot write {}: {reason}", path.display());
    let mut text = Vec::new();
    write_csv(devices, &mut text).map_err(|e| cannot(&e))?;
    write_private(path, &text).map_err(|e| cannot(&e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_over_the_limit_is_refused_with_what_to_do() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("labels.csv");
        std::fs::write(&path, vec![b'x'; (2 << 20) + 1]).unwrap();
        let error = read_at_most(&path, 2 << 20).unwrap_err();
        assert!(error.contains("larger than 2 MB"), "{error}");
        assert!(error.contains("split it"), "{error}");
        assert_eq!(read_at_most(&path, 3 << 20).unwrap().len(), (2 << 20) + 1);
    }

    #[test]
    fn a_folder_is_refused_before_it_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let error = read_at_most(dir.path(), MAX_LABEL_FILE_BYTES).unwrap_err();
        assert!(error.contains("it is a folder"), "{error}");
    }

    /// A copy or backup of an inventory is refused whole, its bytes never quoted.
    #[test]
    fn an_sqlite_database_is_not_read_as_labels() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("colleague.sqlite3");
        std::fs::write(&path, b"SQLite format 3\0\x10\x007C2F80820EC0123456789012").unwrap();
        let error = read_label_file(&path).unwrap_err().to_string();
        assert!(error.contains("is an SQLite database"), "{error}");
        assert!(error.contains("export --csv"), "{error}");
        assert!(!error.contains("123456789012"), "{error}");
    }

    #[test]
    fn a_workbook_or_a_pdf_is_refused_with_what_to_import_instead() {
        let dir = tempfile::tempdir().unwrap();
        for (name, bytes, says) in [
            (
                "labels.xlsx",
                &b"PK\x03\x04\x14\0\0"[..],
                "save the sheet as CSV",
            ),
            (
                "labels.xls",
                b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\0",
                "Excel 97-2003",
            ),
            ("labels.pdf", b"%PDF-1.7\n", "it is a PDF"),
        ] {
            let path = dir.path().join(name);
            std::fs::write(&path, bytes).unwrap();
            let error = read_label_file(&path).unwrap_err().to_string();
            assert!(error.contains(says), "{error}");
        }
    }

    /// `/dev/zero` was read until memory ran out.
    #[cfg(unix)]
    #[test]
    fn a_device_is_refused_before_it_is_read() {
        let error = read_at_most(Path::new("/dev/zero"), MAX_LABEL_FILE_BYTES).unwrap_err();
        assert!(error.contains("a device or socket, not a file"), "{error}");
    }
}
