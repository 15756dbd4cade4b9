//! Which device a request is for: the MAC in the last path segment, in any form the
//! catalogue's URL placeholders produce (`%MACD.xml` → `7C2F80820EC0.xml`, `%MACC` →
//! `7C:2F:80:82:0E:C0`, percent-encoded or not, any case, with or without an extension), or,
//! for the `provisioning.xml` a multicell base asks for first, the phone its User-Agent names.

use crate::device::{Mac, percent_decode, recognize_user_agent};

/// What the request names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// A device's own file.
    Device(Mac),
    /// `provisioning.xml` from a folder URL, the device told by its User-Agent's MAC.
    FolderFile(Mac),
    /// `provisioning.xml` from a phone that did not say its MAC.
    FolderFileUnknown,
    /// No MAC in the path.
    Unknown,
}

/// The file a phone pointed at a folder asks for first.
pub const FOLDER_FILE: &str = "provisioning.xml";

/// Reads the request-target (path and query) and the User-Agent.
pub fn resolve(target: &str, user_agent: Option<&str>) -> Target {
    let path = target.split(['?', '#']).next().unwrap_or_default();
    let segment = path.rsplit('/').next().unwrap_or_default();
    let decoded = percent_decode(segment);
    if decoded.eq_ignore_ascii_case(FOLDER_FILE) {
        return match user_agent
            .and_then(recognize_user_agent)
            .and_then(|phone| phone.mac)
        {
            Some(mac) => Target::FolderFile(mac),
            None => Target::FolderFileUnknown,
        };
    }
    let stem = match decoded.rsplit_once('.') {
        Some((stem, extension)) if extension.len() <= 4 && !stem.is_empty() => stem,
        _ => decoded.as_str(),
    };
    match Mac::parse(stem) {
        Ok(mac) => Target::Device(mac),
        Err(_) => Target::Unknown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mac(text: &str) -> Mac {
        Mac::parse(text).unwrap()
    }

    #[test]
    fn every_placeholder_form_names_the_device() {
        let device = Target::Device(mac("7C2F80820EC0"));
        for target in [
            "/7C2F80820EC0.xml",
            "/cfg/7c2f80820ec0.xml",
            "/cfg/7C:2F:80:82:0E:C0.xml",
            "/cfg/7C%3A2F%3A80%3A82%3A0E%3AC0.xml",
            "/cfg/7C2F80820EC0",
            "/a/b/7C2F80820EC0.cfg?x=1",
        ] {
            assert_eq!(resolve(target, None), device, "{target}");
        }
    }

    #[test]
    fn the_folder_file_is_told_by_the_user_agent() {
        let agent = "Gigaset N870 IP PRO/83.V2.53.0;7C2F80E0D605";
        assert_eq!(
            resolve("/prov/provisioning.xml", Some(agent)),
            Target::FolderFile(mac("7C2F80E0D605"))
        );
        assert_eq!(
            resolve("/prov/provisioning.xml", Some("curl/8")),
            Target::FolderFileUnknown
        );
    }

    #[test]
    fn paths_without_a_mac_are_unknown() {
        for target in ["/", "", "/index.html", "/cfg/", "/%zz", "/a.b.c", "/.xml"] {
            assert_eq!(resolve(target, None), Target::Unknown, "{target}");
        }
    }
}
