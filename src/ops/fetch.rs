//! What a test fetch leaves behind: its outcome with the device (the inventory's "Last
//! fetch"), and the HAR export or JSON report a user saves.

use std::path::Path;

use crate::device::Mac;
use crate::fetch::{Report, Transcript, to_har};
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

    /// The file's text for this transcript.
    pub fn text(self, transcript: &Transcript) -> String {
        match self {
            FetchFile::Json => Report::from_transcript(transcript).to_json(),
            FetchFile::Har => to_har(transcript),
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
pub fn save(transcript: &Transcript, file: FetchFile, path: &Path) -> Result<(), String> {
    std::fs::write(path, file.text(transcript))
        .map_err(|e| format!("cannot write {}: {e}", path.display()))
}
