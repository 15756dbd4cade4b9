//! The redirect server's address: parsed once, refused when it would send the provisioner
//! password across a network in clear, and masked wherever it is shown.
//!
//! HTTP Basic puts the password in every request, base64-encoded but readable, so plain
//! `http://` is only taken to this machine (127.0.0.0/8, `::1`, `localhost`: a simulator, a
//! tunnel) unless the account allows it on purpose ([`Account::allow_http`]) for a lab server.
//! A `user:pw@` typed into the address is never sent (the account's user and password are)
//! and never shown.

use std::net::IpAddr;

use reqwest::Url;

use super::account::Account;
use super::service::RedirectError;
use crate::device::mask_url_password;

/// A checked address.
#[derive(Debug, Clone)]
pub struct Endpoint {
    /// Where requests go: the address without any `user:pw@`.
    pub url: Url,
    /// How messages show it: the address as typed, its password masked.
    pub shown: String,
}

/// Parses and checks the account's address: `http(s)://`, and `http://` only to this machine
/// unless the account allows it.
pub fn checked_endpoint(account: &Account) -> Result<Endpoint, RedirectError> {
    let typed = account.endpoint.trim();
    let shown = mask_url_password(typed);
    let mut url = Url::parse(typed)
        .ok()
        .filter(|url| matches!(url.scheme(), "http" | "https") && url.host().is_some())
        .ok_or_else(|| RedirectError::BadEndpoint(shown.clone()))?;
    if url.scheme() == "http" && !account.allow_http && !is_loopback(&url) {
        return Err(RedirectError::InsecureEndpoint { endpoint: shown });
    }
    // Both calls only fail on URLs that cannot have credentials, which were refused above.
    let _ = url.set_username("");
    let _ = url.set_password(None);
    Ok(Endpoint { url, shown })
}

/// Whether the URL's host is this machine: 127.0.0.0/8, `::1` (also IPv4-mapped) or
/// `localhost`.
pub fn is_loopback(url: &Url) -> bool {
    let Some(host) = url.host_str() else {
        return false;
    };
    match host.trim_start_matches('[').trim_end_matches(']').parse() {
        Ok(IpAddr::V4(ip)) => ip.is_loopback(),
        Ok(IpAddr::V6(ip)) => {
            ip.is_loopback() || ip.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback())
        }
        Err(_) => host.trim_end_matches('.').eq_ignore_ascii_case("localhost"),
    }
}

/// The warning to show when the account sends its password in clear to another machine
/// because plain http was allowed; `None` when it does not.
pub fn cleartext_warning(account: &Account) -> Option<String> {
    let url = Url::parse(account.endpoint.trim()).ok()?;
    (account.allow_http && url.scheme() == "http" && !is_loopback(&url)).then(|| {
        format!(
            "plain http:// is allowed for {}: the provisioner password crosses the network in clear, readable by anyone on the path; use this only for a lab server you trust",
            mask_url_password(account.endpoint.trim())
        )
    })
}
