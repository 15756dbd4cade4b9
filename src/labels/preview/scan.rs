//! The scan session: each line a barcode scanner types (or the installer types) is one code,
//! numbered from 1 in scan order, all of them paired again after each scan (a MAC-ID can come
//! lines after its MAC). Line N of the session is the N-th scan, taken out or not, so a row's
//! place does not move when another is taken out.

use super::{Edit, Origin, Preview, Source};
use crate::labels::text::code_source;
use crate::labels::{ParsedSource, ScannedCode, classify};

/// The scan session's source name in the preview and the audit log.
pub const SCANNER: &str = "scanner";

/// What a scan did, in the words shown beside the scan field: `ok` is a device read (or a
/// label read again), otherwise the scan needs a look.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScanVerdict {
    pub ok: bool,
    pub message: String,
}

impl Preview {
    /// Adds a scanned line to the scan session and says at once what it was; a blank line is
    /// no scan.
    pub fn scan(&mut self, text: &str) -> Option<ScanVerdict> {
        let text = text.trim();
        if text.is_empty() {
            return None;
        }
        let line = self.last_scan_line() + 1;
        let mut codes = match self.scanner_mut() {
            Some(scanner) => std::mem::take(&mut scanner.parsed.codes),
            None => {
                self.sources
                    .push(Source::new(ParsedSource::default(), Origin::Scanner));
                Vec::new()
            }
        };
        codes.push((line, classify(text)));
        self.set_scans(codes);
        self.remember(Edit::Scanned(text.to_string()));
        self.revalidate();
        Some(self.verdict(line, text))
    }

    /// The scans that are in the preview: those not taken out with a row.
    pub fn scans_kept(&self) -> usize {
        self.scanner().map_or(0, |scanner| {
            let out: usize = scanner.taken_out.values().map(Vec::len).sum();
            scanner.parsed.codes.len() - out
        })
    }

    /// The number of the newest scan, 0 before the first.
    pub(super) fn last_scan_line(&self) -> usize {
        self.scanner()
            .and_then(|scanner| scanner.parsed.codes.last())
            .map_or(0, |(line, _)| *line)
    }

    /// Takes the newest scan out of the session, as if it had never been scanned.
    pub(super) fn unscan(&mut self) {
        if let Some(scanner) = self.scanner_mut() {
            let mut codes = std::mem::take(&mut scanner.parsed.codes);
            codes.pop();
            self.set_scans(codes);
        }
    }

    /// Drops the scans up to `last` (an import wrote them). A row taken out keeps out the
    /// later scans that went with it.
    pub(super) fn forget_scans_up_to(&mut self, last: usize) {
        let Some(scanner) = self.scanner_mut() else {
            return;
        };
        let mut codes = std::mem::take(&mut scanner.parsed.codes);
        codes.retain(|(line, _)| *line > last);
        let taken_out = std::mem::take(&mut scanner.taken_out);
        for mut lines in taken_out.into_values() {
            lines.retain(|line| *line > last);
            if let Some(&first) = lines.first() {
                scanner.taken_out.insert(first, lines);
            }
        }
        self.set_scans(codes);
    }

    /// The scan session paired from `codes`; without codes there is no session.
    fn set_scans(&mut self, codes: Vec<(usize, ScannedCode)>) {
        if codes.is_empty() {
            self.sources.retain(|s| s.origin != Origin::Scanner);
        } else if let Some(scanner) = self.scanner_mut() {
            scanner.parsed = code_source(SCANNER, codes, Vec::new());
        }
    }

    fn scanner(&self) -> Option<&Source> {
        self.sources.iter().find(|s| s.origin == Origin::Scanner)
    }

    fn scanner_mut(&mut self) -> Option<&mut Source> {
        self.sources
            .iter_mut()
            .find(|s| s.origin == Origin::Scanner)
    }

    /// What the scan on `line` did: its row's problems, else the note on it, else the device
    /// it read.
    fn verdict(&self, line: usize, text: &str) -> ScanVerdict {
        let here = |file: &str, l: usize| file == SCANNER && l == line;
        let verdict = |ok, message| ScanVerdict { ok, message };
        let batch = self.batch();
        let problems: Vec<&str> = batch
            .invalid()
            .filter(|(s, _)| here(&s.file, s.line))
            .map(|(_, problem)| problem.reason.as_str())
            .collect();
        if !problems.is_empty() {
            return verdict(false, format!("✖ {}", problems.join(" · ")));
        }
        // A serial number read with the device says nothing against the scan.
        if let Some(notice) = batch.notices.iter().find(|n| {
            here(&n.source.file, n.source.line) && !n.message.starts_with("serial number")
        }) {
            let ok = notice.message.contains("scanned again");
            let mark = if ok { "↺" } else { "✖" };
            return verdict(ok, format!("{mark} {}", notice.message));
        }
        let mac = match classify(text) {
            ScannedCode::Mac(mac) => Some(mac),
            ScannedCode::MacId(id) => Some(id.mac()),
            ScannedCode::Fields(fields) => fields.mac_id.as_ref().map(|id| id.mac()).or(fields.mac),
            _ => None,
        };
        match mac.and_then(|mac| batch.valid().find(|(_, d)| d.mac == mac)) {
            Some((_, device)) => {
                let id = device.mac_id.as_ref().map_or_else(
                    || "  ·  waiting for its MAC-ID".to_string(),
                    |id| format!("  ·  MAC-ID {id}"),
                );
                verdict(true, format!("✔ {}{id}", device.mac))
            }
            None => verdict(false, format!("✖ \"{text}\" was not taken")),
        }
    }
}
