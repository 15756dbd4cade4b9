//! What the SIP test panel's jobs answer.

use crate::device::Mac;
use crate::sip::SipEvent;
use crate::ui::widgets::answers::Found;

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
}
