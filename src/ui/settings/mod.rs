//! The Settings panel: the look, where the inventory lives, the sites' defaults, and the model
//! catalogue the app works from, and what this provdesk is (About).

mod about;
mod catalogue;
pub mod events;
mod jobs;
mod site_actions;
mod site_base;
mod site_credentials;
pub mod sites;

use egui::RichText;

use crate::inventory::{DB_ENV, InventoryError, SCHEMA_VERSION, Site};
use crate::ui::widgets::banner;
use crate::ui::widgets::status::StatusLine;
use crate::ui::widgets::style::Theme;
use crate::ui::worker::Worker;
use crate::words;
use catalogue::CatalogueView;
use events::SettingsEvent;
use sites::SiteEditor;

#[derive(Default)]
pub struct SettingsPanel {
    sites: SiteEditor,
    catalogue: CatalogueView,
    /// The last failure of this panel's jobs.
    error: Option<String>,
}

impl SettingsPanel {
    pub fn on_event(&mut self, event: SettingsEvent, status: &mut StatusLine) {
        match event {
            SettingsEvent::SiteSaved(site) => {
                self.error = None;
                status.info(format!("Saved site {}", site.name));
                self.sites.on_saved(&site);
            }
            SettingsEvent::ChangedElsewhere { name } => {
                self.sites.on_changed_elsewhere(&name);
                let why = InventoryError::SiteChangedElsewhere { name };
                status.error(format!("Could not save the site: {why}"));
            }
            SettingsEvent::SiteRenamed { from, site } => {
                self.error = None;
                status.info(format!("Renamed site {from} to {}", site.name));
                self.sites.on_renamed(&from, &site);
            }
            SettingsEvent::SiteRemovalFacts(facts) => self.sites.actions().on_facts(facts),
            SettingsEvent::SiteDeleted(facts) => {
                self.error = None;
                let devices = facts.devices;
                status.info(match devices {
                    0 => format!("Deleted site {}.", facts.site),
                    _ => format!(
                        "Deleted site {}; {} now without a site.",
                        facts.site,
                        words::count(devices, "device") + words::agree(devices, " is", " are")
                    ),
                });
                self.sites.on_deleted(&facts);
            }
            SettingsEvent::Failed { action, error } => {
                self.sites.actions().on_failure();
                self.error = Some(format!("Could not {action}: {error}"));
                status.error(format!("Could not {action}: {error}"));
            }
        }
    }

    /// The rollout the user chose instead of changing a site's credentials at once: the app
    /// opens the Serve panel with it prepared.
    pub fn take_rollout(&mut self) -> Option<site_credentials::RolloutHandoff> {
        self.sites.take_rollout()
    }

    /// Loads `name`'s values into the site editor, as another panel asks (a fetch whose fix is
    /// a setting the device takes from its site).
    pub fn show_site(&mut self, name: &str, sites: &[Site]) {
        if let Some(site) = sites.iter().find(|s| s.name.eq_ignore_ascii_case(name)) {
            self.sites.show(site);
        }
    }

    /// Draws the panel; `theme` is the look the user chose, changed here.
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        status: &StatusLine,
        known_sites: &[Site],
        theme: &mut Theme,
        worker: &Worker,
    ) {
        ui.heading("Settings");
        banner::error(ui, &mut self.error);
        ui.add_space(6.0);
        theme_choice(ui, theme);
        ui.add_space(6.0);
        general(ui, status);
        ui.add_space(12.0);
        self.sites.ui(ui, known_sites, worker);
        ui.add_space(12.0);
        self.catalogue.ui(ui);
        ui.add_space(12.0);
        about::about(ui, status);
    }
}

fn theme_choice(ui: &mut egui::Ui, theme: &mut Theme) {
    ui.horizontal(|ui| {
        ui.label("Theme");
        for choice in Theme::ALL {
            ui.selectable_value(theme, choice, choice.title());
        }
    });
}

fn general(ui: &mut egui::Ui, status: &StatusLine) {
    egui::Grid::new("settings_grid")
        .num_columns(2)
        .spacing([12.0, 6.0])
        .show(ui, |ui| {
            ui.label("Inventory file");
            let path = status
                .db_path
                .as_ref()
                .map(|p| p.display().to_string())
                .unwrap_or_else(|| "opening…".into());
            ui.label(RichText::new(path).monospace());
            ui.end_row();
            ui.label("Schema version");
            ui.label(SCHEMA_VERSION.to_string());
            ui.end_row();
            ui.label("");
            ui.label(
                RichText::new(format!(
                    "Start provdesk with --db PATH or set {DB_ENV} to use another file."
                ))
                .weak(),
            );
            ui.end_row();
        });
}
