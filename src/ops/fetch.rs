//! What a test fetch leaves behind: its outcome with the device (the inventory's "Last
//! fetch"), and the HAR export or JSON report a user saves.

use std::path::Path;

use crate::device::Mac;
use crate::fetch::{
    Credentials, ExportOptions, FetchSpec, Report, Transcript, proven_credentials, to_har,
};
use crate::inventory::{Inventory, InventoryError};
use crate::private_file::{check_save_target, write_private};

/// The files a fetch can be saved as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FetchFile {
    /// HAR 1.2, for browsers' HAR viewers and support tickets.
    Har,
    /// provdesk's JSON report, as `provdesk fetch --json` prints it.
    Json,
}

impl FetchFile {
    pub fn name(self) -> &'static str {
        match self {
            FetchFile::Har => "HAR",
            FetchFile::Json => "JSON",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            FetchFile::Har => "har",
            FetchFile::Json => "json",
        }
    }

    /// The file's text for this transcript: bodies (HAR only) and secrets as `options` say.
    pub fn text(self, transcript: &Transcript, options: ExportOptions) -> String {
        match self {
            FetchFile::Json => {
                Report::from_transcript(transcript, options.reveal_secrets).to_json()
            }
            FetchFile::Har => to_har(transcript, options),
        }
    }
}

/// Keeps the fetch's outcome with the device.
pub fn record(
    inventory: &mut Inventory,
    mac: Mac,
    transcript: &Transcript,
) -> Result<(), InventoryError> {
    let (status, code) = transcript.outcome();
    inventory.record_fetch(mac, &status, code)
}

/// Credentials an ad hoc fetch proved that the inventory device of its MAC does not hold yet:
/// what *Save these credentials* offers to keep.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CredentialOffer {
    pub mac: Mac,
    pub credentials: Credentials,
    /// The device's site, when the device takes its credentials from it: saving gives the
    /// device its own instead, and the site's other devices keep the site's.
    pub site: Option<String>,
}

/// What to offer after an ad hoc fetch of `spec`: nothing unless the configured credentials
/// got the file, the MAC is an inventory device's, and that device answers with others.
pub fn credential_offer(
    inventory: &Inventory,
    spec: &FetchSpec,
    transcript: &Transcript,
) -> Result<Option<CredentialOffer>, InventoryError> {
    let Some((mac, credentials)) = proven_credentials(spec, transcript) else {
        return Ok(None);
    };
    let Some(device) = inventory.device_by_mac(mac)? else {
        return Ok(None);
    };
    let held = device.digest_credentials();
    if held == Some((credentials.username.as_str(), &credentials.password)) {
        return Ok(None);
    }
    let site = device
        .site
        .clone()
        .filter(|_| device.credentials_from_site());
    Ok(Some(CredentialOffer {
        mac,
        credentials,
        site,
    }))
}

/// Keeps the offered credentials as the device's own digest user name and password.
pub fn keep_credentials(
    inventory: &mut Inventory,
    offer: &CredentialOffer,
) -> Result<(), InventoryError> {
    let CredentialOffer {
        mac, credentials, ..
    } = offer;
    inventory.keep_proven_credentials(*mac, &credentials.username, &credentials.password)
}

/// Writes the fetch as `file` to `path`; the error names the path.
///
/// The file is private from its first byte and replaces a file already there whole (see
/// [`write_private`]): a HAR can carry response bodies, and configuration files hold passwords.
pub fn save(
    transcript: &Transcript,
    file: FetchFile,
    options: ExportOptions,
    path: &Path,
) -> Result<(), String> {
    let text = file.text(transcript, options);
    write_private(path, text.as_bytes())
        .map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// Whether `path` can take a saved fetch, asked before the fetch runs so a typo does not cost
/// the whole exchange: not a folder, and in a folder that exists. The error names the path and
/// what to give instead.
pub fn check_target(path: &Path, file: FetchFile) -> Result<(), String> {
    check_save_target(path, &format!("fetch.{}", file.extension()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_folder_or_a_missing_folder_is_refused_before_the_fetch() {
        let dir = tempfile::tempdir().unwrap();
        let error = check_target(dir.path(), FetchFile::Har).unwrap_err();
        assert!(
            error.contains("is a folder") && error.contains("fetch.har"),
            "{error}"
        );
        let missing = dir.path().join("no-such-folder").join("x.har");
        let error = check_target(&missing, FetchFile::Har).unwrap_err();
        assert!(error.contains("does not exist"), "{error}");
        assert!(check_target(&dir.path().join("x.har"), FetchFile::Har).is_ok());
        assert!(check_target(Path::new("x.har"), FetchFile::Har).is_ok());
    }
}
