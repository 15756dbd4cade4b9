//! Scanner and pasted text: one code per line, as a barcode scanner types it.
//!
//! A Gigaset label carries the MAC and the MAC-ID as separate barcodes; the MAC-ID contains the
//! MAC, so a MAC-ID pairs with its MAC wherever it appears. A QR code may carry both, with the
//! model and the serial number (see [`classify`]): its fields join one device. Lines that say
//! nothing of a device (EANs, blank lines) are reported and skipped without failing the batch.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use crate::device::{Field, Mac, MacId};

use super::batch::{FieldColumns, Notice, ParsedSource, RawRow, SourceRef};
use super::code::{CodeFields, ScannedCode, classify};
use super::lines::split_lines;

/// Turns scanner text into one raw row per device, pairing MACs with their MAC-IDs. A line
/// ends with `\n`, `\r\n` or a lone `\r`: many scanners send a CR after each code.
pub fn parse_scanner_text(source_name: &str, text: &str) -> (Vec<RawRow>, Vec<Notice>) {
    parse_codes(source_name, &text_codes(text))
}

/// Every line of scanner text as a code, with its 1-based line number.
pub(super) fn text_codes(text: &str) -> Vec<(usize, ScannedCode)> {
    split_lines(text)
        .enumerate()
        .map(|(index, line)| (index + 1, classify(line)))
        .collect()
}

/// Pairs classified codes (with their line numbers) into devices.
pub fn parse_codes(
    source_name: &str,
    codes: &[(usize, ScannedCode)],
) -> (Vec<RawRow>, Vec<Notice>) {
    let paired = pair(source_name, codes);
    (paired.rows, paired.notices)
}

/// A source read code by code: the notes on the whole source first, then the rows and notes
/// of pairing `codes`, which it keeps (see [`ParsedSource::codes`]).
pub(super) fn code_source(
    name: &str,
    codes: Vec<(usize, ScannedCode)>,
    about_source: Vec<Notice>,
) -> ParsedSource {
    let paired = pair(name, &codes);
    let source_notices = about_source.len();
    let mut notices = about_source;
    notices.extend(paired.notices);
    ParsedSource {
        name: name.to_string(),
        rows: paired.rows,
        notices,
        failures: Vec::new(),
        source_notices,
        codes,
    }
}

/// What pairing codes gives: the rows, the notes, and for each line that went into a row,
/// that row's index (see [`Pairing::home`]).
pub(super) struct Paired {
    pub rows: Vec<RawRow>,
    pub notices: Vec<Notice>,
    pub home: BTreeMap<usize, usize>,
}

/// Pairs classified codes into devices, telling which row each line went into.
pub(super) fn pair(source_name: &str, codes: &[(usize, ScannedCode)]) -> Paired {
    let mut pairing = Pairing {
        source_name,
        rows: Vec::new(),
        by_mac: HashMap::new(),
        mac_lines: HashMap::new(),
        mac_id_lines: HashMap::new(),
        notices: Vec::new(),
        last_lone_mac: None,
        home: BTreeMap::new(),
    };
    for (line, code) in codes {
        let line = *line;
        match code {
            ScannedCode::Blank => {}
            ScannedCode::Other(text) => pairing.skip(
                line,
                format!("\"{text}\" is neither a MAC nor a MAC-ID; skipped"),
            ),
            ScannedCode::Mac(mac) => pairing.mac(line, *mac, true),
            ScannedCode::MacId(id) => pairing.mac_id(line, id, true),
            ScannedCode::Fields(fields) => pairing.fields(line, fields),
        }
    }
    Paired {
        rows: pairing.rows,
        notices: pairing.notices,
        home: pairing.home,
    }
}

/// The rows found so far and what is needed to join the next code to them.
struct Pairing<'a> {
    source_name: &'a str,
    rows: Vec<RawRow>,
    by_mac: HashMap<Mac, usize>,
    /// MACs seen on a MAC line (not only inside a MAC-ID), to tell a re-scan from a pair.
    mac_lines: HashMap<Mac, usize>,
    /// The same for MAC-IDs scanned on their own.
    mac_id_lines: HashMap<Mac, usize>,
    notices: Vec<Notice>,
    /// The MAC scanned on the line before, still waiting for its MAC-ID.
    last_lone_mac: Option<(Mac, usize)>,
    /// The row each line went into: the row it started, else the first row it joined (a
    /// MAC-ID, a re-scan). Taking a row out takes these lines with it.
    home: BTreeMap<usize, usize>,
}

impl Pairing<'_> {
    fn source(&self, line: usize) -> SourceRef {
        SourceRef {
            file: Arc::from(self.source_name),
            line,
        }
    }

    fn note(&mut self, line: usize, message: String) {
        self.notices.push(Notice::new(self.source(line), message));
    }

    /// A note on a line that gives no row.
    fn skip(&mut self, line: usize, message: String) {
        let notice = Notice::new(self.source(line), message).skipping();
        self.notices.push(notice);
    }

    /// `line` went into the row at `index` (unless it started a row of its own).
    fn join(&mut self, line: usize, index: usize) {
        self.home.entry(line).or_insert(index);
    }

    /// A row for `mac` (and `mac_id`), found on `line`; a MAC-ID that conflicts points at
    /// column 1.
    fn push_row(&mut self, line: usize, mac: Mac, mac_id: String, conflicting: bool) {
        self.home.insert(line, self.rows.len());
        self.rows.push(RawRow {
            source: self.source(line),
            draft: crate::device::DeviceDraft {
                mac: mac.macd(),
                mac_id,
                ..Default::default()
            },
            columns: if conflicting {
                FieldColumns::of(Field::MacId, 1)
            } else {
                FieldColumns::default()
            },
            ..RawRow::default()
        });
    }

    /// A MAC on its own; `rescan_noted` says whether scanning it twice is worth a notice (a
    /// QR code that repeats a MAC from the label's other barcode is not a re-scan).
    fn mac(&mut self, line: usize, mac: Mac, rescan_noted: bool) {
        match (
            self.by_mac.get(&mac).copied(),
            self.mac_lines.insert(mac, line),
        ) {
            (Some(index), Some(first)) if rescan_noted => {
                self.join(line, index);
                self.note(
                    line,
                    format!("MAC {mac} scanned again (first on line {first}); counted once"),
                );
                self.last_lone_mac = None;
            }
            (Some(index), _) => {
                self.join(line, index);
                self.last_lone_mac = None;
            }
            (None, _) => {
                self.by_mac.insert(mac, self.rows.len());
                self.push_row(line, mac, String::new(), false);
                self.last_lone_mac = Some((mac, line));
            }
        }
    }

    /// A MAC-ID; `rescan_noted` as for [`Self::mac`].
    fn mac_id(&mut self, line: usize, id: &MacId, rescan_noted: bool) {
        let id_text = id.to_string();
        // The MAC-ID names its own MAC, so it always joins that device. A MAC-ID for a device
        // never scanned, right after a MAC still waiting for its MAC-ID, is worth a look:
        // labels from two boxes may have been mixed up.
        if let Some((lone, lone_line)) = self.last_lone_mac.take()
            && lone != id.mac()
            && !self.by_mac.contains_key(&id.mac())
        {
            self.note(
                line,
                format!(
                    "this MAC-ID belongs to {}, but the MAC scanned before it (line {lone_line}) is {lone}: check the two labels belong to different devices",
                    id.mac()
                ),
            );
        }
        let joins = |row: &RawRow| row.draft.mac_id.is_empty() || row.draft.mac_id == id_text;
        match self.by_mac.get(&id.mac()).copied() {
            Some(index) if !joins(&self.rows[index]) => {
                self.push_row(line, id.mac(), id_text, true);
            }
            Some(index) => {
                self.join(line, index);
                let existing = &mut self.rows[index].draft.mac_id;
                if existing.is_empty() {
                    *existing = id_text;
                } else if let Some(&first) = self.mac_id_lines.get(&id.mac())
                    && rescan_noted
                {
                    self.note(
                        line,
                        format!(
                            "MAC-ID {id_text} scanned again (first on line {first}); counted once"
                        ),
                    );
                }
            }
            None => {
                self.by_mac.insert(id.mac(), self.rows.len());
                self.push_row(line, id.mac(), id_text, false);
            }
        }
        if rescan_noted {
            self.mac_id_lines.entry(id.mac()).or_insert(line);
        }
    }

    /// A code with several fields: its MAC and MAC-ID join one device, its model fills the
    /// device's model, and what else it says is told in notices.
    fn fields(&mut self, line: usize, fields: &CodeFields) {
        let device = fields.mac_id.as_ref().map(MacId::mac).or(fields.mac);
        if !fields.unread.is_empty() {
            self.note(
                line,
                format!(
                    "\"{}\" in this code is not a MAC, MAC-ID, serial number or catalogue model; skipped",
                    fields.unread.join("\", \"")
                ),
            );
        }
        let Some(device) = device else {
            return self.skip(line, unattached(fields));
        };
        match (fields.mac, &fields.mac_id) {
            // One code naming two devices: the row shows the mismatch with the fix.
            (Some(mac), Some(id)) if mac != id.mac() => {
                return self.push_row(line, mac, id.to_string(), true);
            }
            (Some(mac), _) => self.mac(line, mac, false),
            _ => {}
        }
        if let Some(id) = &fields.mac_id {
            self.mac_id(line, id, false);
        }
        let Some(&index) = self.by_mac.get(&device) else {
            return;
        };
        if let Some(model) = fields.model {
            let draft = &mut self.rows[index].draft;
            if draft.model.is_empty() {
                draft.model = model.name.to_string();
            } else if draft.model != model.name {
                let kept = draft.model.clone();
                self.note(
                    line,
                    format!(
                        "this code names model {}, but MAC {device} already has {kept}; kept {kept}",
                        model.name
                    ),
                );
            }
        }
        if let Some(serial) = &fields.serial {
            self.note(
                line,
                format!(
                    "serial number {serial} read with MAC {device}; the inventory has no serial field, so it is not stored"
                ),
            );
        }
    }
}

/// What to say about a code with a model or a serial number but no MAC.
fn unattached(fields: &CodeFields) -> String {
    let mut what = Vec::new();
    if let Some(model) = fields.model {
        what.push(format!("model {}", model.name));
    }
    if let Some(serial) = &fields.serial {
        what.push(format!("serial number {serial}"));
    }
    format!(
        "this code has {} but no MAC or MAC-ID; skipped: scan the code with the MAC, or choose the model for the whole import",
        what.join(" and ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

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

    /// A line naming a MAC with its own MAC-ID is a device whole: no partner for the lone
    /// MAC before it.
    #[test]
    fn a_mac_with_its_own_mac_id_on_one_line_is_no_mismatch() {
        let text = "7C2F80A1B301
7C2F80A1B302 7C2F80A1B302-1A2B
";
        let (rows, notices) = parse_scanner_text("scanner", text);
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[1].draft.mac, "7C2F80A1B302");
        assert_eq!(rows[1].draft.mac_id, "7C2F80A1B302-1A2B");
        assert!(notices.is_empty(), "{notices:?}");
    }

    #[test]
    fn a_mac_id_scanned_again_is_told_and_counted_once() {
        let text = "7C2F80820EC1
7C2F80820EC1-9A0B
7C2F80820EC1-9A0B
";
        let (rows, notices) = parse_scanner_text("scanner", text);
        assert_eq!(rows.len(), 1);
        assert_eq!(notices.len(), 1, "{notices:?}");
        assert_eq!(notices[0].source.line, 3);
        assert!(
            notices[0]
                .message
                .contains("MAC-ID 7C2F80820EC1-9A0B scanned again (first on line 2)"),
            "{}",
            notices[0].message
        );
    }

    #[test]
    fn a_code_with_several_fields_is_one_device() {
        let text = "MAC:7C2F80820EC1;ID:7C2F80820EC1-9A0B;SN:4711;Model:Maxwell 3\n\
                    7C2F80820EC2 | N720 DM PRO\n\
                    7C2F80820EC2-1234\n\
                    SN 999 N510\n";
        let (rows, notices) = parse_scanner_text("scanner", text);
        assert_eq!(rows.len(), 2, "{rows:?}");
        assert_eq!(rows[0].draft.mac, "7C2F80820EC1");
        assert_eq!(rows[0].draft.mac_id, "7C2F80820EC1-9A0B");
        assert_eq!(rows[0].draft.model, "Maxwell 3");
        assert_eq!(rows[1].draft.model, "N720 IP PRO");
        assert_eq!(
            rows[1].draft.mac_id, "7C2F80820EC2-1234",
            "the next line's MAC-ID joins"
        );
        let messages: Vec<(usize, &str)> = notices
            .iter()
            .map(|n| (n.source.line, n.message.as_str()))
            .collect();
        assert_eq!(
            messages,
            vec![
                (
                    1,
                    "serial number 4711 read with MAC 7C2F80820EC1; the inventory has no serial field, so it is not stored"
                ),
                (
                    4,
                    "this code has model N510 IP PRO and serial number 999 but no MAC or MAC-ID; skipped: scan the code with the MAC, or choose the model for the whole import"
                ),
            ]
        );
    }

    #[test]
    fn a_code_whose_mac_id_names_another_mac_is_a_row_problem() {
        let (rows, _) = parse_scanner_text("scanner", "7C2F80820EC1 7C2F80820EC2-9A0B N510\n");
        assert_eq!(rows.len(), 1);
        let error = rows[0].draft.validate().unwrap_err();
        assert_eq!(error[0].field, Field::MacId);
        assert_eq!(rows[0].columns.get(Field::MacId), Some(1));
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
    #[test]
    fn a_lone_cr_ends_a_line_as_scanners_send_it() {
        for end in ["\n", "\r\n", "\r"] {
            let text = ["MAC:7C2F80AAAB70", "MAC:7C2F80AAAB71", "junk", ""].join(end);
            let (rows, notices) = parse_scanner_text("cr.txt", &text);
            let found: Vec<(usize, &str)> = rows
                .iter()
                .map(|row| (row.source.line, row.draft.mac.as_str()))
                .collect();
            assert_eq!(found, [(1, "7C2F80AAAB70"), (2, "7C2F80AAAB71")], "{end:?}");
            assert_eq!(notices[0].source.line, 3, "{end:?}");
        }
    }
}
