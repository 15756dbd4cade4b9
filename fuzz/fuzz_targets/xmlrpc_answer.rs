//! Any bytes as the redirect server's answer: decoding the XML-RPC and reading the value as
//! each call's answer never panic, no error shows a MAC password the answer carried, and
//! whatever body the client's fast reader takes, dxr reads to the same value.
#![no_main]

use libfuzzer_sys::fuzz_target;
use provdesk::redirect::{
    check_answer, decode_response, device_answer, device_list, list_answer, response_value,
    single_answer,
};

/// A MAC password as the server sends it; the fuzzer finds it in the seed corpus quickly.
const MAC_PASSWORD: &str = "2EE3EECC82C4";

fuzz_target!(|data: &[u8]| {
    let body = String::from_utf8_lossy(data);
    // Checked when the password only ever follows `OK:` (elsewhere it is not a MAC password).
    let only_after_ok =
        body.matches(MAC_PASSWORD).count() == body.matches(&format!("OK:{MAC_PASSWORD}")).count();
    let no_password = |text: String| {
        if only_after_ok {
            assert!(
                !text.contains(MAC_PASSWORD),
                "a MAC password in an error: {text}"
            );
        }
    };
    match decode_response("autoprov.listDevices", &body) {
        Ok(value) => {
            if let Err(error) = single_answer(&value) {
                no_password(error.to_string());
            }
            for sent in [0, 1, 3] {
                if let Err(error) = list_answer(&value, sent) {
                    no_password(error.to_string());
                }
            }
            if let Err(error) = device_list(&value) {
                no_password(error.to_string());
            }
            if let Err(error) = check_answer(&value) {
                no_password(error.to_string());
            }
        }
        Err(error) => no_password(error.to_string()),
    }
    let _ = device_answer(&body);
    if let Some(fast) = response_value(&body) {
        let by_dxr = dxr::MethodResponse::from_xml(&body).ok().map(|r| r.value);
        assert_eq!(Some(fast), by_dxr, "the fast reader and dxr differ on {body:?}");
    }
});
