//! Reads any label file, choosing the parser by content.

use std::sync::Arc;

use super::decode::decode_text;
use super::{
    Notice, ParsedSource, RawRow, SourceKind, SourceRef, csv_file::parse_csv_each,
    parse_csv_source, parse_image_source, rows_at_most, text_source,
};

/// A label file read and not yet parsed: its name as the rows will quote it, and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabelFile {
    pub name: String,
    pub bytes: Vec<u8>,
}

impl LabelFile {
    /// About how many rows the file holds, before it is parsed, for the import's progress and
    /// page cache: a text's lines, at most. A photo counts as one row: most are of one label,
    /// its barcodes are read only when the import parses it, and the line ends among its
    /// bytes would count thousands.
    pub fn rows_about(&self) -> usize {
        match SourceKind::detect(&self.name, &self.bytes) {
            SourceKind::Image => 1,
            SourceKind::Csv | SourceKind::Text => rows_at_most(&self.bytes),
        }
    }
}

/// Parses one file's bytes (already read) as CSV, scanner text or a barcode photo.
pub fn parse_file(name: &str, bytes: &[u8]) -> ParsedSource {
    match SourceKind::detect(name, bytes) {
        SourceKind::Csv => parse_csv_source(name, bytes),
        SourceKind::Text => parse_text_file(name, bytes),
        SourceKind::Image => parse_image_source(name, bytes),
    }
}

/// Parses a scanner-text file, telling how it was decoded when that is worth a look (as a
/// CSV file's parser does).
fn parse_text_file(name: &str, bytes: &[u8]) -> ParsedSource {
    let decoded = decode_text(bytes);
    let about_source = decoded.note.map(|note| {
        let source = SourceRef {
            file: Arc::from(name),
            line: 1,
        };
        Notice::new(source, note.to_string())
    });
    text_source(name, &decoded.text, about_source.into_iter().collect())
}

/// Parses one file as [`parse_file`] does, but hands a CSV file's rows to `each` as they are
/// read instead of collecting them: the returned source has no rows then. Scanner text and
/// photos are small and come back whole.
pub fn parse_file_streaming(
    name: &str,
    bytes: &[u8],
    each: &mut dyn FnMut(RawRow),
) -> ParsedSource {
    match SourceKind::detect(name, bytes) {
        SourceKind::Csv => parse_csv_each(name, bytes, each),
        _ => parse_file(name, bytes),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(name: &str, bytes: Vec<u8>) -> LabelFile {
        LabelFile {
            name: name.into(),
            bytes,
        }
    }

    /// A photo's line-end bytes made one label's import read "Importing… 0/4634".
    #[test]
    fn a_photo_is_about_one_row_whatever_its_bytes_hold() {
        let mut jpeg = vec![0xFF, 0xD8, 0xFF];
        jpeg.extend([b'\n'; 4633]);
        assert_eq!(file("label.jpg", jpeg.clone()).rows_about(), 1);
        assert_eq!(
            file("label", jpeg).rows_about(),
            1,
            "known by its bytes too"
        );
        assert_eq!(file("png.csv", b"\x89PNG\r\n\r\n".to_vec()).rows_about(), 1);
    }

    #[test]
    fn a_text_is_at_most_its_lines() {
        assert_eq!(file("a.csv", b"MAC\n1\n2\n".to_vec()).rows_about(), 4);
        assert_eq!(file("a.txt", b"x\ry\r\nz".to_vec()).rows_about(), 3);
    }
}
