//! The Inventory panel's dialogs: the export of the selected (or all matching) devices as
//! CSV, the confirmation before a delete, and the site for the selected devices.

use egui::RichText;

use super::events::InventoryEvent;
use super::{InventoryPanel, jobs};
use crate::inventory::move_lockout_warning;
use crate::ui::widgets::dialog;
use crate::ui::widgets::fields::site_pick;
use crate::ui::widgets::file_dialog::{self, Dialog};
use crate::ui::widgets::status::StatusLine;
use crate::ui::widgets::style::signal;
use crate::ui::worker::Worker;
use crate::words;

impl InventoryPanel {
    pub(super) fn export_dialog(&mut self, ui: &mut egui::Ui, worker: &Worker) {
        let Some(export) = self.export.as_mut() else {
            return;
        };
        let count = if self.selected.is_empty() {
            self.rows.total()
        } else {
            self.selected.len()
        };
        let ready = !export.path.trim().is_empty();
        let target = std::path::Path::new(export.path.trim());
        // The inventory, or any other database, is refused here already, not after Export.
        let refused = file_dialog::refusal(ui.ctx(), &export.path).is_some();
        // The path field writes where no dialog asked about an existing file: say it first.
        let replaces = ready && !refused && target.is_file();
        let button = egui::Button::new(if replaces {
            format!("Replace it with {count}")
        } else {
            format!("Export {count}")
        });
        let enabled = ready && !refused;
        let decision =
            dialog::confirm_on_enter(ui, "export_dialog", 520.0, button, enabled, |ui| {
                ui.heading(format!("Export {} as CSV", words::count(count, "device")));
                ui.label(
                    RichText::new(
                        "MAC, MAC-ID, model, site, provider, URL, digest user name, notes and \
                     SIP accounts. No passwords: a password inside a URL is masked.",
                    )
                    .weak(),
                );
                ui.add_space(6.0);
                file_dialog::save_path_row(
                    ui,
                    worker,
                    &mut export.path,
                    export.no_file_dialog,
                    |suggested| Dialog::Save {
                        title: "Export devices as CSV",
                        filter: ("CSV", "csv"),
                        suggested,
                    },
                    InventoryEvent::ExportPath,
                );
                if replaces {
                    ui.colored_label(
                        signal(ui.visuals()).warning,
                        "This file exists: exporting replaces what it holds.",
                    );
                }
            });
        match decision {
            Some(true) => {
                let path = std::path::PathBuf::from(export.path.trim());
                let scope = jobs::ExportScope {
                    query: self.query.clone(),
                    selected: self.selected.iter().copied().collect(),
                };
                jobs::export(worker, scope, path);
                self.export = None;
            }
            Some(false) => self.export = None,
            None => {}
        }
    }

    pub(super) fn delete_dialog(
        &mut self,
        ui: &mut egui::Ui,
        worker: &Worker,
        status: &mut StatusLine,
    ) {
        let Some(ids) = self.confirm_delete.clone() else {
            return;
        };
        // The MACs of the rows loaded; the others are counted. The ids come sorted from the
        // selection (or are one).
        let macs: Vec<String> = self
            .rows
            .loaded()
            .iter()
            .filter(|d| ids.binary_search(&d.id).is_ok())
            .map(|d| d.mac.macd())
            .collect();
        let delete =
            dialog::danger_button(ui, format!("Delete {}", words::count(ids.len(), "device")));
        let decision = dialog::confirm(ui, "confirm_delete", 380.0, delete, true, |ui| {
            ui.heading(format!("Delete {}?", words::count(ids.len(), "device")));
            ui.add_space(4.0);
            for mac in macs.iter().take(8) {
                ui.label(RichText::new(mac).monospace());
            }
            let listed = macs.len().min(8);
            if ids.len() > listed {
                ui.label(format!("… and {} more", ids.len() - listed));
            }
            ui.add_space(4.0);
            ui.label(format!(
                "{} and credentials are removed from the inventory. You can undo this until \
                 you close provdesk.",
                words::agree(ids.len(), "Its MAC password", "Their MAC passwords")
            ));
        });
        match decision {
            Some(true) => {
                status.info(format!("Deleting {}…", words::count(ids.len(), "device")));
                jobs::delete(worker, ids);
                self.confirm_delete = None;
            }
            Some(false) => self.confirm_delete = None,
            None => {}
        }
    }

    /// Moves the selected devices to a site in one step: after an import without a site, one
    /// device at a time was the only way. The move is checked first: refused when the site's
    /// credentials do not fit a moved model, and asked again when phones would lose the
    /// credentials they hold (the rule of a site's own credential change). The primary button
    /// needs a name, so Enter on the empty field that opens the dialog does nothing; taking
    /// the devices out of their site is a button of its own.
    pub(super) fn site_dialog(
        &mut self,
        ui: &mut egui::Ui,
        worker: &Worker,
        status: &mut StatusLine,
    ) {
        let Some(site_for) = self.site_for.as_mut() else {
            return;
        };
        let devices = words::count(site_for.ids.len(), "device");
        let name = site_for.site.trim().to_string();
        let answered = site_for.asked.as_deref() == Some(name.as_str());
        let warned = answered && !site_for.locked.is_empty();
        let waiting = answered && site_for.checking;
        let button = if warned {
            dialog::danger_button(ui, "Move anyway")
        } else if name.is_empty() {
            egui::Button::new(format!("Move {devices} to a site"))
        } else {
            egui::Button::new(format!("Move {devices} to {name}"))
        };
        let mut take_out = false;
        let sites = &self.sites;
        let body = |ui: &mut egui::Ui| {
            site_body(ui, site_for, sites, &devices, &mut take_out);
            if waiting {
                ui.label(RichText::new("Checking the credentials they would take…").weak());
            }
            if let Some(refused) = site_for.refused.as_deref().filter(|_| answered) {
                ui.add_space(4.0);
                ui.colored_label(
                    signal(ui.visuals()).error,
                    format!("⚠ {}", words::sentence(refused)),
                );
            }
            if warned {
                lockout_note(ui, &site_for.locked, &name);
            }
        };
        // Enter moves only when nothing is at stake: never past the lock-out warning.
        let decision = if warned {
            dialog::confirm(ui, "site_dialog", 460.0, button, true, body)
        } else {
            let ready = !waiting && !name.is_empty();
            dialog::confirm_on_enter(ui, "site_dialog", 460.0, button, ready, body)
        };
        match decision {
            Some(true) if warned => self.move_now(worker, status),
            Some(true) => site_for.check(worker, name),
            Some(false) => self.site_for = None,
            None if take_out => {
                site_for.site.clear();
                site_for.check(worker, String::new());
            }
            None => {}
        }
    }

    /// The check of the move asked about answered: move when no phone loses its credentials,
    /// else the dialog asks again; a refusal stays in the dialog, where the installer can read
    /// why and pick another site.
    pub(super) fn on_move_checked(
        &mut self,
        site: Option<String>,
        locked: Result<Vec<String>, String>,
        worker: &Worker,
        status: &mut StatusLine,
    ) {
        let Some(site_for) = self.site_for.as_mut() else {
            return;
        };
        if site_for.asked.as_deref() != Some(site.as_deref().unwrap_or("")) {
            return;
        }
        site_for.checking = false;
        match locked {
            Ok(locked) if locked.is_empty() => self.move_now(worker, status),
            Ok(locked) => site_for.locked = locked,
            Err(error) => {
                status.error(format!("Could not set the site: {error}"));
                site_for.refused = Some(error);
            }
        }
    }

    /// Moves the devices of the dialog to the site it was asked for, and closes it.
    fn move_now(&mut self, worker: &Worker, status: &mut StatusLine) {
        let Some(site_for) = self.site_for.take() else {
            return;
        };
        let site = site_for.asked.filter(|name| !name.is_empty());
        status.info(format!(
            "Setting the site of {}…",
            words::count(site_for.ids.len(), "device")
        ));
        jobs::set_site(worker, site_for.ids, site);
    }
}

/// The warning of a move that gives phones other credentials than those they hold.
fn lockout_note(ui: &mut egui::Ui, locked: &[String], site: &str) {
    let count = locked.len();
    let site = (!site.is_empty()).then_some(site);
    ui.label(
        RichText::new(format!("{}.", move_lockout_warning(locked, site)))
            .color(signal(ui.visuals()).warning),
    );
    ui.label(format!(
        "To keep {them} reachable, give {them} those credentials first with a rollout (the Serve panel's Credential rollout, for the selected devices) and move {them} once {they} switched; or move anyway.",
        them = words::agree(count, "it", "them"),
        they = words::agree(count, "it has", "they have"),
    ));
}

/// The dialog's field, the site picker, and the separate way out of their site.
fn site_body(
    ui: &mut egui::Ui,
    site_for: &mut SiteFor,
    sites: &[crate::inventory::Site],
    devices: &str,
    take_out: &mut bool,
) {
    ui.heading(format!("Site for {devices}"));
    ui.horizontal(|ui| {
        let label = ui.label("Site");
        let field = ui
            .add(
                egui::TextEdit::singleline(&mut site_for.site)
                    .hint_text("type or pick a site")
                    .desired_width(240.0),
            )
            .labelled_by(label.id);
        if !std::mem::replace(&mut site_for.focused, true) {
            field.request_focus();
        }
        if let Some(site) = site_pick(ui, sites) {
            site_for.site = site.name.clone();
        }
    });
    ui.label(
        RichText::new(
            "A new name creates the site. Their own provider, URL and credentials stay; \
             the site's fill in only what they leave empty.",
        )
        .weak(),
    );
    ui.add_space(4.0);
    *take_out = ui
        .button(format!("Take {devices} out of their site"))
        .on_hover_text("No site: they keep only their own provider, URL and credentials")
        .clicked();
}

/// The devices a site is being chosen for, and the name typed so far.
pub(super) struct SiteFor {
    pub(super) ids: Vec<i64>,
    pub(super) site: String,
    /// The field has had the focus once: the dialog opens ready to type.
    pub(super) focused: bool,
    /// The site name (empty: none) whose move was last checked.
    pub(super) asked: Option<String>,
    /// The check of `asked` has not answered yet.
    pub(super) checking: bool,
    /// The MACs whose phones the move to `asked` would lock out: the dialog asks again.
    pub(super) locked: Vec<String>,
    /// Why the move to `asked` is refused: the dialog shows it until another name is asked.
    pub(super) refused: Option<String>,
}

impl SiteFor {
    /// The dialog for the devices `ids`, opening on an empty field.
    pub(super) fn new(ids: Vec<i64>) -> Self {
        Self {
            ids,
            site: String::new(),
            focused: false,
            asked: None,
            checking: false,
            locked: Vec::new(),
            refused: None,
        }
    }

    /// Asks the worker what the move to `name` (empty: out of their site) would do.
    fn check(&mut self, worker: &Worker, name: String) {
        self.asked = Some(name.clone());
        self.checking = true;
        self.locked.clear();
        self.refused = None;
        jobs::check_site_move(worker, self.ids.clone(), (!name.is_empty()).then_some(name));
    }
}
