//! A fetched body as people see it, with its passwords masked until revealed: by where they
//! stand (every password setting of the formats provdesk knows, a URL's `user:pass@`), and by
//! value the passwords the fetch knows, as a second net for a password anywhere else. Worked
//! out once per response (indenting and scanning a megabyte is not for every frame).

use std::borrow::Cow;

use crate::device::mask_passwords;
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
    /// When the body holds a password (a password setting of the file, a URL's password, or
    /// one the fetch knows: the MAC password, the configured or a typed one, a SIP password of
    /// the device): the text and the body as received, with them masked.
    pub masked: Option<MaskedBody>,
}

/// A body with its passwords masked.
#[derive(Debug, Clone, Default)]
pub struct MaskedBody {
    pub text: String,
    pub raw: String,
}

impl ShownBody {
    /// The body `body` shown as `text` (`display_body`'s), masking its passwords and each of
    /// `secrets` found. The text and the body as received are scanned each: the text may say
    /// less than the body (binary data is shown as its size), and an export writes the body.
    pub fn new(text: String, body: &[u8], secrets: &[&str]) -> Self {
        let raw = String::from_utf8_lossy(body);
        let masked_text = mask_body(&text, secrets);
        let masked_raw = mask_body(&raw, secrets);
        let masked = (masked_text.is_some() || masked_raw.is_some()).then(|| MaskedBody {
            text: masked_text.unwrap_or_else(|| text.clone()),
            raw: masked_raw.unwrap_or_else(|| raw.into_owned()),
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

/// `text` with its password settings and URL passwords masked, then each of `secrets` wherever
/// it stands; `None` when nothing was masked.
fn mask_body(text: &str, secrets: &[&str]) -> Option<String> {
    let by_position = mask_passwords(text);
    let positioned = by_position.as_deref().unwrap_or(text);
    mask_secrets(positioned, secrets).or(by_position)
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

    /// Review item 7: a file carrying passwords the fetch did not use (the old digest password
    /// during a change, a SIP password) shows them masked, in the text and in the export.
    #[test]
    fn password_settings_are_masked_though_the_fetch_never_used_them() {
        let body = b"<Provider><S_PROV_PASSWORD class=\"string\" value=\"Adler-Digest-2026\"/><S_SIP_PASSWORD_1 class=\"string\" value=\"sip-pass-1001\"/><NOTE value=\"new-pw-1\"/></Provider>";
        let text = String::from_utf8_lossy(body).replace("/><", "/>\n<");
        let shown = ShownBody::new(text.clone(), body, &["new-pw-1"]);
        for view in [shown.text(false), &shown.raw(body, false)] {
            assert!(!view.contains("Adler-Digest-2026"), "{view}");
            assert!(!view.contains("sip-pass-1001"), "{view}");
            assert!(
                !view.contains("new-pw-1"),
                "the value net still catches: {view}"
            );
            assert!(view.contains(&format!(
                "S_PROV_PASSWORD class=\"string\" value=\"{MASK}\""
            )));
        }
        assert_eq!(shown.text(false).lines().count(), text.lines().count());
        assert_eq!(shown.text(true), text);
        assert_eq!(shown.raw(body, true).as_bytes(), body);
    }

    /// Binary data is shown as its size, but an export writes the body: it is masked there.
    #[test]
    fn a_password_in_a_body_shown_as_binary_is_masked_in_the_export() {
        let body = b"\0\0<password>bin-secret</password>";
        let shown = ShownBody::new("(38 bytes of binary data)".into(), body, &[]);
        assert_eq!(shown.text(false), "(38 bytes of binary data)");
        assert!(!shown.raw(body, false).contains("bin-secret"));
        assert!(shown.raw(body, true).contains("bin-secret"));
    }
}
