//! The SIP registration test as both faces run it: the CLI with a live printer, the GUI's
//! worker with a channel. The events are the progress (each is forwarded as it happens); the
//! cancel flag stops the test at its next wait; the typed report is the transcript and its
//! verdict, which the inventory can record per account.

use std::path::Path;

use crate::cancel::CancelFlag;
use crate::device::Mac;
use crate::inventory::{Inventory, InventoryError};
use crate::private_file::{check_save_target, write_private};
use crate::sip::{SipCode, SipEvent, SipTestSpec, SipTranscript, SipVerdict, run_sip_test};

/// What a SIP test leaves: every event, and the verdict.
#[derive(Debug, Clone)]
pub struct SipTestReport {
    pub transcript: SipTranscript,
}

impl SipTestReport {
    /// The verdict (a finished test always has one).
    pub fn verdict(&self) -> Option<&SipVerdict> {
        self.transcript.verdict()
    }

    /// A 2xx came back.
    pub fn ok(&self) -> bool {
        self.verdict().is_some_and(|v| v.ok)
    }

    /// The main finding's code, as the inventory records it.
    pub fn code(&self) -> SipCode {
        self.verdict().map_or(SipCode::Cancelled, SipVerdict::code)
    }

    /// The last final status, if any came.
    pub fn final_status(&self) -> Option<u16> {
        self.verdict().and_then(|v| v.final_status)
    }

    /// The `--json` report: the events and the verdict, no secret in the clear.
    pub fn to_json(&self) -> String {
        self.transcript.to_json()
    }
}

/// Writes the test's SIP trace (see [`SipTranscript::trace`]) to `path`, readable by the user
/// only and replacing a file already there whole: the same text *Copy trace* gives, for a mail
/// to the provider. The error names the file.
pub fn save_trace(transcript: &SipTranscript, path: &Path) -> Result<(), String> {
    write_private(path, transcript.trace().as_bytes())
        .map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// Whether `path` can take a trace, asked before the test runs (see
/// [`check_save_target`]).
pub fn check_trace_target(path: &Path) -> Result<(), String> {
    check_save_target(path, "sip-trace.txt")
}

/// Runs the test on the caller's runtime, forwarding each event to `on_event` as it happens.
pub async fn run(
    spec: &SipTestSpec,
    cancel: &CancelFlag,
    on_event: &mut (dyn FnMut(&SipEvent) + Send),
) -> SipTestReport {
    SipTestReport {
        transcript: run_sip_test(spec, cancel, on_event).await,
    }
}

/// [`run`] for code without a runtime (the CLI): a one-thread runtime for the test's length.
pub fn run_blocking(
    spec: &SipTestSpec,
    cancel: &CancelFlag,
    on_event: &mut (dyn FnMut(&SipEvent) + Send),
) -> std::io::Result<SipTestReport> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    Ok(runtime.block_on(run(spec, cancel, on_event)))
}

/// Keeps the test's verdict with the device whose account was tested: the code and the main
/// finding's message, for the Inventory's *SIP test* column.
pub fn record(
    inventory: &Inventory,
    mac: &Mac,
    report: &SipTestReport,
) -> Result<(), InventoryError> {
    let diagnosis = report
        .verdict()
        .and_then(|verdict| verdict.findings.first())
        .map(|finding| finding.message.as_str());
    inventory.record_sip_test(mac, report.code().as_str(), diagnosis)
}
