//! The label parsers take whatever a file, a scanner or a camera gives them: they never panic,
//! and every row they keep is either a valid device or a problem with a line number.

use proptest::prelude::*;
use provdesk::labels::{BatchDefaults, classify, csv_batch, decode_barcodes, text_batch};

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
