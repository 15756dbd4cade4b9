//! A fetched body as people see it, with the passwords the fetch knows masked until revealed.
//! Worked out once per response (indenting a megabyte is not for every frame).

use std::borrow::Cow;

use crate::secret::MASK;

/// Passwords shorter than this are not searched for in bodies: a two-letter password would
/// mask half a file, and one that short guards nothing anyway.
pub const MIN_MASKED_LEN: usize = 4;

/// A response's body as people see it, worked out once when the response arrives: the views
/// and the printer read it, none re-indents per frame or per line.
#[derive(Debug, Clone, Default)]
pub struct ShownBody {
    /// `display_body`'s text.
    pub text: String,
    /// When the body holds a password the fetch knows (the MAC password, the configured or a
    /// typed one, a SIP password of the device): the text and the body as received, with it
    /// masked.
    pub masked: Option<MaskedBody>,
}

/// A body with the known passwords masked.
#[derive(Debug, Clone, Default)]
pub struct MaskedBody {
    pub text: String,
    pub raw: String,
}

impl ShownBody {
    /// The body `body` shown as `text` (`display_body`'s), masking each of `secrets` found.
    pub fn new(text: String, body: &[u8], secrets: &[&str]) -> Self {
        let masked = mask_secrets(&text, secrets).map(|masked_text| {
            let raw = String::from_utf8_lossy(body);
            MaskedBody {
                raw: mask_secrets(&raw, secrets).unwrap_or_else(|| raw.into_owned()),
                text: masked_text,
            }
        });
        Self { text, masked }
    }

    /// The text to show: masked unless `reveal`.
    pub fn text(&self, reveal: bool) -> &str {
        match &self.masked {
            Some(masked) if !reveal => &masked.text,
            _ => &self.text,
        }
    }

    /// The body as received for an export, masked unless `reveal`.
    pub fn raw<'a>(&'a self, body: &'a [u8], reveal: bool) -> Cow<'a, str> {
        match &self.masked {
            Some(masked) if !reveal => Cow::Borrowed(masked.raw.as_str()),
            _ => String::from_utf8_lossy(body),
        }
    }
}

/// `text` with each of `secrets` (and its XML-escaped form) masked; `None` when none occurs.
pub fn mask_secrets(text: &str, secrets: &[&str]) -> Option<String> {
    let mut masked: Option<String> = None;
    for secret in secrets
        .iter()
        .filter(|s| s.chars().count() >= MIN_MASKED_LEN)
    {
        let escaped = secret
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
            .replace('\'', "&apos;");
        for form in [secret.to_string(), escaped] {
            let current = masked.as_deref().unwrap_or(text);
            if current.contains(&form) {
                masked = Some(current.replace(&form, MASK));
            }
        }
    }
    masked
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_in_text_are_masked_in_both_forms() {
        assert_eq!(
            mask_secrets("<p>a&amp;b1</p><q>a&b1</q>", &["a&b1"]).unwrap(),
            format!("<p>{MASK}</p><q>{MASK}</q>")
        );
        assert!(mask_secrets("<p>nothing</p>", &["secret"]).is_none());
        assert!(
            mask_secrets("<p>ab</p>", &["ab"]).is_none(),
            "too short to search"
        );
    }

    #[test]
    fn a_body_with_a_known_password_is_masked_until_revealed() {
        let body = b"<a><pw>123456789012</pw></a>";
        let shown = ShownBody::new(
            "<a>\n  <pw>123456789012</pw>\n</a>".into(),
            body,
            &["123456789012"],
        );
        assert_eq!(shown.text(false), format!("<a>\n  <pw>{MASK}</pw>\n</a>"));
        assert_eq!(shown.text(true), "<a>\n  <pw>123456789012</pw>\n</a>");
        assert_eq!(shown.raw(body, false), format!("<a><pw>{MASK}</pw></a>"));
        assert_eq!(shown.raw(body, true), "<a><pw>123456789012</pw></a>");
        let plain = ShownBody::new("<a/>".into(), b"<a/>", &["123456789012"]);
        assert!(plain.masked.is_none());
        assert_eq!(plain.text(false), "<a/>");
    }
}
