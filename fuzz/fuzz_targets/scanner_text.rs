//! Any text as scanner input, and any bytes as a file of unknown kind (CSV, text or photo).
#![no_main]

use libfuzzer_sys::fuzz_target;
use provdesk::labels::{BatchDefaults, ImportBatch, parse_file, text_batch};

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let batch = text_batch("scanner", text, &BatchDefaults::default());
        assert!(batch.rows.iter().all(|row| row.source.line >= 1));
    }
    let source = parse_file("fuzz.bin", data);
    let _ = ImportBatch::from_sources(&[source], &BatchDefaults::default());
});
