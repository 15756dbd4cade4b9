//! The GUI's background: one tokio runtime, the event sink that wakes the window, and the
//! inventory queue. It knows no panel: a panel hands it a job that returns the panel's own
//! event, and the app routes that event back by its variant.
//!
//! The UI thread never waits. Inventory jobs run one after another on a blocking thread that
//! owns the database connection, so their order is the order the user asked for them; a burst
//! of jobs of one kind (typing in a search box) collapses into the last one. Network jobs run
//! as tasks; those that record what they learn open their own connection to the same file.

mod queue;
mod watch;

use std::path::{Path, PathBuf};
use std::sync::mpsc as std_mpsc;

use tokio::sync::mpsc;

use crate::inventory::Inventory;
use crate::ui::event::Event;
use queue::{Job, inventory_loop};
use watch::Focus;

/// Sends events to the UI and wakes it up.
#[derive(Clone)]
pub struct EventSink {
    sender: std_mpsc::Sender<Event>,
    ctx: egui::Context,
}

impl EventSink {
    pub fn send(&self, event: impl Into<Event>) {
        if self.sender.send(event.into()).is_ok() {
            self.ctx.request_repaint();
        }
    }
}

/// Queues jobs on the inventory; a copy can travel into a task that wants to record what it
/// learned once it is done.
#[derive(Clone)]
pub struct Jobs {
    queue: mpsc::UnboundedSender<Job>,
    sink: EventSink,
}

impl Jobs {
    /// Queues an inventory job; jobs run one after another in the order sent. The job gets
    /// the sink for progress events; what it returns is sent when it is done.
    pub fn inventory<E: Into<Event>>(
        &self,
        job: impl FnOnce(&mut Inventory, &EventSink) -> E + Send + 'static,
    ) {
        self.queue(None, job);
    }

    /// Like [`Self::inventory`], but a newer job of the same `kind` queued behind this one,
    /// anywhere, replaces it: only the last search of a burst of keystrokes runs, and only the
    /// last reload of a burst of changes.
    pub fn inventory_latest<E: Into<Event>>(
        &self,
        kind: &'static str,
        job: impl FnOnce(&mut Inventory, &EventSink) -> E + Send + 'static,
    ) {
        self.queue(Some(kind), job);
    }

    fn queue<E: Into<Event>>(
        &self,
        kind: Option<&'static str>,
        job: impl FnOnce(&mut Inventory, &EventSink) -> E + Send + 'static,
    ) {
        let run = Box::new(move |inventory: &mut Inventory, sink: &EventSink| {
            let event = job(inventory, sink);
            sink.send(event);
        });
        self.queue_job(Job { kind, run });
    }

    fn queue_job(&self, job: Job) {
        // The loop ends only when the worker is dropped, so a failed send cannot be observed.
        let _ = self.queue.send(job);
    }

    pub fn sink(&self) -> EventSink {
        self.sink.clone()
    }
}

/// Handle to the background runtime. Dropping it stops the jobs.
pub struct Worker {
    runtime: tokio::runtime::Runtime,
    jobs: Jobs,
    events: std_mpsc::Receiver<Event>,
    db_path: PathBuf,
    focus: Focus,
}

impl Worker {
    /// Starts the runtime and opens the inventory at `db_path` in the background.
    pub fn start(db_path: PathBuf, ctx: egui::Context) -> std::io::Result<Self> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("provdesk-worker")
            .enable_all()
            .build()?;
        let (queue, receiver) = mpsc::unbounded_channel();
        let (sender, events) = std_mpsc::channel();
        let sink = EventSink { sender, ctx };
        runtime.spawn(inventory_loop(db_path.clone(), receiver, sink.clone()));
        let jobs = Jobs { queue, sink };
        let focus = Focus::start(&runtime, jobs.clone());
        Ok(Self {
            runtime,
            jobs,
            events,
            db_path,
            focus,
        })
    }

    /// Tells the worker whether the window has the focus: the worker asks the inventory
    /// whether another process changed it every 2 s while it has, every 10 s while not, and at
    /// once when the focus comes back (see [`watch`]).
    pub fn watch(&self, focused: bool) {
        self.focus.set(focused, &self.jobs);
    }

    /// Queues an inventory job (see [`Jobs::inventory`]).
    pub fn inventory<E: Into<Event>>(
        &self,
        job: impl FnOnce(&mut Inventory, &EventSink) -> E + Send + 'static,
    ) {
        self.jobs.inventory(job);
    }

    /// Queues an inventory job that a newer one of its kind replaces (see
    /// [`Jobs::inventory_latest`]).
    pub fn inventory_latest<E: Into<Event>>(
        &self,
        kind: &'static str,
        job: impl FnOnce(&mut Inventory, &EventSink) -> E + Send + 'static,
    ) {
        self.jobs.inventory_latest(kind, job);
    }

    /// A copy of the inventory queue for a task to take along.
    pub fn jobs(&self) -> Jobs {
        self.jobs.clone()
    }

    /// Runs a task on the runtime (network calls, file dialogs).
    pub fn spawn(&self, task: impl std::future::Future<Output = ()> + Send + 'static) {
        self.runtime.spawn(task);
    }

    /// Runs blocking work (file writes, the keyring) off the UI thread.
    pub fn spawn_blocking(&self, work: impl FnOnce() + Send + 'static) {
        self.runtime.spawn_blocking(work);
    }

    pub fn runtime(&self) -> &tokio::runtime::Runtime {
        &self.runtime
    }

    pub fn sink(&self) -> EventSink {
        self.jobs.sink()
    }

    /// The inventory file, for jobs that open a connection of their own.
    pub fn db_path(&self) -> &Path {
        &self.db_path
    }

    /// The next event, if any. Never blocks.
    pub fn try_recv(&self) -> Option<Event> {
        self.events.try_recv().ok()
    }
}
