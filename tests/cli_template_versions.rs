//! `provdesk template save|reset|versions|diff`: a file saved with a note, the notes and the reset
//! label listed, unified diffs between versions, and what is refused.

use crate::support::cli::{provdesk_with, refused, succeeds, text};

use std::path::Path;

const V1: &str = "mac={{mac}}\nsip_port=5060\nsite={{site}}\n";
const V2: &str = "mac={{mac}}\nsip_port=5070\nsite={{site}}\n";

fn save(db: &Path, dir: &Path, body: &str, note: &str) -> String {
    let file = dir.join("template.txt");
    std::fs::write(&file, body).unwrap();
    succeeds(
        db,
        &[
            "template",
            "save",
            "plain-text",
            file.to_str().unwrap(),
            "--note",
            note,
        ],
        &[],
    )
}

#[test]
fn saved_versions_are_listed_with_their_notes_and_the_reset_label() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let out = save(&db, dir.path(), V1, "first try");
    assert!(out.contains("saved plain-text as version 1"), "{out}");
    save(&db, dir.path(), V2, "SIP port 5070 for Hotel Adler");
    provdesk::inventory::Inventory::open(&db)
        .unwrap()
        .reset_template("plain-text")
        .unwrap();
    let listed = succeeds(&db, &["template", "versions", "plain-text"], &[]);
    let lines: Vec<&str> = listed.lines().collect();
    assert_eq!(lines.len(), 3, "{listed}");
    assert!(lines[0].starts_with("v3 (in use)\t") && lines[0].ends_with("\t[reset to default]"));
    assert!(lines[1].starts_with("v2\t") && lines[1].ends_with("\tSIP port 5070 for Hotel Adler"));
    assert!(lines[2].ends_with("\tfirst try"), "{listed}");
}

#[test]
fn diff_prints_a_unified_diff_between_two_versions_or_against_the_one_in_use() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    save(&db, dir.path(), V1, "");
    save(&db, dir.path(), V2, "");
    let diff = succeeds(&db, &["template", "diff", "plain-text", "1", "v2"], &[]);
    assert_eq!(
        diff,
        "--- plain-text v1\n+++ plain-text v2\n@@ -1,3 +1,3 @@\n mac={{mac}}\n-sip_port=5060\n+sip_port=5070\n site={{site}}\n"
    );
    let against_in_use = succeeds(&db, &["template", "diff", "plain-text", "1"], &[]);
    assert!(
        against_in_use.contains("+++ plain-text v2 (in use)\n"),
        "{against_in_use}"
    );
    let builtin = succeeds(
        &db,
        &["template", "diff", "plain-text", "builtin", "2"],
        &[],
    );
    assert!(
        builtin.starts_with("--- plain-text built-in\n"),
        "{builtin}"
    );
    assert!(builtin.contains("\n+sip_port=5070\n"), "{builtin}");
    let shown = succeeds(
        &db,
        &["template", "show", "plain-text", "--version", "1"],
        &[],
    );
    assert_eq!(shown, V1, "a version's own text");
    let in_use = succeeds(&db, &["template", "show", "plain-text"], &[]);
    assert_eq!(in_use, V2);
    let out = provdesk_with(&db, &["template", "diff", "plain-text", "2", "2"], &[]);
    assert!(out.status.success());
    assert!(out.stdout.is_empty(), "no diff for the same text");
    assert!(text(&out.stderr).contains("have the same text"));
}

#[test]
fn a_missing_version_an_unknown_template_or_a_long_note_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    save(&db, dir.path(), V1, "");
    let error = refused(&db, &["template", "diff", "plain-text", "1", "9"], &[]);
    assert!(
        error.contains("has no version 9; its versions are: 1"),
        "{error}"
    );
    let error = refused(&db, &["template", "versions", "nope"], &[]);
    assert!(error.contains("templates are: provider-frame"), "{error}");
    let file = dir.path().join("template.txt");
    let long = "n".repeat(121);
    let error = refused(
        &db,
        &[
            "template",
            "save",
            "plain-text",
            file.to_str().unwrap(),
            "--note",
            &long,
        ],
        &[],
    );
    assert!(error.contains("more than 120"), "{error}");
    let listed = succeeds(&db, &["template", "versions", "plain-text"], &[]);
    assert_eq!(listed.lines().count(), 1, "nothing saved: {listed}");
}

/// `template save plain-text FILE --over OVER` with `body` in FILE; whether it must succeed.
/// Standard output when it succeeded, standard error when it was refused.
fn save_over(db: &Path, dir: &Path, body: &str, over: &str, succeed: bool) -> String {
    let file = dir.join("template.txt");
    std::fs::write(&file, body).unwrap();
    let args = [
        "template",
        "save",
        "plain-text",
        file.to_str().unwrap(),
        "--over",
        over,
    ];
    if succeed {
        succeeds(db, &args, &[])
    } else {
        refused(db, &args, &[])
    }
}

#[test]
fn the_text_in_use_saved_again_says_no_change_and_makes_no_version() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    save(&db, dir.path(), V1, "first");
    let again = save(&db, dir.path(), V1, "same again");
    assert!(
        again.starts_with("no change: plain-text's text is already version 1, the one in use"),
        "{again}"
    );
    assert!(again.contains("a note alone makes none"), "{again}");
    let listed = succeeds(&db, &["template", "versions", "plain-text"], &[]);
    assert_eq!(listed.lines().count(), 1, "{listed}");
}

#[test]
fn save_over_a_version_refuses_when_a_newer_one_is_in_use_and_says_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    save(&db, dir.path(), V1, "mine started from v1");
    // Someone else saves v2 meanwhile.
    save(&db, dir.path(), V2, "theirs");
    let mine = "mac={{mac}}\nsip_port=5060\nsite={{site}}\nmine=1\n";
    let error = save_over(&db, dir.path(), mine, "1", false);
    assert!(
        error.contains(
            "template \"plain-text\" was not saved over version 1: version 2 was saved after it"
        ),
        "{error}"
    );
    assert!(
        error.contains("`provdesk template diff plain-text 1 2`") && error.contains("--over 2"),
        "{error}"
    );
    let listed = succeeds(&db, &["template", "versions", "plain-text"], &[]);
    assert_eq!(listed.lines().count(), 2, "nothing saved: {listed}");

    let error = save_over(&db, dir.path(), mine, "builtin", false);
    assert!(
        error.contains("`provdesk template diff plain-text builtin 2`"),
        "{error}"
    );
    let error = save_over(&db, dir.path(), mine, "7", false);
    assert!(error.contains("there is no version 7"), "{error}");

    let saved = save_over(&db, dir.path(), mine, "v2", true);
    assert!(saved.contains("saved plain-text as version 3"), "{saved}");
}

#[test]
fn save_over_builtin_saves_while_none_is_saved() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let saved = save_over(&db, dir.path(), V1, "builtin", true);
    assert!(saved.contains("saved plain-text as version 1"), "{saved}");
    let error = save_over(&db, dir.path(), V2, "builtin", false);
    assert!(error.contains("version 1 was saved after it"), "{error}");
}

/// `template reset` makes a reset version over an edited text, and says "no change" (exit 0,
/// no version) when the built-in text is in use already.
#[test]
fn reset_goes_back_to_the_built_in_template_once() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let out = succeeds(&db, &["template", "reset", "plain-text"], &[]);
    assert_eq!(
        out,
        "no change: plain-text already uses the built-in template, so no version was made\n"
    );
    save(&db, dir.path(), V1, "");
    let out = succeeds(&db, &["template", "reset", "plain-text"], &[]);
    assert!(
        out.starts_with("reset plain-text to the built-in template as version 2"),
        "{out}"
    );
    let out = succeeds(&db, &["template", "reset", "plain-text"], &[]);
    assert!(
        out.starts_with("no change: plain-text already uses the built-in template since version 2"),
        "{out}"
    );
    let listed = succeeds(&db, &["template", "versions", "plain-text"], &[]);
    assert_eq!(listed.lines().count(), 2, "one reset version: {listed}");
    let error = refused(&db, &["template", "reset", "nope"], &[]);
    assert!(error.contains("templates are: provider-frame"), "{error}");
}

/// A newline at the end is a change (the rendered file has it), so `template show` prints the
/// text as it is: showing a version into a file and saving that file back is no change.
#[test]
fn show_prints_the_text_exactly_so_saving_it_back_is_no_change() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    for body in ["mac={{mac}}", "mac={{mac}}\n\n"] {
        save(&db, dir.path(), body, "");
        let shown = succeeds(&db, &["template", "show", "plain-text"], &[]);
        assert_eq!(shown, body, "printed as saved");
        let out = save(&db, dir.path(), &shown, "");
        assert!(out.starts_with("no change:"), "{out}");
    }
    let listed = succeeds(&db, &["template", "versions", "plain-text"], &[]);
    assert_eq!(listed.lines().count(), 2, "{listed}");
    let diff = succeeds(&db, &["template", "diff", "plain-text", "1", "2"], &[]);
    assert!(diff.contains("\\ No newline at end of file"), "{diff}");
}
