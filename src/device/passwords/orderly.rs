//! Whether what follows a password's closing quote on its line reads as well-formed markup. A
//! script that does not escape writes `value="ab"><cd"/>` for the password `ab"><cd`: the quote
//! that seemed to close the value did not, and the line's stray quote says so.

/// Where reading the rest of a line stands.
#[derive(Clone, Copy)]
enum State {
    /// Inside a tag; `after_equals` when an attribute's `=` came last, so a quote opens a value.
    Tag { after_equals: bool },
    /// Inside a quoted value, closed by this quote.
    Value(u8),
    /// Between tags.
    Text,
}

/// `rest` (the rest of a line, starting inside the tag whose value just closed) has every quote
/// in a value opened by `=` and closed, no `<` inside a tag or a value, and no quote or bare `<`
/// between tags.
pub(super) fn is_orderly(rest: &str) -> bool {
    let bytes = rest.as_bytes();
    let mut state = State::Tag {
        after_equals: false,
    };
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        state = match (state, b) {
            (State::Tag { .. }, b'<') | (State::Value(_), b'<') => return false,
            (State::Tag { after_equals: true }, b'"' | b'\'') => State::Value(b),
            (State::Tag { .. }, b'"' | b'\'') => return false,
            (State::Tag { .. }, b'=') => State::Tag { after_equals: true },
            (State::Tag { .. }, b'>') => State::Text,
            (State::Tag { after_equals }, _) if b.is_ascii_whitespace() => {
                State::Tag { after_equals }
            }
            (State::Tag { .. }, _) => State::Tag {
                after_equals: false,
            },
            (State::Value(quote), _) if b == quote => State::Tag {
                after_equals: false,
            },
            (State::Value(quote), _) => State::Value(quote),
            (State::Text, b'"' | b'\'') => return false,
            (State::Text, b'<') => match bytes.get(i + 1) {
                Some(next) if !next.is_ascii_whitespace() && *next != b'<' => State::Tag {
                    after_equals: false,
                },
                _ => return false,
            },
            (State::Text, _) => State::Text,
        };
        i += 1;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::is_orderly;

    #[test]
    fn well_formed_rests_are_orderly() {
        for rest in [
            "",
            "/>",
            " class=\"string\"/>",
            "/><S_SIP_LOGIN_ID_1 value='x'/>  <!-- note -->",
            ">text</password>",
        ] {
            assert!(is_orderly(rest), "{rest}");
        }
    }

    #[test]
    fn stray_quotes_and_tags_are_not() {
        for rest in [
            "cd\"/>",
            "><jzq\"/>",
            "/>tag5\"/>",
            " x=\"open <b/>",
            "> a < b",
            "/>\"",
        ] {
            assert!(!is_orderly(rest), "{rest}");
        }
    }
}
