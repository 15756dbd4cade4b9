//! Telling which phone is asking: model, firmware and MAC from what the phone says of itself,
//! its HTTP User-Agent (`N510 IP PRO/42.245.00.000.000;7C2F80820EC0`), its DHCP vendor class
//! (`Gigaset_N720_DM_PRO`) or its `%DVID` (`82/1`); and whether that firmware is new enough
//! for what the catalogue says needs a minimum.
//!
//! One function for every place that sees phones, so the test fetch, the server and the logs
//! agree on what a phone is.

use serde::Serialize;

use super::lookup::find_model;
use super::mac::Mac;
use super::model::ModelSpec;
use super::{CATALOGUE, ManualEntry, UrlCredentials};

/// What a phone's words said.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Clue {
    UserAgent,
    VendorClass,
    Dvid,
}

/// A recognised phone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Recognition {
    #[serde(serialize_with = "model_name")]
    pub model: &'static ModelSpec,
    /// The firmware as the phone writes it (`83.V2.11.0+build.a1b2`).
    pub firmware: Option<String>,
    #[serde(serialize_with = "mac_digits")]
    pub mac: Option<Mac>,
    pub from: Clue,
}

fn mac_digits<S: serde::Serializer>(mac: &Option<Mac>, serializer: S) -> Result<S::Ok, S::Error> {
    match mac {
        Some(mac) => serializer.serialize_str(&mac.macd()),
        None => serializer.serialize_none(),
    }
}

fn model_name<S: serde::Serializer>(
    model: &&'static ModelSpec,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(model.name)
}

/// The longest User-Agent read: a phone's is well under 100 characters.
const MAX_CLUE: usize = 256;
const VENDOR: &str = "Gigaset";

/// Recognises a phone from a User-Agent, a DHCP vendor class or a `%DVID`, whichever `clue` is.
pub fn recognize(clue: &str) -> Option<Recognition> {
    let clue = bounded(clue.trim());
    if is_dvid(clue) {
        recognize_dvid(clue)
    } else if clue.contains('/') {
        recognize_user_agent(clue)
    } else {
        recognize_vendor_class(clue)
    }
}

/// `PRODUCT/FIRMWARE[;MAC]`, the product with or without `Gigaset `.
pub fn recognize_user_agent(user_agent: &str) -> Option<Recognition> {
    let (product, rest) = bounded(user_agent.trim()).split_once('/')?;
    let model = model_of_product(product)?;
    let (firmware, mac) = match rest.split_once(';') {
        Some((firmware, mac)) => (firmware, Mac::parse(mac.trim()).ok()),
        None => (rest, None),
    };
    let firmware = firmware.trim();
    let firmware = (!firmware.is_empty()
        && firmware
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || ".-+_".contains(c)))
    .then(|| firmware.to_string());
    Some(Recognition {
        model,
        firmware,
        mac,
        from: Clue::UserAgent,
    })
}

/// DHCP option 60: `Gigaset_N720_DM_PRO`, `N510_IP_PRO`.
pub fn recognize_vendor_class(vendor_class: &str) -> Option<Recognition> {
    let class = bounded(vendor_class.trim());
    let product = strip_vendor(class, '_');
    Some(Recognition {
        model: find_model(product)?,
        firmware: None,
        mac: None,
        from: Clue::VendorClass,
    })
}

/// `%DVID`: models that share a productID (the Maxwells) are told apart by it.
pub fn recognize_dvid(dvid: &str) -> Option<Recognition> {
    let dvid = dvid.trim();
    let model = CATALOGUE.iter().find(|spec| spec.dvid == Some(dvid))?;
    Some(Recognition {
        model,
        firmware: None,
        mac: None,
        from: Clue::Dvid,
    })
}

fn bounded(text: &str) -> &str {
    &text[..text.floor_char_boundary(MAX_CLUE)]
}

fn is_dvid(text: &str) -> bool {
    text.split_once('/').is_some_and(|(family, variant)| {
        !family.is_empty()
            && !variant.is_empty()
            && family.len() <= 3
            && variant.len() <= 3
            && family
                .bytes()
                .chain(variant.bytes())
                .all(|b| b.is_ascii_digit())
    })
}

fn strip_vendor(text: &str, separator: char) -> &str {
    match text.get(..VENDOR.len()) {
        Some(head) if head.eq_ignore_ascii_case(VENDOR) => {
            text[VENDOR.len()..].strip_prefix(separator).unwrap_or(text)
        }
        _ => text,
    }
}

/// The catalogue row a User-Agent's product names: its aliases, or without the trailing ` PRO`.
fn model_of_product(product: &str) -> Option<&'static ModelSpec> {
    let product = strip_vendor(product.trim(), ' ');
    find_model(product).or_else(|| {
        let trimmed = product.trim_end();
        let cut = trimmed.len().checked_sub(3)?;
        let tail = trimmed.get(cut..)?;
        tail.eq_ignore_ascii_case("PRO")
            .then(|| find_model(&trimmed[..cut]))
            .flatten()
    })
}

/// Whether `firmware` is at least `minimum`; `None` when the two are numbered differently (an
/// N510's User-Agent says `42.245…`, its digest minimum is `BL192`) and cannot be compared.
///
/// A phone's firmware starts with its device family (`82.2.18.4`, `83.V2.11.0`) and may end in a
/// build tag (`-release`, `+build.…`); the catalogue's minimums are written without either.
pub fn firmware_at_least(firmware: &str, minimum: &str) -> Option<bool> {
    let build_level = |text: &str| {
        text.get(..2)
            .is_some_and(|head| head.eq_ignore_ascii_case("BL"))
    };
    let (firmware, minimum, family_first) = match (build_level(firmware), build_level(minimum)) {
        (true, true) => (&firmware[2..], &minimum[2..], false),
        (false, false) => (firmware, minimum, true),
        _ => return None,
    };
    let have = version_numbers(firmware, family_first)?;
    let need = version_numbers(minimum, false)?;
    let width = have.len().max(need.len());
    let pad = |numbers: &[u32]| {
        let mut padded = numbers.to_vec();
        padded.resize(width, 0);
        padded
    };
    Some(pad(&have) >= pad(&need))
}

fn version_numbers(text: &str, drop_family: bool) -> Option<Vec<u32>> {
    let core = text.split(['-', '+']).next()?;
    let mut parts: Vec<&str> = core.split('.').collect();
    if drop_family && parts.len() > 2 && parts[0].len() == 2 {
        parts.remove(0);
    }
    parts
        .iter()
        .map(|part| part.trim_start_matches(['V', 'v']).parse::<u32>().ok())
        .collect()
}

/// A firmware minimum of the catalogue checked against a phone's firmware.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FirmwareCheck {
    /// What needs the minimum, in words.
    pub feature: &'static str,
    pub minimum: &'static str,
    /// `None` when the numbering differs and the two cannot be compared.
    pub met: Option<bool>,
}

impl FirmwareCheck {
    /// The check in words, for a note.
    pub fn sentence(&self, firmware: &str) -> String {
        match self.met {
            Some(true) => format!(
                "firmware {firmware} has {} (from {})",
                self.feature, self.minimum
            ),
            Some(false) => format!(
                "firmware {firmware} is older than {}: no {} before it",
                self.minimum, self.feature
            ),
            None => format!(
                "{} needs firmware {}; {firmware} is numbered differently and cannot be compared",
                self.feature, self.minimum
            ),
        }
    }
}

/// Every firmware minimum the catalogue names for `model`, checked against `firmware`.
pub fn firmware_checks(model: &ModelSpec, firmware: &str) -> Vec<FirmwareCheck> {
    let mut minimums = Vec::new();
    if let Some(minimum) = model.min_digest_firmware {
        minimums.push(("digest authentication", minimum));
    }
    if let UrlCredentials::FromFirmware(minimum) = model.url_credentials {
        minimums.push(("user:pass@ credentials in the URL", minimum));
    }
    match model.manual_entry {
        ManualEntry::Display { from_firmware, .. } | ManualEntry::OneTry { from_firmware } => {
            minimums.push(("manual credential entry", from_firmware));
        }
        ManualEntry::None | ManualEntry::Notification { .. } => {}
    }
    minimums
        .into_iter()
        .map(|(feature, minimum)| FirmwareCheck {
            feature,
            minimum,
            met: firmware_at_least(firmware, minimum),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn recognized(clue: &str) -> (&'static str, Option<String>, Option<String>, Clue) {
        let found = recognize(clue).unwrap_or_else(|| panic!("{clue} not recognised"));
        (
            found.model.name,
            found.firmware,
            found.mac.map(|m| m.macd()),
            found.from,
        )
    }

    #[test]
    fn the_published_user_agents_name_model_firmware_and_mac() {
        for (user_agent, model, firmware, mac) in [
            (
                "N510 IP PRO/42.245.00.000.000;7C2F80820EC0",
                "N510 IP PRO",
                "42.245.00.000.000",
                Some("7C2F80820EC0"),
            ),
            (
                "Gigaset N870 IP PRO/83.V2.11.0+build.6cc2a25;7C2F80E0D605",
                "N610/N670/N870 IP PRO",
                "83.V2.11.0+build.6cc2a25",
                Some("7C2F80E0D605"),
            ),
            (
                "Gigaset N720 DM PRO/70.089.00.000.000;7C2F80CA21E4",
                "N720 IP PRO",
                "70.089.00.000.000",
                Some("7C2F80CA21E4"),
            ),
            (
                "Maxwell 3 PRO/82.2.18.4-release;7C2F80E61AF4",
                "Maxwell 3",
                "82.2.18.4-release",
                Some("7C2F80E61AF4"),
            ),
            (
                "N720-DM-PRO/70.040.00.000.000",
                "N720 IP PRO",
                "70.040.00.000.000",
                None,
            ),
        ] {
            assert_eq!(
                recognized(user_agent),
                (
                    model,
                    Some(firmware.to_string()),
                    mac.map(str::to_string),
                    Clue::UserAgent
                ),
                "{user_agent}"
            );
        }
    }

    #[test]
    fn dhcp_vendor_classes_and_dvids_name_the_model() {
        assert_eq!(recognized("Gigaset_N720_DM_PRO").0, "N720 IP PRO");
        assert_eq!(recognized("N510_IP_PRO").0, "N510 IP PRO");
        assert_eq!(recognized("N510_IP_PRO").3, Clue::VendorClass);
        for (dvid, model) in [
            ("82/2", "Maxwell Basic"),
            ("82/6", "Maxwell 2"),
            ("82/1", "Maxwell 3"),
            ("84/1", "Maxwell 4"),
        ] {
            assert_eq!(recognized(dvid), (model, None, None, Clue::Dvid));
        }
    }

    #[test]
    fn other_clients_are_not_taken_for_phones() {
        for clue in [
            "curl/8.5.0",
            "Mozilla/5.0 (X11; Linux x86_64)",
            "99/9",
            "",
            "/",
            "Gigaset",
            "Gigaset_",
            "PRO/1.0",
        ] {
            assert!(recognize(clue).is_none(), "{clue:?}");
        }
    }

    #[test]
    fn firmware_is_compared_in_its_own_numbering() {
        assert_eq!(firmware_at_least("82.2.18.4-release", "2.25"), Some(false));
        assert_eq!(firmware_at_least("82.2.25.0-release", "2.25"), Some(true));
        assert_eq!(firmware_at_least("83.V2.11.0+build.1", "2.53"), Some(false));
        assert_eq!(firmware_at_least("83.V2.53.1", "2.53"), Some(true));
        assert_eq!(firmware_at_least("BL02.00.10", "BL02.00.07"), Some(true));
        assert_eq!(firmware_at_least("BL02.00.06", "BL02.00.07"), Some(false));
        assert_eq!(firmware_at_least("42.245.00.000.000", "BL192"), None);
        assert_eq!(firmware_at_least("garbage", "2.25"), None);
    }

    #[test]
    fn firmware_checks_name_each_minimum() {
        let n870 = find_model("N870").unwrap();
        let checks = firmware_checks(n870, "83.V2.11.0");
        assert_eq!(checks.len(), 1);
        assert_eq!(checks[0].met, Some(false));
        assert!(
            checks[0].sentence("83.V2.11.0").contains("older than 2.53"),
            "{}",
            checks[0].sentence("83.V2.11.0")
        );
        let maxwell = find_model("Maxwell 3").unwrap();
        let features: Vec<_> = firmware_checks(maxwell, "82.2.18.4-release")
            .into_iter()
            .map(|check| (check.feature, check.met))
            .collect();
        assert_eq!(
            features,
            [
                ("user:pass@ credentials in the URL", Some(false)),
                ("manual credential entry", Some(true)),
            ]
        );
    }

    #[test]
    fn every_user_agent_shape_of_the_catalogue_is_recognised_as_its_own_model() {
        for model in CATALOGUE {
            if let Some(shape) = model.user_agent {
                let header = shape.header(shape.known_firmware, Some("7C2F80820EC0"));
                assert_eq!(recognized(&header).0, model.name, "{header}");
            }
        }
    }
}
