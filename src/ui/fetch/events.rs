//! What the Test fetch panel's jobs answer.

use std::path::PathBuf;

use crate::device::{Device, Mac};
use crate::ops::fetch::{CredentialOffer, FetchFile};
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
    /// What ad hoc fetch `run` proved that an inventory device does not hold yet, if anything.
    Offer {
        run: u64,
        offer: Option<Box<CredentialOffer>>,
    },
    /// The proven credentials are now the device's own.
    Kept(Mac),
    /// The picked device as the inventory holds it now (`None`: it is gone), read again after
    /// the inventory's devices changed, e.g. in the form *Edit device…* opened.
    Reread(Result<Option<Box<Device>>, String>),
    /// The device picker's matches.
    Found(Found),
    /// The save dialog answered for a file of this kind.
    SavePath(FetchFile, Picked),
    /// A HAR or JSON file of a fetch was written.
    Saved { path: PathBuf, file: FetchFile },
    /// A job of this panel failed: what, and why.
    Failed { action: &'static str, error: String },
}
