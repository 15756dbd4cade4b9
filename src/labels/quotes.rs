//! A CSV quote that is never closed. The csv crate takes a quoted field that runs to the end
//! of the file as a field: one stray `"` made the rest of the file the notes of one device,
//! with no error. This follows the quoting the crate reads (a quote opens a field only at its
//! start, `""` inside is a quote, `\r`, `\n` or the delimiter end an unquoted field) to find
//! the quote left open, and the line it is on.

use super::lines::ends_line;

/// Where a field is, as the csv crate reads it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    /// At the start of a field: a quote here opens a quoted field.
    FieldStart,
    /// In a field that did not start with a quote: a quote is text.
    Unquoted,
    /// In a quoted field.
    Quoted,
    /// Just after a quote in a quoted field: it closed the field, or starts a `""`.
    QuoteInQuoted,
}

/// The 1-based line of the quote that opens a field never closed, if one is.
pub(super) fn unclosed_quote(text: &[u8], delimiter: u8, quote: u8) -> Option<usize> {
    let mut state = State::FieldStart;
    let mut line = 1;
    let mut opened = 1;
    for (index, &byte) in text.iter().enumerate() {
        let ends_field = byte == delimiter || byte == b'\r' || byte == b'\n';
        state = match state {
            State::FieldStart | State::QuoteInQuoted if ends_field => State::FieldStart,
            State::FieldStart if byte == quote => {
                opened = line;
                State::Quoted
            }
            State::Quoted if byte == quote => State::QuoteInQuoted,
            State::Quoted => State::Quoted,
            State::QuoteInQuoted if byte == quote => State::Quoted,
            State::Unquoted if ends_field => State::FieldStart,
            State::FieldStart | State::Unquoted | State::QuoteInQuoted => State::Unquoted,
        };
        if ends_line(text, index) {
            line += 1;
        }
    }
    (state == State::Quoted).then_some(opened)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn open(text: &str) -> Option<usize> {
        unclosed_quote(text.as_bytes(), b',', b'"')
    }

    #[test]
    fn the_line_of_the_quote_left_open_is_found() {
        assert_eq!(
            open("MAC,Notes\n7C2F80AAAC01,\"unclosed\n7C2F80AAAC02,x\n"),
            Some(2)
        );
        assert_eq!(open("a\rb,\"x\r\ny\"\"\rz"), Some(2), "\"\" is a quote");
        assert_eq!(open("a,\"x\ny\",\"z"), Some(2), "the second quote's line");
    }

    #[test]
    fn closed_quotes_and_quotes_inside_a_field_are_fine() {
        assert_eq!(open("a,\"b\nc\",d\n"), None);
        assert_eq!(open("a,\"b \"\"c\"\"\"\n"), None);
        assert_eq!(open("a,b\"c,d\n"), None, "a quote inside a field is text");
        assert_eq!(open("a,\"b\"c\"d\n"), None, "after a closing quote, text");
        assert_eq!(open("\"\""), None);
        assert_eq!(open(""), None);
        assert_eq!(unclosed_quote(b"a;\"b;c\";d", b';', b'"'), None);
    }
}
