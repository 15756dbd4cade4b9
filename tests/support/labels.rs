//! Label files for the import tests: photos drawn with barcodes as a printer would put them on
//! a label, encoded as real PNG or JPEG files, so the decoder reads what a camera would give
//! it; and text in UTF-16, as Excel's "Unicode text" export writes it.

use image::{GrayImage, Luma};
use rxing::{BarcodeFormat, MultiFormatWriter, Writer};

/// One barcode drawn at `scale` pixels per module.
fn barcode(text: &str, format: BarcodeFormat, scale: u32) -> GrayImage {
    let matrix = MultiFormatWriter
        .encode(text, &format, 0, 0)
        .unwrap_or_else(|e| panic!("cannot encode {text} as {format:?}: {e}"));
    let (width, height) = (matrix.getWidth(), matrix.getHeight());
    let bar_height = if height == 1 { 60 } else { height * scale };
    GrayImage::from_fn(width * scale, bar_height, |x, y| {
        let module_y = if height == 1 { 0 } else { y / scale };
        if matrix.get(x / scale, module_y) {
            Luma([0])
        } else {
            Luma([255])
        }
    })
}

/// A white sheet with the given barcodes stacked, each with a quiet zone around it.
pub fn label_sheet(codes: &[(&str, BarcodeFormat)]) -> GrayImage {
    let images: Vec<GrayImage> = codes
        .iter()
        .map(|(text, format)| barcode(text, *format, 3))
        .collect();
    let margin = 40;
    let width = images.iter().map(GrayImage::width).max().unwrap_or(1) + 2 * margin;
    let height: u32 = images.iter().map(|i| i.height() + margin).sum::<u32>() + margin;
    let mut sheet = GrayImage::from_pixel(width, height, Luma([255]));
    let mut y = margin;
    for image in &images {
        image::imageops::overlay(&mut sheet, image, i64::from(margin), i64::from(y));
        y += image.height() + margin;
    }
    sheet
}

pub fn png_bytes(image: &GrayImage) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    image.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

pub fn jpeg_bytes(image: &GrayImage) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    image.write_to(&mut out, image::ImageFormat::Jpeg).unwrap();
    out.into_inner()
}

/// `text` in UTF-16, little or big endian, without a byte-order mark.
pub fn utf16(text: &str, little: bool) -> Vec<u8> {
    text.encode_utf16()
        .flat_map(|unit| {
            if little {
                unit.to_le_bytes()
            } else {
                unit.to_be_bytes()
            }
        })
        .collect()
}
