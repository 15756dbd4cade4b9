//! What the SIP test panel's jobs answer.

use std::path::PathBuf;

use crate::device::Mac;
use crate::sip::SipEvent;
use crate::ui::widgets::answers::{Found, Picked};

#[derive(Debug)]
pub enum SipPanelEvent {
    /// One event of SIP test `run`, as it happened.
    Live { run: u64, event: Box<SipEvent> },
    /// SIP test `run` is over (its verdict came as the last `Live` event).
    Ended { run: u64 },
    /// The devices matching the picker's search.
    Found(Found),
    /// The verdict was kept with this inventory device.
    Recorded(Mac),
    /// The verdict could not be kept with the device: why.
    RecordFailed(String),
    /// The save dialog of *Save trace…* answered.
    TracePath(Picked),
    /// The trace was written to this file.
    TraceSaved(PathBuf),
    /// The trace could not be written: why.
    TraceFailed(String),
}
