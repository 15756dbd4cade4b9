//! Reads any label file, choosing the parser by content.

use super::{
    ParsedSource, RawRow, SourceKind, csv_file::parse_csv_each, decode_text, parse_csv_source,
    parse_image_source, parse_text_source,
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
        SourceKind::Text => parse_text_source(name, &decode_text(bytes).0),
        SourceKind::Image => parse_image_source(name, bytes),
    }
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
        SourceKind::Csv => ParsedSource {
            name: name.to_string(),
            notices: parse_csv_each(name, bytes, each),
            ..ParsedSource::default()
        },
        _ => parse_file(name, bytes),
    }
}
