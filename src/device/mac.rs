//! MAC addresses and Gigaset MAC-IDs.
//!
//! Installers copy MACs from labels, spreadsheets, switch tables and web UIs, each in its own
//! notation. Everything is normalised to 12 uppercase hex digits on the way in so that a device
//! is the same device whichever way it was typed.

use std::fmt;
use std::str::FromStr;

use thiserror::Error;

use crate::secret::Secret;

/// Why a MAC, MAC-ID or MAC password was refused. Each variant carries the offending text.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum MacError {
    #[error("MAC \"{0}\" is empty: type the 12 hex digits printed on the device label")]
    Empty(String),
    #[error(
        "MAC \"{value}\" has {digits} hex digits, a MAC has 12 (e.g. 7C:2F:80:82:0E:C0 or 7C2F80820EC0)"
    )]
    WrongLength { value: String, digits: usize },
    #[error(
        "MAC \"{value}\" contains '{found}', which is not a hex digit or a separator (: - . or space)"
    )]
    BadCharacter { value: String, found: char },
    #[error(
        "MAC \"{0}\" mixes notations: use pairs (7C:2F:80:…), groups of four (7C2F.8082.0EC0) or no separator"
    )]
    BadGrouping(String),
    #[error(
        "MAC-ID \"{0}\" is not a MAC-ID: it is 12 hex digits, '-', 4 letters or digits (e.g. 7C2F80820EC0-55DF)"
    )]
    MacIdFormat(String),
    #[error("MAC-ID \"{mac_id}\" belongs to MAC {id_mac}, not to this device's MAC {device_mac}")]
    MacIdMismatch {
        mac_id: String,
        id_mac: String,
        device_mac: String,
    },
    #[error(
        "MAC password has {0} characters; the redirect server issues 12 letters or digits (e.g. 2EE3EECC82C4)"
    )]
    MacPasswordFormat(usize),
}

/// A MAC address, always 12 uppercase hex digits inside.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Mac([u8; 12]);

impl Mac {
    /// The MAC of the sample devices a template is tried on before it is saved: Gigaset's OUI,
    /// like the devices the files are for.
    pub(crate) const SAMPLE: Mac = Mac(*b"7C2F80000001");

    /// Parses `7C:2F:80:82:0E:C0`, `7c2f80820ec0`, `7C-2F-80-82-0E-C0`, `7C2F.8082.0EC0`
    /// and the same with blanks around it.
    pub fn parse(input: &str) -> Result<Self, MacError> {
        let trimmed = input.trim();
        if let Ok(bare) = <[u8; 12]>::try_from(trimmed.as_bytes())
            && bare.iter().all(u8::is_ascii_hexdigit)
        {
            // The form the inventory stores and most files use: no separator to check.
            return Ok(Self(bare.map(|b| b.to_ascii_uppercase())));
        }
        if trimmed.is_empty() {
            return Err(MacError::Empty(input.to_string()));
        }
        let mut digits = Vec::with_capacity(12);
        let mut groups: Vec<usize> = vec![0];
        let mut separator: Option<char> = None;
        for c in trimmed.chars() {
            if c.is_ascii_hexdigit() {
                digits.push(c.to_ascii_uppercase() as u8);
                *groups.last_mut().expect("groups starts non-empty") += 1;
            } else if matches!(c, ':' | '-' | '.' | ' ') {
                if separator.is_some_and(|s| s != c) {
                    return Err(MacError::BadGrouping(input.to_string()));
                }
                separator = Some(c);
                groups.push(0);
            } else {
                return Err(MacError::BadCharacter {
                    value: input.to_string(),
                    found: c,
                });
            }
        }
        if digits.len() != 12 {
            return Err(MacError::WrongLength {
                value: input.to_string(),
                digits: digits.len(),
            });
        }
        let grouping_ok = match separator {
            None => true,
            Some('.') => groups.iter().all(|&g| g == 4),
            Some(_) => groups.iter().all(|&g| g == 2) || groups.iter().all(|&g| g == 4),
        };
        if !grouping_ok {
            return Err(MacError::BadGrouping(input.to_string()));
        }
        let mut out = [0u8; 12];
        out.copy_from_slice(&digits);
        Ok(Self(out))
    }

    /// The MAC as the device writes it in `%MACD`: `7C2F80820EC0`.
    pub fn macd(&self) -> String {
        self.as_str().to_string()
    }

    /// [`Self::macd`] borrowed, for the hot paths that only pass it on (a sync records
    /// thousands).
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).expect("a MAC holds ASCII hex digits only")
    }

    /// The MAC as the device writes it in `%MACC`: `7C:2F:80:82:0E:C0`.
    pub fn macc(&self) -> String {
        self.0
            .chunks(2)
            .map(|pair| std::str::from_utf8(pair).expect("hex digits are ASCII"))
            .collect::<Vec<_>>()
            .join(":")
    }
}

impl fmt::Display for Mac {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Mac {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Mac({})", self.as_str())
    }
}

impl FromStr for Mac {
    type Err = MacError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

/// A Gigaset MAC-ID: the MAC's 12 hex digits, `-`, and a 4-character suffix (`7C2F80820EC0-55DF`).
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct MacId {
    mac: Mac,
    suffix: [u8; 4],
}

impl MacId {
    pub fn parse(input: &str) -> Result<Self, MacError> {
        let trimmed = input.trim();
        let format_error = || MacError::MacIdFormat(input.to_string());
        let (mac_part, suffix_part) = trimmed.split_once('-').ok_or_else(format_error)?;
        if mac_part.len() != 12 || !mac_part.chars().all(|c| c.is_ascii_hexdigit()) {
            return Err(format_error());
        }
        let mac = Mac::parse(mac_part)?;
        let suffix_upper = suffix_part.to_ascii_uppercase();
        if suffix_upper.len() != 4 || !suffix_upper.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err(format_error());
        }
        let mut suffix = [0u8; 4];
        suffix.copy_from_slice(suffix_upper.as_bytes());
        Ok(Self { mac, suffix })
    }

    pub fn mac(&self) -> Mac {
        self.mac
    }

    /// Confirms that this MAC-ID was printed for `device`; a mismatch usually means two labels
    /// were scanned from different boxes.
    pub fn check_belongs_to(&self, device: Mac) -> Result<(), MacError> {
        if self.mac == device {
            Ok(())
        } else {
            Err(MacError::MacIdMismatch {
                mac_id: self.to_string(),
                id_mac: self.mac.macd(),
                device_mac: device.macd(),
            })
        }
    }
}

impl fmt::Display for MacId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let suffix = std::str::from_utf8(&self.suffix).expect("suffix is ASCII");
        write!(f, "{}-{}", self.mac.macd(), suffix)
    }
}

impl fmt::Debug for MacId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "MacId({self})")
    }
}

impl FromStr for MacId {
    type Err = MacError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

/// The 12-character password the redirect server hands out on registration. The device uses it,
/// with its MAC as user name, in its first digest attempt, so it is as sensitive as any password.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct MacPassword(Secret);

impl MacPassword {
    pub fn parse(input: &str) -> Result<Self, MacError> {
        let trimmed = input.trim();
        if trimmed.chars().count() != 12 || !trimmed.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err(MacError::MacPasswordFormat(trimmed.chars().count()));
        }
        Ok(Self(Secret::new(trimmed)))
    }

    pub fn secret(&self) -> &Secret {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_common_notation_parses_to_the_same_mac() {
        for notation in [
            "7C:2F:80:82:0E:C0",
            "7c2f80820ec0",
            "7C-2F-80-82-0E-C0",
            "7C2F.8082.0EC0",
            "  7c:2f:80:82:0e:c0\t",
            "7C 2F 80 82 0E C0",
            "7c2f-8082-0ec0",
        ] {
            let mac = Mac::parse(notation).unwrap_or_else(|e| panic!("{notation}: {e}"));
            assert_eq!(mac.macd(), "7C2F80820EC0", "{notation}");
        }
    }

    #[test]
    fn formats_as_macd_and_macc() {
        let mac = Mac::parse("7c2f80820ec0").unwrap();
        assert_eq!(mac.macd(), "7C2F80820EC0");
        assert_eq!(mac.macc(), "7C:2F:80:82:0E:C0");
        assert_eq!(mac.to_string(), "7C2F80820EC0");
    }

    #[test]
    fn rejects_wrong_length_bad_characters_and_mixed_separators() {
        assert!(matches!(
            Mac::parse("7C2F80820E"),
            Err(MacError::WrongLength { digits: 10, .. })
        ));
        assert!(matches!(
            Mac::parse("7C2F80820EG0"),
            Err(MacError::BadCharacter { found: 'G', .. })
        ));
        assert!(matches!(
            Mac::parse("7C:2F-80:82:0E:C0"),
            Err(MacError::BadGrouping(_))
        ));
        assert!(matches!(
            Mac::parse("7C2:F80:820:EC0"),
            Err(MacError::BadGrouping(_))
        ));
        assert!(matches!(Mac::parse("   "), Err(MacError::Empty(_))));
    }

    #[test]
    fn error_messages_name_the_value() {
        let message = Mac::parse("12345").unwrap_err().to_string();
        assert!(message.contains("\"12345\""), "{message}");
        assert!(message.contains("5 hex digits"), "{message}");
    }

    #[test]
    fn mac_id_parses_and_normalises_case() {
        let id = MacId::parse(" 7c2f80820ec0-55df ").unwrap();
        assert_eq!(id.to_string(), "7C2F80820EC0-55DF");
        assert_eq!(id.mac().macd(), "7C2F80820EC0");
    }

    #[test]
    fn mac_id_rejects_invalid_mac_part_and_suffix() {
        for bad in [
            "123456789123--1910",
            "7C2F80820EC-55DF",
            "7C2F80820ECZ-55DF",
            "7C2F80820EC0-55D",
            "7C2F80820EC0-55D!",
            "7C2F80820EC0",
            "7C:2F:80:82:0E:C0-55DF",
        ] {
            assert!(MacId::parse(bad).is_err(), "{bad} should be refused");
        }
    }

    #[test]
    fn mac_id_is_checked_against_the_device_mac() {
        let id = MacId::parse("7C2F80820EC0-55DF").unwrap();
        assert!(
            id.check_belongs_to(Mac::parse("7C2F80820EC0").unwrap())
                .is_ok()
        );
        let err = id
            .check_belongs_to(Mac::parse("7C2F80820EC1").unwrap())
            .unwrap_err();
        assert_eq!(
            err,
            MacError::MacIdMismatch {
                mac_id: "7C2F80820EC0-55DF".into(),
                id_mac: "7C2F80820EC0".into(),
                device_mac: "7C2F80820EC1".into(),
            }
        );
    }

    #[test]
    fn mac_password_is_twelve_characters_and_masked() {
        let password = MacPassword::parse("2EE3EECC82C4").unwrap();
        assert_eq!(password.secret().expose(), "2EE3EECC82C4");
        assert!(!format!("{password:?}").contains("2EE3"));
        assert_eq!(
            MacPassword::parse("2EE3").unwrap_err(),
            MacError::MacPasswordFormat(4)
        );
    }
}
