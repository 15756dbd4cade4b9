//! Background jobs for the GUI.
//!
//! The UI thread never waits: a panel sends a [`Command`], the worker runs it on a tokio
//! runtime and sends an [`Event`] back, then asks egui to repaint. Inventory jobs run one after
//! another on a blocking thread that owns the database connection, so their order is the order
//! the user asked for them; a burst of list queries (typing in the search box) collapses into
//! the last one.

use std::path::PathBuf;
use std::sync::mpsc as std_mpsc;

use tokio::sync::mpsc;

use std::collections::HashSet;

use crate::device::{Device, Mac, NewDevice};
use crate::inventory::{
    DevicePage, DeviceQuery, ImportOptions, ImportReport, Inventory, Site, SiteDraft,
};
use crate::labels::{ImportBatch, ParsedSource, parse_file};

/// A job for the worker.
#[derive(Debug)]
pub enum Command {
    /// List devices; `generation` lets the panel ignore answers to queries it has replaced.
    Query {
        generation: u64,
        query: DeviceQuery,
    },
    Add(NewDevice),
    Update {
        id: i64,
        device: NewDevice,
    },
    Delete(Vec<i64>),
    /// Put back devices removed by a delete (undo).
    Restore(Vec<Device>),
    LoadSites,
    /// Create a site or replace its defaults.
    SaveSite(SiteDraft),
    /// Which of these MACs are already in the inventory (for the import preview).
    CheckExisting {
        generation: u64,
        macs: Vec<Mac>,
    },
    /// Write an import batch.
    Import {
        batch: Box<ImportBatch>,
        options: ImportOptions,
    },
}

/// What a job produced.
#[derive(Debug)]
pub enum Event {
    Opened {
        path: PathBuf,
        device_count: usize,
    },
    OpenFailed(String),
    Devices {
        generation: u64,
        page: DevicePage,
        /// All devices in the inventory, whatever the filter.
        inventory_total: usize,
    },
    Added(Device),
    Updated(Device),
    Deleted(Vec<Device>),
    Restored(usize),
    Sites(Vec<Site>),
    SiteSaved(Site),
    /// One label file parsed.
    SourceParsed {
        job: u64,
        source: ParsedSource,
    },
    /// Files read so far of a ParseFiles or PickFiles job.
    ParseProgress {
        job: u64,
        done: usize,
        total: usize,
    },
    /// The file dialog closed at once without files: no desktop portal answered.
    NoFileDialog,
    /// The save dialog's answer.
    SavePathPicked(PathBuf),
    Exported {
        path: PathBuf,
        count: usize,
    },
    ImportProgress {
        done: usize,
        total: usize,
    },
    Imported(ImportReport),
    Existing {
        generation: u64,
        macs: HashSet<Mac>,
    },
    /// A job failed; `action` says which, `error` says why and what to do.
    Failed {
        action: &'static str,
        error: String,
    },
}

/// Handle to the background runtime. Dropping it stops the jobs.
pub struct Worker {
    runtime: tokio::runtime::Runtime,
    commands: mpsc::UnboundedSender<Command>,
    events: std_mpsc::Receiver<Event>,
    sink: EventSink,
    /// The last file job's number.
    jobs: std::sync::atomic::AtomicU64,
}

/// Sends events to the UI and wakes it up.
#[derive(Clone)]
struct EventSink {
    sender: std_mpsc::Sender<Event>,
    ctx: egui::Context,
}

impl EventSink {
    fn send(&self, event: Event) {
        if self.sender.send(event).is_ok() {
            self.ctx.request_repaint();
        }
    }
}

impl Worker {
    /// Starts the runtime and opens the inventory at `db_path` in the background.
    pub fn start(db_path: PathBuf, ctx: egui::Context) -> std::io::Result<Self> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("provdesk-worker")
            .enable_time()
            .build()?;
        let (commands, receiver) = mpsc::unbounded_channel();
        let (sender, events) = std_mpsc::channel();
        let sink = EventSink { sender, ctx };
        runtime.spawn(inventory_loop(db_path, receiver, sink.clone()));
        Ok(Self {
            runtime,
            commands,
            events,
            sink,
            jobs: std::sync::atomic::AtomicU64::new(0),
        })
    }

    /// Queues an inventory job; jobs run one after another in the order sent.
    pub fn send(&self, command: Command) {
        // The loop ends only when the worker is dropped, so a failed send cannot be observed.
        let _ = self.commands.send(command);
    }

    /// Reads and parses label files (CSV, scanner text, photos) beside the inventory jobs.
    /// Returns the job's number, which its events carry.
    pub fn parse_files(&self, paths: Vec<PathBuf>) -> u64 {
        let job = self.next_job();
        self.runtime
            .spawn(parse_files(job, paths, self.sink.clone()));
        job
    }

    fn next_job(&self) -> u64 {
        self.jobs.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1
    }

    /// Asks the desktop's file dialog for label files, then parses them; returns the job's
    /// number.
    pub fn pick_files(&self) -> u64 {
        let job = self.next_job();
        self.runtime.spawn(pick_files(job, self.sink.clone()));
        job
    }

    /// Asks the desktop's save dialog where to write a file called `suggested`.
    pub fn pick_save_path(&self, suggested: String) {
        let sink = self.sink.clone();
        self.runtime.spawn(async move {
            let asked = std::time::Instant::now();
            let picked = rfd::AsyncFileDialog::new()
                .set_title("Export devices as CSV")
                .set_file_name(suggested)
                .add_filter("CSV", &["csv"])
                .save_file()
                .await;
            match picked {
                Some(file) => sink.send(Event::SavePathPicked(file.path().to_path_buf())),
                None if asked.elapsed() < NO_DIALOG_WITHIN => sink.send(Event::NoFileDialog),
                None => {}
            }
        });
    }

    /// Writes devices to a CSV file that the import reads back unchanged.
    pub fn export_csv(&self, devices: Vec<Device>, path: PathBuf) {
        let sink = self.sink.clone();
        self.runtime.spawn_blocking(move || {
            let written = std::fs::File::create(&path)
                .map_err(|e| e.to_string())
                .and_then(|file| {
                    crate::labels::write_csv(&devices, file).map_err(|e| e.to_string())
                });
            sink.send(match written {
                Ok(()) => Event::Exported {
                    path,
                    count: devices.len(),
                },
                Err(error) => Event::Failed {
                    action: "export",
                    error: format!("cannot write {}: {error}", path.display()),
                },
            });
        });
    }

    /// The next finished job, if any. Never blocks.
    pub fn try_recv(&self) -> Option<Event> {
        self.events.try_recv().ok()
    }
}

async fn inventory_loop(
    db_path: PathBuf,
    mut commands: mpsc::UnboundedReceiver<Command>,
    sink: EventSink,
) {
    let opened = tokio::task::spawn_blocking(move || {
        let inventory = Inventory::open(&db_path)?;
        let count = inventory.device_count()?;
        Ok::<_, crate::inventory::InventoryError>((inventory, count))
    })
    .await;
    let mut inventory = match opened {
        Ok(Ok((inventory, device_count))) => {
            sink.send(Event::Opened {
                path: inventory.path().to_path_buf(),
                device_count,
            });
            inventory
        }
        Ok(Err(error)) => return sink.send(Event::OpenFailed(error.to_string())),
        Err(join_error) => return sink.send(Event::OpenFailed(join_error.to_string())),
    };
    let mut pending: Option<Command> = None;
    loop {
        let command = match pending.take() {
            Some(command) => command,
            None => match commands.recv().await {
                Some(command) => command,
                None => return,
            },
        };
        let command = match command {
            Command::Query { .. } => {
                let (latest_query, next) = latest_query(command, &mut commands);
                pending = next;
                latest_query
            }
            other => other,
        };
        let sink_for_job = sink.clone();
        let joined = tokio::task::spawn_blocking(move || {
            let event = handle(&mut inventory, command, &sink_for_job);
            sink_for_job.send(event);
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

/// Skips queries that a newer query already replaced. Returns the query to run and the first
/// non-query command found behind it, which must run next.
fn latest_query(
    mut current: Command,
    commands: &mut mpsc::UnboundedReceiver<Command>,
) -> (Command, Option<Command>) {
    while let Ok(next) = commands.try_recv() {
        match next {
            Command::Query { .. } => current = next,
            other => return (current, Some(other)),
        }
    }
    (current, None)
}

/// Reads and parses files one by one on blocking threads, reporting each as it is done.
async fn parse_files(job: u64, paths: Vec<PathBuf>, sink: EventSink) {
    let total = paths.len();
    for (done, path) in paths.into_iter().enumerate() {
        sink.send(Event::ParseProgress { job, done, total });
        let name = path.display().to_string();
        let parsed = tokio::task::spawn_blocking(move || {
            std::fs::read(&path)
                .map(|bytes| parse_file(&name, &bytes))
                .map_err(|e| format!("{}: {e}", path.display()))
        })
        .await
        .map_err(|e| e.to_string())
        .and_then(|result| result);
        sink.send(match parsed {
            Ok(source) => Event::SourceParsed { job, source },
            Err(error) => Event::Failed {
                action: "read the file",
                error,
            },
        });
    }
    sink.send(Event::ParseProgress {
        job,
        done: total,
        total,
    });
}

/// How soon a dialog that returns nothing counts as "no dialog was shown".
const NO_DIALOG_WITHIN: std::time::Duration = std::time::Duration::from_millis(400);

async fn pick_files(job: u64, sink: EventSink) {
    let asked = std::time::Instant::now();
    let picked = rfd::AsyncFileDialog::new()
        .set_title("Import device labels")
        .add_filter(
            "Labels: CSV, text, photos",
            &["csv", "txt", "tsv", "png", "jpg", "jpeg"],
        )
        .add_filter("All files", &["*"])
        .pick_files()
        .await;
    match picked {
        Some(files) => {
            let paths = files.iter().map(|f| f.path().to_path_buf()).collect();
            parse_files(job, paths, sink).await;
        }
        None if asked.elapsed() < NO_DIALOG_WITHIN => sink.send(Event::NoFileDialog),
        None => {}
    }
}

fn handle(inventory: &mut Inventory, command: Command, sink: &EventSink) -> Event {
    let failed = |action: &'static str| {
        move |error: crate::inventory::InventoryError| Event::Failed {
            action,
            error: error.to_string(),
        }
    };
    let result = match command {
        Command::Query { generation, query } => inventory
            .query_devices(&query)
            .and_then(|page| {
                Ok(Event::Devices {
                    generation,
                    page,
                    inventory_total: inventory.device_count()?,
                })
            })
            .map_err(failed("list devices")),
        Command::Add(device) => inventory
            .add_device(&device)
            .map(Event::Added)
            .map_err(failed("add device")),
        Command::Update { id, device } => inventory
            .update_device(id, &device)
            .map(Event::Updated)
            .map_err(failed("save device")),
        Command::Delete(ids) => inventory
            .delete_devices(&ids)
            .map(Event::Deleted)
            .map_err(failed("delete devices")),
        Command::Restore(devices) => inventory
            .restore_devices(&devices)
            .map(Event::Restored)
            .map_err(failed("undo delete")),
        Command::LoadSites => inventory
            .sites()
            .map(Event::Sites)
            .map_err(failed("list sites")),
        Command::CheckExisting { generation, macs } => inventory
            .existing_macs(&macs)
            .map(|macs| Event::Existing { generation, macs })
            .map_err(failed("check the inventory")),
        Command::SaveSite(draft) => inventory
            .save_site(&draft)
            .map(Event::SiteSaved)
            .map_err(failed("save the site")),
        Command::Import { batch, options } => inventory
            .import_batch(&batch, options, &mut |done, total| {
                sink.send(Event::ImportProgress { done, total })
            })
            .map(Event::Imported)
            .map_err(failed("import")),
    };
    result.unwrap_or_else(|event| event)
}
