//! How long the free text of a device, a site or a SIP account may be, and which characters
//! it may not hold: a value that reaches a configuration file, a terminal or a table should be
//! something a person typed on one line. Gigaset publishes no limits; these keep a file the
//! phone can hold and a table a person can read.

/// Names: a site, a provider, a user, a SIP field.
pub const NAME_MAX: usize = 128;
/// A provisioning URL (browsers and servers agree on at least this much).
pub const URL_MAX: usize = 2048;
/// A device's or a site's notes.
pub const NOTES_MAX: usize = 2000;

/// What is wrong with a one-line value, in words with what to do; `None` when it is fine.
pub fn line_problem(text: &str, max: usize) -> Option<String> {
    if text.chars().any(char::is_control) {
        return Some(
            "holds a control character (a line break or tab?): type it on one line, without them"
                .into(),
        );
    }
    length_problem(text, max)
}

/// What is wrong with notes: they may run over several lines and hold tabs, but no other
/// control character (a terminal would obey it).
pub fn notes_problem(text: &str) -> Option<String> {
    if text
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Some("holds a control character other than a line break or tab: remove it".into());
    }
    length_problem(text, NOTES_MAX)
}

fn length_problem(text: &str, max: usize) -> Option<String> {
    let length = text.chars().count();
    (length > max)
        .then(|| format!("has {length} characters; provdesk keeps at most {max}: shorten it"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_line_values_refuse_control_characters_and_excess() {
        assert_eq!(line_problem("Hotel Adler", NAME_MAX), None);
        assert!(
            line_problem("a\u{1b}[31mb", NAME_MAX)
                .unwrap()
                .contains("control")
        );
        assert!(
            line_problem("two\nlines", NAME_MAX)
                .unwrap()
                .contains("one line")
        );
        assert_eq!(line_problem(&"é".repeat(NAME_MAX), NAME_MAX), None);
        let long = line_problem(&"S".repeat(70_000), NAME_MAX).unwrap();
        assert!(
            long.contains("70000 characters") && long.contains("at most 128"),
            "{long}"
        );
    }

    #[test]
    fn notes_keep_lines_and_tabs_but_no_escapes() {
        assert_eq!(notes_problem("Room 100\r\nFloor 1\tleft"), None);
        assert!(notes_problem("bell\u{7}").is_some());
        assert!(notes_problem(&"n".repeat(NOTES_MAX + 1)).is_some());
    }
}
