//! Scanner and pasted text: one code per line, as a barcode scanner types it.
//!
//! A Gigaset label carries the MAC and the MAC-ID as separate barcodes; the MAC-ID contains the
//! MAC, so a MAC-ID pairs with its MAC wherever it appears. Lines that are neither (serial
//! numbers, EANs, blank lines) are reported and skipped without failing the batch.

use std::collections::HashMap;

use crate::device::{Field, Mac, MacId};

use super::batch::{Notice, RawRow, SourceRef};

/// What one scanned line is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScannedCode {
    Mac(Mac),
    MacId(MacId),
    /// Not a MAC or MAC-ID; kept so the user sees what was skipped.
    Other(String),
    Blank,
}

/// Prefixes printed before codes on labels and in scanner output.
const PREFIXES: &[&str] = &["MAC-ID", "MACID", "MAC ID", "MAC", "ID"];

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

/// Classifies one line of scanner or pasted text.
pub fn classify(line: &str) -> ScannedCode {
    let line = line.trim();
    if line.is_empty() {
        return ScannedCode::Blank;
    }
    let code = strip_prefix(line);
    if let Ok(id) = MacId::parse(code) {
        return ScannedCode::MacId(id);
    }
    if let Ok(mac) = Mac::parse(code) {
        return ScannedCode::Mac(mac);
    }
    ScannedCode::Other(line.to_string())
}

/// Turns scanner text into one raw row per device, pairing MACs with their MAC-IDs.
pub fn parse_scanner_text(source_name: &str, text: &str) -> (Vec<RawRow>, Vec<Notice>) {
    let codes: Vec<(usize, ScannedCode)> = text
        .lines()
        .enumerate()
        .map(|(index, line)| (index + 1, classify(line)))
        .collect();
    parse_codes(source_name, &codes)
}

/// Pairs classified codes (with their line numbers) into devices.
pub fn parse_codes(
    source_name: &str,
    codes: &[(usize, ScannedCode)],
) -> (Vec<RawRow>, Vec<Notice>) {
    let source = |line: usize| SourceRef {
        file: source_name.to_string(),
        line,
        column: None,
    };
    // A row for `mac` (and `mac_id`), found on `line`; a MAC-ID that conflicts points at column 1.
    let row = |line: usize, mac: Mac, mac_id: String, conflicting: bool| RawRow {
        source: source(line),
        draft: crate::device::DeviceDraft {
            mac: mac.macd(),
            mac_id,
            ..Default::default()
        },
        columns: if conflicting {
            HashMap::from([(Field::MacId, 1)])
        } else {
            HashMap::new()
        },
    };
    let mut rows: Vec<RawRow> = Vec::new();
    let mut by_mac: HashMap<Mac, usize> = HashMap::new();
    // MACs seen on a MAC line (not only inside a MAC-ID), to tell a re-scan from a pair.
    let mut mac_lines: HashMap<Mac, usize> = HashMap::new();
    let mut notices = Vec::new();
    // The MAC scanned on the line before, still waiting for its MAC-ID.
    let mut last_lone_mac: Option<(Mac, usize)> = None;
    for (line, code) in codes {
        let line = *line;
        match code {
            ScannedCode::Blank => {}
            ScannedCode::Other(text) => {
                notices.push(Notice {
                    source: source(line),
                    message: format!("\"{text}\" is neither a MAC nor a MAC-ID; skipped"),
                });
            }
            ScannedCode::Mac(mac) => match (by_mac.get(mac), mac_lines.insert(*mac, line)) {
                (Some(_), Some(first)) => {
                    notices.push(Notice {
                        source: source(line),
                        message: format!(
                            "MAC {mac} scanned again (first on line {first}); counted once"
                        ),
                    });
                    last_lone_mac = None;
                }
                (Some(_), None) => last_lone_mac = None,
                (None, _) => {
                    by_mac.insert(*mac, rows.len());
                    rows.push(row(line, *mac, String::new(), false));
                    last_lone_mac = Some((*mac, line));
                }
            },
            ScannedCode::MacId(id) => {
                let id_text = id.to_string();
                // The MAC-ID names its own MAC, so it always joins that device. A MAC-ID for a
                // device never scanned, right after a MAC still waiting for its MAC-ID, is
                // worth a look: labels from two boxes may have been mixed up.
                if let Some((lone, lone_line)) = last_lone_mac.take()
                    && lone != id.mac()
                    && !by_mac.contains_key(&id.mac())
                {
                    notices.push(Notice {
                        source: source(line),
                        message: format!(
                            "this MAC-ID belongs to {}, but the MAC scanned before it (line {lone_line}) is {lone}: check the two labels belong to different devices",
                            id.mac()
                        ),
                    });
                }
                match by_mac.get(&id.mac()) {
                    Some(&index) => {
                        let existing = &mut rows[index].draft.mac_id;
                        if existing.is_empty() {
                            *existing = id_text;
                        } else if *existing != id_text {
                            rows.push(row(line, id.mac(), id_text, true));
                        }
                    }
                    None => {
                        by_mac.insert(id.mac(), rows.len());
                        rows.push(row(line, id.mac(), id_text, false));
                    }
                }
            }
        }
    }
    (rows, notices)
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert!(matches!(classify("S/N 123456789"), ScannedCode::Other(_)));
        assert!(matches!(classify("4250366845174"), ScannedCode::Other(_)));
        assert_eq!(classify("   "), ScannedCode::Blank);
    }

    #[test]
    fn pairs_macs_with_their_mac_ids_in_any_order() {
        let text = "MAC:7C2F80820EC1\n7C2F80820EC1-9A0B\n\nS/N 123456789\n7C2F80820EC2-1234\nMAC:7C2F80820EC2\n";
        let (rows, notices) = parse_scanner_text("scanner", text);
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].draft.mac, "7C2F80820EC1");
        assert_eq!(rows[0].draft.mac_id, "7C2F80820EC1-9A0B");
        assert_eq!(rows[1].draft.mac_id, "7C2F80820EC2-1234");
        assert_eq!(rows[1].source.line, 5);
        assert_eq!(
            notices.len(),
            1,
            "a MAC-ID then its MAC is a pair, not a re-scan"
        );
        assert_eq!(notices[0].source.line, 4);
    }

    #[test]
    fn a_rescan_counts_once_and_a_stray_mac_id_is_noted() {
        let text = "7C2F80820EC1\n7C2F80820EC1\n7C2F80820EC3\n7C2F80820EC4-AAAA\n";
        let (rows, notices) = parse_scanner_text("scanner", text);
        let rescans = notices
            .iter()
            .filter(|n| n.message.contains("scanned again"))
            .count();
        assert_eq!(rescans, 1);
        assert!(
            notices
                .iter()
                .any(|n| n.message.contains("check the two labels"))
        );
        assert_eq!(rows.len(), 3);
        let stray = rows.iter().find(|r| r.source.line == 4).unwrap();
        assert_eq!(stray.draft.mac, "7C2F80820EC4");
        assert!(stray.draft.validate().is_ok());
    }

    #[test]
    fn macs_then_mac_ids_pair_column_wise() {
        let text = "7C2F80820EC1\n7C2F80820EC2\n7C2F80820EC1-AAAA\n7C2F80820EC2-BBBB\n";
        let (rows, notices) = parse_scanner_text("scanner", text);
        assert!(notices.is_empty(), "{notices:?}");
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].draft.mac_id, "7C2F80820EC1-AAAA");
        assert_eq!(rows[1].draft.mac_id, "7C2F80820EC2-BBBB");
    }
}
