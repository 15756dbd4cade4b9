//! Where a configuration file keeps passwords, in every format provdesk knows, so that a file
//! shown or exported (a fetched body, a HAR for a support ticket) has them masked by where they
//! stand, not only when they equal a password the program happens to know: during a password
//! change the file's `S_PROV_PASSWORD` is by definition not the one the fetch used.
//!
//! The parameters come from the catalogue (each model's digest password parameter and its SIP
//! accounts' password parameter), so a model added with new names is masked without a second
//! list; any setting whose name says password is masked too, since files carry settings
//! provdesk does not write (a Spectralink server's `<password>`, an admin password).
//!
//! The scan is lexical, not a parse: it must work on malformed XML, patch files, plain text
//! and hostile bytes alike, in time linear in the text, and keep every line where it was.

mod orderly;
mod tags;

use std::ops::Range;
use std::sync::LazyLock;

use super::catalogue::CATALOGUE;
use super::model::AccountField;
use super::url::userinfo_password;
use crate::secret::MASK;

/// Words that make a setting's name a password's wherever they stand in it (compared ignoring
/// case): English and German spellings and the usual abbreviations.
const PASSWORD_WORDS: [&str; 9] = [
    "password",
    "passwd",
    "passwort",
    "kennwort",
    "pwd",
    "secret",
    "passcode",
    "passphrase",
    "pincode",
];

/// Abbreviations that say password only as a word of their own in a name: `S_HTTP_PW`,
/// `ADMIN_PW_1`, `httpPw`, a system PIN (`aucSysPin`, `S_SYSTEM_PIN`). Inside a longer word
/// they are something else (`PWR_SAVE`, `I_PING_INTERVAL`, `SHIPPING`), so they are not
/// looked for there. A PIN setting that is a switch (`PIN_ENABLED`) is masked too: a switch
/// hidden costs a look at the file, a PIN shown costs the PIN.
const PASSWORD_ABBREVIATIONS: [&str; 2] = ["pw", "pin"];

/// The catalogue's password parameters, lower case, `#` where an account's number goes:
/// `s_prov_password`, `s_sip_password_#`, `sipaccount.#.authpassword`, …
static CATALOGUE_PATTERNS: LazyLock<Vec<String>> = LazyLock::new(|| {
    let mut patterns: Vec<String> = password_params().map(|p| p.to_ascii_lowercase()).collect();
    patterns.sort();
    patterns.dedup();
    patterns
});

/// Every parameter name the catalogue says holds a password, as written there (`#` for a SIP
/// account's number): the models' digest password parameters and their SIP account passwords.
pub fn password_params() -> impl Iterator<Item = &'static str> {
    CATALOGUE.iter().flat_map(|model| {
        let digest = model.credentials.map(|c| c.password_param);
        let sip = model
            .sip_params
            .into_iter()
            .flat_map(|sip| sip.params.iter())
            .filter(|param| param.value == AccountField::Password)
            .map(|param| param.pattern);
        digest.into_iter().chain(sip)
    })
}

/// Whether a setting of this name holds a password: a catalogue parameter (with any prefix, as
/// the symbolic items `BS_IP_Data1.aucS_SIP_PASSWORD_1` carry), or a name that says password,
/// in a word or with an abbreviation standing as a word of its own.
pub fn is_password_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    PASSWORD_WORDS.iter().any(|word| lower.contains(word))
        || words(name).any(|word| {
            PASSWORD_ABBREVIATIONS
                .iter()
                .any(|abbreviation| word.eq_ignore_ascii_case(abbreviation))
        })
        || CATALOGUE_PATTERNS
            .iter()
            .any(|pattern| ends_with_pattern(&lower, pattern))
}

/// The words of a setting's name: split at every character that is neither letter nor digit,
/// between letters and digits, where a small letter meets a capital (`httpPw`), and before the
/// last capital of a run followed by a small letter (`HTTPPw`).
fn words(name: &str) -> impl Iterator<Item = &str> {
    let chars: Vec<(usize, char)> = name.char_indices().collect();
    let mut words = Vec::new();
    let mut start: Option<usize> = None;
    for (n, &(at, c)) in chars.iter().enumerate() {
        if !c.is_alphanumeric() {
            if let Some(begun) = start.take() {
                words.push(&name[begun..at]);
            }
            continue;
        }
        let before = n.checked_sub(1).map(|b| chars[b].1);
        let after = chars.get(n + 1).map(|&(_, a)| a);
        let boundary = before.is_some_and(|b| {
            b.is_alphanumeric()
                && (b.is_numeric() != c.is_numeric()
                    || b.is_lowercase() && c.is_uppercase()
                    || b.is_uppercase()
                        && c.is_uppercase()
                        && after.is_some_and(char::is_lowercase))
        });
        if boundary && let Some(begun) = start.replace(at) {
            words.push(&name[begun..at]);
        }
        start.get_or_insert(at);
    }
    if let Some(begun) = start {
        words.push(&name[begun..]);
    }
    words.into_iter()
}

/// `name` ends with `pattern`, a `#` in it standing for one or more digits.
fn ends_with_pattern(name: &str, pattern: &str) -> bool {
    let mut name = name.as_bytes();
    for &expected in pattern.as_bytes().iter().rev() {
        if expected == b'#' {
            let digits = name.iter().rev().take_while(|b| b.is_ascii_digit()).count();
            if digits == 0 {
                return false;
            }
            name = &name[..name.len() - digits];
        } else {
            match name.split_last() {
                Some((&last, rest)) if last == expected => name = rest,
                _ => return false,
            }
        }
    }
    true
}

/// `text` with the value of every password setting and the password of every `user:pass@` URL
/// replaced by [`MASK`]; `None` when it holds none. Settings are XML elements and attributes
/// (`<S_PROV_PASSWORD value="…"/>`, `<param name="…Password" value="…"/>`,
/// `<password>…</password>`) and `NAME=value` / `NAME: value` lines. Every line stays: a masked
/// value that spanned lines keeps its line breaks after the mask.
pub fn mask_passwords(text: &str) -> Option<String> {
    let mut spans = Vec::new();
    tags::tag_passwords(text, &mut spans);
    setting_lines(text, &mut spans);
    url_passwords(text, &mut spans);
    sip_passwords(text, &mut spans);
    masked(text, spans)
}

/// `NAME=value` and `NAME: value` lines (a DX800A patch file, plain text, INI, YAML): the value
/// of a password's name, its quotes and a trailing comma kept.
fn setting_lines(text: &str, spans: &mut Vec<Range<usize>>) {
    let mut line_start = 0;
    for line in text.split_inclusive('\n') {
        let lead = line.len() - line.trim_start().len();
        let setting = &line[lead..];
        if let Some(separator) = setting.find(['=', ':']) {
            let key = setting[..separator].trim().trim_matches(['"', '\'']);
            let plain_key = !key.is_empty()
                && key
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"_.-[]".contains(&b));
            if plain_key && is_password_name(key) {
                let value_start = line_start + lead + separator + 1;
                let value_end = line_start + line.len();
                let value = &text[value_start..value_end];
                let value = value.trim_end().trim_end_matches([',', ';']);
                spans.push(inner(text, value_start..value_start + value.len()));
            }
        }
        line_start += line.len();
    }
}

/// A URL inside a token holds more URLs rarely (a redirect in a query); past this many the
/// rest of the token is left, so a token of nothing but `://` stays linear to scan.
const URLS_PER_TOKEN: usize = 8;

/// The password of `scheme://user:pass@host…` wherever a URL stands: in an element, an
/// attribute or a line. A URL ends at a blank, `<`, `>` or `"`.
fn url_passwords(text: &str, spans: &mut Vec<Range<usize>>) {
    let mut from = 0;
    while let Some(found) = text[from..].find("://") {
        let token_start = from + found;
        let token_end = token_end(text, token_start);
        let token = &text[token_start..token_end];
        for (at, _) in token.match_indices("://").take(URLS_PER_TOKEN) {
            let rest = token_start + at + 3;
            if let Some(password) = userinfo_password(&text[rest..token_end]) {
                spans.push(rest + password.start..rest + password.end);
            }
        }
        from = token_end;
    }
}

/// Where a URL (or a SIP URI) that starts at `start` ends: at a blank, `<`, `>` or `"`.
fn token_end(text: &str, start: usize) -> usize {
    text[start..]
        .find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"'))
        .map_or(text.len(), |end| start + end)
}

/// The password of a SIP URI `sip:user:pass@host` or `sips:…` (no `//`, so the URL scan does
/// not see it), in a setting, a header or a line: the scheme is matched ignoring case, as a
/// word of its own (`gossip:` is no SIP URI). One URI per token is read, which keeps a token
/// of nothing but `sip:` linear to scan.
fn sip_passwords(text: &str, spans: &mut Vec<Range<usize>>) {
    let bytes = text.as_bytes();
    let mut from = 0;
    while let Some(found) = find_ignoring_case(&bytes[from..], b"sip") {
        let scheme = from + found;
        let after_scheme = scheme + 3;
        let starts_word = scheme == 0 || !bytes[scheme - 1].is_ascii_alphanumeric();
        let colon = match bytes.get(after_scheme..) {
            Some([b':', ..]) => Some(after_scheme),
            Some([b's' | b'S', b':', ..]) => Some(after_scheme + 1),
            _ => None,
        };
        match colon.filter(|_| starts_word) {
            Some(colon) => {
                let rest = colon + 1;
                let end = token_end(text, rest);
                if let Some(password) = userinfo_password(&text[rest..end]) {
                    spans.push(rest + password.start..rest + password.end);
                }
                from = end;
            }
            None => from = after_scheme,
        }
    }
}

/// Where `needle` (ASCII lower case) first stands in `haystack`, ignoring ASCII case.
fn find_ignoring_case(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window.eq_ignore_ascii_case(needle))
}

/// The span without blanks around it and without one pair of quotes enclosing it
/// (`value='"pw"'` of a `SYMB_ITEM` keeps its inner quotes), so the masked file keeps its shape.
fn inner(text: &str, span: Range<usize>) -> Range<usize> {
    let value = &text[span.clone()];
    let start = span.start + (value.len() - value.trim_start().len());
    let trimmed = value.trim();
    let quoted = trimmed.len() >= 2
        && (trimmed.starts_with('"') && trimmed.ends_with('"')
            || trimmed.starts_with('\'') && trimmed.ends_with('\''));
    if quoted {
        start + 1..start + trimmed.len() - 1
    } else {
        start..start + trimmed.len()
    }
}

/// `text` with each span's part on each line replaced by [`MASK`], its line breaks kept, so every
/// line stays where it was and none is left empty that held something; `None` when no span
/// holds anything.
fn masked(text: &str, mut spans: Vec<Range<usize>>) -> Option<String> {
    spans.retain(|span| !span.is_empty());
    if spans.is_empty() {
        return None;
    }
    spans.sort_by_key(|span| span.start);
    let mut merged: Vec<Range<usize>> = Vec::with_capacity(spans.len());
    for span in spans {
        match merged.last_mut() {
            Some(last) if span.start <= last.end => last.end = last.end.max(span.end),
            _ => merged.push(span),
        }
    }
    let mut out = String::with_capacity(text.len());
    let mut done = 0;
    for span in merged {
        out.push_str(&text[done..span.start]);
        for (n, piece) in text[span.clone()].split('\n').enumerate() {
            if n > 0 {
                out.push('\n');
            }
            if !piece.is_empty() {
                out.push_str(MASK);
            }
        }
        done = span.end;
    }
    out.push_str(&text[done..]);
    Some(out)
}

#[cfg(test)]
mod tests;
