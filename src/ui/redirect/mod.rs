//! The Redirect panel: the provisioner account on the left; on the right three tabs — the
//! picked devices' Register / Check / Deregister, the Sync plan and its apply, and the remote
//! list. Every call runs on the worker ([`crate::ui::redirect::job`]); this file routes its answers
//! to the tabs and says in the status bar how each ended.

use egui::RichText;

mod account;
mod devices;
pub mod events;
mod job;
mod picker_row;
mod remote;
mod sync;

use crate::cancel::CancelFlag;
use crate::device::Mac;
use crate::inventory::PickableDevice;
use crate::ops::redirect::{DeviceAction, DeviceOutcome};
use crate::redirect::{Account, AccountStore, Action, PasswordHome, SyncPlan};
use crate::ui::widgets::banner;
use crate::ui::widgets::form_panel::form_panel;
use crate::ui::widgets::status::StatusLine;
use crate::ui::worker::Worker;
use crate::words;
use account::{AccountAction, AccountForm};
use devices::DevicesTab;
use events::{RedirectEvent, RemoteList};
use job::RedirectJob;
use remote::RemoteTab;
use sync::{SyncRequest, SyncTab};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum Tab {
    #[default]
    Devices,
    Sync,
    Remote,
}

impl Tab {
    const ALL: [Tab; 3] = [Tab::Devices, Tab::Sync, Tab::Remote];

    fn title(self) -> &'static str {
        match self {
            Tab::Devices => "Devices",
            Tab::Sync => "Sync",
            Tab::Remote => "Remote list",
        }
    }
}

pub struct RedirectPanel {
    /// The last failure that no tab shows (account, inventory, a call that could not run).
    error: Option<String>,
    /// Where the provisioner account is kept (a file beside the inventory, the password in
    /// the OS keyring).
    accounts: AccountStore,
    account: AccountForm,
    tab: Tab,
    devices: DevicesTab,
    /// Whether the device picker's list was asked for: not before the panel is first shown,
    /// so a large inventory is not held twice while nobody looks at it.
    devices_asked: bool,
    sync: SyncTab,
    remote: RemoteTab,
}

impl RedirectPanel {
    /// Whether a sync is being applied, for the question before closing.
    pub fn applying(&self) -> bool {
        self.sync.applying()
    }

    /// Loads the saved account in the background; the inventory's devices follow when the
    /// panel is first shown.
    pub fn new(accounts: AccountStore, worker: &Worker) -> Self {
        job::load_account(worker, accounts.clone());
        Self {
            error: None,
            accounts,
            account: AccountForm::default(),
            tab: Tab::default(),
            devices: DevicesTab::default(),
            devices_asked: false,
            sync: SyncTab::default(),
            remote: RemoteTab::default(),
        }
    }

    /// Shows the Devices tab with exactly these devices picked (from the Inventory's row menu).
    pub fn pick(&mut self, macs: Vec<Mac>) {
        self.tab = Tab::Devices;
        self.devices.pick(macs);
    }

    /// The inventory changed: refresh the device picker, if it was shown.
    pub fn devices_changed(&self, worker: &Worker) {
        if self.devices_asked {
            job::load_devices(worker);
        }
    }

    /// Takes a redirect job's news.
    pub fn on_event(&mut self, event: RedirectEvent, status: &mut StatusLine) {
        match event {
            RedirectEvent::AccountLoaded(account) => self.account_loaded(account, status),
            RedirectEvent::AccountSaved(home) => self.account_saved(home, status),
            RedirectEvent::Connection(answer) => self.connection_tested(answer, status),
            RedirectEvent::Devices(devices) => self.devices_loaded(devices, status),
            RedirectEvent::DeviceResults { action, outcomes } => {
                self.devices_done(action, outcomes, status)
            }
            RedirectEvent::DevicesFailed(error) => {
                self.devices.failed();
                self.failed(error, status);
            }
            RedirectEvent::Plan { run, plan } => self.planned(run, plan, status),
            RedirectEvent::Applied {
                run,
                progress,
                results,
            } => self.sync.applied(run, progress, results),
            RedirectEvent::ApplyEnded {
                run,
                cancelled,
                error,
            } => self.apply_ended(run, cancelled, error, status),
            RedirectEvent::Remote(list) => self.remote_listed(list, status),
        }
    }

    fn account_loaded(
        &mut self,
        account: Result<Option<Account>, String>,
        status: &mut StatusLine,
    ) {
        match account {
            Ok(account) => self.account.loaded(account),
            Err(error) => self.failed(
                format!("The saved redirect account could not be read: {error}"),
                status,
            ),
        }
    }

    fn account_saved(&mut self, home: Result<PasswordHome, String>, status: &mut StatusLine) {
        match home {
            Ok(home) => {
                self.account.saved(&home);
                status.info(if home.warning().is_some() {
                    "Saved the redirect account; the password is in a file only you can read (no keyring service answered)."
                } else {
                    "Saved the redirect account; the password is in the OS keyring."
                });
            }
            Err(error) => {
                self.account.save_failed();
                self.failed(
                    format!("The redirect account was not saved: {error}"),
                    status,
                );
            }
        }
    }

    /// A failure no tab shows: in the panel's banner and the status bar.
    fn failed(&mut self, error: String, status: &mut StatusLine) {
        status.error(error.clone());
        self.error = Some(error);
    }

    fn connection_tested(&mut self, answer: Result<String, String>, status: &mut StatusLine) {
        match &answer {
            Ok(text) => status.info(text.clone()),
            Err(error) => status.error(format!("Test connection failed: {error}")),
        }
        self.account.tested(answer);
    }

    fn devices_loaded(
        &mut self,
        devices: Result<Vec<PickableDevice>, String>,
        status: &mut StatusLine,
    ) {
        match devices {
            Ok(devices) => self.devices.set_devices(devices),
            Err(error) => self.failed(
                format!("The inventory's devices could not be read: {error}"),
                status,
            ),
        }
    }

    fn devices_done(
        &mut self,
        action: DeviceAction,
        outcomes: Vec<DeviceOutcome>,
        status: &mut StatusLine,
    ) {
        let failed = outcomes.iter().filter(|o| !o.succeeded()).count();
        let text = format!(
            "{}: {} done, {failed} failed",
            action.verb(),
            words::count(outcomes.len() - failed, "device")
        );
        if failed > 0 {
            status.error(format!("{text}; the reasons are in the Redirect panel."));
        } else {
            status.info(text);
        }
        self.devices.done(action, outcomes);
    }

    fn planned(&mut self, run: u64, plan: Result<SyncPlan, String>, status: &mut StatusLine) {
        match &plan {
            Ok(plan) => status.info(format!("Sync plan: {}.", plan.summary())),
            Err(error) => status.error(format!("The sync plan could not be built: {error}")),
        }
        self.sync.planned(run, plan);
    }

    /// `error`: the apply could not run at all, so the plan still holds; otherwise it ran
    /// (perhaps cancelled) and the status bar says what is left to do.
    fn apply_ended(
        &mut self,
        run: u64,
        cancelled: bool,
        error: Option<String>,
        status: &mut StatusLine,
    ) {
        if let Some(error) = error {
            if self.sync.apply_failed(run, error.clone()) {
                status.error(format!("The sync could not be applied: {error}"));
            }
            return;
        }
        if let Some((done, failed)) = self.sync.apply_ended(run, cancelled) {
            let text = format!(
                "Sync applied: {} changed, {failed} failed",
                words::count(done, "device")
            );
            if cancelled {
                status.info(format!("{text}; cancelled: Plan again to finish."));
            } else if failed > 0 {
                status.error(format!(
                    "{text}: they are listed first, each with the server's answer and what to \
                     do."
                ));
            } else {
                status.info(format!("{text}."));
            }
        }
    }

    fn remote_listed(&mut self, list: Result<RemoteList, String>, status: &mut StatusLine) {
        match &list {
            Ok(list) => status.info(format!(
                "The redirect server lists {}.",
                words::count(list.devices.len(), "registration")
            )),
            Err(error) => status.error(format!("The remote list failed: {error}")),
        }
        self.remote.listed(list);
    }

    pub fn ui(&mut self, ui: &mut egui::Ui, worker: &Worker, status: &mut StatusLine) {
        if !std::mem::replace(&mut self.devices_asked, true) {
            job::load_devices(worker);
        }
        let mut action = AccountAction::None;
        form_panel(ui, "redirect_account", 320.0, |ui| {
            action = self.account.ui(ui);
        });
        match action {
            AccountAction::Test => {
                self.account.testing();
                job::start(
                    worker,
                    RedirectJob::Test {
                        account: self.account.account(),
                        provider: self.sync.provider(),
                    },
                );
            }
            AccountAction::Save => {
                job::save_account(worker, self.accounts.clone(), self.account.account());
            }
            AccountAction::None => {}
        }
        egui::CentralPanel::default().show(ui, |ui| {
            banner::error(ui, &mut self.error);
            ui.horizontal(|ui| {
                for tab in Tab::ALL {
                    if ui
                        .selectable_label(self.tab == tab, RichText::new(tab.title()).size(15.0))
                        .clicked()
                    {
                        self.tab = tab;
                    }
                }
            });
            ui.separator();
            match self.tab {
                Tab::Devices => {
                    if let Some((action, macs)) = self.devices.ui(ui) {
                        status.info(format!(
                            "{} {}",
                            action.doing(),
                            words::count(macs.len(), "device")
                        ));
                        job::start(
                            worker,
                            RedirectJob::Devices {
                                action,
                                account: self.account.account(),
                                macs,
                            },
                        );
                    }
                }
                Tab::Sync => {
                    if let Some(request) = self.sync.ui(ui) {
                        self.sync_request(request, worker, status);
                    }
                }
                Tab::Remote => {
                    if let Some(providers) = self.remote.ui(ui) {
                        job::start(
                            worker,
                            RedirectJob::List {
                                account: self.account.account(),
                                providers,
                            },
                        );
                    }
                }
            }
        });
    }

    fn sync_request(&mut self, request: SyncRequest, worker: &Worker, status: &mut StatusLine) {
        match request {
            SyncRequest::Plan(options) => {
                let run = self.sync.next_run();
                self.sync.planning_started();
                status.info("Building the sync plan…");
                job::start(
                    worker,
                    RedirectJob::Plan {
                        run,
                        account: self.account.account(),
                        options,
                    },
                );
            }
            SyncRequest::Apply(plan, options) => {
                let run = self.sync.next_run();
                let cancel = CancelFlag::default();
                let total = plan
                    .items
                    .iter()
                    .filter(|i| i.action != Action::Unchanged)
                    .count();
                status.info(format!(
                    "Applying the sync plan to {}…",
                    words::count(total, "device")
                ));
                job::start(
                    worker,
                    RedirectJob::Apply {
                        run,
                        account: self.account.account(),
                        plan,
                        options,
                        cancel: cancel.clone(),
                    },
                );
                self.sync.applying_started(run, total, cancel);
            }
            SyncRequest::Cancel => {
                if self.sync.cancel() {
                    status.info("Sync cancelled: what the server answered is recorded; Plan again to finish.");
                } else {
                    // A plan in flight: its answer will carry an old run number and be dropped.
                    self.sync.next_run();
                    status.info("Plan cancelled.");
                }
            }
        }
    }
}
