//! Label import: CSV files, scanner or pasted text and barcode photos, each turned into one
//! [`ImportBatch`] of devices or row problems; the preview's model, in which the installer
//! takes rows out before an import ([`Preview`]); and the CSV export that reads back unchanged.
//! Pure parsing: nothing here touches the inventory or the file system.

mod batch;
mod code;
mod csv_file;
mod decode;
mod export;
mod formula;
mod image;
mod lines;
mod preview;
mod quotes;
mod sources;
mod streaming;
mod take_out;
mod text;

pub use batch::{
    AsWritten, BatchDefaults, FieldColumns, ImportBatch, ImportRow, Notice, ParsedSource, RawRow,
    RowProblem, SourceRef, validate_raw,
};
pub use code::{CodeFields, ScannedCode, classify};
pub use csv_file::{HEADERLESS_ORDER, header_field, parse_csv_source, rows_at_most};
pub use export::{EXPORT_HEADER, write_csv};
pub use image::{decode_barcodes, parse_image_source};
pub use preview::{Edit, InImport, Origin, Preview, SCANNER, ScanVerdict};
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

/// Parses scanner or pasted text. Text without a single line says so (an import of it adds
/// nothing, which is worth saying rather than a silent "0 added").
pub fn parse_text_source(name: &str, text: &str) -> ParsedSource {
    text_source(name, text, Vec::new())
}

/// [`parse_text_source`] after `about_source`, the notes on the whole text (how it was
/// decoded).
fn text_source(name: &str, text: &str, mut about_source: Vec<Notice>) -> ParsedSource {
    if text.trim().is_empty() {
        about_source.push(csv_file::file_notice(
            &name.into(),
            1,
            "the text is empty: no MAC or MAC-ID to read".into(),
        ));
    }
    text::code_source(name, text::text_codes(text), about_source)
}

/// Text pasted into the window: CSV where its first line that is not blank has a delimiter
/// (a table copied from a spreadsheet, with a header or in the headerless order), else
/// scanner text, one code per line. Lines end as scanner text's do, a lone CR included.
pub fn parse_pasted(name: &str, text: &str) -> ParsedSource {
    let first = lines::split_lines(text).find(|line| !line.trim().is_empty());
    if first.is_some_and(|line| line.contains([',', ';', '\t'])) {
        parse_csv_source(name, text.as_bytes())
    } else {
        parse_text_source(name, text)
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

#[cfg(test)]
mod pasted_tests {
    use super::*;

    fn macs(parsed: &ParsedSource) -> Vec<String> {
        parsed.rows.iter().map(|r| r.draft.mac.clone()).collect()
    }

    /// A table copied from a spreadsheet is CSV whatever its line ends, a lone CR included,
    /// and after a blank first line (the window looked at the first line only, blank or not,
    /// and read such a table as scanner text); codes one per line are scanner text.
    #[test]
    fn pasted_text_is_csv_when_its_first_line_is_a_table_row() {
        let table = "MAC,MAC-ID\r7C2F80A1B200,7C2F80A1B200-483A\r7C2F80A1B20B,7C2F80A1B20B-50DD\r";
        let parsed = parse_pasted("pasted", table);
        assert_eq!(
            macs(&parsed),
            ["7C2F80A1B200", "7C2F80A1B20B"],
            "{parsed:?}"
        );
        assert_eq!(parsed.rows[0].draft.mac_id, "7C2F80A1B200-483A");
        let headerless = parse_pasted("pasted", "\n7C2F80A1B200;7C2F80A1B200-483A\n");
        assert_eq!(headerless.rows.len(), 1, "{headerless:?}");
        assert_eq!(headerless.rows[0].draft.mac_id, "7C2F80A1B200-483A");
        let scanned = parse_pasted("pasted", "7C2F80A1B200\r7C2F80A1B200-483A\r");
        assert_eq!(macs(&scanned), ["7C2F80A1B200"], "{scanned:?}");
    }

    #[test]
    fn empty_text_says_so() {
        for text in ["", "  \n\r\n"] {
            let parsed = parse_text_source("scan", text);
            assert!(parsed.rows.is_empty());
            let said: Vec<String> = parsed.notices.iter().map(ToString::to_string).collect();
            assert_eq!(
                said,
                ["scan:1: the text is empty: no MAC or MAC-ID to read"],
                "{text:?}"
            );
        }
        let read = parse_text_source("scan", "7C2F80A1B200\n");
        assert!(read.notices.is_empty(), "{read:?}");
    }
}
