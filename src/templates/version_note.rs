//! The note an installer writes on a template version ("SIP port 5070 for Hotel Adler"), and
//! the fixed note of a return to the built-in template. The note is for telling versions apart
//! in a list, so it is one short line.

use thiserror::Error;

/// The longest note, in characters: it has to fit on a line of the versions list.
pub const NOTE_MAX_CHARS: usize = 120;

/// The note the store writes on a version that went back to the built-in template. Faces tell
/// such a version by its missing body, not by this text.
pub const RESET_NOTE: &str = "reset to the built-in template";

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum NoteError {
    #[error(
        "the note has {chars} characters, more than {NOTE_MAX_CHARS}: shorten it to what tells this version apart (e.g. \"SIP port 5070 for Hotel Adler\")"
    )]
    TooLong { chars: usize },
}

/// The note as stored: trimmed, line breaks, tabs and other control characters as single
/// spaces (a note pasted from a ticket keeps its words but stays one line). Empty is fine:
/// the note is optional.
pub fn version_note(note: &str) -> Result<String, NoteError> {
    let mut cleaned = String::with_capacity(note.len());
    for word in note.split(|c: char| c.is_control() || c.is_whitespace()) {
        if word.is_empty() {
            continue;
        }
        if !cleaned.is_empty() {
            cleaned.push(' ');
        }
        cleaned.push_str(word);
    }
    let chars = cleaned.chars().count();
    if chars > NOTE_MAX_CHARS {
        return Err(NoteError::TooLong { chars });
    }
    Ok(cleaned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_note_becomes_one_trimmed_line_and_a_long_one_is_refused() {
        assert_eq!(
            version_note("  SIP port 5070\r\n\tfor Hotel Adler \u{7}").unwrap(),
            "SIP port 5070 for Hotel Adler"
        );
        assert_eq!(version_note("").unwrap(), "");
        assert_eq!(
            version_note(&"ü".repeat(NOTE_MAX_CHARS))
                .unwrap()
                .chars()
                .count(),
            NOTE_MAX_CHARS
        );
        let error = version_note(&"x".repeat(NOTE_MAX_CHARS + 1)).unwrap_err();
        assert_eq!(
            error,
            NoteError::TooLong {
                chars: NOTE_MAX_CHARS + 1
            }
        );
        assert!(error.to_string().contains("shorten it"));
    }
}
