//! The redirect server's result codes, as sentences that say what to do.
//!
//! The server answers a refusal with a bare code such as `mac_already_in_use`, sometimes with
//! the offending value after a colon (`mac_invalid:123456789123--1910`). Users see the sentence;
//! the code stays available for scripts and the JSON report.

use thiserror::Error;

use crate::device::mask_url_password;
use crate::printable::printable;

/// One refusal from the redirect server. Codes provdesk does not know are kept verbatim.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Error)]
pub enum ResultCode {
    #[error(
        "MAC-ID{} is not valid: it must be the 12 hex digits of the MAC, a dash and the 4 characters from the label (7C2F80820EC0-55DF); a device without a MAC-ID is registered by its plain MAC",
        subject(.0)
    )]
    MacInvalid(Option<String>),
    #[error(
        "the redirect server refused the URL{}: give a full http:// or https:// address in which a % is only followed by DVID, MACC, MACD or %",
        subject(&.0.as_deref().map(mask_url_password))
    )]
    UrlInvalid(Option<String>),
    #[error(
        "the redirect server refused the provider name{}: use the provider name agreed with Gigaset for your account (letters, digits, no blanks at the ends)",
        subject(.0)
    )]
    NameInvalid(Option<String>),
    #[error(
        "MAC-ID{} is already registered: deregister it first to change its URL; if another provisioner holds it, ask Gigaset to release it",
        subject(.0)
    )]
    MacAlreadyInUse(Option<String>),
    #[error(
        "MAC-ID{} is not registered on the redirect server: there is nothing to deregister or check; register it first",
        subject(.0)
    )]
    MacNotFound(Option<String>),
    #[error(
        "MAC-ID{} is not known to Gigaset: compare it with the label on the device, a digit may be mistyped",
        subject(.0)
    )]
    MacNotExist(Option<String>),
    #[error(
        "the redirect server answered \"{}\", which provdesk does not know: check the device in the Gigaset web portal (prov.gigaset.net)",
        printable(.0, 120)
    )]
    Unknown(String),
}

/// ` "7C2F80820EC0-55DF"` when the server named the value, else nothing.
fn subject(value: &Option<String>) -> String {
    value
        .as_ref()
        .map(|value| format!(" \"{}\"", printable(value, 80)))
        .unwrap_or_default()
}

impl ResultCode {
    /// Reads a code as the server sends it: `name` or `name:value`, blanks around ignored.
    pub fn parse(text: &str) -> Self {
        let text = text.trim();
        let (name, value) = match text.split_once(':') {
            Some((name, value)) => (name.trim(), Some(value.trim().to_string())),
            None => (text, None),
        };
        let value = value.filter(|v| !v.is_empty());
        match name {
            "mac_invalid" => Self::MacInvalid(value),
            "url_invalid" => Self::UrlInvalid(value),
            "name_invalid" => Self::NameInvalid(value),
            "mac_already_in_use" => Self::MacAlreadyInUse(value),
            "mac_not_found" => Self::MacNotFound(value),
            "mac_not_exist" => Self::MacNotExist(value),
            _ => Self::Unknown(text.to_string()),
        }
    }

    /// The code without its value, e.g. `mac_invalid`; the whole answer for unknown codes.
    pub fn code(&self) -> &str {
        match self {
            Self::MacInvalid(_) => "mac_invalid",
            Self::UrlInvalid(_) => "url_invalid",
            Self::NameInvalid(_) => "name_invalid",
            Self::MacAlreadyInUse(_) => "mac_already_in_use",
            Self::MacNotFound(_) => "mac_not_found",
            Self::MacNotExist(_) => "mac_not_exist",
            Self::Unknown(text) => text,
        }
    }

    /// The offending value the server named, if any.
    pub fn value(&self) -> Option<&str> {
        match self {
            Self::MacInvalid(v)
            | Self::UrlInvalid(v)
            | Self::NameInvalid(v)
            | Self::MacAlreadyInUse(v)
            | Self::MacNotFound(v)
            | Self::MacNotExist(v) => v.as_deref(),
            Self::Unknown(_) => None,
        }
    }

    /// The code as the server wrote it, `name` or `name:value`, for logs and the simulator.
    pub fn wire(&self) -> String {
        match self.value() {
            Some(value) => format!("{}:{value}", self.code()),
            None => self.code().to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_with_and_without_a_value_are_read() {
        assert_eq!(
            ResultCode::parse("mac_invalid:123456789123--1910"),
            ResultCode::MacInvalid(Some("123456789123--1910".into()))
        );
        assert_eq!(
            ResultCode::parse(" mac_not_found "),
            ResultCode::MacNotFound(None)
        );
        assert_eq!(ResultCode::parse("mac_invalid:").value(), None);
    }

    #[test]
    fn the_sentence_names_the_value_and_what_to_do() {
        let code = ResultCode::parse("mac_invalid:123456789123--1910");
        assert_eq!(
            code.to_string(),
            "MAC-ID \"123456789123--1910\" is not valid: it must be the 12 hex digits of the MAC, a dash and the 4 characters from the label (7C2F80820EC0-55DF); a device without a MAC-ID is registered by its plain MAC"
        );
        assert!(
            ResultCode::parse("mac_already_in_use")
                .to_string()
                .contains("deregister it first")
        );
    }

    #[test]
    fn a_refused_url_is_shown_without_its_password() {
        let code = ResultCode::parse("url_invalid:http://u:topsecret@h/%x");
        assert!(!code.to_string().contains("topsecret"), "{code}");
    }

    #[test]
    fn unknown_codes_are_kept_verbatim() {
        let code = ResultCode::parse("quota_exceeded:42");
        assert_eq!(code.code(), "quota_exceeded:42");
        assert!(code.to_string().contains("\"quota_exceeded:42\""));
    }

    #[test]
    fn wire_form_round_trips() {
        for text in [
            "url_invalid:ftp://x",
            "name_invalid",
            "mac_not_exist:7C2F80820EC0",
        ] {
            assert_eq!(ResultCode::parse(text).wire(), text);
        }
    }
}
