//! The inventory queue: one connection, owned by whichever blocking thread runs the current
//! job, and the jobs in the order they were sent.

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
    let mut pending: Option<Job> = None;
    loop {
        let job = match pending.take() {
            Some(job) => job,
            None => match jobs.recv().await {
                Some(job) => job,
                None => return,
            },
        };
        let (job, next) = latest(job, &mut jobs);
        pending = next;
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

/// Skips jobs that a newer one of the same kind already replaced. Returns the job to run and
/// the first job of another kind found behind it, which must run next.
fn latest(mut current: Job, jobs: &mut mpsc::UnboundedReceiver<Job>) -> (Job, Option<Job>) {
    let Some(kind) = current.kind else {
        return (current, None);
    };
    while let Ok(next) = jobs.try_recv() {
        if next.kind == Some(kind) {
            current = next;
        } else {
            return (current, Some(next));
        }
    }
    (current, None)
}
