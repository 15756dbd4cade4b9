//! What the Test fetch panel's jobs answer.

use std::path::PathBuf;

use crate::device::Mac;
use crate::ops::fetch::FetchFile;
use crate::ui::widgets::answers::Found;
use crate::ui::widgets::answers::Picked;

#[derive(Debug)]
pub enum FetchEvent {
    /// One event of test fetch `run`, as it happened.
    Live {
        run: u64,
        event: Box<crate::fetch::Event>,
    },
    /// Test fetch `run` is over; `error` says why it could not start (bad TLS files…).
    Ended { run: u64, error: Option<String> },
    /// The fetch's outcome is stored with the device.
    Recorded(Mac),
    /// The device picker's matches.
    Found(Found),
    /// The save dialog answered for a file of this kind.
    SavePath(FetchFile, Picked),
    /// A HAR or JSON file of a fetch was written.
    Saved { path: PathBuf, file: FetchFile },
    /// A job of this panel failed: what, and why.
    Failed { action: &'static str, error: String },
}
