//! Who made a device, from the first three bytes of its MAC (the OUI): a Gigaset prefix says
//! "a Gigaset device"; another maker's prefix under a Gigaset model is worth a warning, because a
//! MAC copied from the wrong label or the wrong column gives a device whose files are never
//! fetched. A hint, never an error: the MAC is still the device's.
//!
//! The rows are the ones provdesk needs, checked one by one against the IEEE Registration
//! Authority's MA-L registry (`https://standards-oui.ieee.org/oui/oui.csv`, the copy regenerated
//! on 2026-03-16 in `github.com/endobit/oui`, commit b076994b, 39 041 rows), and cross-checked
//! with the newer copy in the `oui-data` 0.2.4 crate (40 347 rows: the same 30 rows) and with
//! Wireshark's `manuf` (TShark 4.3.0, January 2024). The whole registry is not compiled in:
//! `oui-data` would bring 5.7 MB of CSV turned into a 59 000-entry `phf` map by a proc macro on
//! every clean build (2-core CI), to name vendors no Gigaset installer meets. Gigaset's rows are
//! all of Gigaset's and of Siemens' home and office unit that made Gigaset phones before 2008; the
//! other makers are the DECT and SIP phone vendors whose labels end up in the same boxes. When the
//! registry changes, correct the rows here.

use super::mac::Mac;
use super::model::{Family, ModelSpec};

/// One registration: the prefix as 6 hex digits, the registrant as the registry writes it, and
/// whether the prefix marks a Gigaset device.
struct Registration {
    prefix: &'static str,
    registrant: &'static str,
    gigaset: bool,
}

const fn gigaset(prefix: &'static str, registrant: &'static str) -> Registration {
    Registration {
        prefix,
        registrant,
        gigaset: true,
    }
}

const fn other(prefix: &'static str, registrant: &'static str) -> Registration {
    Registration {
        prefix,
        registrant,
        gigaset: false,
    }
}

/// The registry's rows, registrant names as of 2026-03-16.
const REGISTRY: &[Registration] = &[
    gigaset("7C2F80", "Gigaset Communications GmbH"),
    gigaset("589EC6", "Gigaset Technologies GmbH"),
    gigaset("002104", "Gigaset Technologies GmbH"),
    gigaset("14B370", "Gigaset Digital Technology (Shenzhen) Co., Ltd."),
    // Registered to Siemens AG at the Bocholt plant's address; the Siemens-era Gigaset phones
    // carry it.
    gigaset("0001E3", "Siemens AG"),
    gigaset("000B23", "Siemens Home & Office Comm. Devices"),
    gigaset("0013A3", "Siemens Home & Office Comm. Devices"),
    gigaset("0018D1", "Siemens Home & Office Comm. Devices"),
    other("000413", "snom technology GmbH"),
    other("1C7126", "snom technology GmbH"),
    other("001565", "XIAMEN YEALINK NETWORK TECHNOLOGY CO.,LTD"),
    other("249AD8", "YEALINK(XIAMEN) NETWORK TECHNOLOGY CO.,LTD."),
    other("3497D7", "YEALINK(XIAMEN) NETWORK TECHNOLOGY CO.,LTD."),
    other("44DBD2", "YEALINK(XIAMEN) NETWORK TECHNOLOGY CO.,LTD."),
    other("644F56", "YEALINK(XIAMEN) NETWORK TECHNOLOGY CO.,LTD."),
    other("805E0C", "YEALINK(XIAMEN) NETWORK TECHNOLOGY CO.,LTD."),
    other("805EC0", "YEALINK(XIAMEN) NETWORK TECHNOLOGY CO.,LTD."),
    other("B061A9", "YEALINK(XIAMEN) NETWORK TECHNOLOGY CO.,LTD."),
    other("C4FC22", "YEALINK(XIAMEN) NETWORK TECHNOLOGY CO.,LTD."),
    other("EC1DA9", "YEALINK(XIAMEN) NETWORK TECHNOLOGY CO.,LTD."),
    other("F01653", "YEALINK(XIAMEN) NETWORK TECHNOLOGY CO.,LTD."),
    other("00907A", "Spectralink, Inc"),
    other("0013D1", "KIRK telecom A/S"),
    other("0004F2", "Polycom"),
    other("64167F", "Polycom"),
    other("0C383E", "Fanvil Technology Co., Ltd."),
    other("000B82", "Grandstream Networks, Inc."),
    other("144CFF", "Grandstream Networks, Inc."),
    other("C074AD", "Grandstream Networks, Inc."),
    other("EC74D7", "Grandstream Networks Inc"),
];

/// What a MAC's first three bytes say about the device.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OuiHint {
    /// A prefix registered to Gigaset (or to Siemens' unit that made Gigaset phones).
    Gigaset { registrant: &'static str },
    /// A prefix registered to another maker of phones.
    OtherVendor { registrant: &'static str },
    /// Not a Gigaset prefix; whose it is provdesk does not know.
    Unknown,
    /// The locally administered bit is set: software chose this address, no maker did.
    LocallyAdministered,
    /// The multicast bit is set: a group address, never one device's own.
    Multicast,
}

/// The hint for a MAC.
pub fn oui_hint(mac: Mac) -> OuiHint {
    let digits = mac.macd();
    let first_octet = u8::from_str_radix(&digits[..2], 16).unwrap_or(0);
    if first_octet & 0x01 != 0 {
        return OuiHint::Multicast;
    }
    if first_octet & 0x02 != 0 {
        return OuiHint::LocallyAdministered;
    }
    match REGISTRY.iter().find(|r| digits.starts_with(r.prefix)) {
        Some(r) if r.gigaset => OuiHint::Gigaset {
            registrant: r.registrant,
        },
        Some(r) => OuiHint::OtherVendor {
            registrant: r.registrant,
        },
        None => OuiHint::Unknown,
    }
}

/// Whether a model is one of Gigaset's, whose MACs carry a Gigaset prefix.
fn is_gigaset_model(model: &ModelSpec) -> bool {
    !matches!(model.family, Family::Spectralink | Family::Generic)
}

/// The prefix as the label prints it: `7C:2F:80`.
fn prefix(mac: Mac) -> String {
    mac.macc()[..8].to_string()
}

impl OuiHint {
    pub fn is_gigaset(self) -> bool {
        matches!(self, OuiHint::Gigaset { .. })
    }

    /// What the prefix says, in one line for the device form.
    pub fn describe(self, mac: Mac) -> String {
        let prefix = prefix(mac);
        match self {
            OuiHint::Gigaset { registrant } => {
                format!("{prefix} is registered to {registrant}: a Gigaset device")
            }
            OuiHint::OtherVendor { registrant } => {
                format!("{prefix} is registered to {registrant}: not a Gigaset device")
            }
            OuiHint::Unknown => format!("{prefix} is not a Gigaset prefix"),
            OuiHint::LocallyAdministered => {
                format!("{prefix}: a locally administered address, set by software")
            }
            OuiHint::Multicast => format!("{prefix}: a multicast address, no device's own"),
        }
    }

    /// What is worth a warning about a device of `model` with this MAC: another maker's prefix
    /// under a Gigaset model, and, under any model, an address no maker printed on a label.
    pub fn warning(self, mac: Mac, model: Option<&ModelSpec>) -> Option<String> {
        let prefix = prefix(mac);
        let gigaset_model = model.filter(|m| is_gigaset_model(m));
        match (self, gigaset_model) {
            (OuiHint::Multicast, _) => Some(format!(
                "MAC {} has the multicast bit set ({prefix}): no device has a group address as its own; check the label",
                mac.macc()
            )),
            (OuiHint::LocallyAdministered, _) => Some(format!(
                "MAC {} is locally administered ({prefix}): software set it, no maker printed it on a label; copy the MAC from the device's label",
                mac.macc()
            )),
            (OuiHint::OtherVendor { registrant }, Some(model)) => Some(format!(
                "MAC prefix {prefix} is registered to {registrant}, not to Gigaset: check the label, or the model ({})",
                model.name
            )),
            (OuiHint::Unknown, Some(model)) => Some(format!(
                "MAC prefix {prefix} is not a Gigaset prefix (Gigaset's include 7C:2F:80, 58:9E:C6 and 00:01:E3): check the label, or the model ({})",
                model.name
            )),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::device::find_model;

    fn hint(text: &str) -> OuiHint {
        oui_hint(Mac::parse(text).unwrap())
    }

    #[test]
    fn gigaset_prefixes_say_gigaset() {
        for mac in [
            "7C2F80820EC0",
            "58:9E:C6:00:00:01",
            "0001E3123456",
            "00-21-04-AA-BB-CC",
        ] {
            assert!(hint(mac).is_gigaset(), "{mac}: {:?}", hint(mac));
        }
        assert_eq!(
            hint("7C2F80820EC0").describe(Mac::parse("7C2F80820EC0").unwrap()),
            "7C:2F:80 is registered to Gigaset Communications GmbH: a Gigaset device"
        );
    }

    #[test]
    fn the_address_bits_come_before_the_registry() {
        assert_eq!(hint("01005E000001"), OuiHint::Multicast);
        assert_eq!(hint("027C2F820EC0"), OuiHint::LocallyAdministered);
        assert_eq!(hint("001A2B3C4D5E"), OuiHint::Unknown);
        assert_eq!(
            hint("000413112233"),
            OuiHint::OtherVendor {
                registrant: "snom technology GmbH"
            }
        );
    }

    #[test]
    fn another_makers_prefix_under_a_gigaset_model_is_a_warning() {
        let n510 = find_model("N510");
        let snom = Mac::parse("00:04:13:11:22:33").unwrap();
        let warning = oui_hint(snom).warning(snom, n510).unwrap();
        assert_eq!(
            warning,
            "MAC prefix 00:04:13 is registered to snom technology GmbH, not to Gigaset: check the label, or the model (N510 IP PRO)"
        );
        let unknown = Mac::parse("001A2B3C4D5E").unwrap();
        assert!(oui_hint(unknown).warning(unknown, n510).is_some());
        let gigaset = Mac::parse("7C2F80820EC0").unwrap();
        assert_eq!(oui_hint(gigaset).warning(gigaset, n510), None);
    }

    #[test]
    fn other_models_and_no_model_warn_only_of_addresses_no_label_has() {
        let generic = find_model("Generic");
        let spectralink = Mac::parse("00907A010203").unwrap();
        assert_eq!(oui_hint(spectralink).warning(spectralink, generic), None);
        assert_eq!(oui_hint(spectralink).warning(spectralink, None), None);
        let local = Mac::parse("02:00:00:00:00:01").unwrap();
        assert!(
            oui_hint(local)
                .warning(local, None)
                .unwrap()
                .contains("locally administered")
        );
    }

    #[test]
    fn every_registry_row_is_six_hex_digits_and_globally_unique() {
        for row in REGISTRY {
            assert_eq!(row.prefix.len(), 6, "{}", row.prefix);
            let mac = Mac::parse(&format!("{}000000", row.prefix)).unwrap();
            assert_eq!(oui_hint(mac).is_gigaset(), row.gigaset, "{}", row.prefix);
        }
    }
}
