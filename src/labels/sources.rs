//! Reads any label file into a batch, choosing the parser by content.

use super::{BatchDefaults, ImportBatch, SourceKind, csv_batch, image, text_batch};

/// Parses one file's bytes (already read) as CSV, scanner text or a barcode photo.
pub fn file_batch(name: &str, bytes: &[u8], defaults: &BatchDefaults) -> ImportBatch {
    match SourceKind::detect(name, bytes) {
        SourceKind::Csv => csv_batch(name, bytes, defaults),
        SourceKind::Text => text_batch(name, &super::decode_text(bytes).0, defaults),
        SourceKind::Image => image::image_batch(name, bytes, defaults),
    }
}
