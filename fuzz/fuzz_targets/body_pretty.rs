//! Any bytes as a fetched body: showing it never panics, the text stays linear in the body
//! (issue 11: 180 KB of nested `<a>` once made 3.6 GB of indented text), and masking its
//! passwords keeps every line where it was.
#![no_main]

use libfuzzer_sys::fuzz_target;
use provdesk::device::mask_passwords;
use provdesk::fetch::{body_text, pretty_xml};

fuzz_target!(|data: &[u8]| {
    if let Ok(pretty) = pretty_xml(data) {
        assert!(
            pretty.len() <= data.len() * 8 + 4096,
            "indenting grew past 8×"
        );
    }
    // Windows-1252 decoding takes up to 3 bytes per byte, indenting at most 8× that; the
    // note on a body left unindented is short. Linear, whatever the nesting.
    let bound = data.len() * 24 + 8192;
    for whole in [true, false] {
        let shown = body_text(data, Some("application/xml"), whole);
        assert!(
            shown.len() <= bound,
            "{} bytes shown for {}",
            shown.len(),
            data.len()
        );
    }
    let text = String::from_utf8_lossy(data);
    if let Some(masked) = mask_passwords(&text) {
        assert_eq!(masked.lines().count(), text.lines().count(), "lines moved");
    }
});
