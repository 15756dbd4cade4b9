//! Label import: CSV files, scanner or pasted text and barcode photos, each turned into one
//! [`ImportBatch`] of devices or row problems; and the CSV export that reads back unchanged.
//! Pure parsing: nothing here touches the inventory or the file system.

mod batch;
mod code;
mod csv_file;
mod decode;
mod export;
mod image;
mod lines;
mod quotes;
mod sources;
mod streaming;
mod text;

pub use batch::{
    AsWritten, BatchDefaults, FieldColumns, ImportBatch, ImportRow, Notice, ParsedSource, RawRow,
    RowProblem, SourceRef, validate_raw,
};
pub use code::{CodeFields, ScannedCode, classify};
pub use csv_file::{HEADERLESS_ORDER, header_field, parse_csv_source, rows_at_most};
pub use export::{EXPORT_HEADER, write_csv};
pub use image::{decode_barcodes, parse_image_source};
pub use sources::{LabelFile, parse_file, parse_file_streaming};
pub use text::{parse_codes, parse_scanner_text};

/// What kind of source a file is, from its name and first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceKind {
    Csv,
    Text,
    Image,
}

impl SourceKind {
    /// PNG and JPEG by their magic bytes, and by their name (`.png`, `.jpg`, `.jpeg`) so a
    /// file named as a photo that holds something else is refused as a photo, not as CSV;
    /// `.txt` and `.scan` as scanner text unless their first line is a table's header naming
    /// the MAC column (Excel saves "Unicode text" as a tab-separated `.txt`); anything else as
    /// CSV.
    pub fn detect(name: &str, bytes: &[u8]) -> Self {
        let lower = name.to_ascii_lowercase();
        let photo_name = [".png", ".jpg", ".jpeg"]
            .iter()
            .any(|extension| lower.ends_with(extension));
        if photo_name || image::starts_as_image(bytes) {
            return SourceKind::Image;
        }
        let text_name = lower.ends_with(".txt") || lower.ends_with(".scan");
        if text_name && !csv_file::starts_with_header(bytes) {
            SourceKind::Text
        } else {
            SourceKind::Csv
        }
    }
}

/// Parses scanner or pasted text.
pub fn parse_text_source(name: &str, text: &str) -> ParsedSource {
    let (rows, notices) = parse_scanner_text(name, text);
    ParsedSource {
        name: name.to_string(),
        rows,
        notices,
        failures: Vec::new(),
    }
}

/// Parses CSV bytes into a batch.
pub fn csv_batch(name: &str, bytes: &[u8], defaults: &BatchDefaults) -> ImportBatch {
    ImportBatch::from_sources(&[parse_csv_source(name, bytes)], defaults)
}

/// Parses scanner or pasted text into a batch.
pub fn text_batch(name: &str, text: &str, defaults: &BatchDefaults) -> ImportBatch {
    ImportBatch::from_sources(&[parse_text_source(name, text)], defaults)
}
