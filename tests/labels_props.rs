//! The label parsers take whatever a file, a scanner or a camera gives them: they never panic,
//! and every row they keep is either a valid device or a problem with a line number.

use crate::support::labels;

use labels::{jpeg_bytes, label_sheet, png_bytes, utf16};
use proptest::prelude::*;
use provdesk::labels::{
    BatchDefaults, ImportBatch, LabelFile, ParsedSource, ScannedCode, classify, csv_batch,
    decode_barcodes, parse_codes, parse_file, parse_image_source, text_batch,
};
use rxing::BarcodeFormat;

/// Pieces a label's QR code is made of: prefixes, values, separators, and some noise.
fn code_pieces() -> Vec<&'static str> {
    vec![
        "MAC:",
        "MAC-ID=",
        "ID ",
        "SN",
        "S/N ",
        "Model: ",
        "7C2F80820EC0",
        "7C 2F 80 82 0E C0",
        "7C-2F-80-82-0E-C0",
        "7C2F80820EC0-55DF",
        "7C2F80820EC1-9A0B",
        "N510 IP PRO",
        "Maxwell 3",
        "4711",
        ";",
        ",",
        "|",
        "\n",
        "\r\n",
        " ",
        "-",
        ":",
        "=",
        "\u{e9}",
        "\u{1b}",
        "ID",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn csv_never_panics_on_any_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let batch = csv_batch("fuzz.csv", &bytes, &BatchDefaults::default());
        for row in &batch.rows {
            prop_assert!(row.source.line >= 1);
        }
    }

    #[test]
    fn csv_with_plausible_structure_never_panics(
        text in "(mac|MAC-Adresse|Modell|site|\"|;|,|\\t|\\r\\n|\\n|7C2F80820EC[0-9]|-55DF| ){0,60}"
    ) {
        let batch = csv_batch("fuzz.csv", text.as_bytes(), &BatchDefaults::default());
        prop_assert!(batch.valid_count() + batch.invalid_count() == batch.rows.len());
    }

    /// The command line's import parses and validates as it writes; what it ends with is the
    /// batch the window's preview builds from the same bytes, and the chunks it hands on are
    /// that batch's rows in order.
    #[test]
    fn streaming_gives_the_batch_the_preview_gives(
        text in "(mac|MAC-ID|Modell|site|\"|;|,|\\t|\\r\\n|\\n|7C2F80820EC[0-9]|-55DF|N510| ){0,80}",
        scanned in "(7C2F80820EC[0-9]|\\n|N720| ){0,20}",
    ) {
        let files = [
            LabelFile { name: "a.csv".into(), bytes: text.clone().into_bytes() },
            LabelFile { name: "b.scan".into(), bytes: scanned.clone().into_bytes() },
        ];
        let defaults = BatchDefaults { site: Some("Lobby".into()), model: None };
        let mut handed = Vec::new();
        let streamed = ImportBatch::parse_streaming(&files, &defaults, &mut |rows| {
            handed.extend_from_slice(rows)
        });
        let sources: Vec<_> = files.iter().map(|f| parse_file(&f.name, &f.bytes)).collect();
        let whole = ImportBatch::from_sources(&sources, &defaults);
        prop_assert_eq!(&handed, &whole.rows);
        prop_assert_eq!(streamed, whole);
    }

    #[test]
    fn sip_columns_never_panic_and_problems_point_into_the_row(
        header in proptest::collection::vec(
            "(sip[0-9]{1,3}_(user|auth_user|password|port|transport|registrar)|sip_user_[0-9]|Model)",
            0..6,
        ),
        cells in proptest::collection::vec(
            proptest::collection::vec("(|1001|70000|5060|udp|sctp|N510|pbx x|\\PC{0,8})", 0..7),
            1..5,
        ),
    ) {
        let mut text = format!("MAC,{}\n", header.join(","));
        for (n, row) in cells.iter().enumerate() {
            let row: Vec<String> = row.iter().map(|c| c.replace(['"', ',', '\n', '\r'], "")).collect();
            text.push_str(&format!("7C2F80A1B2{n:02X},{}\n", row.join(",")));
        }
        let batch = csv_batch("sip.csv", text.as_bytes(), &BatchDefaults::default());
        for (source, problem) in batch.invalid() {
            let column = problem.column.unwrap_or(1);
            prop_assert!(column >= 1 && column <= header.len() + 1, "{source}:{column} in {text:?}");
        }
        for (_, device) in batch.valid() {
            for account in device.sip_accounts.iter().flatten() {
                prop_assert!(account.index >= 1 && !account.user.is_empty());
            }
        }
    }

    #[test]
    fn scanner_text_never_panics(text in "\\PC{0,300}") {
        let batch = text_batch("scanner", &text, &BatchDefaults::default());
        for row in &batch.rows {
            prop_assert!(row.source.line >= 1);
            prop_assert!(row.source.line <= text.lines().count().max(1));
        }
    }

    #[test]
    fn every_line_classifies(line in "\\PC{0,40}") {
        let _ = classify(&line);
    }

    /// Issue 12: any text made of a label code's pieces, as scanner lines or as one barcode's
    /// text: no panic, and one code is at most one device.
    #[test]
    fn multi_field_codes_never_panic(
        pieces in proptest::collection::vec(proptest::sample::select(code_pieces()), 0..40),
    ) {
        let text = pieces.concat();
        let batch = text_batch("scanner", &text, &BatchDefaults::default());
        prop_assert_eq!(batch.valid_count() + batch.invalid_count(), batch.rows.len());
        let code = classify(&text);
        let (rows, _) = parse_codes("photo", &[(1, code.clone())]);
        prop_assert!(rows.len() <= 1, "{:?} gave {} rows", code, rows.len());
        if let ScannedCode::Fields(fields) = &code {
            prop_assert!(fields.mac.is_some() || fields.mac_id.is_some() || fields.model.is_some() || fields.serial.is_some());
        }
    }

    #[test]
    fn image_decoding_never_panics(tail in proptest::collection::vec(any::<u8>(), 0..200)) {
        let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
        png.extend(&tail);
        let _ = decode_barcodes(&png);
        let mut jpeg = vec![0xFF, 0xD8, 0xFF];
        jpeg.extend(&tail);
        let _ = decode_barcodes(&jpeg);
    }
}

/// The line ends label files come with: Unix, Windows, and the lone CR of barcode scanners.
const LINE_ENDS: [&str; 3] = ["\n", "\r\n", "\r"];

/// Each parsed row as (line, MAC, MAC-ID, notes), line breaks in the notes written as `\n`,
/// and each notice as (line, message): what must not depend on the file's line ends.
fn rows_and_notices(parsed: &ParsedSource, end: &str) -> Vec<(usize, String)> {
    let rows = parsed.rows.iter().map(|row| {
        let draft = &row.draft;
        let notes = draft.notes.replace(end, "\n");
        let what = format!("{} {} {notes:?}", draft.mac, draft.mac_id);
        (row.source.line, what)
    });
    let notices = parsed
        .notices
        .iter()
        .map(|notice| (notice.source.line, notice.message.clone()));
    rows.chain(notices).collect()
}

/// The 1-based line `text` ends on, lines ended by `\n`, `\r\n` or a lone `\r`.
fn last_line(text: &str) -> usize {
    text.replace("\r\n", "\n").matches(['\n', '\r']).count() + 1
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// The same rows with LF, CRLF or CR line ends (a scanner's) give the same devices on the
    /// same lines, in CSV files and in scanner text alike.
    #[test]
    fn line_ends_change_no_row_and_no_line_number(
        rows in proptest::collection::vec(
            proptest::option::of((0u8..8, "[a-z ,;]{0,6}", any::<bool>())),
            0..8,
        ),
        codes in proptest::collection::vec(
            proptest::sample::select(vec!["MAC:7C2F80820EC0", "7C2F80820EC0-55DF", "junk", "", "S/N 4711", "7C2F80820EC2 N510"]),
            0..8,
        ),
        trailing in any::<bool>(),
    ) {
        let mut seen = Vec::new();
        for end in LINE_ENDS {
            let mut lines = vec!["MAC,Notes".to_string()];
            for row in &rows {
                lines.push(match row {
                    None => String::new(),
                    Some((n, notes, false)) => format!("7C2F80A1B2{n:02X},\"{notes}\""),
                    Some((n, notes, true)) => format!("7C2F80A1B2{n:02X},\"{notes}{end}{notes}\""),
                });
            }
            let mut csv = lines.join(end);
            let mut scan = codes.join(end);
            if trailing {
                csv.push_str(end);
                scan.push_str(end);
            }
            let csv = rows_and_notices(&parse_file("l.csv", csv.as_bytes()), end);
            let scan = rows_and_notices(&parse_file("l.txt", scan.as_bytes()), end);
            seen.push((csv, scan));
        }
        prop_assert_eq!(&seen[0], &seen[1], "LF and CRLF");
        prop_assert_eq!(&seen[0], &seen[2], "LF and CR");
    }

    /// A UTF-16 file (Excel's "Unicode text") reads as the same text in UTF-8 does: with a
    /// BOM exactly so, without one with a note saying how it was read.
    #[test]
    fn utf16_reads_as_utf8_does(
        text in "(mac|MAC-ID|Modell|Standort|München|\"|;|,|\t|\r\n|\n|\r|7C2F80820EC[0-9]|-55DF|N510| ){0,60}",
        little in any::<bool>(),
    ) {
        let defaults = BatchDefaults::default();
        let batch = |name: &str, bytes: &[u8]| {
            ImportBatch::from_sources(&[parse_file(name, bytes)], &defaults)
        };
        for name in ["u.csv", "u.txt"] {
            let utf8 = batch(name, text.as_bytes());
            let bom: &[u8] = if little { b"\xFF\xFE" } else { b"\xFE\xFF" };
            let with_bom = batch(name, &[bom, &utf16(&text, little)].concat());
            prop_assert_eq!(&with_bom, &utf8);
            let mut without = batch(name, &utf16(&text, little));
            let note = without.notices.iter().position(|n| n.message.contains("UTF-16"));
            prop_assert_eq!(note.is_some(), !text.is_empty());
            if let Some(note) = note {
                without.notices.remove(note);
            }
            prop_assert_eq!(&without, &utf8);
        }
    }

    /// Bytes that look like UTF-16 (a BOM, or a NUL in every other byte) are no reason to
    /// panic either.
    #[test]
    fn utf16_looking_bytes_never_panic(
        units in proptest::collection::vec(any::<u8>(), 0..200),
        bom in proptest::sample::select(vec![&b""[..], b"\xFF\xFE", b"\xFE\xFF"]),
        little in any::<bool>(),
    ) {
        let mut bytes = bom.to_vec();
        for unit in units {
            bytes.extend(if little { [unit, 0] } else { [0, unit] });
        }
        for name in ["fuzz.csv", "fuzz.txt"] {
            let batch = ImportBatch::from_sources(&[parse_file(name, &bytes)], &BatchDefaults::default());
            prop_assert!(batch.rows.iter().all(|row| row.source.line >= 1));
        }
    }

    /// Quoted cells read back as written, quotes, delimiters and line breaks included; a
    /// quote left open refuses the file at the line it was opened on, and no row is read.
    #[test]
    fn quoted_cells_read_back_and_an_open_quote_is_named(
        cells in proptest::collection::vec("([a-z ,;\"]|\r|\n|\r\n){0,12}", 0..6),
        tail in "([a-z ,;]|\r|\n|\r\n){0,12}",
    ) {
        let mut text = String::from("MAC,Notes\n");
        for (n, cell) in cells.iter().enumerate() {
            text.push_str(&format!("7C2F80A1B2{n:02X},\"{}\"\n", cell.replace('"', "\"\"")));
        }
        let parsed = parse_file("q.csv", text.as_bytes());
        prop_assert!(parsed.failures.is_empty(), "{:?}", parsed.failures);
        let notes: Vec<&str> = parsed.rows.iter().map(|row| row.draft.notes.as_str()).collect();
        let written: Vec<&str> = cells.iter().map(|cell| cell.trim()).collect();
        prop_assert_eq!(notes, written);

        text.push_str("7C2F80A1B2FF,\"");
        let line = last_line(&text);
        text.push_str(&tail);
        let parsed = parse_file("q.csv", text.as_bytes());
        prop_assert!(parsed.rows.is_empty());
        prop_assert_eq!(parsed.failures.len(), 1);
        prop_assert_eq!(parsed.failures[0].source.line, line);
    }
}

proptest! {
    // Fewer cases: each builds values of up to tens of kilobytes.
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// What a row problem or a notice says is shown on a terminal and in the window: no
    /// control character from the file gets there, and no value longer than a line.
    #[test]
    fn problems_and_notices_are_printable_and_short(
        value in "(\\PC|[\\x00-\\x1f\\x7f\\x{9b}]){0,60}",
        repeat in 1usize..300,
    ) {
        let long = value.repeat(repeat);
        let csv = format!("mac,model\n\"{}\",N510\n", long.replace('"', "\"\""));
        let batch = csv_batch("hostile.csv", csv.as_bytes(), &BatchDefaults::default());
        let scanned = text_batch("scanner", &long, &BatchDefaults::default());
        let problems = batch.invalid().chain(scanned.invalid()).map(|(_, p)| p);
        for problem in problems {
            for text in [&problem.value, &problem.reason, &problem.row_mac] {
                prop_assert!(!text.chars().any(char::is_control), "{text:?}");
                prop_assert!(text.chars().count() <= 400, "{} chars", text.chars().count());
            }
        }
        for notice in batch.notices.iter().chain(&scanned.notices) {
            prop_assert!(!notice.message.chars().any(char::is_control), "{:?}", notice.message);
            prop_assert!(notice.message.chars().count() <= 400);
        }
    }
}

/// Issue 12: a QR code carrying MAC, MAC-ID, serial number and model, photographed beside the
/// label's MAC barcode, is read back into one device with all of it.
#[test]
fn a_qr_code_with_several_fields_is_one_device() {
    let qr = "MAC:7C2F80820EC5\nMAC-ID:7C2F80820EC5-AB12\nSN:GS4711\nModel:N720 DM PRO";
    let sheet = label_sheet(&[
        ("7C2F80820EC5", BarcodeFormat::CODE_128),
        (qr, BarcodeFormat::QR_CODE),
    ]);
    for (name, bytes) in [
        ("label.png", png_bytes(&sheet)),
        ("label.jpg", jpeg_bytes(&sheet)),
    ] {
        let source = parse_image_source(name, &bytes);
        let batch = ImportBatch::from_sources(&[source], &BatchDefaults::default());
        assert_eq!(batch.rows.len(), 1, "{name}: {:?}", batch.rows);
        let (_, device) = batch.valid().next().expect("the row is valid");
        assert_eq!(device.mac.macd(), "7C2F80820EC5");
        assert_eq!(
            device.mac_id.as_ref().unwrap().to_string(),
            "7C2F80820EC5-AB12"
        );
        assert_eq!(device.model.unwrap().name, "N720 IP PRO");
        let notes: Vec<&str> = batch.notices.iter().map(|n| n.message.as_str()).collect();
        assert_eq!(
            notes,
            [
                "serial number GS4711 read with MAC 7C2F80820EC5; the inventory has no serial field, so it is not stored"
            ],
            "{name}: the serial is told, and the MAC in both codes is no re-scan"
        );
        assert!(
            batch.warnings().next().is_none(),
            "a Gigaset MAC under a Gigaset model"
        );
    }
}
