//! Reads any label file, choosing the parser by content.

use super::{
    ParsedSource, SourceKind, decode_text, parse_csv_source, parse_image_source, parse_text_source,
};

/// Parses one file's bytes (already read) as CSV, scanner text or a barcode photo.
pub fn parse_file(name: &str, bytes: &[u8]) -> ParsedSource {
    match SourceKind::detect(name, bytes) {
        SourceKind::Csv => parse_csv_source(name, bytes),
        SourceKind::Text => parse_text_source(name, &decode_text(bytes).0),
        SourceKind::Image => parse_image_source(name, bytes),
    }
}
