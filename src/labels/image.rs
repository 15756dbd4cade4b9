//! Label photos: every barcode in a PNG or JPEG, decoded with rxing, then read as scanner text.

use std::sync::mpsc::{RecvTimeoutError, channel};
use std::sync::{Arc, Once};
use std::time::Duration;

use super::batch::{ImportRow, Notice, ParsedSource, RowProblem, SourceRef};
use super::text::code_source;
use super::{ScannedCode, classify};

/// The largest photo read, in pixels: a 48-megapixel phone photo fits; a file that says it is
/// larger (a 20000×20000 image is 400 megapixels, over a gigabyte decoded) is refused before
/// it is decoded, so a hostile or mistaken file cannot take the memory of the laptop.
const MAX_PIXELS: u64 = 50_000_000;

/// The longest side read: twice a 48-megapixel photo's 8000. rxing's memory grows with the
/// longest side (about 160 bytes per pixel of it: a 50,000,000×1 image, within
/// [`MAX_PIXELS`], took over 5 GB) and it counts a run of pixels in 16 bits, so a row of over
/// 65,535 pixels of one colour overflows (a panic, or in a release build a wrong count).
const MAX_SIDE: u32 = 16_384;

/// The shortest side read: a label's barcode (a QR code has at least 21 modules) is not
/// photographed in fewer pixels.
const MIN_SIDE: u32 = 16;

/// The most one side may exceed the other: a phone photo is 4:3 or 16:9, a label sheet about
/// 1.4:1 and a label cropped to its barcode some 10:1; a longer strip is a panorama, a
/// spectrogram or a mistaken file, refused with a reason instead of "no barcode found".
const MAX_RATIO: u32 = 20;

/// The name of the thread rxing runs on: the panic hook leaves its panics unprinted.
const BARCODE_THREAD: &str = "provdesk barcode reader";

/// How long one photo is read before provdesk gives up on it. A busy 48-megapixel photo
/// (fine stripes all over) takes rxing minutes where a label photo takes seconds; rxing cannot
/// be stopped, so it finishes on its own thread while the import goes on.
const READ_BUDGET: Duration = Duration::from_secs(30);

/// The text of every barcode in the image, top to bottom, then left to right.
pub fn decode_barcodes(bytes: &[u8]) -> Result<Vec<String>, String> {
    let luma = decode_bounded(bytes)?.to_luma8();
    let (width, height) = luma.dimensions();
    let mut found = on_barcode_thread(READ_BUDGET, move || {
        let position = |result: &rxing::RXingResult| {
            result
                .getPoints()
                .first()
                .map_or((0, 0), |p| (p.y as i64 / 8, p.x as i64))
        };
        rxing::helpers::detect_multiple_in_luma(luma.into_raw(), width, height).map(|results| {
            let found: Vec<((i64, i64), String)> = results
                .iter()
                .map(|result| (position(result), result.getText().to_string()))
                .collect();
            found
        })
    })?
    .or_else(|error| match error {
        rxing::Exceptions::NotFoundException(_) => Ok(Vec::new()),
        error => Err(format!("the barcode reader failed: {error}")),
    })?;
    found.sort_by_key(|(position, _)| *position);
    let mut texts: Vec<String> = found.into_iter().map(|(_, text)| text).collect();
    texts.dedup();
    Ok(texts)
}

/// Runs `read` on a thread of its own, named [`BARCODE_THREAD`], for at most `budget`: rxing
/// is outside code reading outside data, so a panic in it must neither take the app down nor
/// print its message and backtrace over the terminal (a panic anywhere else is printed as
/// before), and a photo it takes minutes over must not hold the import.
fn on_barcode_thread<T: Send + 'static>(
    budget: Duration,
    read: impl FnOnce() -> T + Send + 'static,
) -> Result<T, String> {
    static QUIET: Once = Once::new();
    QUIET.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if std::thread::current().name() != Some(BARCODE_THREAD) {
                previous(info);
            }
        }));
    });
    let (sender, receiver) = channel();
    std::thread::Builder::new()
        .name(BARCODE_THREAD.into())
        .spawn(move || sender.send(read()))
        .map_err(|e| {
            format!("cannot start the barcode reader ({e}); close other programs and try again")
        })?;
    receiver.recv_timeout(budget).map_err(|error| match error {
        RecvTimeoutError::Timeout => format!(
            "the barcode reader gave up on this photo after {} s; crop it to the label, or take it at a lower resolution",
            budget.as_secs()
        ),
        RecvTimeoutError::Disconnected => {
            "the barcode reader failed on this image; try another photo".to_string()
        }
    })
}

/// Why a photo of `width`×`height` pixels is not read, from its header alone: too large to
/// decode in memory, or not the shape of a label photo.
fn shape_problem(width: u32, height: u32) -> Option<String> {
    let pixels = u64::from(width) * u64::from(height);
    if pixels > MAX_PIXELS {
        return Some(format!(
            "the photo is {width}×{height} pixels ({} megapixels); provdesk reads photos up to {} megapixels: scale it down or crop it to the label",
            pixels / 1_000_000,
            MAX_PIXELS / 1_000_000
        ));
    }
    let (long, short) = (width.max(height), width.min(height));
    let why = if long > MAX_SIDE {
        format!(
            "provdesk reads photos up to {MAX_SIDE} pixels a side (a 48-megapixel phone photo is 8000×6000): scale it down or crop it to the label"
        )
    } else if short < MIN_SIDE {
        format!(
            "a side under {MIN_SIDE} pixels holds no readable barcode: photograph the label again"
        )
    } else if u64::from(long) > u64::from(MAX_RATIO) * u64::from(short) {
        format!(
            "one side is over {MAX_RATIO} times the other, where a photo is 4:3 or 16:9: crop it to the label with some margin around it"
        )
    } else {
        return None;
    };
    Some(format!(
        "the photo is {width}×{height} pixels: not a label photo; {why}"
    ))
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
    if let Some(problem) = shape_problem(width, height) {
        return Err(problem);
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

    /// The shapes of hostile review 4 (a 50,000,000×1 PNG took over 5 GB, 500,000×4 panicked
    /// inside rxing) are refused from the header, naming the size; the shapes of photos, label
    /// sheets and a barcode cropped tight are read.
    #[test]
    fn a_photo_not_shaped_like_a_label_photo_is_refused_from_its_header() {
        for (width, height, why) in [
            (50_000_000, 1, "up to 16384 pixels a side"),
            (1, 50_000_000, "up to 16384 pixels a side"),
            (500_000, 4, "up to 16384 pixels a side"),
            (16_385, 2_000, "up to 16384 pixels a side"),
            (1_000, 15, "a side under 16 pixels"),
            (15, 15, "a side under 16 pixels"),
            (2_001, 100, "over 20 times the other"),
            (100, 16_384, "over 20 times the other"),
        ] {
            let error = decode_barcodes(&png_header(width, height)).unwrap_err();
            assert!(
                error.starts_with(&format!(
                    "the photo is {width}×{height} pixels: not a label photo; "
                )),
                "{error}"
            );
            assert!(error.contains(why), "{width}×{height}: {error}");
        }
        for (width, height) in [
            (8_000, 6_000),
            (6_000, 8_000),
            (16_384, 3_000),
            (7_016, 4_960),
            (2_000, 100),
            (16, 16),
        ] {
            assert_eq!(shape_problem(width, height), None, "{width}×{height}");
        }
    }

    proptest::proptest! {
        /// Any size a header can claim is either read or refused for a reason naming it,
        /// and what is read fits the bounds rxing is known to stay within.
        #[test]
        fn every_size_is_read_within_the_bounds_or_refused_naming_it(
            width in proptest::prelude::any::<u32>(),
            height in proptest::prop_oneof![0u32..64, proptest::prelude::any::<u32>()],
        ) {
            match shape_problem(width, height) {
                Some(problem) => proptest::prop_assert!(
                    problem.starts_with(&format!("the photo is {width}×{height} pixels")),
                    "{}", problem
                ),
                None => {
                    let (long, short) = (width.max(height), width.min(height));
                    proptest::prop_assert!(long <= MAX_SIDE && short >= MIN_SIDE);
                    proptest::prop_assert!(long <= MAX_RATIO * short);
                    proptest::prop_assert!(u64::from(long) * u64::from(short) <= MAX_PIXELS);
                }
            }
        }
    }

    /// A reading that does not end within its budget is left to finish on its own, and the
    /// photo gets a reason.
    #[test]
    fn a_photo_read_past_the_budget_is_given_up_with_a_reason() {
        let (release, held) = channel::<()>();
        let read = on_barcode_thread(Duration::from_secs(1), move || held.recv().is_ok());
        assert_eq!(
            read.unwrap_err(),
            "the barcode reader gave up on this photo after 1 s; crop it to the label, or take it at a lower resolution"
        );
        release.send(()).unwrap();
        assert_eq!(on_barcode_thread(READ_BUDGET, || 7), Ok(7));
    }

    /// The variable that makes [`a_panic_in_the_barcode_reader_is_not_printed`] the child
    /// process it starts.
    const CHILD: &str = "PROVDESK_TEST_BARCODE_PANIC_CHILD";

    /// Run as its own process (the panic hook is the process's): a panic on the barcode
    /// thread becomes an error and prints nothing, while a panic on any other thread is
    /// still printed.
    #[test]
    fn a_panic_in_the_barcode_reader_is_not_printed() {
        if std::env::var_os(CHILD).is_some() {
            let read = on_barcode_thread(READ_BUDGET, || -> u8 { panic!("quiet rxing panic") });
            assert_eq!(
                read.unwrap_err(),
                "the barcode reader failed on this image; try another photo"
            );
            let other = std::thread::spawn(|| panic!("loud other panic")).join();
            assert!(other.is_err());
            println!("child done");
            return;
        }
        let child = std::process::Command::new(std::env::current_exe().unwrap())
            .args([
                "labels::image::tests::a_panic_in_the_barcode_reader_is_not_printed",
                "--exact",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(CHILD, "1")
            .output()
            .unwrap();
        let (out, err) = (
            String::from_utf8_lossy(&child.stdout),
            String::from_utf8_lossy(&child.stderr),
        );
        assert!(child.status.success(), "{out}\n{err}");
        assert!(out.contains("child done"), "{out}\n{err}");
        assert!(!err.contains("quiet rxing panic"), "{err}");
        assert!(err.contains("loud other panic"), "{err}");
    }
}
