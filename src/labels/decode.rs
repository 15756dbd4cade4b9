//! Label files' bytes as text, for the CSV and the scanner-text parsers alike: UTF-8 with or
//! without a BOM; UTF-16 (Excel's "Unicode text" export), little or big endian, by its BOM or,
//! without one, by the NUL bytes every other byte of ASCII text is then; and Windows-1252, what
//! Excel writes in German locales, for bytes that are none of these. Read as UTF-8, a UTF-16
//! file failed on every line with a MAC full of NULs.

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, WINDOWS_1252};

/// A label file's text, and a note when how it was read is worth checking.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Decoded {
    pub text: String,
    pub note: Option<&'static str>,
}

/// The bytes looked at to tell UTF-16 without a BOM: a few lines of a label file.
const SAMPLE: usize = 4_096;

/// Decodes a label file's bytes (see the module's doc), dropping a BOM. Never fails: bytes
/// that are not valid in the encoding read as U+FFFD, which no MAC contains.
pub(super) fn decode_text(bytes: &[u8]) -> Decoded {
    let (encoding, bom) = match Encoding::for_bom(bytes) {
        Some((encoding, bom)) if encoding != encoding_rs::UTF_8 => (Some(encoding), bom),
        Some((_, bom)) => (None, bom),
        None => (utf16_without_bom(bytes), 0),
    };
    let body = &bytes[bom..];
    if let Some(encoding) = encoding {
        let note = (bom == 0).then_some(if encoding == UTF_16LE {
            "the file is UTF-16 (little endian) without a byte-order mark; read as such"
        } else {
            "the file is UTF-16 (big endian) without a byte-order mark; read as such"
        });
        let text = encoding.decode_without_bom_handling(body).0.into_owned();
        return Decoded { text, note };
    }
    match std::str::from_utf8(body) {
        Ok(text) => Decoded {
            text: text.to_string(),
            note: None,
        },
        Err(_) => Decoded {
            text: WINDOWS_1252
                .decode_without_bom_handling(body)
                .0
                .into_owned(),
            note: Some("the file is not UTF-8; read as Windows-1252 (check umlauts in site names)"),
        },
    }
}

/// UTF-16 without a BOM, told by its NUL bytes: ASCII text in UTF-16 has a NUL in every
/// other byte (the second of each pair in little endian, the first in big endian), which no
/// text file in an 8-bit encoding has.
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static Encoding> {
    let pairs = bytes[..bytes.len().min(SAMPLE)].chunks_exact(2);
    let total = pairs.len();
    let (mut little, mut big) = (0usize, 0usize);
    for pair in pairs {
        match (pair[0] == 0, pair[1] == 0) {
            (false, true) => little += 1,
            (true, false) => big += 1,
            _ => {}
        }
    }
    if total == 0 {
        None
    } else if 2 * little >= total && little > 4 * big {
        Some(UTF_16LE)
    } else if 2 * big >= total && big > 4 * little {
        Some(UTF_16BE)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16(text: &str, little: bool) -> Vec<u8> {
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

    #[test]
    fn utf16_is_read_by_its_bom_or_its_nul_bytes() {
        let text = "MAC\tStandort\r\n7C2F80820EC0\tMünchen €\r\n";
        for little in [true, false] {
            let bom: &[u8] = if little { b"\xFF\xFE" } else { b"\xFE\xFF" };
            let with_bom = [bom, &utf16(text, little)].concat();
            let decoded = decode_text(&with_bom);
            assert_eq!(
                decoded,
                Decoded {
                    text: text.into(),
                    note: None
                }
            );
            let decoded = decode_text(&utf16(text, little));
            assert_eq!(decoded.text, text);
            assert!(decoded.note.unwrap().contains("without a byte-order mark"));
        }
    }

    #[test]
    fn utf8_with_or_without_bom_and_windows_1252() {
        assert_eq!(decode_text(b"\xEF\xBB\xBFa\xC3\xBC").text, "aü");
        assert_eq!(decode_text(b"a\xC3\xBC").note, None);
        let latin = decode_text(b"\xEF\xBB\xBFM\xfcnchen");
        assert_eq!(latin.text, "München");
        assert!(latin.note.unwrap().contains("Windows-1252"));
        assert_eq!(decode_text(b"").text, "");
        assert_eq!(decode_text(b"a\0").text, "a", "one UTF-16 unit");
        assert_eq!(decode_text(b"\xFF\xFEa").text, "\u{FFFD}", "half a unit");
    }
}
