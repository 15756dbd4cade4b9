//! Property tests for the parsers that take outside text: they never panic, and normalising is
//! stable.

use proptest::prelude::*;
use provdesk::device::{DeviceDraft, DeviceFacts, Mac, MacId, ProvisioningUrl, mask_url_password};

fn any_mac() -> impl Strategy<Value = [u8; 6]> {
    any::<[u8; 6]>()
}

fn notations(bytes: [u8; 6]) -> Vec<String> {
    let pairs: Vec<String> = bytes.iter().map(|b| format!("{b:02x}")).collect();
    let plain = pairs.concat();
    vec![
        pairs.join(":"),
        pairs.join("-").to_uppercase(),
        plain.clone(),
        format!("{}.{}.{}", &plain[0..4], &plain[4..8], &plain[8..12]),
        format!("  {}\t", pairs.join(":")),
    ]
}

proptest! {
    #[test]
    fn mac_parse_never_panics(text in ".{0,40}") {
        let _ = Mac::parse(&text);
        let _ = MacId::parse(&text);
    }

    #[test]
    fn every_notation_of_a_mac_normalises_to_the_same_value(bytes in any_mac()) {
        let expected: String = bytes.iter().map(|b| format!("{b:02X}")).collect();
        for notation in notations(bytes) {
            let mac = Mac::parse(&notation).unwrap();
            prop_assert_eq!(mac.macd(), expected.clone());
        }
    }

    #[test]
    fn normalising_is_idempotent(text in "[0-9a-fA-F:.\\- ]{0,24}") {
        if let Ok(mac) = Mac::parse(&text) {
            prop_assert_eq!(Mac::parse(&mac.macd()).unwrap(), mac);
            prop_assert_eq!(Mac::parse(&mac.macc()).unwrap(), mac);
        }
    }

    #[test]
    fn url_parse_expand_and_mask_never_panic(text in "(https?://)?.{0,60}", bytes in any_mac()) {
        let _ = mask_url_password(&text);
        if let Ok(url) = ProvisioningUrl::parse(&text) {
            let mac = Mac::parse(&bytes.iter().map(|b| format!("{b:02X}")).collect::<String>()).unwrap();
            let expanded = url.expand(&DeviceFacts { mac, dvid: Some("42/3") });
            // `%%MACD` rightly expands to a literal `%MACD`; otherwise none may remain.
            if !text.contains("%%") {
                prop_assert!(!expanded.contains("%MACD"));
            }
            let _ = url.to_string();
        }
    }

    #[test]
    fn a_url_password_never_shows(user in "[a-z]{1,8}", password in "[A-Za-z0-9]{6,16}", path in "[a-z/]{0,12}") {
        let text = format!("https://{user}:{password}@prov.example.com/{path}");
        let leaked = format!(":{password}@");
        let masked = mask_url_password(&text);
        prop_assert!(!masked.contains(&leaked));
        let url = ProvisioningUrl::parse(&text).unwrap();
        prop_assert!(!url.to_string().contains(&leaked));
    }

    #[test]
    fn draft_validation_never_panics(
        mac in ".{0,20}", mac_id in ".{0,20}", model in ".{0,12}", url in ".{0,30}", user in ".{0,60}"
    ) {
        let draft = DeviceDraft {
            mac, mac_id, model, url, digest_username: user, ..DeviceDraft::default()
        };
        let _ = draft.validate();
    }
}
