//! The template diff on any two texts: it never panics, its lines rebuild both texts, its
//! line numbers count up without gaps, and the unified diff is empty exactly when nothing
//! changed.

use proptest::prelude::*;
use provdesk::templates::{LineKind, hunks, unified};

/// The texts' lines without their endings, split where the diff splits: at `\n`, `\r\n` and a
/// lone `\r`.
fn lines(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        let end = rest.find(['\n', '\r']).unwrap_or(rest.len());
        out.push(rest[..end].to_string());
        rest = &rest[end..];
        rest = rest
            .strip_prefix("\r\n")
            .or_else(|| rest.strip_prefix('\n'))
            .or_else(|| rest.strip_prefix('\r'))
            .unwrap_or(rest);
    }
    out
}

/// Texts made of a few lines that repeat, so the two sides share lines and the diff has
/// real matches to find, plus any characters at all.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::collection::vec(
            prop_oneof![
                Just("<a/>".to_string()),
                Just("<b/>".to_string()),
                Just("{{mac}}".to_string()),
                Just(String::new()),
                "\\PC{0,8}",
            ],
            0..20
        )
        .prop_flat_map(|parts| {
            prop::sample::select(vec!["\n", "\r\n", "\r"])
                .prop_map(move |ending| parts.join(ending))
        }),
        "\\PC{0,80}",
        any::<String>(),
    ]
}

proptest! {
    #[test]
    fn the_full_diff_rebuilds_both_texts(old in text(), new in text()) {
        let all = hunks(&old, &new, usize::MAX);
        prop_assert!(all.len() <= 1, "full context is one hunk at most");
        let lines_of = |side: LineKind| -> Vec<String> {
            all.iter()
                .flat_map(|h| &h.lines)
                .filter(|l| l.kind == LineKind::Same || l.kind == side)
                .map(|l| l.text.clone())
                .collect()
        };
        if all.is_empty() {
            prop_assert_eq!(lines(&old), lines(&new));
        } else {
            prop_assert_eq!(lines_of(LineKind::Removed), lines(&old));
            prop_assert_eq!(lines_of(LineKind::Added), lines(&new));
        }
        prop_assert_eq!(unified(&old, &new, "a", "b").is_empty(), all.is_empty());
    }

    #[test]
    fn hunks_number_their_lines_in_order(old in text(), new in text(), context in 0usize..4) {
        for hunk in hunks(&old, &new, context) {
            prop_assert!(hunk.added() + hunk.removed() > 0, "a hunk has a change");
            let olds: Vec<usize> = hunk.lines.iter().filter_map(|l| l.old_line).collect();
            let news: Vec<usize> = hunk.lines.iter().filter_map(|l| l.new_line).collect();
            prop_assert!(olds.windows(2).all(|w| w[1] == w[0] + 1), "{olds:?}");
            prop_assert!(news.windows(2).all(|w| w[1] == w[0] + 1), "{news:?}");
            for line in &hunk.lines {
                match line.kind {
                    LineKind::Same => prop_assert!(line.old_line.is_some() && line.new_line.is_some()),
                    LineKind::Added => prop_assert!(line.old_line.is_none() && line.new_line.is_some()),
                    LineKind::Removed => prop_assert!(line.old_line.is_some() && line.new_line.is_none()),
                }
            }
        }
    }
}
