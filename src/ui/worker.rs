//! Background jobs for the GUI.
//!
//! The UI thread never waits: a panel sends a [`Command`], the worker runs it on a tokio
//! runtime and sends an [`Event`] back, then asks egui to repaint. Inventory jobs run one after
//! another on a blocking thread that owns the database connection, so their order is the order
//! the user asked for them; a burst of list queries (typing in the search box) collapses into
//! the last one.

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::mpsc as std_mpsc;

use tokio::sync::mpsc;

use super::device_picker::PickerId;
use super::fetch_job::{self, FetchFile, FetchHandle};
use super::redirect_job::{self, RedirectEvent, RedirectJob};
use crate::device::{Device, Mac, NewDevice};
use crate::fetch::{Event as FetchEvent, FetchSpec, Transcript};
use crate::inventory::{
    DevicePage, DeviceQuery, ImportOptions, ImportReport, Inventory, RedirectUpdate, Site,
    SiteDraft, TemplateStoreError, TemplateVersion,
};
use crate::labels::{ImportBatch, ParsedSource, parse_file};
use crate::redirect::{Account, AccountStore};
use crate::templates::{DEFAULT_TEMPLATES, RenderSettings, render_set};

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
    /// A few devices matching `search`, for a device picker. Its own command (not `Query`)
    /// so the inventory table's generations and a picker's never mix.
    FindDevices {
        picker: PickerId,
        generation: u64,
        search: String,
    },
    /// Keep the outcome of a test fetch with the device (the inventory's "Last fetch").
    RecordFetch {
        mac: Mac,
        status: String,
        code: String,
    },
    /// Every template's saved versions, for the Templates panel.
    LoadTemplates,
    /// Save `body` as the next version of template `name` (validated again by the store).
    SaveTemplate {
        name: String,
        body: String,
    },
    /// Go back to the built-in template, as a new version.
    ResetTemplate(String),
    /// Render the devices (`None`: all of them) with the templates in use into `out`,
    /// optionally with an htdigest file for `realm`.
    Render(Box<RenderJob>),
    /// Every device, for the Redirect panel's picker and, through `reply`, for a redirect job
    /// that needs the inventory's current state.
    RedirectDevices {
        reply: Option<tokio::sync::oneshot::Sender<Result<Vec<Device>, String>>>,
    },
    /// What the redirect server said about these devices.
    RecordRedirect(Vec<(Mac, RedirectUpdate)>),
}

/// What a Render… asked for.
#[derive(Debug)]
pub struct RenderJob {
    pub devices: Option<Vec<Mac>>,
    pub out: PathBuf,
    /// The htdigest file and its realm.
    pub htdigest: Option<(PathBuf, String)>,
}

/// One template and its saved versions, newest first.
#[derive(Debug, Clone)]
pub struct TemplateHistory {
    pub name: &'static str,
    pub versions: Vec<TemplateVersion>,
}

/// What a finished render wrote.
#[derive(Debug, Clone)]
pub struct RenderOutcome {
    pub files: usize,
    pub out: PathBuf,
    /// The htdigest file and how many users it holds.
    pub htdigest: Option<(PathBuf, usize)>,
    /// Devices left out of the htdigest file for want of any credentials.
    pub without_credentials: Vec<String>,
}

/// What a save dialog is asked for; its answer goes back to the panel that asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SaveKind {
    DevicesCsv,
    Fetch(FetchFile),
    /// The folder a render writes to: a folder dialog, not a save dialog.
    RenderFolder,
    Htdigest,
}

impl SaveKind {
    fn title(self) -> &'static str {
        match self {
            SaveKind::DevicesCsv => "Export devices as CSV",
            SaveKind::Fetch(FetchFile::Har) => "Save the test fetch as HAR",
            SaveKind::Fetch(FetchFile::Json) => "Save the test fetch report as JSON",
            SaveKind::RenderFolder => "Render the configuration files into",
            SaveKind::Htdigest => "Write the htdigest file",
        }
    }

    fn filter(self) -> (&'static str, &'static str) {
        match self {
            SaveKind::DevicesCsv => ("CSV", "csv"),
            SaveKind::Fetch(file) => (file.name(), file.extension()),
            SaveKind::RenderFolder => ("Folder", "*"),
            SaveKind::Htdigest => ("htdigest", "htdigest"),
        }
    }
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
    SavePathPicked {
        kind: SaveKind,
        path: PathBuf,
    },
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
    /// A device picker's matches.
    FoundDevices {
        picker: PickerId,
        generation: u64,
        devices: Vec<Device>,
    },
    /// One event of test fetch `run`, as it happened.
    Fetch {
        run: u64,
        event: Box<FetchEvent>,
    },
    /// Test fetch `run` is over; `error` says why it could not start (bad TLS files…).
    FetchEnded {
        run: u64,
        error: Option<String>,
    },
    /// A fetch's outcome is stored with the device.
    FetchRecorded(Mac),
    /// A HAR or JSON file of a fetch was written.
    FetchSaved {
        path: PathBuf,
        file: FetchFile,
    },
    /// Every template's versions (after a load, a save or a reset).
    Templates(Vec<TemplateHistory>),
    TemplateSaved(TemplateVersion),
    TemplateReset(TemplateVersion),
    /// A render job's phase, for the progress line.
    RenderProgress(&'static str),
    Rendered(RenderOutcome),
    /// News from a Redirect panel job.
    Redirect(RedirectEvent),
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
    /// Where the redirect account is kept.
    accounts: AccountStore,
}

/// Sends events to the UI and wakes it up.
#[derive(Clone)]
pub(super) struct EventSink {
    sender: std_mpsc::Sender<Event>,
    ctx: egui::Context,
}

impl EventSink {
    pub(super) fn send(&self, event: Event) {
        if self.sender.send(event).is_ok() {
            self.ctx.request_repaint();
        }
    }
}

impl Worker {
    /// Starts the runtime and opens the inventory at `db_path` in the background; the
    /// redirect account is kept in `accounts`.
    pub fn start(
        db_path: PathBuf,
        accounts: AccountStore,
        ctx: egui::Context,
    ) -> std::io::Result<Self> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("provdesk-worker")
            .enable_all()
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
            accounts,
        })
    }

    /// Reads the saved redirect account; answers [`RedirectEvent::AccountLoaded`].
    pub fn load_account(&self) {
        let (store, sink) = (self.accounts.clone(), self.sink.clone());
        self.runtime
            .spawn_blocking(move || redirect_job::load_account(store, sink));
    }

    /// Saves the redirect account; answers [`RedirectEvent::AccountSaved`].
    pub fn save_account(&self, account: Account) {
        let (store, sink) = (self.accounts.clone(), self.sink.clone());
        self.runtime
            .spawn_blocking(move || redirect_job::save_account(store, account, sink));
    }

    /// Starts a call to the redirect server; its answers come back as [`Event::Redirect`].
    pub fn redirect(&self, job: RedirectJob) {
        self.runtime.spawn(redirect_job::run(
            job,
            self.commands.clone(),
            self.sink.clone(),
        ));
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
    pub fn pick_save_path(&self, kind: SaveKind, suggested: String) {
        let sink = self.sink.clone();
        self.runtime.spawn(async move {
            let asked = std::time::Instant::now();
            let (filter, extension) = kind.filter();
            let dialog = rfd::AsyncFileDialog::new().set_title(kind.title());
            let picked = if kind == SaveKind::RenderFolder {
                dialog.pick_folder().await
            } else {
                dialog
                    .set_file_name(suggested)
                    .add_filter(filter, &[extension])
                    .save_file()
                    .await
            };
            match picked {
                Some(file) => sink.send(Event::SavePathPicked {
                    kind,
                    path: file.path().to_path_buf(),
                }),
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

    /// Starts test fetch `run` of `spec`. Its events come back as [`Event::Fetch`] while it
    /// runs; when `device` is given, the outcome is stored with that inventory device.
    pub fn start_fetch(&self, run: u64, spec: FetchSpec, device: Option<Mac>) -> FetchHandle {
        fetch_job::start(
            &self.runtime,
            run,
            spec,
            device,
            self.sink.clone(),
            self.commands.clone(),
        )
    }

    /// Writes a fetch's HAR export or JSON report to `path`, off the UI thread since bodies
    /// can be large.
    pub fn save_fetch(&self, transcript: Transcript, file: FetchFile, path: PathBuf) {
        let sink = self.sink.clone();
        self.runtime
            .spawn_blocking(move || fetch_job::save(&transcript, file, path, &sink));
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

/// How many matches the device picker lists; more means the search should be sharper.
const PICKER_LIMIT: usize = 8;

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
        Command::FindDevices {
            picker,
            generation,
            search,
        } => inventory
            .query_devices(&DeviceQuery {
                search,
                limit: Some(PICKER_LIMIT),
                ..DeviceQuery::default()
            })
            .map(|page| Event::FoundDevices {
                picker,
                generation,
                devices: page.devices,
            })
            .map_err(failed("find devices")),
        Command::RecordFetch { mac, status, code } => inventory
            .record_fetch(mac, &status, &code)
            .map(|()| Event::FetchRecorded(mac))
            .map_err(failed("record the fetch")),
        Command::LoadTemplates => template_histories(inventory)
            .map(Event::Templates)
            .map_err(template_failed("load the templates")),
        Command::SaveTemplate { name, body } => inventory
            .save_template_version(&name, &body, "saved in the Templates panel")
            .map(Event::TemplateSaved)
            .map_err(template_failed("save the template")),
        Command::ResetTemplate(name) => inventory
            .reset_template(&name)
            .map(Event::TemplateReset)
            .map_err(template_failed("reset the template")),
        Command::Render(job) => render(inventory, *job, sink).map_err(|error| Event::Failed {
            action: "render",
            error,
        }),
        Command::RedirectDevices { reply } => {
            let devices = inventory.all_devices().map_err(|e| e.to_string());
            if let Some(reply) = reply {
                // A job that stopped waiting (cancelled) needs no answer.
                let _ = reply.send(devices.clone());
            }
            devices
                .map(|devices| Event::Redirect(RedirectEvent::Devices(devices)))
                .map_err(|error| Event::Failed {
                    action: "read the devices for the redirect server",
                    error,
                })
        }
        Command::RecordRedirect(updates) => inventory
            .record_redirect(&updates)
            .map(|count| Event::Redirect(RedirectEvent::Recorded(count)))
            .map_err(failed("record the redirect server's answers")),
    };
    result.unwrap_or_else(|event| event)
}

fn template_failed(action: &'static str) -> impl Fn(TemplateStoreError) -> Event {
    move |error| Event::Failed {
        action,
        error: error.to_string(),
    }
}

fn template_histories(inventory: &Inventory) -> Result<Vec<TemplateHistory>, TemplateStoreError> {
    DEFAULT_TEMPLATES
        .iter()
        .map(|default| {
            Ok(TemplateHistory {
                name: default.name,
                versions: inventory.template_versions(default.name)?,
            })
        })
        .collect()
}

/// Renders and writes a set as `provdesk render` does: everything rendered and checked first,
/// then staged beside the targets and put in place together, so a failure writes nothing.
fn render(inventory: &Inventory, job: RenderJob, sink: &EventSink) -> Result<Event, String> {
    sink.send(Event::RenderProgress("Reading the devices…"));
    let devices = match &job.devices {
        Some(macs) => {
            let mut devices = Vec::with_capacity(macs.len());
            for mac in macs {
                let device = inventory
                    .device_by_mac(*mac)
                    .map_err(|e| e.to_string())?
                    .ok_or_else(|| format!("device {mac} is no longer in the inventory"))?;
                devices.push(device);
            }
            devices
        }
        None => {
            inventory
                .query_devices(&DeviceQuery::default())
                .map_err(|e| e.to_string())?
                .devices
        }
    };
    if devices.is_empty() {
        return Err("the inventory holds no devices: add or import some first".to_string());
    }
    let templates = inventory.template_set().map_err(|e| e.to_string())?;
    sink.send(Event::RenderProgress("Rendering and checking every file…"));
    let realm = job.htdigest.as_ref().map(|(_, realm)| realm.as_str());
    let set = render_set(
        &templates,
        &devices,
        &RenderSettings::default(),
        false,
        realm,
    )
    .map_err(|e| e.to_string())?;
    sink.send(Event::RenderProgress("Writing the files…"));
    let htdigest_path = job.htdigest.as_ref().map(|(path, _)| path.as_path());
    let staged = set
        .stage(&job.out, htdigest_path)
        .map_err(|e| e.to_string())?;
    staged.commit().map_err(|e| e.to_string())?;
    Ok(Event::Rendered(RenderOutcome {
        files: set.files.len(),
        out: job.out,
        htdigest: job
            .htdigest
            .zip(set.htdigest.as_ref())
            .map(|((path, _), htdigest)| (path, htdigest.users)),
        without_credentials: set
            .htdigest
            .map(|h| h.without_credentials.iter().map(|mac| mac.macd()).collect())
            .unwrap_or_default(),
    }))
}
