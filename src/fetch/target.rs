//! What a request is addressed to, as the device sees it: the origin its credentials stay
//! within, the request-target a digest `uri` must equal, and the `Host` header. The ladder sends
//! by these and the diagnosis reads the transcript by the same tests.

use super::events::ReceivedResponse;
use crate::device::mask_url_password;
use crate::printable::printable;

/// The most characters of a URL a message or the live log shows; a longer one (a URL can be
/// 64 KB) keeps its start and end.
const SHOWN_URL: usize = 200;

/// A URL (or request-target) as a message quotes it: control characters escaped, a long one
/// cut in the middle, so an error about a 64 KB URL does not print it whole, several times.
pub fn shown_url(url: &str) -> String {
    printable(url, SHOWN_URL)
}

/// Scheme, host and port: credentials stay within one origin.
pub(super) fn origin(url: &reqwest::Url) -> String {
    format!(
        "{}://{}:{}",
        url.scheme(),
        url.host_str().unwrap_or(""),
        url.port_or_known_default().unwrap_or(0)
    )
}

/// Path and query, exactly as the request line carries them.
pub fn request_target(url: &reqwest::Url) -> String {
    match url.query() {
        Some(query) => format!("{}?{query}", url.path()),
        None => url.path().to_string(),
    }
}

pub(super) fn host_header(url: &reqwest::Url) -> String {
    let host = url.host_str().unwrap_or("");
    match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_string(),
    }
}

/// Redirects a device follows in one fetch before it gives up.
pub(super) const MAX_REDIRECTS: usize = 5;

/// Where a redirect sends the device.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Redirect {
    /// An http:// or https:// URL: followed.
    To(reqwest::Url),
    /// A URL of another scheme (`file:`, `ftp:`, `data:`): no device fetches its file there.
    NotHttp(reqwest::Url),
    /// A `Location` that is no URL, as the server wrote it.
    NotUrl(String),
}

impl Redirect {
    /// Where a 301, 302, 303, 307 or 308 with a `Location` sends a request to `base`;
    /// `None` for any other answer.
    pub(super) fn of(response: &ReceivedResponse, base: &reqwest::Url) -> Option<Self> {
        if !matches!(response.status, 301 | 302 | 303 | 307 | 308) {
            return None;
        }
        let location = response.header("location")?;
        Some(match base.join(location) {
            Ok(url) if matches!(url.scheme(), "http" | "https") => Redirect::To(url),
            Ok(url) => Redirect::NotHttp(url),
            Err(_) => Redirect::NotUrl(location.to_string()),
        })
    }

    /// The target as a message quotes it: never with a password, control characters escaped,
    /// cut when long.
    pub(super) fn shown(&self) -> String {
        match self {
            Redirect::To(url) | Redirect::NotHttp(url) => {
                shown_url(&mask_url_password(url.as_str()))
            }
            Redirect::NotUrl(location) => shown_url(&mask_url_password(location)),
        }
    }
}
