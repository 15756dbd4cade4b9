//! Sample devices for the template tests: one stored device, built directly so a test can give
//! it values the inventory's own checks would refuse (a 51-character user name, say).

use provdesk::device::{Device, Mac, MacId, SipAccount, SipTransport, SiteDefaults};
use provdesk::secret::Secret;
use provdesk::templates::RenderSettings;

pub const MAC: &str = "7C2F80820EC0";
pub const MAC_PASSWORD: &str = "2EE3EECC82C4";
pub const USER: &str = "provision";
/// Every character XML or a symb_item makes special, so escaping shows in the golden files.
pub const PASSWORD: &str = "s3cr&t\"<pw>'";
pub const URL: &str = "https://prov.example.com/cfg/%MACD.xml";

pub fn device(model: &str) -> Device {
    Device {
        mac_id: Some(MacId::parse("7C2F80820EC0-55DF").unwrap()),
        mac_password: Some(Secret::new(MAC_PASSWORD)),
        model: Some(model.to_string()),
        site: Some("Head office".into()),
        provider: Some("acme".into()),
        url: Some(URL.into()),
        digest_username: Some(USER.into()),
        digest_password: Some(Secret::new(PASSWORD)),
        site_defaults: SiteDefaults {
            sip_registrar: Some(SIP_REGISTRAR.into()),
            ..SiteDefaults::default()
        },
        sip_accounts: sip_accounts(),
        ..Device::bare(1, Mac::parse(MAC).unwrap())
    }
}

/// The site's SIP registrar, which account 2 leaves to it.
pub const SIP_REGISTRAR: &str = "pbx.example.com";
pub const SIP_PASSWORD_1: &str = "sip&pw<1>";
pub const SIP_PASSWORD_2: &str = "second-pw";

/// Two SIP accounts: the first with every field, the second with its user and password only.
pub fn sip_accounts() -> Vec<SipAccount> {
    vec![
        SipAccount {
            index: 1,
            registrar: Some("sip.acme.example".into()),
            port: Some(5070),
            transport: Some(SipTransport::Tcp),
            user: "1001".into(),
            auth_user: Some("acct-1001".into()),
            password: Some(Secret::new(SIP_PASSWORD_1)),
            display_name: Some("Reception".into()),
            outbound_proxy: Some("proxy.acme.example".into()),
        },
        SipAccount {
            index: 2,
            user: "1002".into(),
            password: Some(Secret::new(SIP_PASSWORD_2)),
            ..SipAccount::default()
        },
    ]
}

/// Settings with a fixed file version, so renders are reproducible.
pub fn settings() -> RenderSettings {
    let mut settings = RenderSettings::default();
    settings.version = "2611250000".into();
    settings
}

/// `N610/N670/N870 IP PRO` → `n610-n670-n870-ip-pro`.
pub fn slug(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect::<String>()
        .split('-')
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}
