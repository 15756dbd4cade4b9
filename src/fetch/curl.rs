//! "Copy as curl" for one step: a command that repeats the request. The password never goes
//! into the clipboard: curl is told the user name only and asks for the password itself.

use super::events::{AnswerKind, Step};

/// A shell command that repeats `step`. For an answered step curl is asked to do the digest
/// (or Basic) exchange itself with the same user, since a copied nonce would be stale.
pub fn to_curl(step: &Step, insecure: bool) -> String {
    let mut parts = vec!["curl".to_string(), "-v".to_string()];
    if insecure {
        parts.push("--insecure".to_string());
    }
    if let Some(answer) = &step.answer {
        match &answer.kind {
            AnswerKind::Digest(_) => parts.push("--digest".to_string()),
            AnswerKind::Basic => parts.push("--basic".to_string()),
        }
        parts.push("--user".to_string());
        parts.push(shell_quote(&answer.username));
    }
    for header in &step.request.headers {
        if header.name.eq_ignore_ascii_case("user-agent") {
            parts.push("-A".to_string());
            parts.push(shell_quote(&header.value));
        }
    }
    parts.push(shell_quote(&step.request.url));
    parts.join(" ")
}

/// Single-quotes for POSIX shells.
fn shell_quote(text: &str) -> String {
    if !text.is_empty()
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_./:@%+=,".contains(&b))
    {
        text.to_string()
    } else {
        format!("'{}'", text.replace('\'', "'\\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_survives_quotes_and_blanks() {
        assert_eq!(shell_quote("7C2F80820EC0"), "7C2F80820EC0");
        assert_eq!(shell_quote("it's me"), "'it'\\''s me'");
        assert_eq!(shell_quote(""), "''");
    }
}
