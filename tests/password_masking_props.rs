//! Property tests for masking passwords by position (`mask_passwords`), as a fetched body or a
//! HAR shows them: a password written without escaping into any place a format keeps one never
//! shows, whatever characters it holds, and the lines around it are kept as they were.

use proptest::prelude::*;
use provdesk::device::mask_passwords;

use crate::support::hostile::HOSTILE_SHAPES;

/// The places the formats keep a password, `{}` where a script that does not escape writes it.
const PLACES: [&str; 12] = [
    "<S_PROV_PASSWORD value=\"{}\"/>",
    "<S_SIP_PASSWORD_1 class=\"string\" value=\"{}\"/>",
    "<SYMB_ITEM ID=\"BS_IP_Data1.aucS_SIP_PASSWORD_1\" class=\"symb_item\" value='\"{}\"'/>",
    "    <param name=\"SipAccount.1.AuthPassword\" value=\"{}\"/>",
    "<param name='System.Security.HTTPAuthPassword' value='{}'/>",
    "<password>{}</password>",
    "<password><![CDATA[{}]]></password>",
    "<account user=\"u\" password=\"{}\"/>",
    "S_PROV_PASSWORD={}",
    // Hostile-input review 4: a Gigaset-style name that says password only by abbreviation.
    "<S_HTTP_PW class=\"string\" value=\"{}\"/>",
    "S_HTTP_PW={}",
    "<param name=\"admin.pin\" value=\"{}\"/>",
];

/// The places a URI carries a password in its userinfo, `{}` where it stands: SIP URIs have no
/// `//`, which the URL scan looked for.
const URIS: [&str; 5] = [
    "<S_SIP_URI class=\"string\" value=\"sip:alice:{}@pbx.example;transport=tcp\"/>",
    "Contact: <sip:alice:{}@pbx.example>",
    "registrar = SIPS:alice:{}@pbx.example:5061",
    "<url>https://alice:{}@prov.example/cfg.xml</url>",
    "redirect=http://alice:{}@prov.example",
];

/// Settings around the password, on lines of their own; none holds a letter of the alphabet the
/// passwords' runs are made of, so a run found in the masked text came from the password.
const BEFORE: &str = "<?xml version=\"1.0\"?>\n<S_PROV_USERNAME value=\"hotel\"/>\n";
const AFTER: &str = "\n<VERSION value=\"7\"/>\n<PROFILE_NAME class=\"string\" value=\"N510\"/>\n";

/// Passwords of the characters that break a tag (quotes, `<`, `>`, `=`, `/`, `&`, `;`) and of
/// letters found in no setting around them.
fn password() -> impl Strategy<Value = String> {
    "[jkqxz0-9\"'<>=/&;!\\]\\[]{1,24}"
}

/// Passwords as a URI's userinfo carries them: what may stand there unencoded (RFC 3986's
/// sub-delimiters, `:` and `%`), of letters found in no setting around them.
fn uri_password() -> impl Strategy<Value = String> {
    "[jkqxz0-9!$&'()*+,;=:%~-]{1,24}"
}

/// The password's runs of letters and digits long enough to be told apart from chance.
fn runs(password: &str) -> Vec<&str> {
    password
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|run| run.len() >= 3)
        .collect()
}

/// Fragments whose repetitions and mixtures break tags in every way the scanner knows.
fn hostile_text() -> impl Strategy<Value = String> {
    let fragment = prop::sample::select(vec![
        "<",
        ">",
        "/>",
        "\"",
        "'",
        "=",
        " ",
        "\n",
        "value",
        "password",
        "<password>",
        "</password>",
        "<S_PROV_PASSWORD",
        "<![CDATA[",
        "]]>",
        "://u:p@h",
        "sip:u:p@h",
        "S_HTTP_PW=",
        "name=\"pwd\"",
        "S_PROV_PASSWORD=",
        "é",
        "\u{1F4DE}",
    ]);
    prop::collection::vec(fragment, 0..80).prop_map(|parts| parts.concat())
}

/// Shapes that once made scanners quadratic still come out with every line where it was (their
/// speed is measured in `cargo bench --bench fetch`, "mask passwords").
#[test]
fn hostile_shapes_keep_their_lines() {
    for unit in HOSTILE_SHAPES {
        let text = format!("{}\nlast line\n", unit.repeat(20_000 / unit.len()));
        let masked = mask_passwords(&text).unwrap_or_else(|| text.clone());
        assert_eq!(masked.lines().count(), text.lines().count(), "{unit}");
        assert!(masked.ends_with("\nlast line\n"), "{unit}");
    }
}

proptest! {
    #[test]
    fn a_password_written_unescaped_never_shows(password in password(), place in 0..PLACES.len()) {
        let line = PLACES[place].replace("{}", &password);
        let file = format!("{BEFORE}{line}{AFTER}");
        let masked = mask_passwords(&file).unwrap_or_else(|| file.clone());
        for run in runs(&password) {
            prop_assert!(!masked.contains(run), "{run} shows in {masked}");
        }
        prop_assert_eq!(masked.lines().count(), file.lines().count());
        prop_assert!(masked.starts_with(BEFORE), "{}", masked);
        prop_assert!(masked.ends_with(AFTER), "{}", masked);
    }

    #[test]
    fn the_password_of_a_uri_never_shows(password in uri_password(), place in 0..URIS.len()) {
        let line = URIS[place].replace("{}", &password);
        let file = format!("{BEFORE}{line}{AFTER}");
        let masked = mask_passwords(&file).unwrap_or_else(|| file.clone());
        for run in runs(&password) {
            prop_assert!(!masked.contains(run), "{run} shows in {masked}");
        }
        prop_assert!(masked.contains("alice:"), "the user stays: {}", masked);
        prop_assert_eq!(masked.lines().count(), file.lines().count());
        prop_assert!(masked.starts_with(BEFORE), "{}", masked);
        prop_assert!(masked.ends_with(AFTER), "{}", masked);
    }

    #[test]
    fn any_mixture_of_broken_tags_keeps_its_lines(text in hostile_text()) {
        if let Some(masked) = mask_passwords(&text) {
            prop_assert_eq!(masked.lines().count(), text.lines().count());
        }
    }
}
