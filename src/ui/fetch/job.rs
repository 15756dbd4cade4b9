//! The test fetch as a worker job: the core's ladder on the shared runtime, every event sent
//! to the panel as it happens, typed-in credentials coming back over a channel, and the
//! outcome stored with the device.

use std::path::PathBuf;

use tokio::sync::mpsc;

use crate::device::Mac;
use crate::fetch::{Credentials, ExportOptions, FetchSpec, Transcript, run_fetch};
use crate::ops::fetch::{
    CredentialOffer, FetchFile, credential_offer, keep_credentials, record, save as save_file,
};
use crate::ui::fetch::events::FetchEvent;
use crate::ui::worker::{Jobs, Worker};

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

/// Starts test fetch `run` of `spec`; its events come back as [`FetchEvent::Live`] while it
/// runs. When `device` is given, the outcome is stored with that inventory device; an ad hoc
/// fetch is asked whether it proved credentials worth keeping ([`FetchEvent::Offer`]).
pub fn start(worker: &Worker, run: u64, spec: FetchSpec, device: Option<Mac>) -> FetchHandle {
    let (answers, mut manual) = mpsc::channel(1);
    let asked = spec.clone();
    let sink = worker.sink();
    let live = sink.clone();
    let task = worker.runtime().spawn(async move {
        let mut forward = move |event: &crate::fetch::Event| {
            live.send(FetchEvent::Live {
                run,
                event: Box::new(event.clone()),
            });
        };
        run_fetch(&spec, Some(&mut manual), &mut forward)
            .await
            .map_err(|error| error.to_string())
    });
    let abort = task.abort_handle();
    let recorder = worker.jobs();
    // Watches the fetch so the panel always hears the end, even of a fetch that panicked;
    // a cancelled one ends quietly, the panel already knows.
    worker.spawn(async move {
        let error = match task.await {
            Ok(Ok(transcript)) => {
                match device {
                    Some(mac) => record_outcome(&recorder, mac, transcript),
                    None => offer(&recorder, run, asked, transcript),
                }
                None
            }
            Ok(Err(error)) => Some(error),
            Err(join) if join.is_panic() => Some(format!(
                "the fetch stopped unexpectedly ({}); please report this",
                panic_text(join.into_panic())
            )),
            Err(_) => return,
        };
        sink.send(FetchEvent::Ended { run, error });
    });
    FetchHandle {
        task: abort,
        answers,
    }
}
/// Keeps the outcome with the device, through the inventory queue that owns the database.
fn record_outcome(jobs: &Jobs, mac: Mac, transcript: Transcript) {
    jobs.inventory(
        move |inventory, _| match record(inventory, mac, &transcript) {
            Ok(()) => FetchEvent::Recorded(mac),
            Err(error) => FetchEvent::Failed {
                action: "record the fetch with the device",
                error: error.to_string(),
            },
        },
    );
}

/// Looks up the inventory device of an ad hoc fetch's MAC, through the inventory queue, for
/// the credentials the fetch proved.
fn offer(jobs: &Jobs, run: u64, spec: FetchSpec, transcript: Transcript) {
    if spec.mac.is_none() || !transcript.accepted() {
        return;
    }
    jobs.inventory(
        move |inventory, _| match credential_offer(inventory, &spec, &transcript) {
            Ok(offer) => FetchEvent::Offer {
                run,
                offer: offer.map(Box::new),
            },
            Err(error) => FetchEvent::Failed {
                action: "look up the device of this MAC",
                error: error.to_string(),
            },
        },
    );
}

/// Keeps the offered credentials as the device's own.
pub fn keep(worker: &Worker, offer: CredentialOffer) {
    worker.inventory(
        move |inventory, _| match keep_credentials(inventory, &offer) {
            Ok(()) => FetchEvent::Kept(offer.mac),
            Err(error) => FetchEvent::Failed {
                action: "save the credentials with the device",
                error: error.to_string(),
            },
        },
    );
}

fn panic_text(payload: Box<dyn std::any::Any + Send>) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "no message".to_string())
}

/// Writes the HAR export or the JSON report off the UI thread, since bodies can be large.
pub fn save(
    worker: &Worker,
    transcript: Transcript,
    file: FetchFile,
    options: ExportOptions,
    path: PathBuf,
) {
    let sink = worker.sink();
    worker.spawn_blocking(move || {
        sink.send(match save_file(&transcript, file, options, &path) {
            Ok(()) => FetchEvent::Saved { path, file },
            Err(error) => FetchEvent::Failed {
                action: "save the test fetch",
                error,
            },
        });
    });
}
