//! Any text as a template of every format: parsing and validation must never panic, and a
//! refused template must say where each problem is.
#![no_main]

use libfuzzer_sys::fuzz_target;
use provdesk::device::FORMATS;
use provdesk::templates::Template;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    for spec in FORMATS {
        if let Err(errors) = Template::parse("fuzz", spec.format, &text, None) {
            assert!(!errors.0.is_empty());
            assert!(errors.0.iter().all(|e| e.at.is_none_or(|at| at.line >= 1)));
        }
    }
});
