//! What a request is addressed to, as the device sees it: the origin its credentials stay
//! within, the request-target a digest `uri` must equal, and the `Host` header. The ladder sends
//! by these and the diagnosis reads the transcript by the same tests.

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
