//! A device's provisioning URL taken apart for the variables that write it into a file, and
//! the file name the device asks for.

use super::error::RenderProblem;
use crate::device::{ConfigFormat, Device, DeviceFacts, ProvisioningUrl, url_file_name};

/// A provisioning URL taken apart, placeholders filled in for the device.
pub(super) struct Urls {
    /// `https://` or `http://`, as written.
    pub(super) scheme: String,
    pub(super) host_port: String,
    /// Path, query and fragment.
    pub(super) rest: String,
}

impl Urls {
    pub(super) fn of(device: &Device) -> Option<Result<Self, RenderProblem>> {
        let url = device.effective_url()?;
        Some(
            ProvisioningUrl::parse(url)
                .map_err(RenderProblem::Url)
                .map(|url| {
                    let expanded = url.expand(&DeviceFacts {
                        mac: device.mac,
                        dvid: None,
                    });
                    Self::split(&expanded)
                }),
        )
    }

    fn split(expanded: &str) -> Self {
        let scheme_end = expanded.find("://").map_or(0, |i| i + 3);
        let after = &expanded[scheme_end..];
        let authority_end = after.find(['/', '?', '#']).unwrap_or(after.len());
        let authority = &after[..authority_end];
        let host_port = authority
            .rsplit_once('@')
            .map_or(authority, |(_, host)| host);
        Self {
            scheme: expanded[..scheme_end].to_string(),
            host_port: host_port.to_string(),
            rest: after[authority_end..].to_string(),
        }
    }

    fn path(&self) -> &str {
        self.rest.split(['?', '#']).next().unwrap_or_default()
    }

    pub(super) fn server(&self) -> String {
        format!("{}{}", self.scheme, self.host_port)
    }

    pub(super) fn base_path(&self) -> &str {
        let path = self.path();
        path.rfind('/').map_or("/", |i| &path[..=i])
    }

    fn last_segment(&self) -> &str {
        let path = self.path();
        path.rfind('/').map_or(path, |i| &path[i + 1..])
    }
}

/// The name the device asks for: the last path segment of its provisioning URL with its
/// placeholders filled in (`%MACD.xml` → `7C2F80820EC0.xml`). A device without a URL gets
/// `MAC.xml` (`.cfg` for a patch file, `.txt` for plain text). A name provdesk cannot write
/// ([`url_file_name`]: hidden, empty, with a folder part) refuses the device.
pub fn file_name_for(device: &Device, format: ConfigFormat) -> Result<String, RenderProblem> {
    let Some(urls) = Urls::of(device) else {
        return Ok(format!("{}.{}", device.mac.macd(), format.spec().extension));
    };
    let urls = urls?;
    let raw = urls.last_segment();
    url_file_name(raw).map_err(|why| RenderProblem::FileName {
        name: raw.to_string(),
        why,
    })
}

/// Percent-encodes everything but RFC 3986's unreserved characters, for `user:pass@` in a URL.
pub(super) fn userinfo_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::device::percent_decode;

    #[test]
    fn urls_come_apart_without_their_credentials() {
        let urls = Urls::split("https://u:p@prov.example.com:8443/cfg/7C2F80820EC0.xml?x=1");
        assert_eq!(urls.server(), "https://prov.example.com:8443");
        assert_eq!(urls.base_path(), "/cfg/");
        assert_eq!(urls.last_segment(), "7C2F80820EC0.xml");
        let bare = Urls::split("http://host");
        assert_eq!(bare.base_path(), "/");
        assert_eq!(bare.last_segment(), "");
    }

    #[test]
    fn userinfo_and_file_names_are_encoded_and_decoded() {
        assert_eq!(userinfo_encode("a:b@c/d é"), "a%3Ab%40c%2Fd%20%C3%A9");
        assert_eq!(percent_decode("a%20b%zz%4"), "a b%zz%4");
    }
}
