//! Text from outside (a label file, a scanner, a server's answer) made safe to show on a
//! terminal or in the window: control characters escaped, so an escape sequence in a file
//! cannot recolour or rewrite the terminal; the invisible characters that reorder text
//! escaped, so a site name cannot make a line read other than it is ("Trojan Source"); and a
//! value of megabytes cut to what a line can hold. The middle goes, not the end: a message
//! quotes the value first and says what to do last.

use std::borrow::Cow;

/// Whether `c` is escaped wherever outside text is shown: a control character (`is_control`,
/// Unicode's Cc), or a format character that changes the order or the shaping of the text
/// around it. Those are the bidirectional marks, embeddings, overrides and isolates (U+061C,
/// U+200E–200F, U+202A–202E, U+2066–2069), with which `Site \u{202e}1 mooR` shows as
/// `Site Room 1`, and the deprecated shaping controls U+206A–206F. The other format characters
/// stay: the zero-width joiners of emoji and of Indic and Persian script, soft hyphens.
fn is_escaped(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{206f}'
        )
}

/// `text` as a terminal may print it: every control character escaped except line feeds and
/// tabs, and every character that reorders text ([`is_escaped`]), so a fetched body keeps its
/// lines but an escape sequence in it (`\u{1b}[2J`, a title-setting `\u{1b}]0;…\u{7}`) shows
/// as text instead of clearing the screen. Nothing is cut: this is for output that is the
/// content itself, where [`printable`] is for a value quoted in a message.
pub fn terminal_text(text: &str) -> Cow<'_, str> {
    let kept = |c: char| !is_escaped(c) || c == '\n' || c == '\t';
    if text.chars().all(kept) {
        return Cow::Borrowed(text);
    }
    let mut shown = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if kept(c) {
            shown.push(c);
        } else {
            shown.extend(c.escape_default());
        }
    }
    Cow::Owned(shown)
}

/// `text` with every control character and every character that reorders text escaped
/// (`\u{1b}`, `\n`, `\u{202e}`) and, when longer than `max` characters, its middle replaced
/// by a note of how much was left out.
pub fn printable(text: &str, max: usize) -> String {
    let mut shown = String::with_capacity(text.len().min(max.saturating_mul(4)));
    for c in text.chars() {
        if is_escaped(c) {
            shown.extend(c.escape_default());
        } else {
            shown.push(c);
        }
    }
    let length = shown.chars().count();
    if length <= max {
        return shown;
    }
    let keep = max / 2;
    let start: String = shown.chars().take(keep).collect();
    let end: String = shown.chars().skip(length - keep).collect();
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

    /// Hostile review 4, finding 14: U+202E in a site was printed raw and turned the rest of
    /// the line around.
    #[test]
    fn characters_that_reorder_text_are_escaped() {
        assert_eq!(
            printable("Site \u{202e}1 mooR", 100),
            "Site \\u{202e}1 mooR"
        );
        assert_eq!(
            terminal_text("a\u{2066}b\u{2069}\u{200f}\u{61c}\u{206a}\n"),
            "a\\u{2066}b\\u{2069}\\u{200f}\\u{61c}\\u{206a}\n"
        );
    }

    proptest::proptest! {
        /// Whatever the text, nothing shown reorders the line or steers the terminal, and
        /// the text of people (accents, umlauts, CJK, Arabic and Hebrew letters, emoji with
        /// their joiners) is shown as written.
        #[test]
        fn shown_text_holds_no_control_and_keeps_every_letter(
            text in "(\\PC|[\u{0}-\u{9f}\u{200b}-\u{200f}\u{202a}-\u{202e}\u{2060}-\u{206f}\u{61c}\u{feff}])*",
            letters in "[\\p{L}\\p{M}\\p{N}\\p{P}\\p{S}\u{200c}\u{200d} ]{0,40}",
        ) {
            for shown in [printable(&text, usize::MAX), terminal_text(&text).into_owned()] {
                proptest::prop_assert!(
                    !shown.chars().any(|c| is_escaped(c) && c != '\n' && c != '\t'),
                    "{:?}", shown
                );
            }
            proptest::prop_assert_eq!(printable(&letters, usize::MAX), letters.clone());
            proptest::prop_assert_eq!(terminal_text(&letters), letters.as_str());
        }
    }

    #[test]
    fn legitimate_text_is_untouched() {
        for text in [
            "Müller Straße, Zürich",
            "Hôtel-Dieu, São Paulo, Łódź",
            "東京本社 3階",
            "서울 지점",
            "مكتب دبي",
            "משרד תל אביב",
            "👨\u{200d}👩\u{200d}👧 Familie",
            "नमस्ते",
        ] {
            assert_eq!(printable(text, 100), text);
            assert!(matches!(terminal_text(text), Cow::Borrowed(_)), "{text}");
        }
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
