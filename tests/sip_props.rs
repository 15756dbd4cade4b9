//! Properties of the SIP reader and the masking, on any input: the reader takes a registrar's
//! (or anyone's) bytes, so it must never panic; what it builds it must read back; a masked
//! answer must never show its response.

use proptest::prelude::*;

use provdesk::sip::{
    SipHeader, header_param, mask_answer, message_length, parse_message, split_host_port, to_bytes,
};

const REGISTER_OK: &str = "SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 10.0.0.2:5060;branch=z9hG4bKx;rport=5060\r\n\
From: <sip:1001@pbx>;tag=a\r\nTo: <sip:1001@pbx>;tag=b\r\nCall-ID: c@h\r\nCSeq: 2 REGISTER\r\n\
Contact: <sip:1001@10.0.0.2:5060>;expires=3600\r\nContent-Length: 0\r\n\r\n";

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn any_bytes_are_read_or_refused_without_panicking(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let _ = parse_message(&bytes);
        if let Ok(Some(length)) = message_length(&bytes) {
            prop_assert!(length <= bytes.len());
            prop_assert!(parse_message(&bytes[..length]).is_ok(), "a message cut from a stream must read");
        }
    }

    #[test]
    fn a_real_response_with_bytes_changed_never_panics(
        edits in proptest::collection::vec((0..REGISTER_OK.len(), any::<u8>()), 0..8),
        cut in 0..=REGISTER_OK.len(),
    ) {
        let mut bytes = REGISTER_OK.as_bytes().to_vec();
        for (at, byte) in edits {
            bytes[at] = byte;
        }
        bytes.truncate(cut);
        if let Ok(message) = parse_message(&bytes) {
            let _ = (message.cseq(), message.via_param("rport"), message.status(), message.start_line());
        }
        let _ = message_length(&bytes);
    }

    #[test]
    fn built_headers_read_back(
        names in proptest::collection::vec("[A-Za-z][A-Za-z-]{0,15}", 1..8),
        values in proptest::collection::vec("[ -~]{0,40}", 8),
    ) {
        let headers: Vec<SipHeader> = names
            .iter()
            .zip(&values)
            .map(|(n, v)| SipHeader::new(n.as_str(), v.trim()))
            .filter(|h| !h.name.eq_ignore_ascii_case("content-length") && !h.name.eq_ignore_ascii_case("l"))
            .collect();
        let bytes = to_bytes("OPTIONS sip:pbx SIP/2.0", &headers);
        let message = parse_message(&bytes).unwrap();
        prop_assert_eq!(message.headers, headers);
    }

    #[test]
    fn params_and_registrars_never_panic(text in "\\PC{0,80}") {
        let _ = header_param(&text, "tag");
        let _ = split_host_port(&text);
    }

    #[test]
    fn a_masked_answer_never_shows_its_response(response in "[0-9a-f]{32}", cnonce in "[0-9a-f]{16}", user in "[a-z0-9]{1,10}") {
        let header = format!(
            "Digest username=\"{user}\", realm=\"pbx\", nonce=\"n\", uri=\"sip:pbx\", \
             RESPONSE=\"{response}\", cnonce=\"{cnonce}\", qop=auth, nc=00000001"
        );
        let masked = mask_answer(&header);
        prop_assert!(!masked.contains(&response));
        prop_assert!(!masked.contains(&cnonce));
        let expected_user = format!("username=\"{user}\"");
        prop_assert!(masked.contains(&expected_user));
    }
}
