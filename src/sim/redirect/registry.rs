//! The redirect database and its rules, as documented for prov.gigaset.net (seed 002_*).
//!
//! Checks run in this order: the URL and the provider name (shared by a whole list call), the
//! MAC-ID's form, whether Gigaset made the device, whether it is already registered.

use std::collections::{BTreeSet, HashMap};

use sha2::{Digest as _, Sha256};

/// One registration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Registration {
    /// The MAC-ID as registered (or the plain MAC).
    pub mac_id: String,
    /// 12 uppercase hex digits.
    pub mac: String,
    pub provider: String,
    pub url: String,
    /// `YYYY-MM-DD HH:MM`, as the server's list shows it.
    pub date: String,
    pub mac_password: String,
}

/// The MAC password the simulator issues: deterministic, so tests can predict it, and shaped
/// like the real ones (`7C2F800DA979-2EE3` → `2EE3…`): the MAC-ID's 4-character suffix, then
/// hex digits of SHA-256 over the MAC, 12 characters in all. A plain MAC gets 12 hex digits.
pub fn mac_password_for(mac_id: &str) -> Option<String> {
    let (mac, suffix) = split_mac_id(mac_id)?;
    Some(password_of(&mac, suffix.as_deref()))
}

/// [`mac_password_for`] of a MAC-ID already split.
fn password_of(mac: &str, suffix: Option<&str>) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let digest = Sha256::new()
        .chain_update(b"provdesk-redirect-sim:")
        .chain_update(mac.as_bytes())
        .finalize();
    let mut password = suffix.unwrap_or_default().to_string();
    let hex = digest
        .iter()
        .flat_map(|byte| [HEX[usize::from(byte >> 4)], HEX[usize::from(byte & 0x0F)]]);
    password.extend(hex.take(12 - password.len()).map(char::from));
    password
}

/// `7C2F80820EC0-55DF` → (`7C2F80820EC0`, `Some("55DF")`); a plain MAC has no suffix.
/// Case-insensitive, blanks around ignored; anything else is `mac_invalid`.
pub fn split_mac_id(text: &str) -> Option<(String, Option<String>)> {
    let text = text.trim();
    let (mac, suffix) = match text.split_once('-') {
        Some((mac, suffix)) => (mac, Some(suffix)),
        None => (text, None),
    };
    let mac_ok = mac.len() == 12 && mac.bytes().all(|b| b.is_ascii_hexdigit());
    let suffix_ok =
        suffix.is_none_or(|s| s.len() == 4 && s.bytes().all(|b| b.is_ascii_alphanumeric()));
    (mac_ok && suffix_ok).then(|| {
        (
            mac.to_ascii_uppercase(),
            suffix.map(str::to_ascii_uppercase),
        )
    })
}

/// A URL the phone can use: http(s), no blanks, each `%` starting a known placeholder.
fn url_valid(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    if !(lower.starts_with("http://") || lower.starts_with("https://"))
        || url.len() > 255
        || url.chars().any(|c| c.is_whitespace() || c.is_control())
    {
        return false;
    }
    let mut rest = url;
    while let Some(at) = rest.find('%') {
        let after = &rest[at + 1..];
        let Some(len) = ["DVID", "MACC", "MACD", "%"]
            .iter()
            .find(|token| after.starts_with(**token))
            .map(|token| token.len())
        else {
            return false;
        };
        rest = &after[len..];
    }
    true
}

/// A provider name: 1–64 letters, digits, blanks inside, `_ - .`.
fn name_valid(name: &str) -> bool {
    (1..=64).contains(&name.chars().count())
        && name.trim() == name
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, ' ' | '_' | '-' | '.'))
}

/// Why a URL and provider cannot be registered, if they cannot.
fn target_error(url: &str, provider: &str) -> Option<&'static str> {
    if !url_valid(url) {
        Some("url_invalid")
    } else if !name_valid(provider) {
        Some("name_invalid")
    } else {
        None
    }
}

/// Every registration of the simulated account, by MAC.
#[derive(Debug, Default)]
pub struct Registry {
    /// By MAC. A hash map: a list call inserts thousands, lists are sorted when read.
    devices: HashMap<String, Registration>,
    /// MACs Gigaset never made: registering them answers `mac_not_exist`.
    unknown_macs: BTreeSet<String>,
}

impl Registry {
    pub fn with_unknown_macs(unknown_macs: BTreeSet<String>) -> Self {
        Self {
            devices: HashMap::new(),
            unknown_macs,
        }
    }

    /// `Ok(password)` or the code, for `registerDevice`.
    pub fn register(
        &mut self,
        mac_id: &str,
        url: &str,
        provider: &str,
        now: &str,
    ) -> Result<String, String> {
        if let Some(name) = target_error(url, provider) {
            return Err(name.to_string());
        }
        self.insert(mac_id, url, provider, now)
            .map_err(|name| name.to_string())
    }

    /// One result per MAC-ID, for `registerDeviceList`: codes carry the offending value. The
    /// URL and provider, shared by all devices, are checked once.
    pub fn register_many(
        &mut self,
        mac_ids: &[&str],
        url: &str,
        provider: &str,
        now: &str,
    ) -> Vec<Result<String, String>> {
        let target = target_error(url, provider).map(|name| match name {
            "url_invalid" => format!("{name}:{url}"),
            _ => format!("{name}:{provider}"),
        });
        mac_ids
            .iter()
            .map(|mac_id| match &target {
                Some(code) => Err(code.clone()),
                None => self
                    .insert(mac_id, url, provider, now)
                    .map_err(|name| format!("{name}:{mac_id}")),
            })
            .collect()
    }

    /// Registers a device whose URL and provider are valid; the code's name on refusal.
    fn insert(
        &mut self,
        mac_id: &str,
        url: &str,
        provider: &str,
        now: &str,
    ) -> Result<String, &'static str> {
        let Some((mac, suffix)) = split_mac_id(mac_id) else {
            return Err("mac_invalid");
        };
        if self.unknown_macs.contains(&mac) {
            return Err("mac_not_exist");
        }
        if self.devices.contains_key(&mac) {
            return Err("mac_already_in_use");
        }
        let mac_password = password_of(&mac, suffix.as_deref());
        let mac_id = match suffix {
            Some(suffix) => format!("{mac}-{suffix}"),
            None => mac.clone(),
        };
        self.devices.insert(
            mac.clone(),
            Registration {
                mac_id,
                mac,
                provider: provider.to_string(),
                url: url.to_string(),
                date: now.to_string(),
                mac_password: mac_password.clone(),
            },
        );
        Ok(mac_password)
    }

    pub fn deregister(&mut self, mac_id: &str, with_value: bool) -> Result<(), String> {
        let value = |name: &str| {
            if with_value {
                format!("{name}:{mac_id}")
            } else {
                name.to_string()
            }
        };
        let Some((mac, _)) = split_mac_id(mac_id) else {
            return Err(value("mac_invalid"));
        };
        self.devices
            .remove(&mac)
            .map(|_| ())
            .ok_or_else(|| value("mac_not_found"))
    }

    pub fn check(&self, mac_id: &str) -> Result<&Registration, String> {
        let (mac, _) = split_mac_id(mac_id).ok_or("mac_invalid")?;
        self.devices.get(&mac).ok_or_else(|| "mac_not_found".into())
    }

    /// Registrations of these providers, by MAC; all when none is named.
    pub fn list(&self, providers: &[String]) -> Vec<&Registration> {
        let mut found: Vec<&Registration> = self
            .devices
            .values()
            .filter(|r| providers.is_empty() || providers.contains(&r.provider))
            .collect();
        found.sort_unstable_by(|a, b| a.mac.cmp(&b.mac));
        found
    }

    /// Every registration, by MAC.
    pub fn all(&self) -> Vec<Registration> {
        self.list(&[]).into_iter().cloned().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_start_with_the_suffix_and_have_twelve_characters() {
        let password = mac_password_for("7c2f800da979-2ee3").unwrap();
        assert!(password.starts_with("2EE3"), "{password}");
        assert_eq!(password.len(), 12);
        assert_eq!(mac_password_for("7C2F800DA979").unwrap().len(), 12);
        assert_eq!(mac_password_for("123456789123--1910"), None);
    }

    #[test]
    fn the_documented_codes_come_in_order() {
        let mut registry = Registry::with_unknown_macs(BTreeSet::from(["000000000001".into()]));
        let now = "2026-11-25 10:00";
        let url = "http://p.example/%MACD.xml";
        assert_eq!(
            registry.register_many(&["123456789123--1910"], url, "Daryna", now),
            vec![Err("mac_invalid:123456789123--1910".to_string())]
        );
        assert_eq!(
            registry.register_many(&["7C2F80820EC0-55DF"], "http://p/%x", "Daryna", now),
            vec![Err("url_invalid:http://p/%x".to_string())]
        );
        assert_eq!(
            registry.register("7C2F80820EC0-55DF", url, " ", now),
            Err("name_invalid".into())
        );
        assert!(
            registry
                .register("7c2f80820ec0-55df", url, "Daryna", now)
                .is_ok()
        );
        assert_eq!(registry.all()[0].mac_id, "7C2F80820EC0-55DF");
        assert_eq!(
            registry.register("7C2F80820EC0-55DF", url, "Daryna", now),
            Err("mac_already_in_use".into())
        );
        assert_eq!(
            registry.register("000000000001", url, "Daryna", now),
            Err("mac_not_exist".into())
        );
        assert_eq!(registry.deregister("7C2F80820EC0", false), Ok(()));
        assert_eq!(
            registry.deregister("7C2F80820EC0", false),
            Err("mac_not_found".into())
        );
    }
}
