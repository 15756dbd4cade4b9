//! The application: navigation, status bar, and routing of worker events to panels.

use std::path::PathBuf;

use egui::{Color32, RichText};

use super::device_picker::PickerId;
use super::fetch::FetchPanel;
use super::import::ImportPanel;
use super::inventory::InventoryPanel;
use super::redirect::RedirectPanel;
use super::settings;
use super::sites::SiteEditor;
use super::status::{Severity, StatusLine};
use super::templates::TemplatesPanel;
use super::worker::{Command, Event, SaveKind, Worker};
use crate::redirect::AccountStore;

/// The sections of the left navigation, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Inventory,
    Import,
    Templates,
    Redirect,
    Fetch,
    Settings,
}

impl Section {
    pub const ALL: [Section; 6] = [
        Section::Inventory,
        Section::Import,
        Section::Templates,
        Section::Redirect,
        Section::Fetch,
        Section::Settings,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Section::Inventory => "Inventory",
            Section::Import => "Import",
            Section::Templates => "Templates",
            Section::Redirect => "Redirect",
            Section::Fetch => "Test fetch",
            Section::Settings => "Settings",
        }
    }

    fn icon(self) -> &'static str {
        match self {
            Section::Inventory => "📋",
            Section::Import => "📥",
            Section::Templates => "📄",
            Section::Redirect => "🔀",
            Section::Fetch => "🔍",
            Section::Settings => "⚙",
        }
    }

    fn shortcut_key(self) -> egui::Key {
        match self {
            Section::Inventory => egui::Key::Num1,
            Section::Import => egui::Key::Num2,
            Section::Templates => egui::Key::Num3,
            Section::Redirect => egui::Key::Num4,
            Section::Fetch => egui::Key::Num5,
            Section::Settings => egui::Key::Num6,
        }
    }
}

pub struct ProvdeskApp {
    worker: Worker,
    section: Section,
    inventory: InventoryPanel,
    import: ImportPanel,
    fetch: FetchPanel,
    templates: TemplatesPanel,
    redirect: RedirectPanel,
    site_editor: SiteEditor,
    status: StatusLine,
}

impl ProvdeskApp {
    /// Starts the worker, which opens the inventory at `db_path` in the background. The
    /// redirect account is kept beside the inventory, its password in the OS keyring.
    pub fn new(ctx: &egui::Context, db_path: PathBuf) -> std::io::Result<Self> {
        let dir = db_path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .map_or_else(|| PathBuf::from("."), std::path::Path::to_path_buf);
        Self::with_account_store(ctx, db_path, AccountStore::new(&dir))
    }

    /// Like [`Self::new`] with the redirect account kept by `accounts`; tests pass
    /// [`AccountStore::file_only`] so that they never touch the user's keyring.
    pub fn with_account_store(
        ctx: &egui::Context,
        db_path: PathBuf,
        accounts: AccountStore,
    ) -> std::io::Result<Self> {
        super::style::apply(ctx);
        let worker = Worker::start(db_path, accounts, ctx.clone())?;
        let mut inventory = InventoryPanel::default();
        inventory.refresh(&worker);
        worker.send(Command::LoadSites);
        worker.send(Command::LoadTemplates);
        let redirect = RedirectPanel::default();
        redirect.start(&worker);
        Ok(Self {
            worker,
            section: Section::Inventory,
            inventory,
            import: ImportPanel::default(),
            fetch: FetchPanel::default(),
            templates: TemplatesPanel::default(),
            redirect,
            site_editor: SiteEditor::default(),
            status: StatusLine::default(),
        })
    }

    fn drain_events(&mut self) {
        while let Some(event) = self.worker.try_recv() {
            match event {
                Event::Opened { path, device_count } => {
                    tracing::info!(path = %path.display(), device_count, "inventory opened");
                    self.status.db_path = Some(path);
                }
                Event::OpenFailed(error) => self.status.open_error = Some(error),
                Event::NoFileDialog => {
                    self.import.on_event(Event::NoFileDialog, &mut self.status);
                    self.fetch.on_event(Event::NoFileDialog, &mut self.status);
                    self.templates
                        .on_event(Event::NoFileDialog, &self.worker, &mut self.status);
                    self.inventory
                        .on_event(Event::NoFileDialog, &self.worker, &mut self.status);
                }
                Event::Fetch { .. }
                | Event::FetchEnded { .. }
                | Event::FoundDevices {
                    picker: PickerId::Fetch,
                    ..
                }
                | Event::FetchSaved { .. }
                | Event::SavePathPicked {
                    kind: SaveKind::Fetch(_),
                    ..
                } => self.fetch.on_event(event, &mut self.status),
                Event::Templates(_)
                | Event::TemplateSaved(_)
                | Event::TemplateReset(_)
                | Event::FoundDevices {
                    picker: PickerId::TemplatePreview,
                    ..
                }
                | Event::RenderProgress(_)
                | Event::Rendered(_)
                | Event::SavePathPicked {
                    kind: SaveKind::RenderFolder | SaveKind::Htdigest,
                    ..
                }
                | Event::Failed {
                    action:
                        "load the templates" | "save the template" | "reset the template" | "render",
                    ..
                } => self
                    .templates
                    .on_event(event, &self.worker, &mut self.status),
                Event::FetchRecorded(_) => self.inventory.refresh(&self.worker),
                Event::Redirect(event) => {
                    if self.redirect.on_event(event, &mut self.status) {
                        self.inventory.refresh(&self.worker);
                        self.redirect.devices_changed(&self.worker);
                    }
                }
                Event::SourceParsed { .. }
                | Event::ParseProgress { .. }
                | Event::ImportProgress { .. }
                | Event::Existing { .. } => self.import.on_event(event, &mut self.status),
                Event::Imported(_) => {
                    self.templates.devices_changed();
                    self.redirect.devices_changed(&self.worker);
                    self.import.on_event(event, &mut self.status);
                    self.inventory.refresh(&self.worker);
                    self.worker.send(Command::LoadSites);
                }
                Event::Failed {
                    action: "import", ..
                } => self.import.on_event(event, &mut self.status),
                Event::SiteSaved(site) => {
                    self.status.info(format!("Saved site {}", site.name));
                    self.inventory.refresh(&self.worker);
                    self.worker.send(Command::LoadSites);
                }
                other => {
                    if matches!(
                        other,
                        Event::Added(_)
                            | Event::Updated(_)
                            | Event::Deleted(_)
                            | Event::Restored(_)
                    ) {
                        self.templates.devices_changed();
                        self.redirect.devices_changed(&self.worker);
                    }
                    self.inventory
                        .on_event(other, &self.worker, &mut self.status);
                }
            }
        }
    }

    fn navigation(&mut self, ui: &mut egui::Ui) {
        ui.add_space(10.0);
        ui.label(RichText::new("provdesk").heading().strong());
        ui.label(RichText::new("Gigaset provisioning").small().weak());
        ui.add_space(14.0);
        for section in Section::ALL {
            let selected = self.section == section;
            let text = RichText::new(format!("{}  {}", section.icon(), section.title())).size(15.0);
            let response = ui
                .add(
                    egui::Button::selectable(selected, text)
                        .min_size(egui::vec2(ui.available_width(), 30.0)),
                )
                .on_hover_text(format!(
                    "{} (Ctrl+{})",
                    section.title(),
                    Section::ALL.iter().position(|s| *s == section).unwrap_or(0) + 1
                ));
            if response.clicked() {
                self.section = section;
            }
        }
    }

    fn status_bar(&mut self, ui: &mut egui::Ui) {
        ui.horizontal(|ui| {
            if self.inventory.loading() {
                ui.add(egui::Spinner::new().size(12.0));
            }
            let shown = self.inventory.shown_count();
            let total = self.inventory.inventory_total();
            let selected = self.inventory.selected_count();
            let mut counts = if shown == total {
                format!("{total} device(s)")
            } else {
                format!("{shown} of {total} device(s) shown")
            };
            if selected > 0 {
                counts.push_str(&format!(" · {selected} selected"));
            }
            ui.label(counts);
            ui.separator();
            match &self.status.message {
                Some((Severity::Error, message)) => {
                    ui.colored_label(Color32::from_rgb(0xE0, 0x4F, 0x4F), message);
                }
                Some((Severity::Info, message)) => {
                    ui.label(message);
                }
                None => {}
            }
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if let Some(path) = &self.status.db_path {
                    ui.label(RichText::new(path.display().to_string()).small().weak())
                        .on_hover_text("Inventory file");
                }
            });
        });
    }

    /// Says what dropping files will do while they hover over the window.
    fn drop_overlay(ui: &mut egui::Ui) {
        let screen = ui.ctx().content_rect();
        let painter = ui.ctx().layer_painter(egui::LayerId::new(
            egui::Order::Foreground,
            egui::Id::unique("drop_overlay"),
        ));
        painter.rect_filled(screen, 0.0, Color32::from_black_alpha(180));
        painter.text(
            screen.center(),
            egui::Align2::CENTER_CENTER,
            "Drop to import: CSV, scanner text or label photos",
            egui::FontId::proportional(24.0),
            Color32::WHITE,
        );
    }

    fn open_error(ui: &mut egui::Ui, error: &str) {
        ui.add_space(40.0);
        ui.vertical_centered(|ui| {
            ui.heading("The inventory could not be opened");
            ui.add_space(8.0);
            ui.colored_label(Color32::from_rgb(0xE0, 0x4F, 0x4F), error);
            ui.add_space(8.0);
            ui.label("Start provdesk with --db PATH (or set PROVDESK_DB) to use another file.");
        });
    }
}

impl eframe::App for ProvdeskApp {
    fn logic(&mut self, ctx: &egui::Context, _frame: &mut eframe::Frame) {
        self.drain_events();
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

    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        egui::Panel::left("navigation")
            .resizable(false)
            .exact_size(170.0)
            .show(ui, |ui| self.navigation(ui));
        egui::Panel::bottom("status_bar")
            .exact_size(26.0)
            .show(ui, |ui| self.status_bar(ui));
        if let Some(error) = self.status.open_error.clone() {
            egui::CentralPanel::default().show(ui, |ui| Self::open_error(ui, &error));
            return;
        }
        if ui.input(|i| !i.raw.hovered_files.is_empty()) {
            Self::drop_overlay(ui);
        }
        match self.section {
            Section::Inventory => {
                self.inventory.ui(ui, &self.worker, &mut self.status);
                if let Some(device) = self.inventory.take_test_fetch() {
                    self.section = Section::Fetch;
                    self.fetch
                        .start_for_device(device, &self.worker, &mut self.status);
                }
                if let Some(macs) = self.inventory.take_redirect() {
                    self.section = Section::Redirect;
                    self.redirect.pick(macs);
                }
            }
            Section::Import => self.import.ui(ui, &self.worker, self.inventory.sites()),
            Section::Fetch => self.fetch.ui(ui, &self.worker, &mut self.status),
            Section::Templates => self.templates.ui(ui, &self.worker, &mut self.status),
            Section::Redirect => self.redirect.ui(ui, &self.worker, &mut self.status),
            Section::Settings => {
                egui::CentralPanel::default().show(ui, |ui| {
                    egui::ScrollArea::vertical().show(ui, |ui| {
                        settings::ui(
                            ui,
                            &self.status,
                            &mut self.site_editor,
                            self.inventory.sites(),
                            &self.worker,
                        );
                    });
                });
            }
        }
    }
}
