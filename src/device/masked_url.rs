//! A provisioning URL edited while its password stays masked: the field shows
//! `https://admin:••••••@prov.example/%MACD.xml`, the user changes the path or the query, and
//! the password stored with the URL goes back in where the mask still stands. Typing over the
//! mask replaces the password; the stored one is then no longer used. With the mask standing
//! and another scheme, host or port, nothing is sent: the password unseen would go to a server
//! it was never written for.
//!
//! The text shown is only ever the masked URL or what the user typed into it, so the stored
//! password cannot appear in it; the real URL is built on demand, for the fetch.

use thiserror::Error;

use super::url::{mask_url_password, userinfo_password};
use crate::secret::{MASK, Secret};

/// Why the edited text cannot be turned back into a URL.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum MaskedUrlError {
    /// Part of the mask was deleted: neither the stored password nor a typed one.
    #[error(
        "the password in the URL is part of the mask ({MASK}): put the whole mask back to keep the stored password, or delete it all and type the new one"
    )]
    PartlyMasked,
    /// The whole mask stands, but the URL names another server than the one the stored
    /// password was written for: it is not sent anywhere the user has not seen it go.
    #[error(
        "the stored password in the URL is for {stored}, and the URL now names {now}: type the password for {now} over the mask ({MASK}), or put {stored} back (Show reveals the stored password if you mean to send it there)"
    )]
    OtherServer { stored: String, now: String },
}

/// The URL text a field edits and the password its mask stands for.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct MaskedUrl {
    text: String,
    /// The password of the URL the mask was made from, as written there (percent escapes kept);
    /// `None` when the text is the URL itself.
    password: Option<Secret>,
    /// The scheme, host and port the password was written for.
    server: String,
}

impl MaskedUrl {
    /// `url` with its password masked, or as it is when it carries none.
    pub fn masked(url: &str) -> Self {
        let password = password_range(url).map(|range| Secret::new(&url[range]));
        Self {
            text: mask_url_password(url),
            password,
            server: server(url),
        }
    }

    /// `url` shown and edited as it is, password and all.
    pub fn plain(url: impl Into<String>) -> Self {
        Self {
            text: url.into(),
            password: None,
            server: String::new(),
        }
    }

    /// The text the field shows: masked, or as the user typed it.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The text for the field to edit.
    pub fn text_mut(&mut self) -> &mut String {
        &mut self.text
    }

    /// Whether the text holds the mask where the password stands, for a stored password.
    pub fn is_masked(&self) -> bool {
        self.password.is_some()
            && password_range(&self.text).is_some_and(|range| &self.text[range] == MASK)
    }

    /// The URL to fetch: the edited text with the stored password where the whole mask still
    /// stands as the password, else the text as typed.
    pub fn real(&self) -> Result<String, MaskedUrlError> {
        let Some(password) = &self.password else {
            return Ok(self.text.clone());
        };
        match password_range(&self.text) {
            Some(range) if &self.text[range.clone()] == MASK => {
                let now = server(&self.text);
                if now != self.server {
                    return Err(MaskedUrlError::OtherServer {
                        stored: self.server.clone(),
                        now,
                    });
                }
                let mut real = self.text.clone();
                real.replace_range(range, password.expose());
                Ok(real)
            }
            Some(range) if self.text[range.clone()].contains(mask_char()) => {
                Err(MaskedUrlError::PartlyMasked)
            }
            _ => Ok(self.text.clone()),
        }
    }

    /// The real URL in the field, for a user who asked to see it. Text the mask cannot be
    /// taken back from (part of it deleted) stays as it is.
    pub fn reveal(&mut self) {
        if let Ok(real) = self.real() {
            *self = Self::plain(real);
        }
    }
}

/// The scheme, host and port of `url`, lower case, as far as the URL says them: the server a
/// password in it is written for.
fn server(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or(("", url));
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = authority
        .rsplit_once('@')
        .map_or(authority, |(_, host)| host);
    format!("{scheme}://{host}").to_ascii_lowercase()
}

/// The masked password's character.
fn mask_char() -> char {
    MASK.chars().next().unwrap_or('•')
}

/// Where the password of `user:password@` stands in the whole of `url`, found as
/// [`mask_url_password`] finds it.
fn password_range(url: &str) -> Option<std::ops::Range<usize>> {
    let prefix = url.find("://").map_or(0, |i| i + 3);
    let range = userinfo_password(&url[prefix..])?;
    Some(range.start + prefix..range.end + prefix)
}

/// Never the stored password, only the text shown.
impl std::fmt::Debug for MaskedUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "MaskedUrl({:?})", mask_url_password(&self.text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_edited_path_keeps_the_stored_password() {
        let mut url = MaskedUrl::masked("https://admin:s3cret@prov.example/a.xml");
        assert_eq!(
            url.text(),
            format!("https://admin:{MASK}@prov.example/a.xml")
        );
        url.text_mut().push_str("?x=1");
        assert_eq!(
            url.real().unwrap(),
            "https://admin:s3cret@prov.example/a.xml?x=1"
        );
    }

    #[test]
    fn a_typed_password_replaces_the_stored_one_and_a_partial_mask_is_refused() {
        let mut url = MaskedUrl::masked("http://u:old@h/x");
        *url.text_mut() = "http://u:new@h/x".into();
        assert!(!url.is_masked());
        assert_eq!(url.real().unwrap(), "http://u:new@h/x");
        *url.text_mut() = "http://h/x".into();
        assert_eq!(url.real().unwrap(), "http://h/x", "userinfo removed");
        *url.text_mut() = "http://u:•••@h/x".into();
        assert_eq!(url.real(), Err(MaskedUrlError::PartlyMasked));
        assert!(!url.real().unwrap_err().to_string().contains("old"));
    }

    #[test]
    fn the_stored_password_goes_to_no_other_server() {
        let mut url = MaskedUrl::masked("https://admin:s3cret@Prov.example:8443/a.xml");
        for other in [
            "https://admin:••••••@evil.example:8443/a.xml",
            "https://admin:••••••@prov.example:9443/a.xml",
            "http://admin:••••••@prov.example:8443/a.xml",
        ] {
            *url.text_mut() = other.into();
            let error = url.real().unwrap_err();
            assert!(
                matches!(&error, MaskedUrlError::OtherServer { stored, .. } if stored == "https://prov.example:8443"),
                "{error:?}"
            );
            assert!(!error.to_string().contains("s3cret"));
        }
        *url.text_mut() = "HTTPS://admin:••••••@prov.EXAMPLE:8443/b.xml".into();
        assert_eq!(
            url.real().unwrap(),
            "HTTPS://admin:s3cret@prov.EXAMPLE:8443/b.xml",
            "the same server, in other case"
        );
        *url.text_mut() = "https://admin:typed@evil.example/a.xml".into();
        assert_eq!(
            url.real().unwrap(),
            "https://admin:typed@evil.example/a.xml"
        );
    }

    #[test]
    fn a_url_without_password_is_plain_and_debug_never_shows_one() {
        let url = MaskedUrl::masked("http://h/x");
        assert!(!url.is_masked());
        assert_eq!(url.real().unwrap(), "http://h/x");
        let mut revealed = MaskedUrl::masked("http://u:pw-9@h/x");
        assert!(!format!("{revealed:?}").contains("pw-9"));
        revealed.reveal();
        assert_eq!(revealed.text(), "http://u:pw-9@h/x");
        assert!(!format!("{revealed:?}").contains("pw-9"));
    }
}
