//! The label parsers take whatever a file, a scanner or a camera gives them: they never panic,
//! and every row they keep is either a valid device or a problem with a line number.

use crate::support::labels;

use labels::{jpeg_bytes, label_sheet, png_bytes};
use proptest::prelude::*;
use provdesk::labels::{
    BatchDefaults, ImportBatch, LabelFile, ScannedCode, classify, csv_batch, decode_barcodes,
    parse_codes, parse_file, parse_image_source, text_batch,
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
        for (source, _) in batch.invalid() {
            let column = source.column.unwrap_or(1);
            prop_assert!(column >= 1 && column <= header.len() + 1, "{source} in {text:?}");
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
