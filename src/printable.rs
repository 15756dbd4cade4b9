//! Text from outside (a label file, a scanner, a server's answer) made safe to show on a
//! terminal or in the window: control characters escaped, so an escape sequence in a file
//! cannot recolour or rewrite the terminal, and a value of megabytes cut to what a line can
//! hold. The middle goes, not the end: a message quotes the value first and says what to do
//! last.

use std::borrow::Cow;

/// `text` as a terminal may print it: every control character escaped except line feeds and
/// tabs, so a fetched body keeps its lines but an escape sequence in it (`\u{1b}[2J`, a
/// title-setting `\u{1b}]0;…\u{7}`) shows as text instead of clearing the screen. Nothing is cut:
/// this is for output that is the content itself, where [`printable`] is for a value quoted in a
/// message.
pub fn terminal_text(text: &str) -> Cow<'_, str> {
    let kept = |c: char| !c.is_control() || c == '\n' || c == '\t';
    if text.chars().all(kept) {
        return Cow::Borrowed(text);
    }
    let mut escaped = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if kept(c) {
            escaped.push(c);
        } else {
            escaped.extend(c.escape_default());
        }
    }
    Cow::Owned(escaped)
}

/// `text` with every control character escaped (`\u{1b}`, `\n`) and, when longer than `max`
/// characters, its middle replaced by a note of how much was left out.
pub fn printable(text: &str, max: usize) -> String {
    let mut escaped = String::with_capacity(text.len().min(4 * max));
    for c in text.chars() {
        if c.is_control() {
            escaped.extend(c.escape_default());
        } else {
            escaped.push(c);
        }
    }
    let length = escaped.chars().count();
    if length <= max {
        return escaped;
    }
    let keep = max / 2;
    let start: String = escaped.chars().take(keep).collect();
    let end: String = escaped.chars().skip(length - keep).collect();
    format!(
        "{start} … ({} characters left out) … {end}",
        length - 2 * keep
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_escaped() {
        assert_eq!(printable("a\u{1b}[31mb\n", 100), "a\\u{1b}[31mb\\n");
        assert_eq!(printable("Müller", 100), "Müller");
    }

    #[test]
    fn terminal_text_keeps_lines_and_tabs_only() {
        assert_eq!(terminal_text("a\tb\nc"), "a\tb\nc");
        assert_eq!(
            terminal_text("x\u{1b}[2J\u{1b}]0;pwned\u{7}\r\u{9b}y\n"),
            "x\\u{1b}[2J\\u{1b}]0;pwned\\u{7}\\r\\u{9b}y\n"
        );
        assert!(matches!(terminal_text("plain"), Cow::Borrowed("plain")));
    }

    #[test]
    fn a_long_text_keeps_its_start_and_end() {
        let text = format!("start{}end", "x".repeat(10_000));
        let shown = printable(&text, 40);
        assert!(shown.starts_with("startxxx"), "{shown}");
        assert!(shown.ends_with("xxxend"), "{shown}");
        assert!(shown.contains("(9968 characters left out)"), "{shown}");
        assert!(shown.chars().count() < 80);
    }
}
