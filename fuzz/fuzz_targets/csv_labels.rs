//! Any bytes as a CSV label file: parsing and validation must never panic, and every row must
//! carry a line number.
#![no_main]

use libfuzzer_sys::fuzz_target;
use provdesk::labels::{BatchDefaults, csv_batch};

fuzz_target!(|data: &[u8]| {
    let batch = csv_batch("fuzz.csv", data, &BatchDefaults::default());
    assert!(batch.rows.iter().all(|row| row.source.line >= 1));
});
