//! Line diffs between two template texts, for Compare in the Templates panel and
//! `provdesk template diff`: hunks of added, removed and unchanged lines, and the same as a
//! unified diff. Both faces show what is computed here, so they never disagree about a change.
//!
//! The diff is `similar`'s Myers diff with a time limit: a template is a few kilobytes, but a
//! pasted file of any size must not hold the window; past the limit the diff is coarser (more
//! lines marked changed than needed), never wrong.

use std::time::Duration;

use similar::{ChangeTag, DiffOp, TextDiff};

/// Past this, the diff stops looking for the smallest change and reports a larger one.
const TIME_LIMIT: Duration = Duration::from_millis(500);

/// What happened to a line between the old and the new text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineKind {
    /// In both texts: context around a change.
    Same,
    /// Only in the new text.
    Added,
    /// Only in the old text.
    Removed,
}

/// One line of a hunk, without its line ending.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiffLine {
    pub kind: LineKind,
    /// The line's number in the old text, from 1; `None` for an added line.
    pub old_line: Option<usize>,
    /// The line's number in the new text, from 1; `None` for a removed line.
    pub new_line: Option<usize>,
    pub text: String,
    /// The last line of its text, with no newline after it: a newline added or taken at the
    /// end is in every rendered file, so it is a change, and without this mark the two sides
    /// would read the same.
    pub no_newline: bool,
}

/// A run of changed lines with up to `context` unchanged lines around it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hunk {
    pub lines: Vec<DiffLine>,
}

impl Hunk {
    /// How many lines this hunk adds.
    pub fn added(&self) -> usize {
        self.count(LineKind::Added)
    }

    /// How many lines this hunk removes.
    pub fn removed(&self) -> usize {
        self.count(LineKind::Removed)
    }

    fn count(&self, kind: LineKind) -> usize {
        self.lines.iter().filter(|line| line.kind == kind).count()
    }
}

fn line_diff<'a>(old: &'a str, new: &'a str) -> TextDiff<'a, 'a, str> {
    TextDiff::configure()
        .timeout(TIME_LIMIT)
        .diff_lines(old, new)
}

/// A line as `similar` gives it (with its ending), without the ending.
fn without_ending(line: &str) -> &str {
    let line = line.strip_suffix('\n').unwrap_or(line);
    line.strip_suffix('\r').unwrap_or(line)
}

/// The hunks that turn `old` into `new`, each with up to `context` unchanged lines before and
/// after; empty when the texts have the same lines. Any `context` is taken: more than the
/// texts have lines means one hunk with all of them (`similar` overflows on `usize::MAX`).
pub fn hunks(old: &str, new: &str, context: usize) -> Vec<Hunk> {
    let diff = line_diff(old, new);
    let context = context.min(old.len().max(new.len()) + 1);
    diff.grouped_ops(context)
        .iter()
        .filter(|group| group.iter().any(|op| !matches!(op, DiffOp::Equal { .. })))
        .map(|group| Hunk {
            lines: group
                .iter()
                .flat_map(|op| diff.iter_changes(op))
                .map(|change| DiffLine {
                    kind: match change.tag() {
                        ChangeTag::Equal => LineKind::Same,
                        ChangeTag::Insert => LineKind::Added,
                        ChangeTag::Delete => LineKind::Removed,
                    },
                    old_line: change.old_index().map(|i| i + 1),
                    new_line: change.new_index().map(|i| i + 1),
                    text: without_ending(change.value()).to_string(),
                    no_newline: !change.value().ends_with('\n'),
                })
                .collect(),
        })
        .collect()
}

/// The unified diff (`diff -u`, three lines of context) from `old`, labelled `old_label`, to
/// `new`; empty when the texts have the same lines.
pub fn unified(old: &str, new: &str, old_label: &str, new_label: &str) -> String {
    let diff = line_diff(old, new);
    if diff
        .ops()
        .iter()
        .all(|op| matches!(op, DiffOp::Equal { .. }))
    {
        return String::new();
    }
    diff.unified_diff()
        .context_radius(3)
        .missing_newline_hint(true)
        .header(old_label, new_label)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    const OLD: &str = "<a>\n<b/>\n<c/>\n<d/>\n<e/>\n<f/>\n<g/>\n<h/>\n<i/>\n</a>\n";

    #[test]
    fn a_changed_line_is_one_removed_and_one_added_line_with_context_around_it() {
        let new = OLD.replace("<e/>", "<e port=\"5070\"/>");
        let found = hunks(OLD, &new, 2);
        assert_eq!(found.len(), 1);
        let lines: Vec<(LineKind, &str)> = found[0]
            .lines
            .iter()
            .map(|l| (l.kind, l.text.as_str()))
            .collect();
        assert_eq!(
            lines,
            vec![
                (LineKind::Same, "<c/>"),
                (LineKind::Same, "<d/>"),
                (LineKind::Removed, "<e/>"),
                (LineKind::Added, "<e port=\"5070\"/>"),
                (LineKind::Same, "<f/>"),
                (LineKind::Same, "<g/>"),
            ]
        );
        assert_eq!(found[0].lines[2].old_line, Some(5));
        assert_eq!(found[0].lines[2].new_line, None);
        assert_eq!(found[0].lines[3].new_line, Some(5));
        assert_eq!((found[0].added(), found[0].removed()), (1, 1));
    }

    #[test]
    fn changes_far_apart_are_separate_hunks_and_equal_texts_have_none() {
        let new = OLD.replace("<b/>", "<B/>").replace("<i/>", "<I/>");
        assert_eq!(hunks(OLD, &new, 1).len(), 2);
        assert_eq!(hunks(OLD, &new, 10).len(), 1, "joined by their context");
        assert!(hunks(OLD, OLD, 3).is_empty());
        assert!(unified(OLD, OLD, "v1", "v2").is_empty());
        assert!(hunks("", "", 3).is_empty());
    }

    #[test]
    fn the_unified_diff_has_headers_and_marks_each_line() {
        let new = OLD.replace("<e/>\n", "");
        let text = unified(OLD, &new, "provider-frame v1", "provider-frame v2");
        assert!(
            text.starts_with("--- provider-frame v1\n+++ provider-frame v2\n@@ -2,7 +2,6 @@\n")
        );
        assert!(text.contains("\n-<e/>\n"));
        assert!(text.contains("\n <d/>\n"));
    }

    #[test]
    fn windows_line_endings_and_a_missing_last_newline_are_not_shown_as_text() {
        let found = hunks("a\r\nb\r\n", "a\r\nc", 3);
        let texts: Vec<&str> = found[0].lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(texts, vec!["a", "b", "c"]);
        let marked: Vec<bool> = found[0].lines.iter().map(|l| l.no_newline).collect();
        assert_eq!(
            marked,
            vec![false, false, true],
            "only c ends the text without one"
        );
        let ending = hunks("a\nb\n", "a\nb", 3);
        let ending: Vec<(LineKind, &str, bool)> = ending[0]
            .lines
            .iter()
            .map(|l| (l.kind, l.text.as_str(), l.no_newline))
            .collect();
        assert_eq!(
            ending,
            [
                (LineKind::Same, "a", false),
                (LineKind::Removed, "b", false),
                (LineKind::Added, "b", true)
            ],
            "a newline taken at the end tells the two b lines apart"
        );
        assert!(unified("a\nb\n", "a\nc", "old", "new").contains("\\ No newline at end of file"));
    }
}
