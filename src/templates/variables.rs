//! The variables a template may use, with what each means, for the editor's sidebar and for
//! the "unknown variable" message.

use std::sync::LazyLock;

use serde::Serialize;

use crate::device::AccountField;

/// One field of the device's SIP account number `index` (1 = the first): `{{sip_user_2}}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct AccountVar {
    pub field: AccountField,
    pub index: u8,
}

/// Every account variable's name, built once: `name()` hands out `&'static str`.
static ACCOUNT_NAMES: LazyLock<Vec<String>> = LazyLock::new(|| {
    AccountField::ALL
        .iter()
        .flat_map(|field| (1..=u8::MAX).map(move |index| format!("sip_{}_{index}", field.key())))
        .collect()
});

impl AccountVar {
    fn name(self) -> &'static str {
        let field = AccountField::ALL
            .iter()
            .position(|&field| field == self.field)
            .unwrap_or(0);
        let at = field * usize::from(u8::MAX) + usize::from(self.index.max(1)) - 1;
        ACCOUNT_NAMES.get(at).map_or("sip_user_1", String::as_str)
    }

    /// `sip_user_3` → user of account 3; account numbers run from 1 to 255.
    fn parse(name: &str) -> Option<Self> {
        let (key, number) = name.strip_prefix("sip_")?.rsplit_once('_')?;
        let field = AccountField::ALL
            .into_iter()
            .find(|field| field.key() == key)?;
        if number.starts_with('0') {
            return None;
        }
        let index = number.parse::<u8>().ok().filter(|&index| index > 0)?;
        Some(Self { field, index })
    }
}

const fn account(field: AccountField) -> Variable {
    Variable::Account(AccountVar { field, index: 1 })
}

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
    /// Every SIP account of the device, in its model's parameter names.
    SipAccounts,
    Account(AccountVar),
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
        "SIP domain: account 1's registrar from the inventory, else the render settings (sip_domain=…)",
        "sip.example.com",
    ),
    spec(
        Variable::SipServer,
        "sip_server",
        "SIP registrar/server: account 1's from the inventory, else the render settings (sip_server=…)",
        "sip.example.com",
    ),
    spec(
        Variable::SipPort,
        "sip_port",
        "SIP server port: account 1's from the inventory, else the render settings (sip_port=…)",
        "5060",
    ),
    spec(
        Variable::SipOutboundProxy,
        "sip_outbound_proxy",
        "SIP outbound proxy: account 1's from the inventory, else the render settings (sip_outbound_proxy=…)",
        "proxy.example.com",
    ),
    VariableSpec {
        variable: Variable::SipAccounts,
        name: "sip_accounts",
        description: "every SIP account of the device (inventory, site defaults filled in), with the parameter names of its model; empty when it has none",
        example: "<S_SIP_LOGIN_ID_1 class=\"string\" value=\"1001\"/>…",
        secret: true,
    },
    spec(
        account(AccountField::User),
        "sip_user_1",
        "SIP account 1's user (extension); sip_user_2 … for the others; empty when the device has no such account",
        "1001",
    ),
    spec(
        account(AccountField::AuthUser),
        "sip_auth_user_1",
        "SIP account 1's authentication user, else its user",
        "acct-1001",
    ),
    VariableSpec {
        variable: account(AccountField::Password),
        name: "sip_password_1",
        description: "SIP account 1's password",
        example: "••••••",
        secret: true,
    },
    spec(
        account(AccountField::DisplayName),
        "sip_display_name_1",
        "SIP account 1's display name, else its user",
        "Reception",
    ),
    spec(
        account(AccountField::Registrar),
        "sip_registrar_1",
        "SIP account 1's registrar: the account's, else its site's, else the render settings' sip_server",
        "pbx.example.com",
    ),
    spec(
        account(AccountField::Port),
        "sip_port_1",
        "SIP account 1's registrar port: the account's, else its site's, else the render settings' sip_port, else 5060 (5061 for TLS)",
        "5060",
    ),
    spec(
        account(AccountField::Transport),
        "sip_transport_1",
        "SIP account 1's transport (udp, tcp, tls): the account's, else its site's, else udp",
        "udp",
    ),
    spec(
        account(AccountField::OutboundProxy),
        "sip_outbound_proxy_1",
        "SIP account 1's outbound proxy, else the render settings' sip_outbound_proxy",
        "proxy.example.com",
    ),
    spec(
        account(AccountField::Active),
        "sip_active_1",
        "1 when the device has SIP account 1, else 0 (for B_SIP_ACCOUNT_IS_ACTIVE_1)",
        "1",
    ),
];

impl Variable {
    /// Finds a variable by the name written between the braces (exact, lower case); an
    /// account variable for any account number from 1 to 255 (`sip_user_12`).
    pub fn from_name(name: &str) -> Option<Self> {
        VARIABLES
            .iter()
            .find(|spec| spec.name == name)
            .map(|spec| spec.variable)
            .or_else(|| AccountVar::parse(name).map(Variable::Account))
    }

    /// The variable's row; an account variable shares the row of its field for account 1.
    pub fn spec(self) -> &'static VariableSpec {
        let row = match self {
            Variable::Account(var) => account(var.field),
            other => other,
        };
        VARIABLES
            .iter()
            .find(|spec| spec.variable == row)
            .unwrap_or(&VARIABLES[0])
    }

    pub fn name(self) -> &'static str {
        match self {
            Variable::Account(var) => var.name(),
            other => other.spec().name,
        }
    }

    /// A block: writes whole elements, between elements only.
    pub fn is_block(self) -> bool {
        matches!(self, Variable::Credentials | Variable::SipAccounts)
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
/// The known variable a mistyped `name` most likely meant: at most two edits away (a missed,
/// extra, wrong or swapped letter; case aside), the nearest first.
pub(crate) fn closest_name(name: &str) -> Option<&'static str> {
    let typed = name.to_ascii_lowercase();
    VARIABLES
        .iter()
        .map(|spec| (strsim::damerau_levenshtein(&typed, spec.name), spec.name))
        .filter(|&(distance, known)| distance <= 2 && distance < known.len())
        .min()
        .map(|(_, known)| known)
}

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

    #[test]
    fn account_variables_exist_for_every_account_number() {
        let var = Variable::from_name("sip_auth_user_12").unwrap();
        assert_eq!(
            var,
            Variable::Account(AccountVar {
                field: AccountField::AuthUser,
                index: 12
            })
        );
        assert_eq!(var.name(), "sip_auth_user_12");
        assert!(
            Variable::from_name("sip_password_255")
                .unwrap()
                .spec()
                .secret
        );
        assert_eq!(
            Variable::from_name("sip_port"),
            Some(Variable::SipPort),
            "the render setting keeps its name"
        );
        for bad in [
            "sip_user_0",
            "sip_user_256",
            "sip_user_01",
            "sip_user_",
            "sip_nope_1",
        ] {
            assert_eq!(Variable::from_name(bad), None, "{bad}");
        }
    }
}
