//! Spreadsheet formulas in a CSV export. Excel and LibreOffice run a cell that begins with `=`,
//! `+`, `-`, `@`, a tab or a carriage return as a formula when they open the file: a site named
//! `=HYPERLINK("http://…","x")` from a supplier's label file becomes a link, and `+cmd|…` asks
//! old Excel to start a program. The export writes such a cell after a `'`, which a
//! spreadsheet shows as text, and the import takes that one `'` off again, so an export reads
//! back with the values it was written from.

use std::borrow::Cow;

/// The characters a spreadsheet takes as the start of a formula (OWASP's list).
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Whether `text` begins as a formula after any `'`s: a value that already begins with `'`
/// and a formula character gets one more, so that the import's one `'` taken off gives it
/// back.
fn formula_after_quotes(text: &str) -> bool {
    text.trim_start_matches('\'').starts_with(FORMULA_STARTS)
}

/// `cell` as the export writes it: after a `'` when a spreadsheet would run it.
pub(super) fn for_spreadsheet(cell: &str) -> Cow<'_, str> {
    if formula_after_quotes(cell) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// `cell` as the import reads it: [`for_spreadsheet`]'s `'` taken off.
pub(super) fn from_spreadsheet(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if formula_after_quotes(rest) => rest,
        _ => cell,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_quoted_and_read_back() {
        for (value, written) in [
            (
                "=HYPERLINK(\"http://evil\",\"x\")",
                "'=HYPERLINK(\"http://evil\",\"x\")",
            ),
            ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
            ("@SUM(1)", "'@SUM(1)"),
            ("-2+3", "'-2+3"),
            ("\tRoom 1", "'\tRoom 1"),
            ("'=x", "''=x"),
            ("''-", "'''-"),
            ("Hotel Adler", "Hotel Adler"),
            ("'quoted'", "'quoted'"),
            ("a=b", "a=b"),
            ("", ""),
        ] {
            assert_eq!(for_spreadsheet(value), written);
            assert_eq!(from_spreadsheet(written), value, "{written}");
        }
        assert_eq!(from_spreadsheet("'Adler"), "'Adler", "not a formula");
    }
}
