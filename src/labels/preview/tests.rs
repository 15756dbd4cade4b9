use super::*;
use crate::labels::{SCANNER, parse_csv_source};

fn at(file: &str, line: usize) -> SourceRef {
    SourceRef {
        file: file.into(),
        line,
    }
}

fn scanned(lines: &[&str]) -> Preview {
    let mut preview = Preview::default();
    for line in lines {
        preview.scan(line);
    }
    preview
}

fn notes(preview: &Preview) -> Vec<String> {
    let notices = preview.batch().notices.iter();
    notices.map(ToString::to_string).collect()
}

/// A label scanned twice is one row with a re-scan note; taking the row out takes both
/// scans and the note, and Ctrl+Z brings all of it back.
#[test]
fn taking_out_a_scanned_row_takes_its_rescan_note_and_undo_brings_it_back() {
    let mut preview = scanned(&["7C2F80A1B200", "7C2F80A1B20B", "7C2F80A1B200"]);
    assert_eq!(preview.batch().valid_count(), 2);
    assert_eq!(notes(&preview).len(), 1, "the re-scan");
    let before = preview.batch().clone();

    let name = preview.take_out(&at(SCANNER, 1));
    assert_eq!(name.as_deref(), Some("7C2F80A1B200"));
    assert_eq!(preview.batch().valid_count(), 1);
    assert!(notes(&preview).is_empty(), "{:?}", notes(&preview));
    assert_eq!(preview.scans_kept(), 1);
    assert_eq!(
        preview.taken_out_text().as_deref(),
        Some("1 row taken out of the import")
    );

    let undone = preview.undo();
    assert!(matches!(undone, Some(Edit::TookOut { name, .. }) if name == "7C2F80A1B200"));
    assert_eq!(*preview.batch(), before);
    assert_eq!(preview.taken_out_text(), None);
}

/// Ctrl+Z after a scan takes that scan out, as if it had never been scanned; the next scan
/// takes its number.
#[test]
fn undo_takes_back_scans_newest_first() {
    let mut preview = scanned(&["7C2F80A1B200", "7C2F80A1B200-483A"]);
    assert_eq!(preview.batch().valid_count(), 1);
    let undone = preview.undo();
    assert_eq!(undone, Some(Edit::Scanned("7C2F80A1B200-483A".into())));
    let device = preview.batch().valid().next().unwrap().1;
    assert_eq!(device.mac_id, None, "the MAC-ID went with its scan");
    assert_eq!(preview.undo(), Some(Edit::Scanned("7C2F80A1B200".into())));
    assert!(preview.is_empty(), "no scan, no session");
    assert_eq!(preview.undo(), None);
    let verdict = preview.scan("7C2F80A1B20B").unwrap();
    assert!(verdict.ok, "{verdict:?}");
    assert_eq!(preview.batch().rows[0].source, at(SCANNER, 1));
}

/// A row of a file taken out: the duplicate of it in a later source becomes valid, the file's
/// name is said as not changed, and the invalid rows having changed, the agreement to leave
/// them out is asked again.
#[test]
fn taking_out_a_file_row_settles_its_duplicate_and_asks_again() {
    let mut preview = Preview::default();
    let csv = b"MAC\n7C2F80A1B200\nnot a mac\n";
    preview.add_file(parse_csv_source("/home/me/labels.csv", csv));
    preview.scan("7C2F80A1B200");
    assert_eq!(
        preview.batch().invalid_count(),
        2,
        "a bad MAC and a duplicate"
    );
    preview.set_leave_out_invalid(true);

    assert!(preview.take_out(&at("/home/me/labels.csv", 2)).is_some());
    assert_eq!(preview.batch().invalid_count(), 1);
    assert_eq!(
        preview.batch().valid_count(),
        1,
        "the scan is the first now"
    );
    assert!(!preview.leave_out_invalid(), "asked again");
    assert_eq!(
        preview.taken_out_text().as_deref(),
        Some("1 row taken out of the import; the file labels.csv is not changed")
    );

    let invalid = preview.batch().rows.iter().find(|r| r.outcome.is_err());
    let name = invalid.unwrap().name();
    assert_eq!(name, "not a mac (labels.csv:3)");
    preview.set_leave_out_invalid(true);
    preview.scan("7C2F80A1B20B");
    assert!(
        preview.leave_out_invalid(),
        "a valid scan changes no invalid row"
    );
    assert!(preview.take_out(&at("/home/me/labels.csv", 3)).is_some());
    assert_eq!(preview.batch().invalid_count(), 0);
}

/// Only rows that are shown can be taken out: a line that gave no row, or a row already out,
/// is left as it is and adds nothing to the history.
#[test]
fn what_is_not_a_row_is_not_taken_out() {
    let mut preview = scanned(&["7C2F80A1B200", "junk"]);
    assert_eq!(preview.take_out(&at(SCANNER, 2)), None);
    assert_eq!(preview.take_out(&at("other", 1)), None);
    assert!(preview.take_out(&at(SCANNER, 1)).is_some());
    assert_eq!(preview.take_out(&at(SCANNER, 1)), None);
    assert_eq!(
        preview.undo().map(|e| matches!(e, Edit::TookOut { .. })),
        Some(true)
    );
    assert_eq!(preview.undo(), Some(Edit::Scanned("junk".into())));
}

/// A file read again replaces the old one, and the removals from the old one leave the
/// history: undoing them would put back rows of another file.
#[test]
fn a_file_read_again_starts_over() {
    let mut preview = Preview::default();
    let csv = b"MAC\n7C2F80A1B200\n7C2F80A1B20B\n";
    preview.add_file(parse_csv_source("l.csv", csv));
    preview.take_out(&at("l.csv", 2));
    preview.add_file(parse_csv_source("l.csv", csv));
    assert_eq!(preview.batch().valid_count(), 2);
    assert_eq!(preview.last_edit(), None);
}

/// The summary counts the lines passed over with a note, each once; blank lines are not
/// counted, a serial number scanned with its MAC is no skipped line, a serial alone is.
#[test]
fn skipped_lines_are_those_told_as_skipped() {
    let preview = scanned(&[
        "7C2F80A1B200",
        "junk",
        "S/N 1234567800",
        "MAC:7C2F80A1B20B;SN:4711",
        "7C2F80A1B200",
    ]);
    assert_eq!(preview.batch().skipped_lines(), 2, "{:?}", notes(&preview));
    let file = crate::labels::parse_text_source("t.txt", "\n\n7C2F80A1B200\n\n");
    assert_eq!(
        ImportBatch::from_sources(&[file], &BatchDefaults::default()).skipped_lines(),
        0
    );
}

/// An import takes what it was given; scans and removals made meanwhile stay, the history
/// ends.
#[test]
fn an_import_forgets_what_it_wrote_and_keeps_what_came_after() {
    let mut preview = scanned(&["7C2F80A1B200"]);
    preview.add_pasted("7C2F80A1B20B\n");
    let done = preview.in_import();
    preview.scan("7C2F80A1B216");
    preview.scan("7C2F80A1B221");
    preview.take_out(&at(SCANNER, 3));
    preview.forget_imported(&done);
    let left: Vec<String> = preview
        .batch()
        .valid()
        .map(|(s, _)| s.to_string())
        .collect();
    assert_eq!(left, ["scanner:2"]);
    assert_eq!(preview.scans_kept(), 1);
    assert_eq!(preview.last_edit(), None);
    assert!(preview.taken_out_text().is_some(), "scanner:3 stays out");
}

/// The scan field's words for each kind of scan.
#[test]
fn each_scan_says_what_it_was() {
    let mut preview = Preview::default();
    let said = |verdict: Option<ScanVerdict>| verdict.map(|v| (v.ok, v.message));
    assert_eq!(
        said(preview.scan(" 7C2F80A1B200 ")),
        Some((true, "✔ 7C2F80A1B200  ·  waiting for its MAC-ID".into()))
    );
    assert_eq!(
        said(preview.scan("7C2F80A1B200-483A")),
        Some((true, "✔ 7C2F80A1B200  ·  MAC-ID 7C2F80A1B200-483A".into()))
    );
    let again = said(preview.scan("7C2F80A1B200")).unwrap();
    assert!(again.0 && again.1.starts_with("↺ MAC 7C2F80A1B200 scanned again"));
    let junk = said(preview.scan("junk")).unwrap();
    assert!(!junk.0 && junk.1.starts_with("✖ \"junk\""), "{junk:?}");
    assert_eq!(preview.scan("  "), None);
}

/// The agreement to leave out the invalid rows is about which rows are left out: a site for
/// rows without one changes what the invalid row says, not that it is left out.
#[test]
fn a_new_default_keeps_the_agreement_for_the_same_rows() {
    let mut preview = Preview::default();
    preview.add_file(parse_csv_source("l.csv", b"MAC\n7C2F80A1B200\nnot a mac\n"));
    preview.set_leave_out_invalid(true);
    let site = BatchDefaults {
        site: Some("Roof".into()),
        model: None,
    };
    preview.set_defaults(site);
    let written = preview.batch().rows[1].written.as_ref().unwrap();
    assert_eq!(written.site, "Roof");
    assert!(preview.leave_out_invalid());
}
