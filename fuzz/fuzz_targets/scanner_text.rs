//! Any text as scanner input and as one barcode's text (a QR code with several fields), and any
//! bytes as a file of unknown kind (CSV, text or photo).
#![no_main]

use libfuzzer_sys::fuzz_target;
use provdesk::labels::{BatchDefaults, ImportBatch, classify, parse_codes, parse_file, text_batch};

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let batch = text_batch("scanner", text, &BatchDefaults::default());
        assert!(batch.rows.iter().all(|row| row.source.line >= 1));
        // One code, however many fields it carries, is at most one device.
        let (rows, _) = parse_codes("photo", &[(1, classify(text))]);
        assert!(rows.len() <= 1);
    }
    let source = parse_file("fuzz.bin", data);
    let _ = ImportBatch::from_sources(&[source], &BatchDefaults::default());
});
