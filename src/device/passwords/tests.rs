use super::*;

fn mask(text: &str) -> String {
    mask_passwords(text).unwrap_or_else(|| text.to_string())
}

#[test]
fn the_names_come_from_the_catalogue_and_from_what_a_name_says() {
    let params: Vec<&str> = password_params().collect();
    for expected in [
        "S_PROV_PASSWORD",
        "System.Security.HTTPAuthPassword",
        "S_SIP_PASSWORD_#",
        "SipAccount.#.AuthPassword",
    ] {
        assert!(params.contains(&expected), "{expected} in {params:?}");
    }
    for name in [
        "S_PROV_PASSWORD",
        "S_SIP_PASSWORD_12",
        "BS_IP_Data1.aucS_SIP_PASSWORD_3",
        "SipAccount.00001.AuthPassword",
        "system.security.httpauthpassword",
        "S_ADMIN_PWD",
        "Kennwort",
        "client_secret",
    ] {
        assert!(is_password_name(name), "{name}");
    }
    for name in [
        "S_PROV_USERNAME",
        "S_SIP_LOGIN_ID_1",
        "SipAccount.00001.AuthName",
        "System.Security.HTTPAuthUsername",
        "value",
        "",
    ] {
        assert!(!is_password_name(name), "{name}");
    }
}

/// A catalogue name that says nothing of a password is still found, `#` standing for digits.
#[test]
fn a_catalogue_pattern_matches_with_any_account_number_and_prefix() {
    assert!(ends_with_pattern(
        "sipaccount.00001.authtoken",
        "sipaccount.#.authtoken"
    ));
    assert!(ends_with_pattern(
        "bs.sipaccount.7.authtoken",
        "sipaccount.#.authtoken"
    ));
    assert!(!ends_with_pattern(
        "sipaccount..authtoken",
        "sipaccount.#.authtoken"
    ));
    assert!(!ends_with_pattern(
        "sipaccount.1.authname",
        "sipaccount.#.authtoken"
    ));
    assert!(!ends_with_pattern("token", "sipaccount.#.authtoken"));
}

#[test]
fn provider_frame_password_elements_are_masked_and_the_rest_kept() {
    let file = "<Provider>\n\
        <S_PROV_USERNAME class=\"string\" value=\"hotel\"/>\n\
        <S_PROV_PASSWORD class=\"string\" value=\"Adler-Digest-2026\"/>\n\
        <S_SIP_PASSWORD_1 class=\"string\" value=\"sip&amp;pass-1001\"/>\n\
        <SYMB_ITEM ID=\"BS_IP_Data1.aucS_SIP_PASSWORD_2\" class=\"symb_item\" value='\"sip-pass-1002\"'/>\n\
        <S_SIP_USER_ID_1 class=\"string\" value=\"1001\"/>\n\
        <S_OUTBOUND_PROXY_1 class=\"string\" value=\"\"/>\n\
        </Provider>";
    assert_eq!(
        mask(file),
        format!(
            "<Provider>\n\
            <S_PROV_USERNAME class=\"string\" value=\"hotel\"/>\n\
            <S_PROV_PASSWORD class=\"string\" value=\"{MASK}\"/>\n\
            <S_SIP_PASSWORD_1 class=\"string\" value=\"{MASK}\"/>\n\
            <SYMB_ITEM ID=\"BS_IP_Data1.aucS_SIP_PASSWORD_2\" class=\"symb_item\" value='\"{MASK}\"'/>\n\
            <S_SIP_USER_ID_1 class=\"string\" value=\"1001\"/>\n\
            <S_OUTBOUND_PROXY_1 class=\"string\" value=\"\"/>\n\
            </Provider>"
        )
    );
}

#[test]
fn provisioning_11_password_params_are_masked_and_the_rest_kept() {
    let file = r#"<nvm>
    <param name="System.Security.HTTPAuthUsername" value="weber"/>
    <param name="System.Security.HTTPAuthPassword" value="weber-secret"/>
    <param value="sip-pw-1" name="SipAccount.00001.AuthPassword"/>
    <param name="SipAccount.00001.AuthName" value="1001"/>
  </nvm>"#;
    let masked = mask(file);
    assert!(
        !masked.contains("weber-secret") && !masked.contains("sip-pw-1"),
        "{masked}"
    );
    assert!(masked.contains(&format!(
        r#"<param name="System.Security.HTTPAuthPassword" value="{MASK}"/>"#
    )));
    assert!(masked.contains(&format!(
        r#"<param value="{MASK}" name="SipAccount.00001.AuthPassword"/>"#
    )));
    assert!(masked.contains(r#"value="weber"/>"#) && masked.contains(r#"value="1001"/>"#));
    assert_eq!(masked.lines().count(), file.lines().count());
}

#[test]
fn password_elements_attributes_and_urls_of_spectralink_are_masked() {
    let file = "<config>\n  <sip><user>1001</user><password>sl-pass</password>\n  \
        <account user=\"1002\" password=\"attr-pass\"/>\n  \
        <secret><![CDATA[cd<at>a-pass]]></secret>\n  \
        <url>https://provision:url%26pass@prov.example.com:8443/cfg/</url></sip>\n</config>";
    let masked = mask(file);
    for secret in ["sl-pass", "attr-pass", "cd<at>a-pass", "url%26pass"] {
        assert!(!masked.contains(secret), "{secret}: {masked}");
    }
    assert!(
        masked.contains(&format!("<password>{MASK}</password>")),
        "{masked}"
    );
    assert!(masked.contains(&format!("<![CDATA[{MASK}]]>")), "{masked}");
    assert!(
        masked.contains(&format!(
            "https://provision:{MASK}@prov.example.com:8443/cfg/"
        )),
        "{masked}"
    );
    assert!(masked.contains("<user>1001</user>") && masked.contains("user=\"1002\""));
}

#[test]
fn setting_lines_of_patch_files_and_plain_text_are_masked() {
    let file = "BS_IP_Data1.aucS_SIP_PASSWORD_1=0x70,0x77\n\
        BS_IP_Data1.aucS_AUTOPROVISIONING_CODE=0x34,0x34\n\
        sip_password_1 = plain-pass\n\
        \"admin_password\": \"json-pass\",\n\
        Password: yaml-pass\n\
        provisioning_url=https://u:url-pass@h.example/x.xml\n\
        sip_user_1=1001\n";
    assert_eq!(
        mask(file),
        format!(
            "BS_IP_Data1.aucS_SIP_PASSWORD_1={MASK}\n\
            BS_IP_Data1.aucS_AUTOPROVISIONING_CODE=0x34,0x34\n\
            sip_password_1 = {MASK}\n\
            \"admin_password\": \"{MASK}\",\n\
            Password: {MASK}\n\
            provisioning_url=https://u:{MASK}@h.example/x.xml\n\
            sip_user_1=1001\n"
        )
    );
}

#[test]
fn a_file_without_passwords_is_left_alone() {
    for text in [
        "",
        "<ProviderFrame><Provider><MAC_ADDRESS value=\"7C2F80820EC0\"/></Provider></ProviderFrame>",
        "https://prov.example.com:8443/cfg/x.xml and http://h/a@b",
        "<S_PROV_PASSWORD class=\"string\" value=\"\"/>",
        "<!-- S_PROV_PASSWORD is set below --><a/>",
    ] {
        assert_eq!(mask_passwords(text), None, "{text}");
    }
}

/// Broken tags end at the next `<`, so what follows is still read; a value that spans lines
/// keeps its line breaks, so the masked text has the file's lines.
#[test]
fn malformed_text_is_masked_without_losing_lines() {
    let file = "<a b=\"never closed\n<S_PROV_PASSWORD value=\"pw-one\"/>\n\
        <S_SIP_PASSWORD_1 value=\"pw\ntwo\"/>\n<password>pw-three\n<p name=\"x.Password\" value=pw-four/>\n\
        <S_PROV_PASSWORD value=\"pw-five";
    let masked = mask(file);
    for secret in ["pw-one", "two", "pw-three", "pw-four", "pw-five"] {
        assert!(!masked.contains(secret), "{secret}: {masked}");
    }
    assert_eq!(masked.lines().count(), file.lines().count(), "{masked}");
    assert!(masked.contains(&format!("value={MASK}/>")), "{masked}");
}

/// Files written by scripts that do not escape: a password holding a quote or a `<` breaks
/// its tag, and a spreadsheet doubles the quotes around it. None of it shows; the settings
/// on the other lines stay as they were.
#[test]
fn a_password_that_breaks_its_tag_is_masked_with_the_rest_of_its_line() {
    for (line, secret) in [
        ("<S_PROV_PASSWORD value=\"\"doubled1\"\"/>", "doubled1"),
        ("<S_PROV_PASSWORD value=\"half\"quoted2\"/>", "quoted2"),
        ("<S_PROV_PASSWORD value\"noequals3\"/>", "noequals3"),
        ("<S_SIP_PASSWORD_1 value=\"less<than4\"/>", "than4"),
        ("<S_SIP_PASSWORD_2 value=\"ends\"/>tag5\"/>", "tag5"),
        ("<password>less<than6</password>", "than6"),
        ("<password><child7</password>", "child7"),
        ("<account password=\"pw\"trail8\" user=\"u\"/>", "trail8"),
        (
            "<param name=\"SIP.Account.1.AuthPassword\" value=\"a\"=\"b9\"/>",
            "b9",
        ),
        ("<password>no end tag10", "tag10"),
    ] {
        let file = format!("<S_PROV_USERNAME value=\"hotel\"/>\n{line}\n<VERSION value=\"7\"/>\n");
        let masked = mask(&file);
        assert!(!masked.contains(secret), "{secret}: {masked}");
        assert_eq!(masked.lines().count(), file.lines().count(), "{masked}");
        assert!(
            masked.starts_with("<S_PROV_USERNAME value=\"hotel\"/>\n"),
            "{masked}"
        );
        assert!(masked.ends_with("\n<VERSION value=\"7\"/>\n"), "{masked}");
    }
}

/// Well-formed tags keep everything but the password, whatever follows it.
#[test]
fn a_well_formed_value_is_masked_alone() {
    for (file, expected) in [
        (
            "<S_PROV_PASSWORD value=\"pw\" class=\"string\"/><VERSION value=\"7\"/>",
            format!("<S_PROV_PASSWORD value=\"{MASK}\" class=\"string\"/><VERSION value=\"7\"/>"),
        ),
        (
            "<password>pw</password> <user>u</user>",
            format!("<password>{MASK}</password> <user>u</user>"),
        ),
        (
            "<p name=\"x.Password\" value=pw/> <q name=\"y\" value=\"1\"/>",
            format!("<p name=\"x.Password\" value={MASK}/> <q name=\"y\" value=\"1\"/>"),
        ),
        (
            "<PASSWORD>pw</password>",
            format!("<PASSWORD>{MASK}</password>"),
        ),
    ] {
        assert_eq!(mask(file), expected);
    }
}

/// Hostile-input review 4, "What held": `S_HTTP_PW` showed, since its name does not say
/// password; an abbreviation is a password's name as a word of its own, not inside another.
#[test]
fn an_abbreviation_standing_as_a_word_names_a_password() {
    for name in [
        "S_HTTP_PW",
        "S_ADMIN_PW_1",
        "ADMIN_PW1",
        "httpPw",
        "HTTPPw",
        "web.admin.pw",
        "S_SYSTEM_PIN",
        "aucSysPin",
        "pin",
        "S_PINCODE",
        "ui.passcode",
    ] {
        assert!(is_password_name(name), "{name}");
    }
    for name in [
        "I_PING_INTERVAL",
        "S_SHIPPING",
        "PWR_SAVE",
        "S_SPIN_1",
        "OPINION",
        "UPWARD",
        "S_PWR",
        "pinger",
    ] {
        assert!(!is_password_name(name), "{name}");
    }
    assert_eq!(
        mask(
            "<S_HTTP_PW value=\"gw-secret\"/>\nS_HTTP_PW=line-secret\n<I_PING_INTERVAL value=\"30\"/>"
        ),
        format!("<S_HTTP_PW value=\"{MASK}\"/>\nS_HTTP_PW={MASK}\n<I_PING_INTERVAL value=\"30\"/>")
    );
}

/// A SIP URI has no `//`, so the URL scan missed `sip:user:pw@host`.
#[test]
fn the_password_of_a_sip_uri_is_masked() {
    let file = "<S_SIP_URI value=\"sip:1001:sip-geheim@pbx.example;transport=tcp\"/>\n\
        Contact: <SIPS:1002:tls-geheim@pbx.example:5061>\n\
        registrar=sip:pbx.example:5060\n\
        sip:1003@pbx.example gossip:a:b@c\n";
    assert_eq!(
        mask(file),
        format!(
            "<S_SIP_URI value=\"sip:1001:{MASK}@pbx.example;transport=tcp\"/>\n\
            Contact: <SIPS:1002:{MASK}@pbx.example:5061>\n\
            registrar=sip:pbx.example:5060\n\
            sip:1003@pbx.example gossip:a:b@c\n"
        )
    );
}
