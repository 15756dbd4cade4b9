//! The Import panel's jobs: reading label files beside the inventory queue, asking which MACs
//! the inventory holds, and writing the batch; each answers with an [`ImportEvent`].

use std::path::PathBuf;

use crate::cancel::CancelFlag;
use crate::device::Mac;
use crate::inventory::ImportOptions;
use crate::labels::ImportBatch;
use crate::ops::labels::{import, read_label_files};
use crate::ui::import::events::ImportEvent;
use crate::ui::widgets::file_dialog::{self, Dialog};
use crate::ui::worker::Worker;

/// Asks the desktop's file dialog for label files.
pub fn pick_files(worker: &Worker) {
    file_dialog::ask(
        worker,
        Dialog::Open {
            title: "Import device labels",
            filters: vec![
                (
                    "Labels: CSV, text, photos",
                    vec!["csv", "txt", "tsv", "png", "jpg", "jpeg"],
                ),
                ("All files", vec!["*"]),
            ],
        },
        ImportEvent::FilesPicked,
    );
}

/// Reads and parses the files one by one on a blocking thread, beside the inventory jobs,
/// reporting each as it is done.
pub fn read_files(worker: &Worker, job: u64, paths: Vec<PathBuf>) {
    let sink = worker.sink();
    worker.spawn_blocking(move || {
        read_label_files(
            &paths,
            &mut |progress| {
                sink.send(ImportEvent::ParseProgress {
                    job,
                    done: progress.done,
                    total: progress.total,
                })
            },
            &mut |parsed| {
                sink.send(match parsed {
                    Ok(source) => ImportEvent::SourceParsed { job, source },
                    Err(error) => ImportEvent::Unreadable { job, error },
                })
            },
            &CancelFlag::default(),
        );
    });
}

pub fn check_existing(worker: &Worker, generation: u64, macs: Vec<Mac>) {
    worker.inventory(move |inventory, _| match inventory.existing_macs(&macs) {
        Ok(macs) => ImportEvent::Existing { generation, macs },
        Err(error) => ImportEvent::Failed {
            action: "check which devices the inventory holds",
            error: error.to_string(),
        },
    });
}

pub fn write(worker: &Worker, batch: ImportBatch, options: ImportOptions) {
    worker.inventory(move |inventory, sink| {
        let mut progress = |p: crate::ops::Progress| {
            sink.send(ImportEvent::ImportProgress {
                done: p.done,
                total: p.total,
            })
        };
        match import(inventory, &batch, options, &mut progress) {
            Ok(report) => ImportEvent::Imported(report),
            Err(error) => ImportEvent::Failed {
                action: "import",
                error: error.to_string(),
            },
        }
    });
}
