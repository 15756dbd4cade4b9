//! Label photos: every barcode in a PNG or JPEG, decoded with rxing, then read as scanner text.

use std::panic::{AssertUnwindSafe, catch_unwind};

use super::batch::{ImportRow, Notice, ParsedSource, RowProblem, SourceRef};
use super::{ScannedCode, classify, parse_codes};

/// The text of every barcode in the image, top to bottom, then left to right.
pub fn decode_barcodes(bytes: &[u8]) -> Result<Vec<String>, String> {
    let image = image::load_from_memory(bytes)
        .map_err(|e| format!("not a readable PNG or JPEG photo ({e})"))?;
    let luma = image.to_luma8();
    let (width, height) = luma.dimensions();
    // rxing is outside code reading outside data: a panic in it must not take the app down.
    let decoded = catch_unwind(AssertUnwindSafe(|| {
        rxing::helpers::detect_multiple_in_luma(luma.into_raw(), width, height)
    }))
    .map_err(|_| "the barcode reader failed on this image; try another photo".to_string())?;
    let mut results = match decoded {
        Ok(results) => results,
        Err(rxing::Exceptions::NotFoundException(_)) => Vec::new(),
        Err(error) => return Err(format!("the barcode reader failed: {error}")),
    };
    let position = |result: &rxing::RXingResult| {
        result
            .getPoints()
            .first()
            .map_or((0, 0), |p| (p.y as i64 / 8, p.x as i64))
    };
    results.sort_by_key(position);
    let mut texts: Vec<String> = results.iter().map(|r| r.getText().to_string()).collect();
    texts.dedup();
    Ok(texts)
}

/// Decodes a label photo; each barcode counts as one scanned line, numbered in reading order.
pub fn parse_image_source(name: &str, bytes: &[u8]) -> ParsedSource {
    let mut parsed = ParsedSource {
        name: name.to_string(),
        ..ParsedSource::default()
    };
    let source = |line: usize| SourceRef {
        file: name.to_string(),
        line,
        column: None,
    };
    match decode_barcodes(bytes) {
        Err(reason) => parsed.failures.push(ImportRow {
            source: source(1),
            outcome: Err(RowProblem {
                field: None,
                value: name.to_string(),
                reason,
                row_mac: String::new(),
            }),
        }),
        Ok(texts) if texts.is_empty() => parsed.notices.push(Notice {
            source: source(1),
            message: "no barcode found; photograph the label straight on, in focus and well lit"
                .into(),
        }),
        Ok(texts) => {
            let codes: Vec<(usize, ScannedCode)> = texts
                .iter()
                .enumerate()
                .map(|(index, text)| (index + 1, classify(text)))
                .collect();
            let (rows, notices) = parse_codes(name, &codes);
            parsed.rows = rows;
            parsed.notices = notices;
        }
    }
    parsed
}
