//! Reads any label file, choosing the parser by content.

use std::sync::Arc;

use super::decode::decode_text;
use super::{
    Notice, ParsedSource, RawRow, SourceKind, SourceRef, csv_file::parse_csv_each,
    parse_csv_source, parse_image_source, text_source,
};

/// A label file read and not yet parsed: its name as the rows will quote it, and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabelFile {
    pub name: String,
    pub bytes: Vec<u8>,
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
