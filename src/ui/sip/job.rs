//! The SIP test as a worker job: the core's test on the shared runtime, every event sent to
//! the panel as it happens, and a cancel flag the test looks at while it waits.

use crate::cancel::CancelFlag;
use crate::ops;
use crate::sip::{SipEvent, SipTestSpec};
use crate::ui::sip::events::SipPanelEvent;
use crate::ui::worker::Worker;

/// Starts SIP test `run` of `spec`; returns the flag that cancels it.
pub fn start(worker: &Worker, run: u64, spec: SipTestSpec) -> CancelFlag {
    let cancel = CancelFlag::default();
    let flag = cancel.clone();
    let sink = worker.sink();
    worker.spawn(async move {
        let live = sink.clone();
        let mut forward = move |event: &SipEvent| {
            live.send(SipPanelEvent::Live {
                run,
                event: Box::new(event.clone()),
            });
        };
        ops::sip::run(&spec, &flag, &mut forward).await;
        sink.send(SipPanelEvent::Ended { run });
    });
    cancel
}
