//! Rows taken out of a parsed source by hand (a wrong scan, the label of the phone on the next
//! desk): what is left of the source is what it would be had those lines never been there, so
//! the notes that depended on them go too. The file itself is never touched.

use std::borrow::Cow;
use std::collections::BTreeSet;

use super::batch::ParsedSource;
use super::text::{code_source, pair};

impl ParsedSource {
    /// The source without `lines`. A table loses the rows (and refusals) on them and the notes
    /// on those lines; a source read code by code pairs the codes left again, so a re-scan's
    /// note, a MAC-ID that waited for a MAC taken out, or a mixed-up pair's warning changes
    /// with them. The notes on the whole source stay.
    pub fn without(&self, lines: &BTreeSet<usize>) -> Cow<'_, ParsedSource> {
        if lines.is_empty() {
            return Cow::Borrowed(self);
        }
        let kept = |line: usize| !lines.contains(&line);
        let (about_source, line_notes) = self.notices.split_at(self.source_notices);
        let failures = self.failures.iter().filter(|row| kept(row.source.line));
        if !self.codes.is_empty() {
            let codes = self.codes.iter().filter(|(line, _)| kept(*line));
            let paired = code_source(&self.name, codes.cloned().collect(), about_source.to_vec());
            return Cow::Owned(ParsedSource {
                failures: failures.cloned().collect(),
                ..paired
            });
        }
        let line_notes = line_notes.iter().filter(|n| kept(n.source.line));
        Cow::Owned(ParsedSource {
            name: self.name.clone(),
            rows: self
                .rows
                .iter()
                .filter(|row| kept(row.source.line))
                .cloned()
                .collect(),
            notices: about_source.iter().chain(line_notes).cloned().collect(),
            failures: failures.cloned().collect(),
            source_notices: self.source_notices,
            codes: Vec::new(),
        })
    }

    /// The lines that make the row that starts on `line`, as the source is now: a table row's
    /// own line; for codes, the code that started the row and every code that joined it (its
    /// MAC-ID, a re-scan). These go out with the row. Empty where no row starts on `line`.
    pub fn lines_of_row(&self, line: usize) -> Vec<usize> {
        let starts_here = |row_line: usize| row_line == line;
        if self.codes.is_empty() {
            let row = self.rows.iter().map(|row| row.source.line);
            let failure = self.failures.iter().map(|row| row.source.line);
            return row
                .chain(failure)
                .find(|&l| starts_here(l))
                .into_iter()
                .collect();
        }
        let paired = pair(&self.name, &self.codes);
        let Some(index) = paired
            .rows
            .iter()
            .position(|row| starts_here(row.source.line))
        else {
            return Vec::new();
        };
        paired
            .home
            .iter()
            .filter(|&(_, &home)| home == index)
            .map(|(&line, _)| line)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use crate::labels::{ParsedSource, parse_csv_source, parse_text_source};

    fn lines(lines: &[usize]) -> BTreeSet<usize> {
        lines.iter().copied().collect()
    }

    fn macs(source: &ParsedSource) -> Vec<(usize, String, String)> {
        let row = |r: &crate::labels::RawRow| {
            (r.source.line, r.draft.mac.clone(), r.draft.mac_id.clone())
        };
        source.rows.iter().map(row).collect()
    }

    fn notes(source: &ParsedSource) -> Vec<String> {
        source.notices.iter().map(ToString::to_string).collect()
    }

    /// A label scanned as MAC and MAC-ID, then scanned again: the row is all three lines, and
    /// taking it out takes the re-scan's note with it.
    #[test]
    fn a_scanned_row_goes_with_its_mac_id_and_its_rescans() {
        let text = "7C2F80A1B200\n7C2F80A1B200-483A\n7C2F80A1B20B\n7C2F80A1B200\njunk\n";
        let source = parse_text_source("scanner", text);
        assert_eq!(source.lines_of_row(1), [1, 2, 4]);
        assert_eq!(source.lines_of_row(3), [3]);
        assert!(source.lines_of_row(2).is_empty(), "no row starts there");
        assert!(
            source.lines_of_row(5).is_empty(),
            "a skipped line is no row"
        );
        let left = source.without(&lines(&[1, 2, 4]));
        assert_eq!(macs(&left), [(3, "7C2F80A1B20B".into(), String::new())]);
        assert_eq!(
            notes(&left),
            ["scanner:5: \"junk\" is neither a MAC nor a MAC-ID; skipped"]
        );
    }

    /// A MAC-ID that disagrees with the row's makes a row of its own: taking that one out
    /// leaves the first whole; taking the first out leaves the other to stand alone.
    #[test]
    fn a_conflicting_mac_id_is_its_own_row() {
        let text = "7C2F80A1B200\n7C2F80A1B200-483A\n7C2F80A1B200-1111\n";
        let source = parse_text_source("scanner", text);
        assert_eq!(source.rows.len(), 2);
        assert_eq!(source.lines_of_row(3), [3]);
        assert_eq!(source.lines_of_row(1), [1, 2]);
        let left = source.without(&lines(&[1, 2]));
        let expected = [(3, "7C2F80A1B200".into(), "7C2F80A1B200-1111".into())];
        assert_eq!(macs(&left), expected);
    }

    /// The warning about a mixed-up pair names the MAC before the MAC-ID: it goes when either
    /// label is taken out.
    #[test]
    fn a_mixed_up_pair_warning_goes_with_either_label() {
        let source = parse_text_source("scanner", "7C2F80A1B200\n7C2F80A1B20B-50DD\n");
        assert_eq!(source.notices.len(), 1, "{:?}", source.notices);
        for taken in [1, 2] {
            let left = source.without(&lines(&source.lines_of_row(taken)));
            assert!(left.notices.is_empty(), "{:?}", left.notices);
            assert_eq!(left.rows.len(), 1);
        }
    }

    /// A table row is its own line; its notes go with it and the file's decoding note stays.
    #[test]
    fn a_table_row_goes_with_the_notes_on_its_line() {
        let mask = crate::secret::MASK;
        let text = format!("MAC,URL\n7C2F80A1B200,\n7C2F80A1B20B,http://a:{mask}@p.example/\n");
        // UTF-16 without a BOM: read with a note on the whole file.
        let csv: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let source = parse_csv_source("l.csv", &csv);
        assert_eq!(source.source_notices, 1, "{:?}", source.notices);
        assert_eq!(source.notices.len(), 2, "{:?}", source.notices);
        assert_eq!(source.lines_of_row(3), [3]);
        assert!(source.lines_of_row(1).is_empty(), "the header is no row");
        let left = source.without(&lines(&[3]));
        assert_eq!(macs(&left), [(2, "7C2F80A1B200".into(), String::new())]);
        assert_eq!(left.notices, source.notices[..1]);
    }

    /// A file refused whole is one row at the refusing line: taking it out leaves nothing.
    #[test]
    fn a_refused_file_goes_whole() {
        let source = parse_csv_source("l.csv", b"MAC,MAC\n7C2F80A1B200,x\n");
        assert_eq!(source.failures.len(), 1);
        assert_eq!(source.lines_of_row(1), [1]);
        assert!(source.without(&lines(&[1])).failures.is_empty());
    }
}
