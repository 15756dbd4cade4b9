//! The inventory queue: one connection, owned by whichever blocking thread runs the current
//! job, and the jobs in the order they were sent.

use std::collections::VecDeque;
use std::path::PathBuf;

use tokio::sync::mpsc;

use super::EventSink;
use crate::inventory::Inventory;
use crate::ui::event::Event;

/// What a job does with the inventory; it sends its own events.
pub type RunJob = Box<dyn FnOnce(&mut Inventory, &EventSink) + Send>;

/// A job on the inventory. `kind` marks jobs whose newer twin replaces them (see
/// [`super::Worker::inventory_latest`]).
pub struct Job {
    pub kind: Option<&'static str>,
    pub run: RunJob,
}

pub async fn inventory_loop(
    db_path: PathBuf,
    mut jobs: mpsc::UnboundedReceiver<Job>,
    sink: EventSink,
) {
    let Some(mut inventory) = open(db_path, &sink).await else {
        return;
    };
    let mut waiting = Waiting::default();
    loop {
        while let Ok(job) = jobs.try_recv() {
            waiting.push(job);
        }
        let job = match waiting.next() {
            Some(job) => job,
            None => match jobs.recv().await {
                Some(job) => {
                    waiting.push(job);
                    continue;
                }
                None => return,
            },
        };
        let sink_for_job = sink.clone();
        let joined = tokio::task::spawn_blocking(move || {
            (job.run)(&mut inventory, &sink_for_job);
            inventory
        })
        .await;
        match joined {
            Ok(back) => inventory = back,
            Err(error) => {
                return sink.send(Event::OpenFailed(format!(
                    "the inventory worker stopped: {error}; restart provdesk"
                )));
            }
        }
    }
}

async fn open(db_path: PathBuf, sink: &EventSink) -> Option<Inventory> {
    let opened = tokio::task::spawn_blocking(move || {
        let inventory = Inventory::open(&db_path)?;
        let count = inventory.device_count()?;
        Ok::<_, crate::inventory::InventoryError>((inventory, count))
    })
    .await;
    match opened {
        Ok(Ok((inventory, device_count))) => {
            sink.send(Event::Opened {
                path: inventory.path().to_path_buf(),
                device_count,
                file_mode_note: inventory.file_mode_note().cloned(),
            });
            Some(inventory)
        }
        Ok(Err(error)) => {
            sink.send(Event::OpenFailed(error.to_string()));
            None
        }
        Err(join_error) => {
            sink.send(Event::OpenFailed(join_error.to_string()));
            None
        }
    }
}

/// The jobs sent and not run yet, in the order sent. A job of a kind is dropped when a newer
/// one of the same kind waits behind it, wherever it waits: during a sync, every answered batch
/// asks the inventory list, the sites and the Redirect panel's devices to reload, and with
/// only neighbours replaced, none of them ever were, so the reloads of 1,000 batches queued
/// up and ran for minutes after the sync.
#[derive(Default)]
struct Waiting {
    jobs: VecDeque<Job>,
}

impl Waiting {
    fn push(&mut self, job: Job) {
        self.jobs.push_back(job);
    }

    /// The next job to run: the oldest one no newer one of its kind replaces.
    fn next(&mut self) -> Option<Job> {
        while let Some(job) = self.jobs.pop_front() {
            let replaced = job
                .kind
                .is_some_and(|kind| self.jobs.iter().any(|later| later.kind == Some(kind)));
            if !replaced {
                return Some(job);
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job(
        kind: Option<&'static str>,
        name: &'static str,
        ran: &std::sync::mpsc::Sender<&'static str>,
    ) -> Job {
        let ran = ran.clone();
        Job {
            kind,
            run: Box::new(move |_, _| ran.send(name).expect("the test listens")),
        }
    }

    /// Runs what `Waiting` hands out, in order, and names it.
    fn run_all(
        waiting: &mut Waiting,
        ran: &std::sync::mpsc::Receiver<&'static str>,
    ) -> Vec<&'static str> {
        let dir = tempfile::tempdir().expect("a folder");
        let mut inventory = Inventory::open(&dir.path().join("q.sqlite3")).expect("opens");
        let (sender, _events) = std::sync::mpsc::channel();
        let sink = EventSink {
            sender,
            ctx: egui::Context::default(),
        };
        while let Some(job) = waiting.next() {
            (job.run)(&mut inventory, &sink);
        }
        ran.try_iter().collect()
    }

    #[test]
    fn a_newer_job_of_a_kind_replaces_an_older_one_anywhere_in_the_queue() {
        let (tx, rx) = std::sync::mpsc::channel();
        let mut waiting = Waiting::default();
        for (kind, name) in [
            (Some("list"), "list 1"),
            (Some("sites"), "sites 1"),
            (None, "save"),
            (Some("list"), "list 2"),
            (Some("sites"), "sites 2"),
            (None, "export"),
            (Some("list"), "list 3"),
        ] {
            waiting.push(job(kind, name, &tx));
        }
        assert_eq!(
            run_all(&mut waiting, &rx),
            ["save", "sites 2", "export", "list 3"]
        );
    }
}
