//! The model catalogue: one row of facts per device model.
//!
//! Everything that differs between an N510, a Maxwell 3 or a DE900 lives here as data, so the
//! template renderer, the test fetch and the UI read the same facts and adding a model is adding
//! a row. Sources: `shared/reference/FACTS.md` §2–§3; rows marked `confirmed: false` hold facts
//! inferred from a sibling model and are easy to correct here.

use std::collections::HashMap;
use std::sync::LazyLock;

use serde::Serialize;

use super::format::ConfigFormat;
use crate::digest::Algorithm;

/// Product family, which decides the provisioning platform.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Family {
    /// N510 / N720: the Gigaset "ProviderFrame" XML platform.
    NSeries,
    /// N610 / N670 / N870: multicell DECT on the "provisioning 1.1" platform.
    NMulticell,
    Maxwell,
    DeSeries,
    Dx,
    Spectralink,
    Generic,
}

/// Where the model's HTTP digest credentials go in its configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CredentialParams {
    pub username_param: &'static str,
    pub password_param: &'static str,
    /// Longest value the device accepts, in characters; `None` where no limit is documented.
    pub max_len: Option<usize>,
}

/// A parameter and the value it must hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ParamValue {
    pub param: &'static str,
    pub value: &'static str,
}

/// One rung of the credential ladder a device climbs after a `401`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum AuthAttempt {
    /// The first request, without credentials.
    Anonymous,
    /// User name = the 12-digit MAC, password = the MAC password from the redirect server.
    MacPassword,
    /// The digest user name and password configured on the device.
    Configured,
    /// Credentials typed on the device's display.
    Manual,
}

/// What the device offers when every configured credential was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ManualEntry {
    /// The fetch fails.
    None,
    /// The user types credentials on the display.
    Display {
        tries: u8,
        /// The entry closes this long after the last key press.
        idle_timeout_s: u16,
        from_firmware: &'static str,
    },
    /// A notification opens the same entry (Maxwell 10).
    Notification { tries: u8 },
    /// One manual try; an empty entry also tries once; credentials are kept only on success.
    OneTry { from_firmware: &'static str },
}

/// Whether `http(s)://user:pass@host/…` in the provisioning URL is honoured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum UrlCredentials {
    No,
    FromFirmware(&'static str),
    Always,
}

/// The facts of one model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ModelSpec {
    /// The catalogue name, as stored and shown: `N510 IP PRO`.
    pub name: &'static str,
    pub family: Family,
    /// Other spellings accepted on input; matching ignores case, blanks, `-` and `_`.
    pub aliases: &'static [&'static str],
    pub config_format: ConfigFormat,
    pub credentials: Option<CredentialParams>,
    pub auth_ladder: &'static [AuthAttempt],
    /// Digest algorithms the device answers with, in no particular order.
    pub digest_algorithms: &'static [Algorithm],
    pub manual_entry: ManualEntry,
    /// HTTP Basic is accepted (DE series: for testing only). Gigaset devices otherwise do digest only.
    pub basic_accepted: bool,
    pub url_credentials: UrlCredentials,
    /// First firmware with digest support, where documented.
    pub min_digest_firmware: Option<&'static str>,
    /// The `productID` of a provisioning 1.1 file's root element; `None` for other formats.
    pub product_id: Option<&'static str>,
    /// A parameter that must hold a value before the device takes the digest password from its
    /// configuration (N720: `I_PHONE_SYSTEM` = 5). Templates write it beside the credentials and
    /// the validator refuses a file that sets it otherwise.
    pub password_requires: Option<ParamValue>,
    /// A model-specific rule, in words, for people.
    pub note: Option<&'static str>,
    /// False where a fact is inferred rather than documented.
    pub confirmed: bool,
}

/// Gigaset documents digest support but not its algorithms; the DECT/IP firmware answers the
/// MD5 challenges of RFC 2617 and nothing is known of SHA-256 support. Correct this row when a
/// firmware note says otherwise: the test fetch and its `algorithm_unsupported` diagnosis read it.
const GIGASET_ALGORITHMS: &[Algorithm] = &[Algorithm::Md5];

const GIGASET_LADDER: &[AuthAttempt] = &[
    AuthAttempt::Anonymous,
    AuthAttempt::MacPassword,
    AuthAttempt::Configured,
];
const GIGASET_LADDER_WITH_MANUAL: &[AuthAttempt] = &[
    AuthAttempt::Anonymous,
    AuthAttempt::MacPassword,
    AuthAttempt::Configured,
    AuthAttempt::Manual,
];
const PLAIN_LADDER: &[AuthAttempt] = &[AuthAttempt::Anonymous, AuthAttempt::Configured];

const PROVIDER_FRAME_CREDENTIALS: CredentialParams = CredentialParams {
    username_param: "S_PROV_USERNAME",
    password_param: "S_PROV_PASSWORD",
    max_len: Some(50),
};
const PROVISIONING11_CREDENTIALS: CredentialParams = CredentialParams {
    username_param: "System.Security.HTTPAuthUsername",
    password_param: "System.Security.HTTPAuthPassword",
    max_len: None,
};

/// The N720 takes `S_PROV_PASSWORD` only with `I_PHONE_SYSTEM` = 5 (BroadSoft); 0 is the default.
const N720_PASSWORD_REQUIRES: ParamValue = ParamValue {
    param: "I_PHONE_SYSTEM",
    value: "5",
};

const MAXWELL_DISPLAY_ENTRY: ManualEntry = ManualEntry::Display {
    tries: 3,
    idle_timeout_s: 60,
    from_firmware: "2.18.3",
};

/// productID of the N610/N670/N870 multicell systems (Gigaset wiki examples, `e2`).
const MULTICELL_PRODUCT_ID: &str = "e2";
/// productID of Gigaset's Maxwell provisioning 1.1 example (`mx3b`); the Maxwell rows share it
/// until a firmware note names another per model.
const MAXWELL_PRODUCT_ID: &str = "mx3b";

const fn maxwell(name: &'static str, aliases: &'static [&'static str]) -> ModelSpec {
    ModelSpec {
        name,
        family: Family::Maxwell,
        aliases,
        config_format: ConfigFormat::Provisioning11,
        credentials: Some(PROVISIONING11_CREDENTIALS),
        auth_ladder: GIGASET_LADDER_WITH_MANUAL,
        manual_entry: MAXWELL_DISPLAY_ENTRY,
        digest_algorithms: GIGASET_ALGORITHMS,
        basic_accepted: false,
        url_credentials: UrlCredentials::FromFirmware("2.25"),
        min_digest_firmware: None,
        product_id: Some(MAXWELL_PRODUCT_ID),
        password_requires: None,
        note: None,
        confirmed: true,
    }
}

/// Every model provdesk knows, in the order the UI lists them.
pub static CATALOGUE: &[ModelSpec] = &[
    ModelSpec {
        name: "N510 IP PRO",
        family: Family::NSeries,
        aliases: &["N510", "N510IP", "N510 PRO"],
        config_format: ConfigFormat::ProviderFrame,
        credentials: Some(PROVIDER_FRAME_CREDENTIALS),
        auth_ladder: GIGASET_LADDER,
        manual_entry: ManualEntry::None,
        digest_algorithms: GIGASET_ALGORITHMS,
        basic_accepted: false,
        url_credentials: UrlCredentials::No,
        min_digest_firmware: Some("BL192"),
        product_id: None,
        password_requires: None,
        note: None,
        confirmed: true,
    },
    ModelSpec {
        name: "N720 IP PRO",
        family: Family::NSeries,
        aliases: &["N720", "N720 DM PRO", "N720 SPK PRO", "N720 DM", "N720 SPK"],
        config_format: ConfigFormat::ProviderFrame,
        credentials: Some(PROVIDER_FRAME_CREDENTIALS),
        auth_ladder: GIGASET_LADDER,
        manual_entry: ManualEntry::None,
        digest_algorithms: GIGASET_ALGORITHMS,
        basic_accepted: false,
        url_credentials: UrlCredentials::No,
        min_digest_firmware: Some("BL84"),
        product_id: None,
        password_requires: Some(N720_PASSWORD_REQUIRES),
        note: Some(
            "S_PROV_PASSWORD is taken only with I_PHONE_SYSTEM = 5 (BroadSoft); 0 is the default",
        ),
        confirmed: true,
    },
    ModelSpec {
        name: "N610/N670/N870 IP PRO",
        family: Family::NMulticell,
        aliases: &[
            "N610",
            "N670",
            "N870",
            "N610 IP PRO",
            "N670 IP PRO",
            "N870 IP PRO",
            "N870E",
        ],
        config_format: ConfigFormat::Provisioning11,
        credentials: Some(PROVISIONING11_CREDENTIALS),
        auth_ladder: GIGASET_LADDER,
        manual_entry: ManualEntry::None,
        digest_algorithms: GIGASET_ALGORITHMS,
        basic_accepted: false,
        url_credentials: UrlCredentials::FromFirmware("2.53"),
        min_digest_firmware: None,
        product_id: Some(MULTICELL_PRODUCT_ID),
        password_requires: None,
        note: None,
        confirmed: false,
    },
    maxwell("Maxwell Basic", &["Maxwell B"]),
    maxwell("Maxwell 2", &["Maxwell 2S"]),
    maxwell("Maxwell 3", &[]),
    maxwell("Maxwell 4", &[]),
    ModelSpec {
        name: "Maxwell 10",
        family: Family::Maxwell,
        aliases: &["Maxwell 10S"],
        config_format: ConfigFormat::Provisioning11,
        credentials: Some(PROVISIONING11_CREDENTIALS),
        auth_ladder: GIGASET_LADDER_WITH_MANUAL,
        manual_entry: ManualEntry::Notification { tries: 3 },
        digest_algorithms: GIGASET_ALGORITHMS,
        basic_accepted: false,
        url_credentials: UrlCredentials::No,
        min_digest_firmware: None,
        product_id: Some(MAXWELL_PRODUCT_ID),
        password_requires: None,
        note: Some(
            "contacts the redirect server ~50 s after boot and applies new XML ~2 min after boot",
        ),
        confirmed: false,
    },
    ModelSpec {
        name: "DE900/DE700 IP PRO",
        family: Family::DeSeries,
        aliases: &["DE900", "DE700", "DE900 IP PRO", "DE700 IP PRO"],
        config_format: ConfigFormat::Provisioning11,
        credentials: Some(PROVISIONING11_CREDENTIALS),
        auth_ladder: GIGASET_LADDER_WITH_MANUAL,
        manual_entry: ManualEntry::OneTry {
            from_firmware: "BL02.00.11",
        },
        digest_algorithms: GIGASET_ALGORITHMS,
        basic_accepted: true,
        url_credentials: UrlCredentials::No,
        min_digest_firmware: Some("BL02.00.10"),
        product_id: Some(MAXWELL_PRODUCT_ID),
        password_requires: None,
        note: Some("HTTP Basic is accepted for testing only"),
        confirmed: false,
    },
    ModelSpec {
        name: "DE410/DE310 IP PRO",
        family: Family::DeSeries,
        aliases: &["DE410", "DE310", "DE410 IP PRO", "DE310 IP PRO"],
        config_format: ConfigFormat::Provisioning11,
        credentials: Some(PROVISIONING11_CREDENTIALS),
        auth_ladder: GIGASET_LADDER_WITH_MANUAL,
        manual_entry: ManualEntry::OneTry {
            from_firmware: "BL02.00.08",
        },
        digest_algorithms: GIGASET_ALGORITHMS,
        basic_accepted: true,
        url_credentials: UrlCredentials::No,
        min_digest_firmware: Some("BL02.00.07"),
        product_id: Some(MAXWELL_PRODUCT_ID),
        password_requires: None,
        note: Some("HTTP Basic is accepted for testing only"),
        confirmed: false,
    },
    ModelSpec {
        name: "DX800A",
        family: Family::Dx,
        aliases: &["DX800", "DX800A all in one"],
        config_format: ConfigFormat::PatchFile,
        credentials: None,
        auth_ladder: GIGASET_LADDER,
        manual_entry: ManualEntry::None,
        digest_algorithms: GIGASET_ALGORITHMS,
        basic_accepted: false,
        url_credentials: UrlCredentials::No,
        min_digest_firmware: None,
        product_id: None,
        password_requires: None,
        note: Some("the redirect option may need a patch file of BS_IP_Data…= lines"),
        confirmed: false,
    },
    ModelSpec {
        name: "Spectralink IP-DECT Server",
        family: Family::Spectralink,
        aliases: &[
            "Spectralink",
            "IP-DECT Server",
            "Spectralink IP DECT",
            "KWS",
        ],
        config_format: ConfigFormat::SpectralinkXml,
        credentials: None,
        auth_ladder: PLAIN_LADDER,
        manual_entry: ManualEntry::None,
        digest_algorithms: &Algorithm::ALL,
        basic_accepted: true,
        url_credentials: UrlCredentials::Always,
        min_digest_firmware: None,
        product_id: None,
        password_requires: None,
        note: Some(
            "credentials go in the URL: http(s)://user:pass@host:port/path; BroadWorks R22+ may identify the MAC by client certificate",
        ),
        confirmed: false,
    },
    ModelSpec {
        name: "Generic SIP device",
        family: Family::Generic,
        aliases: &["Generic", "SIP", "Other"],
        config_format: ConfigFormat::PlainText,
        credentials: None,
        auth_ladder: PLAIN_LADDER,
        manual_entry: ManualEntry::None,
        digest_algorithms: &Algorithm::ALL,
        basic_accepted: true,
        url_credentials: UrlCredentials::Always,
        min_digest_firmware: None,
        product_id: None,
        password_requires: None,
        note: None,
        confirmed: true,
    },
];

/// Lower-cases and drops blanks, `-` and `_` so `n510 ip pro`, `N510-IP-PRO` and `N510IPPRO` meet.
fn fold(name: &str) -> String {
    name.chars()
        .filter(|c| !c.is_whitespace() && *c != '-' && *c != '_')
        .flat_map(char::to_lowercase)
        .collect()
}

/// Every folded name and alias, built once: an import resolves a model on every row.
static BY_FOLDED_NAME: LazyLock<HashMap<String, &'static ModelSpec>> = LazyLock::new(|| {
    CATALOGUE
        .iter()
        .flat_map(|spec| {
            std::iter::once(spec.name)
                .chain(spec.aliases.iter().copied())
                .map(move |name| (fold(name), spec))
        })
        .collect()
});

/// Finds a model by its name or an alias, ignoring case, blanks, `-` and `_`.
pub fn find_model(name: &str) -> Option<&'static ModelSpec> {
    BY_FOLDED_NAME.get(&fold(name)).copied()
}

/// Why a model name was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("model \"{0}\" is not in the catalogue; known models: {known}", known = model_names().join(", "))]
pub struct UnknownModel(pub String);

/// Resolves a model name the user typed to the catalogue row.
pub fn resolve_model(name: &str) -> Result<&'static ModelSpec, UnknownModel> {
    find_model(name).ok_or_else(|| UnknownModel(name.trim().to_string()))
}

/// The model a fetch or a render plays when none is given: the most common Gigaset DECT base.
pub const DEFAULT_MODEL: &str = "N510 IP PRO";

/// The catalogue row used when a device has no model.
pub fn default_model() -> &'static ModelSpec {
    resolve_model(DEFAULT_MODEL).expect("the default model is in the catalogue")
}

pub fn model_names() -> Vec<&'static str> {
    CATALOGUE.iter().map(|spec| spec.name).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_resolve_to_catalogue_names() {
        for (typed, expected) in [
            ("N510", "N510 IP PRO"),
            ("n510 ip pro", "N510 IP PRO"),
            ("N510-IP-PRO", "N510 IP PRO"),
            ("Maxwell3", "Maxwell 3"),
            ("maxwell basic", "Maxwell Basic"),
            ("n870", "N610/N670/N870 IP PRO"),
            ("de900", "DE900/DE700 IP PRO"),
            ("DE310", "DE410/DE310 IP PRO"),
            ("N720 SPK PRO", "N720 IP PRO"),
            ("generic", "Generic SIP device"),
        ] {
            assert_eq!(find_model(typed).map(|m| m.name), Some(expected), "{typed}");
        }
    }

    #[test]
    fn the_default_model_is_a_catalogue_row() {
        assert_eq!(default_model().name, DEFAULT_MODEL);
    }

    #[test]
    fn unknown_models_are_refused_with_the_list() {
        assert!(find_model("").is_none());
        let err = resolve_model("N999").unwrap_err();
        let message = err.to_string();
        assert!(message.contains("\"N999\""));
        assert!(message.contains("Maxwell 3"));
    }

    #[test]
    fn names_and_aliases_are_unique_across_the_catalogue() {
        let mut seen = std::collections::HashSet::new();
        for spec in CATALOGUE {
            for name in std::iter::once(&spec.name).chain(spec.aliases.iter()) {
                assert!(seen.insert(fold(name)), "{name} appears twice");
            }
        }
    }

    #[test]
    fn gigaset_facts_from_the_field_notes() {
        let n510 = find_model("N510").unwrap();
        assert_eq!(n510.credentials.unwrap().username_param, "S_PROV_USERNAME");
        assert_eq!(n510.credentials.unwrap().max_len, Some(50));
        assert_eq!(n510.manual_entry, ManualEntry::None);
        assert_eq!(
            n510.auth_ladder,
            &[
                AuthAttempt::Anonymous,
                AuthAttempt::MacPassword,
                AuthAttempt::Configured
            ]
        );
        let maxwell = find_model("Maxwell 3").unwrap();
        assert_eq!(
            maxwell.credentials.unwrap().password_param,
            "System.Security.HTTPAuthPassword"
        );
        assert!(matches!(
            maxwell.manual_entry,
            ManualEntry::Display { tries: 3, .. }
        ));
        assert_eq!(
            maxwell.url_credentials,
            UrlCredentials::FromFirmware("2.25")
        );
        assert!(find_model("DE900").unwrap().basic_accepted);
        assert!(!n510.basic_accepted);
    }
}
