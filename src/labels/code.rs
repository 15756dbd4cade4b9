//! One scanned code (a line a scanner typed, or one barcode's text) and what it says.
//!
//! A 1D barcode carries one value: a MAC or a MAC-ID. A QR code often carries several — MAC,
//! MAC-ID, serial number, model — separated by blanks, `;`, `,`, `|` or line breaks, with or
//! without prefixes such as `MAC:`, `ID=` or `SN`. The whole code is first read as one value, so
//! a MAC written with blanks or `-` stays one MAC and a MAC-ID is never cut at its `-`; only a
//! code that is not one value is split into fields.

use crate::device::{Mac, MacId, ModelSpec, find_model};

/// What one scanned code is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScannedCode {
    Mac(Mac),
    MacId(MacId),
    /// A code with several fields, e.g. a QR code with MAC, MAC-ID, serial and model.
    Fields(Box<CodeFields>),
    /// Not a MAC, a MAC-ID or fields of a label; kept so the user sees what was skipped.
    Other(String),
    Blank,
}

/// The fields found in one code, each at most once; what else it held is kept for the notice.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CodeFields {
    pub mac: Option<Mac>,
    pub mac_id: Option<MacId>,
    pub model: Option<&'static ModelSpec>,
    pub serial: Option<String>,
    /// Parts that are none of the above, or a field given twice with another value, as written.
    pub unread: Vec<String>,
}

/// Prefixes printed before a single code on labels and in scanner output.
const PREFIXES: &[&str] = &["MAC-ID", "MACID", "MAC ID", "MAC", "ID"];

/// The longest run of blank-separated parts one value can take: a MAC written in six pairs.
const MAC_PARTS: [usize; 3] = [6, 3, 1];
/// The longest model name in parts: `Spectralink IP-DECT Server`, `N720 DM PRO`.
const MODEL_PARTS: usize = 4;

/// What a field prefix announces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Key {
    Mac,
    MacId,
    Serial,
    Model,
}

impl Key {
    /// A prefix such as `MAC:`, `ID=`, `S/N` or `Model`, ignoring case and a trailing `:`, `=`
    /// or `#`.
    fn of(part: &str) -> Option<Key> {
        let name = part
            .trim_end_matches([':', '=', '#'])
            .to_ascii_uppercase()
            .replace('_', "-");
        Some(match name.as_str() {
            "MAC" | "MAC-ADDRESS" | "MACADDRESS" | "MAC-ADRESSE" => Key::Mac,
            "MAC-ID" | "MACID" | "ID" => Key::MacId,
            "SN" | "S/N" | "SNR" | "SER" | "SERIAL" | "SERIALNO" | "SERIAL-NO" | "SERIENNUMMER" => {
                Key::Serial
            }
            "MODEL" | "MODELL" | "TYPE" | "TYP" | "PRODUCT" | "DEVICE" => Key::Model,
            _ => return None,
        })
    }
}

fn strip_prefix(line: &str) -> &str {
    for prefix in PREFIXES {
        if line.len() >= prefix.len()
            && line.is_char_boundary(prefix.len())
            && line[..prefix.len()].eq_ignore_ascii_case(prefix)
        {
            let rest = line[prefix.len()..].trim_start();
            if let Some(rest) = rest.strip_prefix([':', '=']) {
                return rest.trim();
            }
            if rest.len() < line.len() - prefix.len() {
                return rest;
            }
        }
    }
    line
}

/// Classifies one scanned code.
pub fn classify(code: &str) -> ScannedCode {
    let code = code.trim();
    if code.is_empty() {
        return ScannedCode::Blank;
    }
    let single = strip_prefix(code);
    if let Ok(id) = MacId::parse(single) {
        return ScannedCode::MacId(id);
    }
    if let Ok(mac) = Mac::parse(single) {
        return ScannedCode::Mac(mac);
    }
    let fields = split_fields(code);
    let found = fields.mac.is_some()
        || fields.mac_id.is_some()
        || fields.model.is_some()
        || fields.serial.is_some();
    if !found {
        return ScannedCode::Other(code.to_string());
    }
    // One ID and nothing else is that ID. A MAC with its own MAC-ID stays fields: the code
    // names its device whole, so it is no partner for a MAC scanned on the line before.
    let only_ids = fields.model.is_none() && fields.serial.is_none() && fields.unread.is_empty();
    if only_ids {
        match (fields.mac, &fields.mac_id) {
            (None, Some(id)) => return ScannedCode::MacId(id.clone()),
            (Some(mac), None) => return ScannedCode::Mac(mac),
            _ => {}
        }
    }
    ScannedCode::Fields(Box::new(fields))
}

/// Splits a code that is not one value into its fields.
fn split_fields(code: &str) -> CodeFields {
    let mut fields = CodeFields::default();
    for segment in code.split([';', ',', '|', '\n', '\r', '\t']) {
        read_segment(&parts(segment), &mut fields);
    }
    fields
}

/// The blank-separated parts of a segment, with a prefix glued to its value (`MAC:7C2F…`,
/// `ID=…`, `SN12345`) made a part of its own, and lone `:` and `=` dropped.
fn parts(segment: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for part in segment.split_whitespace() {
        if let Some(at) = part.find([':', '='])
            && Key::of(&part[..at]).is_some()
            && at + 1 < part.len()
        {
            out.push(&part[..=at]);
            out.push(&part[at + 1..]);
        } else if let Some(serial) = glued_serial(part) {
            out.push(&part[..2]);
            out.push(serial);
        } else if !matches!(part, ":" | "=") {
            out.push(part);
        }
    }
    out
}

/// `SN12345678`: the letters SN glued to a serial that starts with a digit.
fn glued_serial(part: &str) -> Option<&str> {
    let rest = part.get(2..)?;
    let glued = part[..2].eq_ignore_ascii_case("SN")
        && rest.starts_with(|c: char| c.is_ascii_digit())
        && rest.chars().all(|c| c.is_ascii_alphanumeric());
    glued.then_some(rest)
}

/// Reads one segment's parts: a prefix says what the value after it is; a value without one is
/// whatever it parses as.
fn read_segment(parts: &[&str], fields: &mut CodeFields) {
    let mut key: Option<Key> = None;
    let mut at = 0;
    while at < parts.len() {
        if let Some(found) = Key::of(parts[at]) {
            key = Some(found);
            at += 1;
            continue;
        }
        // The parts up to the next prefix, and no more than the longest value takes, are the
        // value's candidates (so a line of thousands of parts is read in linear time).
        let limit = parts.len().min(at + MAC_PARTS[0].max(MODEL_PARTS));
        let end = (at..limit)
            .find(|&i| Key::of(parts[i]).is_some())
            .unwrap_or(limit);
        let value = &parts[at..end];
        let used = match key {
            Some(Key::Serial) => {
                set_serial(fields, value[0]);
                1
            }
            Some(Key::Model) => read_model(value, fields).unwrap_or_else(|| {
                fields.unread.push(value.join(" "));
                value.len()
            }),
            Some(Key::Mac | Key::MacId) | None => read_address(value, fields)
                .or_else(|| read_model(value, fields))
                .unwrap_or_else(|| {
                    fields.unread.push(value[0].to_string());
                    1
                }),
        };
        key = None;
        at += used;
    }
}

/// A MAC-ID or a MAC at the start of `value`, in as many parts as it takes; how many it took.
fn read_address(value: &[&str], fields: &mut CodeFields) -> Option<usize> {
    for count in MAC_PARTS {
        let Some(candidate) = value.get(..count).map(|p| p.join(" ")) else {
            continue;
        };
        if let Ok(id) = MacId::parse(&candidate) {
            set_once(&mut fields.mac_id, id, &mut fields.unread);
            return Some(count);
        }
        if let Ok(mac) = Mac::parse(&candidate) {
            set_once(&mut fields.mac, mac, &mut fields.unread);
            return Some(count);
        }
    }
    None
}

/// A catalogue model at the start of `value`, the longest name first; how many parts it took.
fn read_model(value: &[&str], fields: &mut CodeFields) -> Option<usize> {
    let longest = value.len().min(MODEL_PARTS);
    (1..=longest).rev().find_map(|count| {
        let model = find_model(&value[..count].join(" "))?;
        match fields.model {
            Some(first) if first.name != model.name => fields.unread.push(model.name.to_string()),
            _ => fields.model = Some(model),
        }
        Some(count)
    })
}

fn set_serial(fields: &mut CodeFields, serial: &str) {
    match &fields.serial {
        Some(first) if first != serial => fields.unread.push(serial.to_string()),
        _ => fields.serial = Some(serial.to_string()),
    }
}

/// Keeps the first value of a field; a different second one is kept as unread.
fn set_once<T: PartialEq + std::fmt::Display>(
    slot: &mut Option<T>,
    value: T,
    unread: &mut Vec<String>,
) {
    match slot {
        Some(first) if *first != value => unread.push(value.to_string()),
        Some(_) => {}
        None => *slot = Some(value),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MAC: &str = "7C2F80820EC0";
    const MAC_ID: &str = "7C2F80820EC0-55DF";

    fn fields(code: &str) -> CodeFields {
        match classify(code) {
            ScannedCode::Fields(fields) => *fields,
            other => panic!("{code:?} read as {other:?}"),
        }
    }

    #[test]
    fn classifies_what_scanners_type() {
        assert!(matches!(classify("MAC:7C2F80820EC1"), ScannedCode::Mac(_)));
        assert!(matches!(
            classify("mac 7c:2f:80:82:0e:c1"),
            ScannedCode::Mac(_)
        ));
        assert!(matches!(
            classify("7C2F80820EC1-9A0B"),
            ScannedCode::MacId(_)
        ));
        assert!(matches!(
            classify("MAC-ID: 7C2F80820EC1-9A0B"),
            ScannedCode::MacId(_)
        ));
        assert_eq!(fields("S/N 123456789").serial.as_deref(), Some("123456789"));
        assert!(matches!(classify("4250366845174"), ScannedCode::Other(_)));
        assert_eq!(classify("   "), ScannedCode::Blank);
    }

    #[test]
    fn one_mac_in_any_notation_stays_one_mac() {
        for code in [
            "7C 2F 80 82 0E C0",
            "7C-2F-80-82-0E-C0",
            "MAC: 7C 2F 80 82 0E C0",
            "7C2F 8082 0EC0",
            "7C2F.8082.0EC0",
            "  MAC=7C:2F:80:82:0E:C0 ",
        ] {
            assert_eq!(
                classify(code),
                ScannedCode::Mac(Mac::parse(MAC).unwrap()),
                "{code}"
            );
        }
        for code in [MAC_ID, "ID: 7C2F80820EC0-55DF", "MAC ID 7c2f80820ec0-55df"] {
            assert_eq!(
                classify(code),
                ScannedCode::MacId(MacId::parse(MAC_ID).unwrap()),
                "{code}"
            );
        }
    }

    #[test]
    fn every_separator_and_prefix_splits_a_label_code() {
        let separators = [" ", ";", ",", "|", "\n", "\r\n", " ; ", ", ", " | "];
        let prefixed = [
            ("MAC:", "ID:", "SN:", "Model:"),
            ("MAC=", "ID=", "SN=", "Type="),
            ("MAC ", "MAC-ID ", "S/N ", "MODEL "),
            ("mac: ", "mac-id= ", "sn ", "model: "),
            ("", "", "SN", ""),
        ];
        for separator in separators {
            for (mac, id, sn, model) in prefixed {
                let code = [
                    format!("{mac}{MAC}"),
                    format!("{id}{MAC_ID}"),
                    format!("{sn}4711ABC"),
                    format!("{model}N510 IP PRO"),
                ]
                .join(separator);
                let fields = fields(&code);
                assert_eq!(
                    fields.mac.map(|m| m.macd()).as_deref(),
                    Some(MAC),
                    "{code:?}"
                );
                assert_eq!(
                    fields.mac_id.map(|i| i.to_string()).as_deref(),
                    Some(MAC_ID)
                );
                assert_eq!(fields.serial.as_deref(), Some("4711ABC"), "{code:?}");
                assert_eq!(
                    fields.model.map(|m| m.name),
                    Some("N510 IP PRO"),
                    "{code:?}"
                );
                assert!(fields.unread.is_empty(), "{code:?}: {:?}", fields.unread);
            }
        }
    }

    #[test]
    fn a_mac_with_blanks_among_other_fields_is_one_mac() {
        let fields = fields("7C 2F 80 82 0E C0 7C2F80820EC0-55DF SN12345678 Maxwell 3");
        assert_eq!(fields.mac.unwrap().macd(), MAC);
        assert_eq!(fields.mac_id.unwrap().to_string(), MAC_ID);
        assert_eq!(fields.serial.as_deref(), Some("12345678"));
        assert_eq!(fields.model.unwrap().name, "Maxwell 3");
    }

    #[test]
    fn a_mac_and_its_own_mac_id_are_one_code_naming_both() {
        for code in [format!("MAC:{MAC};ID:{MAC_ID}"), format!("{MAC} {MAC_ID}")] {
            let ScannedCode::Fields(fields) = classify(&code) else {
                panic!("{code}: {:?}", classify(&code));
            };
            assert_eq!(fields.mac, Some(Mac::parse(MAC).unwrap()), "{code}");
            assert_eq!(fields.mac_id, Some(MacId::parse(MAC_ID).unwrap()), "{code}");
        }
    }

    #[test]
    fn what_a_code_holds_besides_is_kept_unread() {
        let read = fields("MAC:7C2F80820EC0;EAN:4250366845174;Model:C430A IP");
        assert_eq!(read.mac.unwrap().macd(), MAC);
        assert_eq!(read.unread, vec!["EAN:4250366845174", "C430A IP"]);
        let two = fields("7C2F80820EC0 7C2F80820EC1");
        assert_eq!(two.unread, vec!["7C2F80820EC1"]);
    }
}
