//! What the SIP test panel's job answers.

use crate::sip::SipEvent;

#[derive(Debug)]
pub enum SipPanelEvent {
    /// One event of SIP test `run`, as it happened.
    Live { run: u64, event: Box<SipEvent> },
    /// SIP test `run` is over (its verdict came as the last `Live` event).
    Ended { run: u64 },
}
