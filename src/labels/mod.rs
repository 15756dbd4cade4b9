//! Label import: CSV files, scanner or pasted text and barcode photos, each turned into one
//! [`ImportBatch`] of devices or row problems; and the CSV export that reads back unchanged.
//! Pure parsing: nothing here touches the inventory or the file system.

mod batch;
mod csv_file;
mod export;
mod image;
mod sources;
mod text;

pub use batch::{
    BatchDefaults, ImportBatch, ImportRow, Notice, RawRow, RowProblem, SourceRef, validate_raw,
};
pub use csv_file::{HEADERLESS_ORDER, decode_text, header_field, parse_csv};
pub use export::{EXPORT_HEADER, write_csv};
pub use image::{decode_barcodes, image_batch};
pub use sources::file_batch;
pub use text::{ScannedCode, classify, parse_codes, parse_scanner_text};

/// What kind of source a file is, from its name and first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceKind {
    Csv,
    Text,
    Image,
}

impl SourceKind {
    /// PNG and JPEG by their magic bytes; `.txt` and `.scan` as scanner text; anything else as CSV.
    pub fn detect(name: &str, bytes: &[u8]) -> Self {
        if bytes.starts_with(b"\x89PNG") || bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            return SourceKind::Image;
        }
        let lower = name.to_ascii_lowercase();
        if lower.ends_with(".txt") || lower.ends_with(".scan") {
            SourceKind::Text
        } else {
            SourceKind::Csv
        }
    }
}

/// Parses CSV bytes into a batch.
pub fn csv_batch(name: &str, bytes: &[u8], defaults: &BatchDefaults) -> ImportBatch {
    let (rows, notices) = parse_csv(name, bytes);
    from_raw(name, rows, notices, defaults)
}

/// Parses scanner or pasted text into a batch.
pub fn text_batch(name: &str, text: &str, defaults: &BatchDefaults) -> ImportBatch {
    let (rows, notices) = parse_scanner_text(name, text);
    from_raw(name, rows, notices, defaults)
}

fn from_raw(
    name: &str,
    rows: Vec<RawRow>,
    notices: Vec<Notice>,
    defaults: &BatchDefaults,
) -> ImportBatch {
    let mut batch = ImportBatch {
        notices,
        sources: vec![name.to_string()],
        ..ImportBatch::default()
    };
    batch.push_raw(rows, defaults);
    batch
}
