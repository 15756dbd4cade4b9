//! The SIP test as a worker job: the core's test on the shared runtime, every event sent to
//! the panel as it happens, a cancel flag the test looks at while it waits, and the verdict
//! kept with the inventory device whose account was tested; and the trace saved to a file.

use std::path::PathBuf;

use crate::cancel::CancelFlag;
use crate::device::Mac;
use crate::ops;
use crate::sip::{SipEvent, SipTestSpec, SipTranscript};
use crate::ui::sip::events::SipPanelEvent;
use crate::ui::worker::Worker;

/// Starts SIP test `run` of `spec`; returns the flag that cancels it. When `device` is given,
/// the verdict of a test that ran to its end is stored with that device.
pub fn start(worker: &Worker, run: u64, spec: SipTestSpec, device: Option<Mac>) -> CancelFlag {
    let cancel = CancelFlag::default();
    let flag = cancel.clone();
    let sink = worker.sink();
    let recorder = worker.jobs();
    worker.spawn(async move {
        let live = sink.clone();
        let mut forward = move |event: &SipEvent| {
            live.send(SipPanelEvent::Live {
                run,
                event: Box::new(event.clone()),
            });
        };
        let report = ops::sip::run(&spec, &flag, &mut forward).await;
        if let Some(mac) = device.filter(|_| !flag.is_cancelled()) {
            recorder.inventory(move |inventory, _| {
                match ops::sip::record(inventory, &mac, &report) {
                    Ok(()) => SipPanelEvent::Recorded(mac),
                    Err(error) => SipPanelEvent::RecordFailed(error.to_string()),
                }
            });
        }
        sink.send(SipPanelEvent::Ended { run });
    });
    cancel
}

/// Writes `transcript`'s trace to `path` off the UI thread; the answer says where, or why not.
pub fn save_trace(worker: &Worker, transcript: SipTranscript, path: PathBuf) {
    let sink = worker.sink();
    worker.spawn_blocking(move || {
        sink.send(match ops::sip::save_trace(&transcript, &path) {
            Ok(()) => SipPanelEvent::TraceSaved(path),
            Err(error) => SipPanelEvent::TraceFailed(error),
        });
    });
}
