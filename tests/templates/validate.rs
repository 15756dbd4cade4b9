//! Broken templates are refused with every problem at its line and column, and with what to do.

use provdesk::device::ConfigFormat;
use provdesk::templates::{DEFAULT_TEMPLATES, Problem, Template, TemplateErrors};

fn errors(source: &str, format: ConfigFormat) -> TemplateErrors {
    Template::parse("t", format, source, None).expect_err("the template is refused")
}

/// (line, column) of each problem, in order.
fn places(errors: &TemplateErrors) -> Vec<(usize, usize)> {
    errors
        .0
        .iter()
        .filter_map(|e| e.at.map(|p| (p.line, p.column)))
        .collect()
}

const PF_HEAD: &str =
    "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<ProviderFrame>\n<Provider>\n";

#[test]
fn every_default_template_is_valid() {
    for default in DEFAULT_TEMPLATES {
        let template = Template::parse(default.name, default.format, default.text, None);
        assert!(template.is_ok(), "{}: {:?}", default.name, template.err());
    }
}

#[test]
fn unknown_variables_are_all_reported_where_they_stand() {
    let source = format!(
        "{PF_HEAD}<MAC_ADDRESS value=\"{{{{mac}}}}\"/>\n<X value=\"{{{{ mac_adress }}}}\"/>{{{{credentials}}}}\n<Y value=\"{{{{sip_user}}}}\"/>\n</Provider>\n</ProviderFrame>\n"
    );
    let errors = errors(&source, ConfigFormat::ProviderFrame);
    assert_eq!(places(&errors), [(5, 14), (6, 13)], "{errors}");
    let message = errors.to_string();
    assert!(
        message.contains("unknown variable {{mac_adress}}"),
        "{message}"
    );
    assert!(
        message.contains("known variables: mac, mac_colons"),
        "{message}"
    );
}

#[test]
fn xml_that_does_not_parse_points_at_the_place() {
    let source = format!(
        "{PF_HEAD}<MAC_ADDRESS value=\"{{{{mac}}}}\"/>\n{{{{credentials}}}}\n<A></B>\n</Provider>\n</ProviderFrame>\n"
    );
    let errors = errors(&source, ConfigFormat::ProviderFrame);
    assert_eq!(places(&errors), [(6, 4)], "{errors}");
    assert!(matches!(errors.0[0].problem, Problem::Xml(_)), "{errors}");

    let unclosed = errors_for_unclosed();
    assert_eq!(places(&unclosed), [(2, 1)], "{unclosed}");
    assert!(
        unclosed.to_string().contains("is never closed"),
        "{unclosed}"
    );
}

fn errors_for_unclosed() -> TemplateErrors {
    errors(
        "<?xml version=\"1.0\"?>\n<provisioning version=\"1.1\" productID=\"{{product_id}}\"><nvm>{{credentials}}</nvm>\n",
        ConfigFormat::Provisioning11,
    )
}

#[test]
fn variables_inside_values_keep_columns_exact() {
    // A long variable before the error must not shift the column reported for the error.
    let source = "<?xml version=\"1.0\"?>\n<provisioning version=\"1.1\" productID=\"{{product_id}}\"><nvm>{{credentials}}<p a=\"1\" a=\"2\"/></nvm></provisioning>\n";
    let errors = errors(source, ConfigFormat::Provisioning11);
    assert_eq!(places(&errors), [(2, 85)], "{errors}");
}

#[test]
fn required_elements_and_attributes_are_named() {
    let no_nvm = errors(
        "<?xml version=\"1.0\"?>\n<provisioning version=\"1.0\">\n{{credentials}}</provisioning>\n",
        ConfigFormat::Provisioning11,
    );
    let message = no_nvm.to_string();
    assert!(
        message.contains("line 2, column 1: <provisioning> has no version=\"…\""),
        "{message}"
    );
    assert!(message.contains("productID"), "{message}");
    assert!(message.contains("<nvm> is missing"), "{message}");

    let wrong_root = errors(
        "<Config>{{credentials}}</Config>",
        ConfigFormat::ProviderFrame,
    );
    let message = wrong_root.to_string();
    assert!(
        message.contains("the root element is <Config>"),
        "{message}"
    );
    assert!(message.contains("encoding=\"ISO-8859-1\""), "{message}");

    let no_credentials = errors(
        &format!("{PF_HEAD}<MAC_ADDRESS value=\"{{{{mac}}}}\"/>\n</Provider>\n</ProviderFrame>\n"),
        ConfigFormat::ProviderFrame,
    );
    assert_eq!(
        no_credentials.0[0].problem,
        Problem::CredentialsNotPlaced { inside: "Provider" }
    );
}

#[test]
fn patch_files_and_braces_are_checked_line_by_line() {
    let errors = errors(
        "BS_IP_Data1.ucB_AUTOPROVISIONING=0\nthis is no setting\n{{mac}}=1\nX={{mac\n",
        ConfigFormat::PatchFile,
    );
    assert_eq!(places(&errors), [(4, 3)], "{errors}");
    assert_eq!(errors.0[0].problem, Problem::Unclosed);

    let lines = self::errors(
        "BS_IP_Data1.ucB_AUTOPROVISIONING=0\nthis is no setting\n",
        ConfigFormat::PatchFile,
    );
    assert_eq!(places(&lines), [(2, 1)], "{lines}");
    assert_eq!(lines.0[0].problem, Problem::PatchLine);
}

#[test]
fn credentials_cannot_stand_inside_an_attribute() {
    let errors = errors(
        &format!(
            "{PF_HEAD}<MAC_ADDRESS value=\"{{{{credentials}}}}\"/>\n</Provider>\n</ProviderFrame>\n"
        ),
        ConfigFormat::ProviderFrame,
    );
    assert_eq!(errors.0[0].problem, Problem::BlockNotBetweenElements);
    assert_eq!(places(&errors)[0], (4, 21));
}
