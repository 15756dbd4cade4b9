//! Label photos: every barcode in a PNG or JPEG, decoded with rxing, then read as scanner text.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;

use super::batch::{ImportRow, Notice, ParsedSource, RowProblem, SourceRef};
use super::text::code_source;
use super::{ScannedCode, classify};

/// The largest photo read, in pixels: a 48-megapixel phone photo fits; a file that says it is
/// larger (a 20000×20000 image is 400 megapixels, over a gigabyte decoded) is refused before
/// it is decoded, so a hostile or mistaken file cannot take the memory of the laptop.
const MAX_PIXELS: u64 = 50_000_000;

/// The text of every barcode in the image, top to bottom, then left to right.
pub fn decode_barcodes(bytes: &[u8]) -> Result<Vec<String>, String> {
    let luma = decode_bounded(bytes)?.to_luma8();
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

/// Whether a photo stops before its format's end marker (PNG's `IEND` chunk, JPEG's `FF D9`,
/// trailing zero padding aside): the decoders read a cut-short JPEG without an error, as a
/// partly grey picture, where a barcode is then not found for a reason the user cannot see.
fn looks_cut_short(bytes: &[u8]) -> bool {
    if bytes.starts_with(b"\x89PNG") {
        return !bytes.ends_with(b"IEND\xAE\x42\x60\x82");
    }
    let end = bytes
        .iter()
        .rposition(|&b| b != 0)
        .map_or(0, |last| last + 1);
    !bytes[..end].ends_with(&[0xFF, 0xD9])
}

/// Whether the bytes begin as a PNG or a JPEG does: what makes a file a photo, whatever its
/// name.
pub(super) fn starts_as_image(bytes: &[u8]) -> bool {
    bytes.starts_with(b"\x89PNG") || bytes.starts_with(&[0xFF, 0xD8, 0xFF])
}

/// Decodes the photo after checking from its header that it is not too large to decode.
fn decode_bounded(bytes: &[u8]) -> Result<image::DynamicImage, String> {
    if !starts_as_image(bytes) {
        return Err("not a readable PNG or JPEG photo: the file is named as one but holds no PNG or JPEG data; export or copy the photo again as PNG or JPEG, and give a list of labels a .csv or .txt name".into());
    }
    // The decoders' words may span lines (zune-jpeg ends its own with one): kept on one, so
    // the message reads as one line wherever it is shown.
    let unreadable = |e: &dyn std::fmt::Display| {
        let reason = e
            .to_string()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        format!(
            "not a readable PNG or JPEG photo ({reason}): the file is damaged or cut short; copy or export the photo again and check that an image viewer opens it"
        )
    };
    let reader = || {
        image::ImageReader::new(std::io::Cursor::new(bytes))
            .with_guessed_format()
            .map_err(|e| unreadable(&e))
    };
    let (width, height) = reader()?.into_dimensions().map_err(|e| unreadable(&e))?;
    let pixels = u64::from(width) * u64::from(height);
    if pixels > MAX_PIXELS {
        return Err(format!(
            "the photo is {width}×{height} pixels ({} megapixels); provdesk reads photos up to {} megapixels: scale it down or crop it to the label",
            pixels / 1_000_000,
            MAX_PIXELS / 1_000_000
        ));
    }
    reader()?.decode().map_err(|e| unreadable(&e))
}

/// Decodes a label photo; each barcode counts as one scanned line, numbered in reading order.
pub fn parse_image_source(name: &str, bytes: &[u8]) -> ParsedSource {
    let mut parsed = ParsedSource {
        name: name.to_string(),
        ..ParsedSource::default()
    };
    let source = |line: usize| SourceRef {
        file: Arc::from(name),
        line,
    };
    match decode_barcodes(bytes) {
        Err(reason) => parsed.failures.push(ImportRow {
            source: source(1),
            outcome: Err(vec![RowProblem {
                field: None,
                column: None,
                value: name.to_string(),
                reason,
                row_mac: String::new(),
            }]),
            warnings: Vec::new(),
            written: None,
        }),
        Ok(texts) if texts.is_empty() => {
            let message = if looks_cut_short(bytes) {
                "no barcode found, and the photo looks cut short (it stops before its end \
                 marker, so part of it may be grey): copy or export it again"
            } else {
                "no barcode found; photograph the label straight on, in focus and well lit"
            };
            parsed.notices.push(Notice::new(source(1), message.into()));
            parsed.source_notices = 1;
        }
        Ok(texts) => {
            let codes: Vec<(usize, ScannedCode)> = texts
                .iter()
                .enumerate()
                .map(|(index, text)| (index + 1, classify(text)))
                .collect();
            return code_source(name, codes, Vec::new());
        }
    }
    parsed
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A PNG that only says it is `width`×`height`: its header, an empty image data chunk and
    /// its end.
    fn png_header(width: u32, height: u32) -> Vec<u8> {
        let mut header = width.to_be_bytes().to_vec();
        header.extend(height.to_be_bytes());
        header.extend([8, 0, 0, 0, 0]); // 8-bit grey, deflate, no filter, no interlace
        let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
        for (kind, data) in [
            (b"IHDR", header),
            (b"IDAT", Vec::new()),
            (b"IEND", Vec::new()),
        ] {
            let mut chunk = kind.to_vec();
            chunk.extend(&data);
            png.extend((data.len() as u32).to_be_bytes());
            png.extend(&chunk);
            png.extend(crc32(&chunk).to_be_bytes());
        }
        png
    }

    fn crc32(bytes: &[u8]) -> u32 {
        let mut crc = !0u32;
        for &byte in bytes {
            crc ^= u32::from(byte);
            for _ in 0..8 {
                crc = if crc & 1 == 1 {
                    (crc >> 1) ^ 0xEDB8_8320
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    }

    /// A JPEG without a barcode, and the same cut short: the decoder reads both, and only the
    /// cut one's notice says that it looks cut short.
    #[test]
    fn a_photo_cut_short_says_so_when_no_barcode_is_found() {
        let picture =
            image::GrayImage::from_fn(320, 240, |x, y| image::Luma([((x * y) % 251) as u8]));
        let mut jpeg = Vec::new();
        image::DynamicImage::ImageLuma8(picture)
            .write_to(
                &mut std::io::Cursor::new(&mut jpeg),
                image::ImageFormat::Jpeg,
            )
            .unwrap();
        let whole = parse_image_source("whole.jpg", &jpeg);
        assert_eq!(whole.notices.len(), 1, "{whole:?}");
        assert!(!whole.notices[0].message.contains("cut short"), "{whole:?}");
        let cut = parse_image_source("cut.jpg", &jpeg[..jpeg.len() * 2 / 3]);
        assert!(
            cut.failures.is_empty(),
            "the decoder reads it, partly: {cut:?}"
        );
        assert_eq!(cut.notices.len(), 1, "{cut:?}");
        assert!(
            cut.notices[0].message.contains("looks cut short"),
            "{cut:?}"
        );
        let mut padded = jpeg.clone();
        padded.extend([0; 16]);
        assert!(
            !looks_cut_short(&padded),
            "zero padding after the end marker"
        );
        assert!(!looks_cut_short(&png_header(1, 1)));
        assert!(looks_cut_short(&png_header(1, 1)[..20]));
    }

    #[test]
    fn a_photo_too_large_to_decode_is_refused_with_its_size() {
        let error = decode_barcodes(&png_header(20_000, 20_000)).unwrap_err();
        assert!(error.contains("20000×20000"), "{error}");
        assert!(error.contains("400 megapixels"), "{error}");
    }

    #[test]
    fn a_phone_sized_photo_passes_the_size_check() {
        let error = decode_barcodes(&png_header(8_000, 6_000)).unwrap_err();
        assert!(!error.contains("megapixels"), "{error}");
    }
}
