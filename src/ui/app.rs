//! The application: the panels, the worker, and the routing of the worker's events to the
//! panel whose job sent them, by the event's variant. What the panels hand each other is
//! routed in `handoff`.

use std::path::PathBuf;

use crate::redirect::AccountStore;
use crate::ui::event::Event;
use crate::ui::fetch::FetchPanel;
use crate::ui::import::ImportPanel;
use crate::ui::inventory::InventoryPanel;
use crate::ui::quit::{self, CloseGuard};
use crate::ui::redirect::RedirectPanel;
use crate::ui::remember::Remembered;
pub use crate::ui::section::Section;
use crate::ui::serve::{ServeContext, ServePanel};
use crate::ui::settings::SettingsPanel;
use crate::ui::sip::SipPanel;
use crate::ui::startup::StartupClock;
use crate::ui::templates::{Elsewhere, TemplatesPanel};
use crate::ui::widgets::status::StatusLine;
use crate::ui::widgets::style::{self, Theme, size};
use crate::ui::worker::{EventSink, Worker};

pub struct ProvdeskApp {
    pub(super) worker: Worker,
    pub(super) section: Section,
    pub(super) theme: Theme,
    pub(super) inventory: InventoryPanel,
    import: ImportPanel,
    pub(super) fetch: FetchPanel,
    pub(super) templates: TemplatesPanel,
    pub(super) redirect: RedirectPanel,
    pub(super) serve: ServePanel,
    pub(super) settings: SettingsPanel,
    pub(super) sip: SipPanel,
    pub(super) status: StatusLine,
    startup: Option<StartupClock>,
    close: CloseGuard,
}

impl ProvdeskApp {
    /// Starts the worker, which opens the inventory at `db_path` in the background, and puts
    /// back what the window remembered from the last run. The redirect account is kept beside
    /// the inventory, its password in the OS keyring.
    pub fn new(cc: &eframe::CreationContext<'_>, db_path: PathBuf) -> std::io::Result<Self> {
        let dir = db_path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .map_or_else(|| PathBuf::from("."), std::path::Path::to_path_buf);
        Self::with_account_store(cc, db_path, AccountStore::new(&dir))
    }

    /// Like [`Self::new`] with the redirect account kept by `accounts`; tests pass
    /// [`AccountStore::file_only`] so that they never touch the user's keyring.
    pub fn with_account_store(
        cc: &eframe::CreationContext<'_>,
        db_path: PathBuf,
        accounts: AccountStore,
    ) -> std::io::Result<Self> {
        let remembered = Remembered::load(cc.storage);
        style::apply(&cc.egui_ctx, remembered.theme);
        let worker = Worker::start(db_path, cc.egui_ctx.clone())?;
        let mut inventory = InventoryPanel::new(remembered.sort);
        inventory.reload(&worker);
        let templates = TemplatesPanel::default();
        templates.start(&worker);
        let redirect = RedirectPanel::new(accounts, &worker);
        let mut status = StatusLine::default();
        status.viewing(remembered.section);
        Ok(Self {
            section: remembered.section,
            theme: remembered.theme,
            inventory,
            import: ImportPanel::default(),
            fetch: FetchPanel::new(remembered.fetch),
            templates,
            redirect,
            serve: ServePanel::new(remembered.serve),
            settings: SettingsPanel::default(),
            sip: SipPanel::default(),
            status,
            startup: None,
            close: CloseGuard::default(),
            worker,
        })
    }

    /// Logs how long after `started` the first frame and the inventory's first page came.
    pub fn timed_from(mut self, started: std::time::Instant) -> Self {
        self.startup = Some(StartupClock::new(started));
        self
    }

    /// Where the worker's events go; tests send a panel's events through it to check that
    /// they land in that panel.
    pub fn events(&self) -> EventSink {
        self.worker.sink()
    }

    fn drain_events(&mut self) {
        while let Some(event) = self.worker.try_recv() {
            self.route(event);
        }
    }

    /// Hands the event to the panel it belongs to, speaking for that panel in the status bar,
    /// then tells the other panels when it changed the inventory's devices.
    fn route(&mut self, event: Event) {
        let worker = &self.worker;
        let changed = match event {
            Event::Opened {
                path,
                device_count,
                file_mode_note,
            } => {
                tracing::info!(path = %path.display(), device_count, "inventory opened");
                self.status.db_path = Some(path);
                let status = self.status.speaking_for(Section::Inventory);
                match file_mode_note {
                    Some(note) if note.still_shared() => status.error(note.to_string()),
                    Some(note) => status.info(sentence(&note.to_string())),
                    None => {}
                }
                false
            }
            Event::OpenFailed(error) => {
                self.status.open_error = Some(error);
                false
            }
            Event::ChangedElsewhere { audited } => {
                self.changed_elsewhere(audited);
                false
            }
            Event::Inventory(event) => {
                let changed = event.changes_devices();
                let status = self.status.speaking_for(Section::Inventory);
                self.inventory.on_event(event, worker, status);
                changed
            }
            Event::Import(event) => {
                let changed = matches!(event, crate::ui::import::events::ImportEvent::Imported(_));
                let status = self.status.speaking_for(Section::Import);
                self.import.on_event(event, worker, status);
                changed
            }
            Event::Templates(event) => {
                use crate::ui::templates::events::TemplatesEvent;
                let saved = matches!(event, TemplatesEvent::Saved(_) | TemplatesEvent::Reset(_));
                let status = self.status.speaking_for(Section::Templates);
                self.templates.on_event(event, worker, status);
                if saved {
                    self.templates_saved();
                }
                false
            }
            Event::Redirect(event) => {
                let changed = event.changes_devices();
                let status = self.status.speaking_for(Section::Redirect);
                self.redirect.on_event(event, status);
                changed
            }
            Event::Fetch(event) => {
                use crate::ui::fetch::events::FetchEvent;
                let changed = matches!(event, FetchEvent::Recorded(_) | FetchEvent::Kept(_));
                let status = self.status.speaking_for(Section::Fetch);
                self.fetch.on_event(event, status);
                changed
            }
            Event::Serve(event) => {
                let changed = event.changes_devices();
                let status = self.status.speaking_for(Section::Serve);
                self.serve.on_event(event, worker, status);
                changed
            }
            Event::Settings(event) => {
                self.site_facts(&event);
                let changed = event.changes_devices();
                let status = self.status.speaking_for(Section::Settings);
                self.settings.on_event(event, status);
                changed
            }
            Event::Sip(event) => {
                let changed = matches!(event, crate::ui::sip::events::SipPanelEvent::Recorded(_));
                let status = self.status.speaking_for(Section::Sip);
                self.sip.on_event(event, status);
                changed
            }
        };
        if changed {
            self.devices_changed();
        }
    }

    fn shortcuts_and_drops(&mut self, ctx: &egui::Context) {
        let pressed = ctx.input_mut(|i| {
            Section::ALL
                .into_iter()
                .find(|s| i.consume_key(egui::Modifiers::COMMAND, s.shortcut_key()))
        });
        if let Some(section) = pressed {
            self.section = section;
        }
        let dropped: Vec<PathBuf> = ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|file| file.path().to_path_buf())
                .filter(|path| !path.as_os_str().is_empty())
                .collect()
        });
        if !dropped.is_empty() {
            self.section = Section::Import;
            self.import.add_files(dropped, &self.worker);
        }
    }

    /// The panel on screen, with what the panels hand each other before and after it draws.
    fn panel(&mut self, ui: &mut egui::Ui) {
        self.before_panel();
        let shown = self.section;
        self.status.viewing(shown);
        match shown {
            Section::Inventory => self.inventory.ui(ui, &self.worker, &mut self.status),
            Section::Import => {
                self.import
                    .ui(ui, &self.worker, self.inventory.sites(), &mut self.status)
            }
            Section::Fetch => self.fetch.ui(ui, &self.worker, &mut self.status),
            Section::Templates => {
                let elsewhere = Elsewhere {
                    sites: self.inventory.sites(),
                    serve_realm: self.serve.realm(),
                };
                self.templates
                    .ui(ui, &self.worker, &elsewhere, &mut self.status);
            }
            Section::Redirect => self.redirect.ui(ui, &self.worker, &mut self.status),
            Section::Serve => {
                let context = ServeContext {
                    sites: self.inventory.sites(),
                    selected: self.inventory.selected_ids(),
                };
                let request = self.serve.ui(ui, &self.worker, &context);
                self.serve_request(request);
            }
            Section::Sip => self.sip.ui(ui, &self.worker, &mut self.status),
            Section::Settings => self.settings_panel(ui),
        }
        self.after_panel(shown);
    }

    /// Settings, which also holds the theme.
    fn settings_panel(&mut self, ui: &mut egui::Ui) {
        let theme = self.theme;
        egui::CentralPanel::default().show(ui, |ui| {
            egui::ScrollArea::vertical().show(ui, |ui| {
                self.settings.ui(
                    ui,
                    &self.status,
                    self.inventory.sites(),
                    &mut self.theme,
                    &self.worker,
                );
            });
        });
        if self.theme != theme {
            style::set_theme(ui.ctx(), self.theme);
        }
    }
}

impl eframe::App for ProvdeskApp {
    fn logic(&mut self, ctx: &egui::Context, _frame: &mut eframe::Frame) {
        self.drain_events();
        self.worker.watch(ctx.input(|i| i.focused));
        self.shortcuts_and_drops(ctx);
        if self.close.requested(ctx) {
            let unfinished =
                quit::unfinished(&self.templates, &self.serve, &self.import, &self.redirect);
            self.close.hold(ctx, unfinished);
        }
    }

    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        egui::Panel::left("navigation")
            .resizable(false)
            .exact_size(size::NAVIGATION)
            .show(ui, |ui| self.navigation(ui));
        egui::Panel::bottom("status_bar")
            .exact_size(size::STATUS_BAR)
            .show(ui, |ui| self.status_bar(ui));
        if let Some(error) = self.status.open_error.clone() {
            egui::CentralPanel::default().show(ui, |ui| Self::open_error(ui, &error));
            return;
        }
        if ui.input(|i| !i.raw.hovered_files.is_empty()) {
            Self::drop_overlay(ui);
        }
        self.panel(ui);
        self.close.show(ui);
        if let Some(clock) = &mut self.startup {
            let shown = (!self.inventory.loading()).then(|| self.inventory.inventory_total());
            if clock.frame(shown) {
                self.startup = None;
            }
        }
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        Remembered {
            section: self.section,
            theme: self.theme,
            sort: self.inventory.sort(),
            fetch: self.fetch.remembered(),
            serve: self.serve.remembered(),
        }
        .save(storage);
    }
}

/// A note of the core, which the command line prints after "provdesk: note:", as the status
/// bar's sentence.
fn sentence(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}
