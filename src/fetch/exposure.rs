//! What exports and views show of the values an offline guess could start from: the digest
//! `response` and `cnonce` of a step answered with a password (with the label's first four
//! characters printed, a 12-character MAC password falls to a guess from them), and passwords
//! a fetched configuration file carries, and the password of a URL a server names in a header.
//! Masked unless the user reveals them on purpose.

use super::events::HeaderLine;
use crate::device::mask_url_password;
use crate::secret::MASK;

/// What a HAR or JSON file of a fetch holds besides what is always in it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ExportOptions {
    /// The HAR carries the response bodies (configuration files with passwords).
    pub bodies: bool,
    /// The digest `response`/`cnonce` and passwords in bodies are written in the clear.
    pub reveal_secrets: bool,
}

/// A Digest `Authorization` value with its `response` and `cnonce` masked; other values as
/// they are (a Basic one is already logged masked).
pub fn mask_authorization(value: &str) -> String {
    let mut out = value.to_string();
    for name in ["response", "cnonce"] {
        out = mask_param(&out, name);
    }
    out
}

/// Masks the quoted value of `, name="…"` (a quoted-string never holds a bare `"`).
fn mask_param(value: &str, name: &str) -> String {
    let key = format!("{name}=\"");
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(at) = find_param(rest, &key) {
        let start = at + key.len();
        out.push_str(&rest[..start]);
        out.push_str(MASK);
        let tail = &rest[start..];
        let end = quoted_end(tail);
        rest = &tail[end..];
    }
    out.push_str(rest);
    out
}

/// Where `key` starts as a parameter name: at the start or after a comma and blanks.
fn find_param(text: &str, key: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(found) = text[from..].find(key) {
        let at = from + found;
        let before = text[..at].trim_end_matches(' ');
        if before.is_empty() || before.ends_with(',') || before.ends_with("Digest") {
            return Some(at);
        }
        from = at + key.len();
    }
    None
}

/// The index of the closing quote of a quoted-string body (escapes skipped), or the end.
fn quoted_end(tail: &str) -> usize {
    let mut escaped = false;
    for (i, c) in tail.char_indices() {
        match c {
            '\\' if !escaped => escaped = true,
            '"' if !escaped => return i,
            _ => escaped = false,
        }
    }
    tail.len()
}

/// Response headers whose value is a URL: a server may write `user:pass@` into one (a redirect
/// to `http://admin:pw@host/…`), and a URL is never shown with its password.
const URL_HEADERS: [&str; 2] = ["location", "content-location"];

/// The header lines as a view or export shows them, sent or received: unless `reveal`,
/// `Authorization` with its digest answer masked and the password of a URL in `Location` or
/// `Content-Location` masked.
pub fn shown_headers(headers: &[HeaderLine], reveal: bool) -> Vec<HeaderLine> {
    headers
        .iter()
        .map(|h| {
            if reveal {
                h.clone()
            } else if h.name.eq_ignore_ascii_case("authorization") {
                HeaderLine::new(h.name.clone(), mask_authorization(&h.value))
            } else if URL_HEADERS.iter().any(|n| h.name.eq_ignore_ascii_case(n)) {
                HeaderLine::new(h.name.clone(), mask_url_password(&h.value))
            } else {
                h.clone()
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn response_and_cnonce_are_masked_and_the_rest_kept() {
        let header = r#"Digest username="7C2F80820EC0", realm="r, response=\"x\"", nonce="n", uri="/a", algorithm=MD5, qop=auth, nc=00000001, cnonce="0a4f113b", response="6629fae49393a05397450978507c4ef1", opaque="o""#;
        let masked = mask_authorization(header);
        assert_eq!(
            masked,
            format!(
                r#"Digest username="7C2F80820EC0", realm="r, response=\"x\"", nonce="n", uri="/a", algorithm=MD5, qop=auth, nc=00000001, cnonce="{MASK}", response="{MASK}", opaque="o""#
            )
        );
        assert_eq!(mask_authorization("Basic ••••••"), "Basic ••••••");
    }

    #[test]
    fn a_password_in_a_location_is_masked_unless_revealed() {
        let headers = [
            HeaderLine::new("location", "http://admin:leakpw@127.0.0.1:1/x"),
            HeaderLine::new("Content-Location", "https://u:pw2@h.example/a.xml"),
            HeaderLine::new("Server", "u:p@x"),
        ];
        let shown = shown_headers(&headers, false);
        assert_eq!(shown[0].value, format!("http://admin:{MASK}@127.0.0.1:1/x"));
        assert_eq!(shown[1].value, format!("https://u:{MASK}@h.example/a.xml"));
        assert_eq!(shown[2].value, "u:p@x", "not a URL header");
        assert_eq!(shown_headers(&headers, true), headers);
    }
}
