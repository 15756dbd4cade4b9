//! The test fetch as a worker job: the core's ladder on the shared runtime, every event sent
//! to the panel as it happens, typed-in credentials coming back over a channel, and the
//! outcome stored with the device.

use std::path::PathBuf;

use tokio::sync::mpsc;

use super::worker::{Command, Event, EventSink};
use crate::device::Mac;
use crate::fetch::{Credentials, FetchSpec, Report, Transcript, run_fetch, to_har};

/// The panel's hold on a running fetch: stop it, or answer the device's prompt.
pub struct FetchHandle {
    task: tokio::task::AbortHandle,
    answers: mpsc::Sender<Option<Credentials>>,
}

impl FetchHandle {
    /// Stops the fetch where it waits; an open connection is dropped with it.
    pub fn cancel(&self) {
        self.task.abort();
    }

    /// Answers the device's prompt for credentials; `None` is Back/Cancel on the device.
    /// Never waits: the ladder asks once per prompt, so the channel has room. A fetch that
    /// ended meanwhile (the device's 60 s ran out) has closed it; the answer has nowhere to go.
    pub fn answer(&self, credentials: Option<Credentials>) {
        let _ = self.answers.try_send(credentials);
    }
}

pub(super) fn start(
    runtime: &tokio::runtime::Runtime,
    run: u64,
    spec: FetchSpec,
    device: Option<Mac>,
    sink: EventSink,
    commands: mpsc::UnboundedSender<Command>,
) -> FetchHandle {
    let (answers, mut manual) = mpsc::channel(1);
    let live = sink.clone();
    let task = runtime.spawn(async move {
        let mut forward = move |event: &crate::fetch::Event| {
            live.send(Event::Fetch {
                run,
                event: Box::new(event.clone()),
            });
        };
        match run_fetch(&spec, Some(&mut manual), &mut forward).await {
            Ok(transcript) => {
                if let Some(mac) = device {
                    let (status, code) = transcript.outcome();
                    // The inventory job queue owns the database; it answers FetchRecorded.
                    let _ = commands.send(Command::RecordFetch {
                        mac,
                        status,
                        code: code.to_string(),
                    });
                }
                None
            }
            Err(error) => Some(error.to_string()),
        }
    });
    let abort = task.abort_handle();
    // Watches the fetch so the panel always hears the end, even of a fetch that panicked;
    // a cancelled one ends quietly, the panel already knows.
    runtime.spawn(async move {
        let error = match task.await {
            Ok(error) => error,
            Err(join) if join.is_panic() => Some(format!(
                "the fetch stopped unexpectedly ({}); please report this",
                panic_text(join.into_panic())
            )),
            Err(_) => return,
        };
        sink.send(Event::FetchEnded { run, error });
    });
    FetchHandle {
        task: abort,
        answers,
    }
}

fn panic_text(payload: Box<dyn std::any::Any + Send>) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "no message".to_string())
}

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
}

/// Writes the HAR export or the JSON report; runs on a blocking thread.
pub(super) fn save(transcript: &Transcript, file: FetchFile, path: PathBuf, sink: &EventSink) {
    let text = match file {
        FetchFile::Json => Report::from_transcript(transcript).to_json(),
        FetchFile::Har => to_har(transcript),
    };
    sink.send(match std::fs::write(&path, text) {
        Ok(()) => Event::FetchSaved { path, file },
        Err(error) => Event::Failed {
            action: "save the test fetch",
            error: format!("cannot write {}: {error}", path.display()),
        },
    });
}
