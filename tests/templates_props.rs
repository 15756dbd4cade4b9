//! The template parser, the validator and the renderer never panic, whatever the text or the
//! values; a value that renders comes back unchanged through an XML parser.

use crate::support::templates;

use proptest::prelude::*;
use provdesk::device::ConfigFormat;
use provdesk::secret::Secret;
use provdesk::templates::{Template, TemplateSet};

const FORMATS: [ConfigFormat; 5] = [
    ConfigFormat::ProviderFrame,
    ConfigFormat::Provisioning11,
    ConfigFormat::PatchFile,
    ConfigFormat::SpectralinkXml,
    ConfigFormat::PlainText,
];

/// Text made of template and XML pieces, so the parser meets near-misses, not just noise.
fn template_like() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            Just("{{".to_string()),
            Just("}}".to_string()),
            Just("{{mac}}".to_string()),
            Just("{{credentials}}".to_string()),
            Just("<".to_string()),
            Just("/>".to_string()),
            Just("<ProviderFrame>".to_string()),
            Just("<Provider>".to_string()),
            Just("<provisioning version=\"1.1\" productID=\"x\">".to_string()),
            Just("<!--".to_string()),
            Just("-->".to_string()),
            Just("<![CDATA[".to_string()),
            Just("'\"".to_string()),
            Just("&".to_string()),
            Just("\n".to_string()),
            "\\PC{0,8}",
        ],
        0..40,
    )
    .prop_map(|pieces| pieces.concat())
}

/// The value of `<param name=NAME value=…>`, as an XML parser reads it back.
fn param_value(xml: &str, name: &str) -> Option<String> {
    let mut reader = quick_xml::Reader::from_str(xml);
    loop {
        match reader.read_event().ok()? {
            quick_xml::events::Event::Eof => return None,
            quick_xml::events::Event::Empty(tag) => {
                let attributes: Vec<(Vec<u8>, String)> = tag
                    .attributes()
                    .filter_map(Result::ok)
                    .filter_map(|a| {
                        let value = a
                            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                            .ok()?;
                        Some((a.key.as_ref().to_vec(), value.into_owned()))
                    })
                    .collect();
                let get = |key: &[u8]| {
                    attributes
                        .iter()
                        .find(|(k, _)| k == key)
                        .map(|(_, v)| v.clone())
                };
                if get(b"name").as_deref() == Some(name) {
                    return get(b"value");
                }
            }
            _ => {}
        }
    }
}

proptest! {
    #[test]
    fn parsing_any_text_never_panics(text in "\\PC{0,200}", near in template_like()) {
        for format in FORMATS {
            for source in [&text, &near] {
                if let Err(errors) = Template::parse("t", format, source, None) {
                    prop_assert!(!errors.0.is_empty());
                    for error in &errors.0 {
                        if let Some(at) = error.at {
                            prop_assert!(at.line >= 1 && at.column >= 1);
                            prop_assert!(at.line <= source.lines().count().max(1) + 1);
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn any_password_renders_exactly_or_is_refused(password in "\\PC{0,60}", user in "[^:\\n]{1,20}") {
        for model in ["N510", "N720", "Maxwell 3", "Spectralink", "Generic", "DX800"] {
            let mut device = templates::device(model);
            device.digest_password = Some(Secret::new(password.clone()));
            device.digest_username = Some(user.clone());
            // Either it renders or it says why; it never panics.
            if let Ok(file) = TemplateSet::builtin().render(&device, &templates::settings()) {
                prop_assert!(!file.bytes().is_empty());
                if model == "Maxwell 3" && !password.is_empty() {
                    let text = String::from_utf8(file.bytes().to_vec()).unwrap();
                    prop_assert_eq!(
                        param_value(&text, "System.Security.HTTPAuthPassword"),
                        Some(password.clone())
                    );
                }
            }
        }
    }
}
