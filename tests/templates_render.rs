//! Every default template renders for a sample device of each catalogue model into the file that
//! model expects (compared with golden files), with the digest credentials under the model's own
//! parameter names, escaped so an XML parser reads back exactly the password that was set.

use crate::support::templates;
#[path = "templates/store.rs"]
mod store;
#[path = "templates/validate.rs"]
mod validate;

use std::path::PathBuf;

use provdesk::device::{CATALOGUE, ConfigFormat};
use provdesk::secret::Secret;
use provdesk::templates::{
    Problem, RenderProblem, Template, TemplateSet, ValueProblem, default_for, render_set,
};
use quick_xml::events::Event;
use templates::{MAC, PASSWORD, SIP_PASSWORD_2, USER, device, settings, slug};

fn golden_path(model: &str, file_name: &str) -> PathBuf {
    let extension = file_name.rsplit('.').next().unwrap_or("txt");
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/templates")
        .join(format!("{}.{extension}", slug(model)))
}

/// The `value` of every element named `element` (ProviderFrame) or `<param name=element>`
/// (provisioning 1.1), as an XML parser reads it back.
fn values_of(xml: &str, element: &str) -> Vec<String> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut found = Vec::new();
    loop {
        match reader.read_event().expect("well-formed") {
            Event::Eof => break,
            Event::Start(tag) | Event::Empty(tag) => {
                let attribute = |name: &str| {
                    tag.attributes()
                        .map(Result::unwrap)
                        .find(|a| a.key.as_ref() == name.as_bytes())
                        .map(|a| {
                            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                                .unwrap()
                                .into_owned()
                        })
                };
                let name = String::from_utf8_lossy(tag.name().as_ref()).into_owned();
                if name == element
                    || (name == "param" && attribute("name").as_deref() == Some(element))
                {
                    found.push(attribute("value").unwrap_or_default());
                }
            }
            _ => {}
        }
    }
    found
}

/// Reads a whole document, so a test fails on anything that is not well-formed.
fn well_formed(xml: &str) -> bool {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut depth = 0i32;
    loop {
        match reader.read_event() {
            Err(_) => return false,
            Ok(Event::Eof) => return depth == 0,
            Ok(Event::Start(_)) => depth += 1,
            Ok(Event::End(_)) => depth -= 1,
            Ok(_) => {}
        }
    }
}

fn text_of(bytes: &[u8], format: ConfigFormat) -> String {
    if format == ConfigFormat::ProviderFrame {
        bytes.iter().map(|&b| b as char).collect()
    } else {
        String::from_utf8(bytes.to_vec()).expect("UTF-8")
    }
}

#[test]
fn every_model_renders_its_golden_file() {
    let templates = TemplateSet::builtin();
    let bless = std::env::var_os("PROVDESK_BLESS").is_some();
    for model in CATALOGUE {
        let rendered = templates
            .render(&device(model.name), &settings())
            .unwrap_or_else(|e| panic!("{}: {e}", model.name));
        assert_eq!(rendered.file_name, format!("{MAC}.xml"), "{}", model.name);
        let golden = golden_path(model.name, default_for(model.config_format).asset);
        if bless {
            std::fs::write(&golden, rendered.bytes()).unwrap();
        }
        let expected = std::fs::read(&golden).unwrap_or_else(|e| {
            panic!(
                "{}: {e}; run with PROVDESK_BLESS=1 to write it",
                golden.display()
            )
        });
        assert_eq!(
            rendered.bytes(),
            expected,
            "{} differs from {}",
            model.name,
            golden.display()
        );
    }
}

#[test]
fn xml_models_get_well_formed_files_with_credentials_in_their_place() {
    let templates = TemplateSet::builtin();
    for model in CATALOGUE {
        let rendered = templates.render(&device(model.name), &settings()).unwrap();
        let text = text_of(rendered.bytes(), model.config_format);
        if matches!(
            model.config_format,
            ConfigFormat::ProviderFrame
                | ConfigFormat::Provisioning11
                | ConfigFormat::SpectralinkXml
        ) {
            assert!(well_formed(&text), "{}:\n{text}", model.name);
        }
        match model.credentials {
            Some(params) => {
                assert_eq!(
                    values_of(&text, params.username_param),
                    [USER],
                    "{}",
                    model.name
                );
                assert_eq!(
                    values_of(&text, params.password_param),
                    [PASSWORD],
                    "{}",
                    model.name
                );
            }
            None => assert!(
                !text.contains(PASSWORD),
                "{}: the raw password leaked",
                model.name
            ),
        }
        match model.password_requires {
            Some(required) => {
                assert_eq!(
                    values_of(&text, required.param),
                    [required.value],
                    "{}",
                    model.name
                )
            }
            None => assert!(
                values_of(&text, "I_PHONE_SYSTEM").is_empty(),
                "{}",
                model.name
            ),
        }
        if model.config_format == ConfigFormat::ProviderFrame {
            assert_eq!(values_of(&text, "MAC_ADDRESS"), [MAC]);
            assert!(text.starts_with("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>"));
        }
        if model.config_format == ConfigFormat::Provisioning11 {
            assert!(
                text.contains(&format!("productID=\"{}\"", model.product_id.unwrap())),
                "{}",
                model.name
            );
        }
    }
}

#[test]
fn the_spectralink_url_carries_encoded_credentials() {
    let rendered = TemplateSet::builtin()
        .render(&device("Spectralink"), &settings())
        .unwrap();
    let text = String::from_utf8(rendered.bytes().to_vec()).unwrap();
    assert!(
        text.contains("https://provision:s3cr%26t%22%3Cpw%3E%27@prov.example.com/cfg/"),
        "{text}"
    );
}

#[test]
fn provider_frame_is_written_in_latin1_with_references_beyond_it() {
    let mut sample = device("N510");
    sample.digest_password = Some(Secret::new("äß€"));
    let rendered = TemplateSet::builtin().render(&sample, &settings()).unwrap();
    let bytes = rendered.bytes();
    let needle: &[u8] = b"value=\"\xE4\xDF&#8364;\"";
    assert!(
        bytes.windows(needle.len()).any(|w| w == needle),
        "{}",
        String::from_utf8_lossy(bytes)
    );
}

#[test]
fn symb_item_values_are_quoted_and_a_double_quote_is_refused() {
    let source = "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<ProviderFrame><Provider>\n\
        <MAC_ADDRESS value=\"{{mac}}\"/>\n\
        <SYMB_ITEM ID=\"BS_IP_Data1.aucS_PROVIDER_NAME\" class=\"symb_item\" value='\"{{provider}}\"'/>\n\
        <PROFILE_NAME class=\"string\" value=\"{{profile_name}}\"/>\n\
        {{credentials}}\n</Provider></ProviderFrame>\n";
    let template = Template::parse("provider-frame", ConfigFormat::ProviderFrame, source, None)
        .expect("valid");
    let mut sample = device("N510");
    sample.provider = Some("O'Brien & Co".into());
    let rendered = template.render(&sample, &settings()).unwrap();
    let text = text_of(rendered.bytes(), ConfigFormat::ProviderFrame);
    assert!(text.contains("value='\"O&apos;Brien &amp; Co\"'"), "{text}");
    assert_eq!(values_of(&text, "SYMB_ITEM"), ["\"O'Brien & Co\""]);

    sample.provider = Some("say \"hi\"".into());
    let error = template.render(&sample, &settings()).unwrap_err();
    assert_eq!(
        error.problem,
        RenderProblem::BadValue {
            variable: "provider",
            problem: ValueProblem::QuoteInSymbItem
        }
    );
}

#[test]
fn the_n720_rule_and_the_length_limit_are_enforced_with_positions() {
    let source = "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<ProviderFrame><Provider>\n\
        <MAC_ADDRESS value=\"{{mac}}\"/>\n\
        <I_PHONE_SYSTEM class=\"integer\" value=\"2\"/>\n\
        <S_PROV_USERNAME class=\"string\" value=\"{{digest_username}}\"/>\n\
        <S_PROV_PASSWORD class=\"string\" value=\"{{digest_password}}\"/>\n\
        <PROFILE_NAME class=\"string\" value=\"{{profile_name}}\"/>\n\
        </Provider></ProviderFrame>\n";
    let template =
        Template::parse("provider-frame", ConfigFormat::ProviderFrame, source, None).unwrap();
    let error = template.render(&device("N720"), &settings()).unwrap_err();
    let RenderProblem::Rendered { errors, .. } = &error.problem else {
        panic!("{error}");
    };
    assert_eq!(errors.0.len(), 1, "{error}");
    assert!(matches!(
        errors.0[0].problem,
        Problem::PasswordCondition { param: "I_PHONE_SYSTEM", ref found, .. } if found == "2"
    ));
    assert_eq!(errors.0[0].at.map(|p| (p.line, p.column)), Some((4, 1)));
    assert!(
        template.render(&device("N510"), &settings()).is_ok(),
        "the N510 has no such rule"
    );

    let mut long = device("N510");
    long.digest_username = Some("u".repeat(51));
    let error = template.render(&long, &settings()).unwrap_err();
    let message = error.to_string();
    assert!(
        message.contains("S_PROV_USERNAME has 51 characters"),
        "{message}"
    );
    assert!(message.contains("line 5, column 1"), "{message}");
    let mut long_password = device("N510");
    long_password.digest_password = Some(Secret::new("p".repeat(51)));
    let message = template
        .render(&long_password, &settings())
        .unwrap_err()
        .to_string();
    assert!(
        message.contains("S_PROV_PASSWORD has 51 characters"),
        "{message}"
    );
    assert!(
        !message.contains("ppppp"),
        "no password in errors: {message}"
    );
}

#[test]
fn a_file_for_another_mac_or_without_credentials_is_refused() {
    let source = "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<ProviderFrame><Provider>\n\
        <MAC_ADDRESS value=\"001122334455\"/>\n<PROFILE_NAME class=\"string\" value=\"N510\"/>\n\
        <!-- {{digest_password}} -->\n</Provider></ProviderFrame>\n";
    let template =
        Template::parse("provider-frame", ConfigFormat::ProviderFrame, source, None).unwrap();
    let error = template.render(&device("N510"), &settings()).unwrap_err();
    let RenderProblem::Rendered { errors, .. } = &error.problem else {
        panic!("{error}");
    };
    let problems: Vec<&Problem> = errors.0.iter().map(|e| &e.problem).collect();
    assert!(
        problems
            .iter()
            .any(|p| matches!(p, Problem::WrongMac { .. })),
        "{error}"
    );
    assert!(
        problems
            .iter()
            .any(|p| matches!(p, Problem::CredentialsNotPlaced { .. })),
        "{error}"
    );
}

#[test]
fn devices_without_credentials_get_no_credential_elements() {
    let mut bare = device("N720");
    bare.digest_username = None;
    bare.digest_password = None;
    let rendered = TemplateSet::builtin().render(&bare, &settings()).unwrap();
    let text = text_of(rendered.bytes(), ConfigFormat::ProviderFrame);
    assert!(!text.contains("S_PROV_"), "{text}");
    assert!(!text.contains("I_PHONE_SYSTEM"), "{text}");
}

#[test]
fn files_are_named_as_the_device_asks() {
    let templates = TemplateSet::builtin();
    let named = |url: Option<&str>, model: &str| {
        let mut sample = device(model);
        sample.url = url.map(str::to_string);
        templates.render(&sample, &settings()).map(|f| f.file_name)
    };
    assert_eq!(
        named(Some("http://h/x/%MACD.cfg?v=1"), "N510").unwrap(),
        "7C2F80820EC0.cfg"
    );
    assert_eq!(
        named(Some("http://h/%DVID/cfg-%MACC.xml"), "N510").unwrap(),
        "cfg-7C:2F:80:82:0E:C0.xml"
    );
    assert_eq!(
        named(Some("http://h/a%20b.xml"), "N510").unwrap(),
        "a b.xml"
    );
    assert_eq!(named(None, "DX800").unwrap(), "7C2F80820EC0.cfg");
    for bad in ["http://h/cfg/", "http://h/%DVID.xml"] {
        let error = named(Some(bad), "DX800").unwrap_err();
        assert!(
            matches!(error.problem, RenderProblem::FileName { .. }),
            "{bad}: {error}"
        );
    }
    let missing = named(None, "Generic").unwrap_err();
    assert!(
        missing.to_string().contains("provisioning URL"),
        "{missing}"
    );
}

#[test]
fn render_errors_name_the_device_and_never_a_password() {
    let mut no_model = device("N510");
    no_model.model = None;
    let error = TemplateSet::builtin()
        .render(&no_model, &settings())
        .unwrap_err();
    assert_eq!(error.problem, RenderProblem::NoModel);
    assert!(error.to_string().contains(MAC));

    let source = "mac={{mac}}\npassword={{digest_password}}\n";
    let template = Template::parse("plain-text", ConfigFormat::PlainText, source, None).unwrap();
    let mut broken = device("Generic");
    broken.digest_password = Some(Secret::new("line\nbreak-Secret"));
    let message = template
        .render(&broken, &settings())
        .unwrap_err()
        .to_string();
    assert!(message.contains("{{digest_password}}"), "{message}");
    assert!(!message.contains("break-Secret"), "{message}");
}

#[test]
fn a_set_renders_whole_or_not_at_all_and_file_names_are_unique() {
    let templates = TemplateSet::builtin();
    let mut twin = device("N510");
    twin.mac = provdesk::device::Mac::parse("7C2F80820EC1").unwrap();
    twin.url = Some("https://prov.example.com/cfg/7C2F80820EC0.xml".into());
    let error = render_set(
        &templates,
        &[device("N510"), twin.clone()],
        &settings(),
        false,
        None,
    )
    .unwrap_err();
    assert!(
        error.to_string().contains("written for two devices"),
        "{error}"
    );

    let mut broken = twin.clone();
    broken.model = None;
    let error = render_set(
        &templates,
        &[device("N510"), broken],
        &settings(),
        false,
        None,
    )
    .unwrap_err();
    assert!(
        error.to_string().contains("1 device could not be rendered"),
        "{error}"
    );

    twin.url = Some(templates::URL.into());
    let mut patch = device("DX800");
    patch.mac = provdesk::device::Mac::parse("7C2F80820EC2").unwrap();
    patch.url = Some("https://prov.example.com/cfg/%MACD.cfg".into());
    let set = render_set(
        &templates,
        &[device("N510"), twin, patch],
        &settings(),
        true,
        Some("r"),
    )
    .unwrap();
    assert_eq!(set.files.len(), 3);
    assert_eq!(
        set.generated.len(),
        2,
        "a DX800 patch file cannot carry a password"
    );
    assert_ne!(
        set.generated[0].2, set.generated[1].2,
        "one password per device"
    );
    let text = text_of(set.files[1].bytes(), ConfigFormat::ProviderFrame);
    assert_eq!(
        values_of(&text, "S_PROV_PASSWORD"),
        [set.generated[1].2.expose()]
    );
    assert_eq!(
        values_of(&text, "S_PROV_USERNAME"),
        [set.generated[1].1.as_str()]
    );
    // The shared user name gave way to one per device.
    assert_eq!(set.generated[1].1, "prov-7c2f80820ec1");
    // Each device: its MAC and its own generated user; the DX800 its MAC and the site's user.
    assert_eq!(set.htdigest.unwrap().users, 6);
}

/// Lower-case hex MD5, computed here with the `md5` crate rather than through provdesk's digest
/// module, so the htdigest lines are checked against an independent computation.
fn md5_hex(text: &str) -> String {
    use md5::Digest as _;
    md5::Md5::digest(text.as_bytes())
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

#[test]
fn htdigest_lines_are_what_apache_htdigest_writes() {
    let mut second = device("Maxwell 3");
    second.mac = provdesk::device::Mac::parse("7C2F80820EC1").unwrap();
    second.mac_password = None;
    let set = render_set(
        &TemplateSet::builtin(),
        &[device("N510"), second.clone()],
        &settings(),
        false,
        Some("acme prov"),
    )
    .unwrap();
    let htdigest = set.htdigest.unwrap();
    assert_eq!(
        htdigest.text.expose(),
        format!(
            "{MAC}:acme prov:{}\n{USER}:acme prov:{}\n",
            md5_hex(&format!("{MAC}:acme prov:{}", templates::MAC_PASSWORD)),
            md5_hex(&format!("{USER}:acme prov:{PASSWORD}")),
        ),
        "the shared user with the same password appears once"
    );
    assert!(
        !format!("{htdigest:?}").contains(&md5_hex(&format!("{USER}:acme prov:{PASSWORD}"))),
        "Debug masks the HA1 values"
    );

    second.digest_password = Some(Secret::new("another"));
    let error = render_set(
        &TemplateSet::builtin(),
        &[device("N510"), second],
        &settings(),
        false,
        Some("acme prov"),
    )
    .unwrap_err();
    let message = error.to_string();
    assert!(
        message.contains(
            "\"provision\" has different passwords on devices 7C2F80820EC0 and 7C2F80820EC1"
        ),
        "{message}"
    );
    assert!(!message.contains("another"), "{message}");
    for realm in ["", "a:b"] {
        assert!(
            render_set(
                &TemplateSet::builtin(),
                &[device("N510")],
                &settings(),
                false,
                Some(realm)
            )
            .is_err(),
            "{realm:?}"
        );
    }
}

#[test]
fn renders_note_unconfirmed_facts_and_files_loaded_by_hand() {
    let templates = TemplateSet::builtin();
    let dx800 = templates.render(&device("DX800A"), &settings()).unwrap();
    assert!(
        dx800
            .notes
            .iter()
            .any(|note| note.contains("web UI") && note.contains("never downloads")),
        "{:?}",
        dx800.notes
    );
    let mut bare = device("N510");
    bare.sip_accounts.clear();
    let n510 = templates.render(&bare, &settings()).unwrap();
    assert!(n510.notes.is_empty(), "{:?}", n510.notes);
    let with_accounts = templates.render(&device("N510"), &settings()).unwrap();
    assert!(
        with_accounts
            .notes
            .iter()
            .any(|note| note.contains("SIP account parameters")),
        "a file with SIP accounts names the unconfirmed parameter names: {:?}",
        with_accounts.notes
    );
    assert!(
        !with_accounts
            .notes
            .iter()
            .any(|n| n.contains("no registrar")),
        "account 2 takes the site's registrar: {:?}",
        with_accounts.notes
    );
    let mut no_registrar = device("N510");
    no_registrar.site_defaults.sip_registrar = None;
    let unregistrable = templates.render(&no_registrar, &settings()).unwrap();
    assert!(
        unregistrable
            .notes
            .iter()
            .any(|note| note
                .contains("7C2F80820EC0: SIP account 2 has no registrar, nor does its site")),
        "{:?}",
        unregistrable.notes
    );
    let de700 = templates.render(&device("DE700"), &settings()).unwrap();
    let note = de700.notes.join("\n");
    assert!(
        note.contains("PROFILE_NAME (inferred from the DE410 example"),
        "{note}"
    );
    assert!(note.contains("digest credential parameters"), "{note}");
}

/// A template with every variable of account 1 and of account 7, which the sample device
/// lacks, as text lines.
const ACCOUNT_TEMPLATE: &str =
    "user={{sip_user_1}} auth={{sip_auth_user_1}} pw={{sip_password_1}} \
name={{sip_display_name_1}} reg={{sip_registrar_1}} port={{sip_port_1}} tr={{sip_transport_1}} \
proxy={{sip_outbound_proxy_1}} on={{sip_active_1}}
two={{sip_user_2}}@{{sip_registrar_2}}:{{sip_port_2}}/{{sip_transport_2}} on={{sip_active_2}}
seven=[{{sip_user_7}}][{{sip_password_7}}][{{sip_port_7}}] on={{sip_active_7}}
legacy={{sip_server}}:{{sip_port}} via {{sip_outbound_proxy}}
";

#[test]
fn account_variables_come_from_the_inventory_and_absent_accounts_render_empty() {
    let template =
        Template::parse("plain", ConfigFormat::PlainText, ACCOUNT_TEMPLATE, None).unwrap();
    let mut settings = settings();
    settings.set("sip_server", "fallback.example").unwrap();
    settings.set("sip_port", "5999").unwrap();
    let rendered = template.render(&device("Generic"), &settings).unwrap();
    let text = String::from_utf8(rendered.bytes().to_vec()).unwrap();
    assert!(
        text.contains(&format!(
            "user=1001 auth=acct-1001 pw={} name=Reception reg=sip.acme.example port=5070 tr=tcp proxy=proxy.acme.example on=1",
            templates::SIP_PASSWORD_1
        )),
        "{text}"
    );
    // Account 2 leaves its registrar to the site; its port to the render settings.
    assert!(
        text.contains("two=1002@pbx.example.com:5999/udp on=1"),
        "{text}"
    );
    assert!(text.contains("seven=[][][] on=0"), "{text}");
    // Account 1's inventory values win over the render settings.
    assert!(
        text.contains("legacy=sip.acme.example:5070 via proxy.acme.example"),
        "{text}"
    );
}

#[test]
fn render_settings_stay_the_fallback_without_accounts() {
    let template = Template::parse(
        "plain",
        ConfigFormat::PlainText,
        "{{sip_server}}:{{sip_port}}",
        None,
    )
    .unwrap();
    let mut bare = device("Generic");
    bare.sip_accounts.clear();
    let mut settings = settings();
    settings.set("sip_server", "fallback.example").unwrap();
    settings.set("sip_port", "5999").unwrap();
    let rendered = template.render(&bare, &settings).unwrap();
    assert_eq!(rendered.bytes(), b"fallback.example:5999");
}

#[test]
fn accounts_beyond_the_models_count_are_not_written() {
    let mut n510 = device("N510");
    n510.sip_accounts[1].index = 7;
    let rendered = TemplateSet::builtin().render(&n510, &settings()).unwrap();
    let text = String::from_utf8_lossy(rendered.bytes()).into_owned();
    assert!(text.contains("S_SIP_LOGIN_ID_1"), "{text}");
    assert!(
        !text.contains("_7\""),
        "the N510 has six accounts: account 7 is not written: {text}"
    );
}

/// Review item 7: whatever file the built-in templates write for a model (its digest password
/// and SIP passwords under the model's own names, escaped as the format wants), a test fetch
/// of it shows and exports none of them, though it knew none, and keeps every line.
#[test]
fn a_rendered_file_of_every_model_is_shown_with_its_passwords_masked() {
    let templates = TemplateSet::builtin();
    for model in CATALOGUE {
        let rendered = templates.render(&device(model.name), &settings()).unwrap();
        let body = rendered.bytes();
        let text = provdesk::fetch::body_text(body, None, true);
        let shown = provdesk::fetch::ShownBody::new(body, None, &[]);
        for view in [
            shown.text(false).to_string(),
            shown.raw(body, false).into_owned(),
        ] {
            for password in ["s3cr", SIP_PASSWORD_2, "sip&", "sip%26"] {
                assert!(
                    !view.contains(password),
                    "{}: {password} in\n{view}",
                    model.name
                );
            }
            assert_eq!(view.lines().count(), text.lines().count(), "{}", model.name);
        }
        if model.credentials.is_some() {
            assert!(
                shown.text(false).contains(USER),
                "{}: the user stays",
                model.name
            );
        }
    }
}
