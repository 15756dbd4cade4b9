//! The client's own XML-RPC writer and fast reader are held to dxr, the library they stand in
//! for: dxr reads every call the writer makes as it reads its own, and whatever body the fast
//! reader takes, dxr reads to the same value. Where the fast reader is not sure it takes
//! nothing, and dxr reads the body as before.

use std::collections::BTreeMap;

use dxr::{MethodCall, MethodResponse, Value};
use proptest::prelude::*;
use provdesk::redirect::{Param, decode_response, method_call, response_value};

/// Text as servers and users write it: XML's special characters, blanks at either end,
/// entity-like text, non-ASCII.
fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![
        ".{0,24}",
        "[ <>&'\"a-z;#0-9\t\n]{0,16}",
        Just(String::new()),
        Just("OK:2EE3EECC82C4".to_string()),
        Just("  padded  ".to_string()),
        Just("&amp; &#60; ]]>".to_string()),
    ]
}

/// The values the fast reader is for: strings, integers, booleans, arrays and structs.
fn served_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        any::<i32>().prop_map(Value::Integer),
        any::<bool>().prop_map(Value::Boolean),
        any_text().prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 64, 8, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
            proptest::collection::btree_map("[a-zA-Z_]{1,8}", inner, 0..4)
                .prop_map(|fields: BTreeMap<String, Value>| Value::Struct(fields)),
        ]
    })
}

/// Any value dxr writes, doubles, dates and base64 included.
fn any_value() -> impl Strategy<Value = Value> {
    prop_oneof![
        4 => served_value(),
        1 => any::<f64>().prop_map(Value::Double),
        1 => proptest::collection::vec(any::<u8>(), 0..8).prop_map(Value::Base64),
    ]
}

/// The answer as dxr writes it, and laid out the way Python's xmlrpc and other servers do:
/// a line break after each structural tag, untyped strings.
fn layouts(value: &Value) -> Vec<String> {
    let compact = MethodResponse {
        value: value.clone(),
    }
    .to_xml()
    .expect("dxr writes any value");
    let mut spread = compact.clone();
    for tag in [
        "<methodResponse>",
        "<params>",
        "<param>",
        "</value>",
        "<data>",
        "</data>",
        "<struct>",
        "<member>",
        "</name>",
        "</member>",
        "</param>",
        "</params>",
    ] {
        spread = spread.replace(tag, &format!("{tag}\n  "));
    }
    let untyped = compact
        .replace("<value><string>", "<value>")
        .replace("</string></value>", "</value>");
    vec![compact, spread, untyped]
}

/// Whether no text in `value` has a blank at either end (which the fast reader leaves to dxr).
fn unpadded(value: &Value) -> bool {
    let unpadded_text = |text: &str| text.trim_matches(|c: char| c.is_ascii_whitespace()) == text;
    match value {
        Value::String(text) => unpadded_text(text),
        Value::Array(items) => items.iter().all(unpadded),
        Value::Struct(members) => members.values().all(unpadded),
        _ => true,
    }
}

fn dxr_reads(body: &str) -> Option<Value> {
    MethodResponse::from_xml(body).ok().map(|r| r.value)
}

/// Edits that make a valid body subtly wrong or unusual.
fn mutate(body: &str, at: usize, cut: usize, insert: &str) -> String {
    let mut boundaries: Vec<usize> = body.char_indices().map(|(i, _)| i).collect();
    boundaries.push(body.len());
    let start = boundaries[at % boundaries.len()];
    let end = boundaries
        .iter()
        .copied()
        .find(|&b| b >= start + cut)
        .unwrap_or(body.len());
    format!("{}{insert}{}", &body[..start], &body[end..])
}

proptest! {
    #[test]
    fn the_fast_reader_reads_what_dxr_writes_as_dxr_does(value in served_value()) {
        for body in layouts(&value) {
            let fast = response_value(&body);
            prop_assert!(fast.is_some() || !unpadded(&value), "not taken: {}", body);
            if fast.is_some() {
                prop_assert_eq!(fast, dxr_reads(&body), "{}", body);
            }
        }
    }

    #[test]
    fn whatever_the_fast_reader_takes_dxr_reads_the_same(
        value in any_value(),
        at in any::<usize>(),
        cut in 0usize..12,
        insert in prop_oneof![
            Just(""), Just(" "), Just("\r\n"), Just("<!-- c -->"), Just("<![CDATA[x]]>"),
            Just("<value>"), Just("</value>"), Just("<string>"), Just("&amp;"), Just("&bogus;"),
            Just("&#0;"), Just("<i4>7</i4>"), Just("<nil/>"), Just("x"), Just("<?pi?>"),
            Just("+"), Just("-"), Just("0"), Just("<value><int>+07</int></value>"),
            Just("\0"), Just("<?xml version=\"1.1\"?>"),
            Just("<value><boolean>true</boolean></value>"), Just("<value><i8>1</i8></value>"),
        ],
    ) {
        for body in layouts(&value) {
            let body = mutate(&body, at, cut, insert);
            if let Some(fast) = response_value(&body) {
                prop_assert_eq!(Some(fast), dxr_reads(&body), "{}", body);
            }
            // And the whole reading, fast or not, never panics.
            let _ = decode_response("autoprov.listDevices", &body);
        }
    }

    #[test]
    fn any_body_leaves_the_fast_reader_without_a_panic(body in ".{0,200}") {
        if let Some(fast) = response_value(&body) {
            prop_assert_eq!(Some(fast), dxr_reads(&body), "{}", body);
        }
    }

    #[test]
    fn dxr_reads_every_call_as_it_reads_its_own(
        method in "[a-zA-Z.]{1,32}",
        ids in proptest::collection::vec(any_text(), 0..8),
        url in any_text(),
        provider in any_text(),
    ) {
        let ours = method_call(&method, &[Param::Texts(&ids), Param::Text(&url), Param::Text(&provider)]);
        let theirs = MethodCall {
            name: method.clone().into(),
            params: vec![
                Value::Array(ids.iter().cloned().map(Value::String).collect()),
                Value::String(url),
                Value::String(provider),
            ],
        }
        .to_xml()
        .expect("dxr writes any call");
        let read = MethodCall::from_xml(&ours).expect("dxr reads the call");
        prop_assert_eq!(read.name.as_ref(), method.as_str());
        prop_assert_eq!(read.params, MethodCall::from_xml(&theirs).expect("dxr reads its own").params);
    }
}

/// A list call's answer as the Gigaset server lays it out (Python's xmlrpc: a line per tag)
/// is read by the fast reader, not left to dxr.
#[test]
fn a_list_answer_laid_out_by_line_is_read_fast() {
    let body = "<?xml version='1.0'?>\n<methodResponse>\n<params>\n<param>\n<value><array><data>\n\
        <value><boolean>0</boolean></value>\n<value><string>OK:2EE3EECC82C4</string></value>\n\
        <value><string>mac_already_in_use:7C2F80820EC0-55DF</string></value>\n\
        </data></array></value>\n</param>\n</params>\n</methodResponse>\n";
    let expected = Value::Array(vec![
        Value::Boolean(false),
        Value::String("OK:2EE3EECC82C4".into()),
        Value::String("mac_already_in_use:7C2F80820EC0-55DF".into()),
    ]);
    assert_eq!(response_value(body), Some(expected.clone()));
    assert_eq!(dxr_reads(body), Some(expected));
}

const ANSWER: &str = "<methodResponse><params><param><value><array><data>\
    <value><string>OK:2EE3EECC82C4</string></value></data></array></value></param></params>\
    </methodResponse>";

/// The declarations servers send are read fast, to the value dxr reads.
#[test]
fn the_usual_declarations_are_read_fast_as_dxr_reads_them() {
    let expected = Value::Array(vec![Value::String("OK:2EE3EECC82C4".into())]);
    for declaration in [
        "",
        "<?xml version=\"1.0\"?>",
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n",
        "<?xml version='1.0' encoding='utf-8'?>",
    ] {
        let body = format!("{declaration}{ANSWER}");
        assert_eq!(response_value(&body), Some(expected.clone()), "{body}");
        assert_eq!(dxr_reads(&body), Some(expected.clone()), "{body}");
    }
}

/// Found by the fuzzer (`xmlrpc_answer`): the fast reader skipped a declaration with NULs in
/// it, which dxr refuses. Any unusual declaration is now dxr's to read or refuse.
#[test]
fn an_unusual_declaration_is_left_to_dxr() {
    for declaration in [
        "<?xml v\0\0\u{11}\0ersion=\"1.0\"?>",
        "<?xml version=\"1.1\"?>",
        "<?xml version=\"1.0\" standalone=\"yes\"?>",
        "<?xml version=\"1.0\" ?>",
    ] {
        let body = format!("{declaration}{ANSWER}");
        assert_eq!(response_value(&body), None, "{body:?}");
        assert_eq!(
            decode_response("autoprov.registerDeviceList", &body).ok(),
            dxr_reads(&body),
            "{body:?}"
        );
    }
}
