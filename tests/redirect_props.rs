//! The redirect server's answers are outside data: whatever value shape or body comes back,
//! reading it into typed results never panics, and well-formed answers always read. And the
//! plan's inventory side loses no device without a word.

use std::collections::BTreeMap;

use dxr::Value;
use proptest::prelude::*;
use provdesk::device::Mac;
use provdesk::inventory::SyncDevice;
use provdesk::ops::redirect::{Answer, DeviceOutcome};
use provdesk::redirect::{
    Action, CheckAnswer, DeviceAnswer, PlanItem, RemoteDevice, ResultCode, check_answer,
    decode_response, describe_item, device_answer, device_list, list_answer, single_answer, wanted,
};

fn any_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        any::<i32>().prop_map(Value::Integer),
        any::<bool>().prop_map(Value::Boolean),
        any::<f64>().prop_map(Value::Double),
        ".{0,24}".prop_map(Value::String),
        prop_oneof![
            Just("OK".to_string()),
            Just("OK:2EE3EECC82C4".to_string()),
            Just("mac_invalid:123456789123--1910".to_string()),
            Just("mac_not_found".to_string()),
            Just("1".to_string()),
        ]
        .prop_map(Value::String),
        proptest::collection::vec(any::<u8>(), 0..8).prop_map(Value::Base64),
    ];
    leaf.prop_recursive(4, 64, 8, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
            proptest::collection::btree_map(".{0,6}", inner, 0..4)
                .prop_map(|fields: BTreeMap<String, Value>| Value::Struct(fields)),
        ]
    })
}

/// Values with `OK:<MAC password>` where the readers expect something else: alone, first,
/// last, or anywhere `any_value` puts it.
fn with_a_mac_password() -> impl Strategy<Value = Value> {
    let password = || Value::String("OK:2EE3EECC82C4".to_string());
    prop_oneof![
        Just(password()),
        any_value().prop_map(move |v| Value::Array(vec![password(), v])),
        any_value().prop_map(move |v| Value::Array(vec![v, password()])),
        any_value().prop_map(move |v| Value::Array(vec![Value::Array(vec![v, password()])])),
        any_value(),
    ]
}

proptest! {
    #[test]
    fn no_value_shape_makes_a_reader_panic(value in any_value(), sent in 0usize..10) {
        let _ = single_answer(&value);
        let _ = list_answer(&value, sent);
        let _ = device_list(&value);
        let _ = check_answer(&value);
    }

    #[test]
    fn no_reader_error_shows_a_mac_password(value in with_a_mac_password(), sent in 0usize..10) {
        let errors = [
            single_answer(&value).err(),
            list_answer(&value, sent).err(),
            device_list(&value).err(),
            check_answer(&value).err(),
        ];
        for error in errors.into_iter().flatten() {
            prop_assert!(!error.to_string().contains("2EE3EECC82C4"), "{}", error);
        }
    }

    #[test]
    fn no_body_error_shows_a_mac_password(before in "[ -~]{0,40}", after in "[ -~]{0,40}") {
        let body = format!("{before}OK:2EE3EECC82C4{after}");
        if let Err(error) = decode_response("autoprov.registerDevice", &body) {
            prop_assert!(!error.to_string().contains("2EE3EECC82C4"), "{}", error);
        }
    }

    #[test]
    fn list_answers_of_the_right_length_always_read(
        results in proptest::collection::vec("(OK(:[A-Z0-9]{12})?|mac_[a-z_]{3,12}(:.{0,12})?)", 0..20),
        flag in any::<bool>(),
    ) {
        let value = Value::Array(
            std::iter::once(Value::Boolean(flag))
                .chain(results.iter().cloned().map(Value::String))
                .collect(),
        );
        let answer = list_answer(&value, results.len()).unwrap();
        prop_assert_eq!(answer.all_ok, flag);
        prop_assert_eq!(answer.devices.len(), results.len());
        for (text, device) in results.iter().zip(&answer.devices) {
            prop_assert_eq!(text.starts_with("OK"), device.is_ok());
        }
    }

    #[test]
    fn any_body_decodes_to_a_value_or_an_error(body in ".{0,200}") {
        let _ = decode_response("autoprov.checkDevice", &body);
    }

    #[test]
    fn any_code_text_reads_as_a_non_empty_sentence(text in ".{0,40}") {
        let code = ResultCode::parse(&text);
        prop_assert!(!code.to_string().is_empty());
        if let DeviceAnswer::Refused(code) = device_answer(&text) {
            prop_assert!(!code.to_string().is_empty());
        }
    }
}

/// Some devices as the inventory gives them to a plan: a provider and a URL each maybe
/// missing, empty or blank, the provider one of two.
fn sync_devices() -> impl Strategy<Value = Vec<SyncDevice>> {
    let provider = prop_oneof![
        Just(None),
        Just(Some(String::new())),
        Just(Some("Daryna".to_string())),
        Just(Some(" Other ".to_string())),
    ];
    let url = prop_oneof![
        Just(None),
        Just(Some("  ".to_string())),
        Just(Some("http://p.example/%MACD.xml".to_string())),
    ];
    proptest::collection::btree_set(0u64..0x1_0000, 0..40).prop_flat_map(move |macs| {
        let count = macs.len();
        (
            Just(macs),
            proptest::collection::vec((provider.clone(), url.clone(), any::<bool>()), count),
        )
            .prop_map(|(macs, fields)| {
                macs.into_iter()
                    .zip(fields)
                    .map(|(n, (provider, url, has_mac_id))| {
                        let mac = Mac::parse(&format!("7C2F80{n:06X}")).unwrap();
                        SyncDevice {
                            mac,
                            mac_id: has_mac_id.then(|| format!("{}-AB12", mac.macd())),
                            provider,
                            url,
                        }
                    })
                    .collect::<Vec<_>>()
            })
            .prop_shuffle()
    })
}

/// Whether a provider or URL is there: not missing, not blank.
fn given(text: &Option<String>) -> bool {
    text.as_deref().is_some_and(|t| !t.trim().is_empty())
}

proptest! {
    /// Every device of the inventory is in the plan, left out with its reason, or of another
    /// provider than the one asked for: none goes missing without a word.
    #[test]
    fn every_device_is_planned_left_out_or_of_another_provider(
        devices in sync_devices(),
        asked in prop_oneof![Just(None), Just(Some("Daryna")), Just(Some("Other"))],
    ) {
        let (wanted, left_out) = wanted(&devices, asked);
        let of_another = devices
            .iter()
            .filter(|d| given(&d.provider))
            .filter(|d| asked.is_some_and(|a| d.provider.as_deref().map(str::trim) != Some(a)))
            .count();
        prop_assert_eq!(wanted.len() + left_out.devices + of_another, devices.len());
        let considered = || {
            devices.iter().filter(|d| {
                !given(&d.provider)
                    || asked.is_none_or(|a| d.provider.as_deref().map(str::trim) == Some(a))
            })
        };
        let macs = |lacks: fn(&SyncDevice) -> bool| {
            let mut macs: Vec<Mac> = considered().filter(|d| lacks(d)).map(|d| d.mac).collect();
            macs.sort_unstable();
            macs
        };
        let no_provider = macs(|d| !given(&d.provider));
        let no_url = macs(|d| !given(&d.url));
        for (lacking, expected) in [(&left_out.no_provider, no_provider), (&left_out.no_url, no_url)] {
            prop_assert_eq!(lacking.count, expected.len());
            let lowest: Vec<Mac> = expected.into_iter().take(3).collect();
            prop_assert_eq!(&lacking.named, &lowest, "the lowest MACs, sorted");
        }
    }
}

#[test]
fn a_truncated_response_is_an_error_not_a_panic() {
    let whole = "<?xml version=\"1.0\"?><methodResponse><params><param><value><array><data>\
        <value><boolean>1</boolean></value><value><string>OK</string></value>\
        </data></array></value></param></params></methodResponse>";
    assert!(decode_response("m", whole).is_ok());
    for cut in 0..whole.len() - 1 {
        assert!(decode_response("m", &whole[..cut]).is_err(), "cut at {cut}");
    }
}

/// Text a hostile redirect server may put anywhere in an answer: any characters, escape
/// sequences (a window title, a clear screen, a clipboard write) and C1 controls among them.
fn hostile_text() -> impl Strategy<Value = String> {
    prop_oneof![
        ".{0,60}",
        "[\\x00-\\x1f\\x7f-\\u{9f}a-z:/%]{0,60}",
        Just("\u{1b}]0;pwn\u{7}\u{1b}[2Jprov\u{1b}]52;c;cHdu\u{7}\u{9b}31m".to_string()),
    ]
}

fn no_control(shown: &str) -> Result<(), TestCaseError> {
    prop_assert!(
        !shown.chars().any(char::is_control),
        "a control character in {shown:?}"
    );
    Ok(())
}

proptest! {
    /// Whatever the server answers, what provdesk shows of it (the `redirect check` sentence, a
    /// `list` row, an unknown code, a fault, a wrong shape, a sync plan's row) holds no C0 or C1
    /// control character: an escape sequence shows as text instead of acting on the terminal.
    #[test]
    fn an_answer_of_any_characters_is_shown_without_control_characters(
        mac in hostile_text(),
        provider in hostile_text(),
        url in hostile_text(),
        date in hostile_text(),
        code in hostile_text(),
    ) {
        let remote = RemoteDevice { mac: mac.clone(), provider: provider.clone(), url: url.clone(), date: date.clone() };
        let shown = remote.shown();
        for field in [&shown.mac, &shown.provider, &shown.url, &shown.date] {
            no_control(field)?;
        }
        let registered = DeviceOutcome {
            mac_id: "7C2F80820EC0-55DF".into(),
            mac: None,
            answer: Answer::Registered { provider: provider.clone(), url: url.clone(), since: Some(date.clone()), mac_password: false },
            recorded: false,
        };
        no_control(&registered.sentence())?;
        no_control(&ResultCode::parse(&code).to_string())?;
        let refused = check_answer(&Value::Array(vec![Value::Boolean(false), Value::String(code.clone())]));
        if let Ok(CheckAnswer::Refused(code)) = refused {
            no_control(&code.to_string())?;
        }
        if let Err(error) = device_list(&Value::String(code.clone())) {
            no_control(&error.to_string())?;
        }
        let escaped = code.replace('&', "&amp;").replace('<', "&lt;");
        let fault = format!(
            "<?xml version=\"1.0\"?><methodResponse><fault><value><struct><member><name>faultCode</name><value><int>4</int></value></member><member><name>faultString</name><value><string>{escaped}</string></value></member></struct></value></fault></methodResponse>"
        );
        if let Err(error) = decode_response("checkDevice", &fault) {
            no_control(&error.to_string())?;
        }
        if let Err(error) = decode_response("checkDevice", &code) {
            no_control(&error.to_string())?;
        }
        let item = PlanItem {
            mac: Mac::parse("7C2F80820EC0").unwrap(),
            mac_id: mac,
            action: Action::Update,
            provider: provider.clone(),
            url: url.clone(),
            remote: Some(remote),
        };
        no_control(&describe_item(&item))?;
    }
}
