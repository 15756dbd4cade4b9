//! The file a provisioning URL names, as provdesk's render writes it and Serve renders it: the
//! last path segment, placeholders filled in and percent-decoded. One rule for both places a
//! URL meets it: the render refuses a device whose name breaks it, and where a URL is entered
//! (`device add`/`set`, the device form, import) the same rule gives a warning.
//!
//! A warning, not a refusal: `…/.htaccess` or a URL ending in `/` is legal HTTP, and the
//! inventory also keeps devices whose files another server provides (provdesk registers their
//! URL at the redirect server and test-fetches it, but renders nothing for them). What
//! provdesk cannot do is make that file: its render refuses the name (a hidden file is one a
//! web server may read as its own configuration; an empty one is a folder), and Serve, which
//! renders each file as it is asked for, answers 404 or 500. Said where the URL is typed, the
//! installer learns it then, not at the first render or from a phone that never provisions.

use super::url::{ProvisioningUrl, percent_decode};

/// The last path segment of `url` (`scheme://authority/path?query#fragment`), as written.
pub fn last_path_segment(url: &str) -> &str {
    let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    let path = match after_scheme.find(['/', '?', '#']) {
        Some(start) if after_scheme[start..].starts_with('/') => &after_scheme[start..],
        _ => "",
    };
    let path = path.split(['?', '#']).next().unwrap_or_default();
    path.rfind('/').map_or(path, |i| &path[i + 1..])
}

/// The file name a URL's last path `segment` names (placeholders filled in, still
/// percent-encoded), or why provdesk cannot write or serve a file of that name.
pub fn url_file_name(segment: &str) -> Result<String, &'static str> {
    if segment.contains("%DVID") {
        return Err(
            "still holds %DVID, which only the device knows: keep %DVID in the folder part of the URL",
        );
    }
    let name = percent_decode(segment);
    if name.is_empty() {
        return Err(
            "is empty: the URL ends with '/', so the device asks for a folder; end it with a file name such as %MACD.xml",
        );
    }
    if name == "." || name == ".." || name.contains(['/', '\\', '\0']) {
        return Err("is not a plain file name: end the URL with a file name such as %MACD.xml");
    }
    if name.starts_with('.') {
        return Err(
            "starts with '.', which names a hidden file, and a web server reads some (.htaccess) as its own configuration: end the URL with a file name such as %MACD.xml",
        );
    }
    Ok(name)
}

/// What to say where `url` is entered when provdesk's render and Serve cannot make the file
/// it names; `None` when they can.
pub fn url_file_warning(url: &ProvisioningUrl) -> Option<String> {
    // %MACD and %MACC stay as written: a MAC fills them with hex digits and colons, which
    // change none of the rules.
    let expanded = url.expand_without_device();
    let segment = last_path_segment(&expanded);
    let why = url_file_name(segment).err()?;
    Some(format!(
        "the file name \"{segment}\" from this URL {why}; provdesk's render refuses this device's file and Serve cannot answer it, so keep the URL only if another server provides the file"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn warning(url: &str) -> Option<String> {
        url_file_warning(&ProvisioningUrl::parse(url).unwrap())
    }

    #[test]
    fn the_last_segment_is_the_path_s_without_query_or_fragment() {
        assert_eq!(
            last_path_segment("https://u:p@h:8/cfg/a.xml?x=/y#z"),
            "a.xml"
        );
        assert_eq!(last_path_segment("http://host"), "");
        assert_eq!(last_path_segment("http://host?x=/a.xml"), "");
        assert_eq!(last_path_segment("http://host/cfg/"), "");
    }

    #[test]
    fn hidden_empty_and_folder_names_are_warned_about() {
        for (url, says) in [
            ("http://prov.example.com/cfg/.htaccess", "starts with '.'"),
            ("http://prov.example.com/cfg/.%MACD.xml", "starts with '.'"),
            ("http://prov.example.com/cfg/%2Ehtaccess", "starts with '.'"),
            ("http://prov.example.com/cfg/", "is empty"),
            ("http://prov.example.com", "is empty"),
            ("http://prov.example.com/cfg/..", "not a plain file name"),
            (
                "http://prov.example.com/cfg/a%2Fb.xml",
                "not a plain file name",
            ),
            ("http://prov.example.com/%DVID.xml", "%DVID"),
        ] {
            let warning = warning(url).unwrap_or_else(|| panic!("{url}: no warning"));
            assert!(warning.contains(says), "{url}: {warning}");
            assert!(warning.contains("another server"), "{warning}");
        }
    }

    #[test]
    fn file_names_provdesk_serves_get_none() {
        for url in [
            "http://prov.example.com/%MACD.xml",
            "https://u:p@prov.example.com:8443/cfg/%MACC.cfg?x=.y",
            "http://prov.example.com/%DVID/%MACD.xml",
            "http://prov.example.com/a.b/config.htaccess",
        ] {
            assert_eq!(warning(url), None, "{url}");
        }
    }
}
