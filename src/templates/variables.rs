//! The variables a template may use, with what each means, for the editor's sidebar and for
//! the "unknown variable" message.

use serde::Serialize;

/// A value a template can place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Variable {
    Mac,
    MacColons,
    MacId,
    Model,
    ProductId,
    ProfileName,
    Dvid,
    ModelDvid,
    Site,
    Provider,
    Version,
    ProvUrl,
    ProvServer,
    ProvBase,
    ProvBaseAuth,
    DigestUsername,
    DigestPassword,
    Credentials,
    SipDomain,
    SipServer,
    SipPort,
    SipOutboundProxy,
}

/// One row of the variable table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct VariableSpec {
    pub variable: Variable,
    /// As written between the braces.
    pub name: &'static str,
    pub description: &'static str,
    pub example: &'static str,
    /// The value is a password: previews and logs mask it.
    pub secret: bool,
}

const fn spec(
    variable: Variable,
    name: &'static str,
    description: &'static str,
    example: &'static str,
) -> VariableSpec {
    VariableSpec {
        variable,
        name,
        description,
        example,
        secret: false,
    }
}

/// Every variable, in the order the sidebar lists them.
pub static VARIABLES: &[VariableSpec] = &[
    spec(
        Variable::Mac,
        "mac",
        "MAC without colons, as %MACD",
        "7C2F80820EC0",
    ),
    spec(
        Variable::MacColons,
        "mac_colons",
        "MAC with colons, as %MACC",
        "7C:2F:80:82:0E:C0",
    ),
    spec(
        Variable::MacId,
        "mac_id",
        "MAC-ID from the label; the MAC where the device has none",
        "7C2F80820EC0-55DF",
    ),
    spec(
        Variable::Model,
        "model",
        "catalogue model name",
        "N510 IP PRO",
    ),
    spec(
        Variable::ProductId,
        "product_id",
        "productID of a provisioning 1.1 file, from the catalogue",
        "e2",
    ),
    spec(
        Variable::ProfileName,
        "profile_name",
        "PROFILE_NAME of a ProviderFrame file, from the catalogue: with another one the device changes nothing",
        "N510",
    ),
    spec(
        Variable::Dvid,
        "dvid",
        "the model's %DVID, from the catalogue (Maxwell Basic/2/3/4), e.g. for firmware paths",
        "84/1",
    ),
    spec(
        Variable::ModelDvid,
        "model_dvid",
        "catalogue model name with its %DVID where the catalogue knows one",
        "Maxwell 4 (%DVID 84/1)",
    ),
    spec(
        Variable::Site,
        "site",
        "site name; empty when none",
        "Head office",
    ),
    spec(
        Variable::Provider,
        "provider",
        "provider of the device, else of its site; empty when none",
        "acme",
    ),
    spec(
        Variable::Version,
        "version",
        "file version DDMMYYHHMM (UTC, at render time); ProviderFrame devices take only a newer one",
        "2511262330",
    ),
    spec(
        Variable::ProvUrl,
        "prov_url",
        "the URL this device fetches, placeholders filled in, without user:pass@",
        "https://prov.example.com/cfg/7C2F80820EC0.xml",
    ),
    spec(
        Variable::ProvServer,
        "prov_server",
        "scheme, host and port of the provisioning server",
        "https://prov.example.com",
    ),
    spec(
        Variable::ProvBase,
        "prov_base",
        "the folder of the provisioning URL, ending in /",
        "https://prov.example.com/cfg/",
    ),
    VariableSpec {
        variable: Variable::ProvBaseAuth,
        name: "prov_base_auth",
        description: "the folder URL with the digest credentials as user:pass@ (BroadWorks/Spectralink form)",
        example: "https://provision:••••••@prov.example.com/cfg/",
        secret: true,
    },
    spec(
        Variable::DigestUsername,
        "digest_username",
        "configured digest user name (device, else site)",
        "provision",
    ),
    VariableSpec {
        variable: Variable::DigestPassword,
        name: "digest_password",
        description: "configured digest password (device, else site)",
        example: "••••••",
        secret: true,
    },
    VariableSpec {
        variable: Variable::Credentials,
        name: "credentials",
        description: "the model's digest credential elements (ProviderFrame, provisioning 1.1), with the N720's I_PHONE_SYSTEM = 5; empty when none are configured",
        example: "<S_PROV_USERNAME class=\"string\" value=\"provision\"/>…",
        secret: true,
    },
    spec(
        Variable::SipDomain,
        "sip_domain",
        "SIP domain, from the render settings (sip_domain=…)",
        "sip.example.com",
    ),
    spec(
        Variable::SipServer,
        "sip_server",
        "SIP registrar/server, from the render settings (sip_server=…)",
        "sip.example.com",
    ),
    spec(
        Variable::SipPort,
        "sip_port",
        "SIP server port, from the render settings (sip_port=…)",
        "5060",
    ),
    spec(
        Variable::SipOutboundProxy,
        "sip_outbound_proxy",
        "SIP outbound proxy, from the render settings (sip_outbound_proxy=…)",
        "proxy.example.com",
    ),
];

impl Variable {
    /// Finds a variable by the name written between the braces (exact, lower case).
    pub fn from_name(name: &str) -> Option<Self> {
        VARIABLES
            .iter()
            .find(|spec| spec.name == name)
            .map(|spec| spec.variable)
    }

    pub fn spec(self) -> &'static VariableSpec {
        VARIABLES
            .iter()
            .find(|spec| spec.variable == self)
            .unwrap_or(&VARIABLES[0])
    }

    pub fn name(self) -> &'static str {
        self.spec().name
    }

    /// The render settings key for a provider-level value, which the inventory does not hold.
    pub fn setting_key(self) -> Option<&'static str> {
        matches!(
            self,
            Variable::SipDomain
                | Variable::SipServer
                | Variable::SipPort
                | Variable::SipOutboundProxy
        )
        .then(|| self.name())
    }
}

/// All names, for messages.
pub(crate) fn known_names() -> String {
    VARIABLES
        .iter()
        .map(|spec| spec.name)
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_variable_has_one_row_and_names_round_trip() {
        let mut names = std::collections::HashSet::new();
        for spec in VARIABLES {
            assert!(names.insert(spec.name), "{} twice", spec.name);
            assert_eq!(Variable::from_name(spec.name), Some(spec.variable));
            assert_eq!(spec.variable.name(), spec.name);
        }
        assert_eq!(Variable::from_name("MAC"), None, "names are exact");
    }
}
