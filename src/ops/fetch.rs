//! What a test fetch leaves behind: its outcome with the device (the inventory's "Last
//! fetch"), and the HAR export or JSON report a user saves.

use std::path::Path;

use crate::device::Mac;
use crate::fetch::{ExportOptions, Report, Transcript, to_har};
use crate::inventory::{Inventory, InventoryError};

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

/// Writes the fetch as `file` to `path`; the error names the path.
///
/// The file is private: on Unix it is created with mode 0600 from the start (never readable by
/// others, not even for a moment), and a file already there is narrowed to 0600 before it is
/// written. On Windows it gets the ACL it inherits from its folder (a user's Documents folder
/// is private to that user; a shared folder is shared).
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

fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write as _;
    let mut open = std::fs::OpenOptions::new();
    open.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut open, 0o600);
    let mut file = open.open(path)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
    }
    file.write_all(bytes)?;
    file.sync_all()
}
