//! Any text as a WWW-Authenticate header: parsing and typing the challenges never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use provdesk::digest::{DigestChallenge, parse_challenges};

fuzz_target!(|data: &[u8]| {
    if let Ok(header) = std::str::from_utf8(data)
        && let Ok(challenges) = parse_challenges(header)
    {
        for challenge in &challenges {
            let _ = DigestChallenge::from_challenge(challenge);
        }
    }
});
