//! The Serve panel's first rows: Start or Stop, where to listen, port, realm, HTTPS and
//! Basic, then the *Advanced* settings; and Start itself, which checks them all before the
//! server is asked for.

use std::net::SocketAddr;

use egui::RichText;

use super::ServePanel;
use super::advanced::{self, STOP_TO_CHANGE};
use super::job::start_serving;
use crate::inventory::Site;
use crate::serve::{ServeConfig, TlsIdentity, TlsSource};
use crate::ui::worker::Worker;

impl ServePanel {
    /// Start or Stop first, where a narrow window cannot push it out of sight; the settings
    /// after it wrap, each label kept with its field.
    pub(super) fn controls(&mut self, ui: &mut egui::Ui, worker: &Worker, sites: &[Site]) {
        let running = self.handle.is_some();
        ui.horizontal_wrapped(|ui| {
            if running {
                if ui
                    .button("■ Stop")
                    .on_hover_text("Stop serving; phones asking now get no answer")
                    .clicked()
                    && let Some(handle) = self.handle.as_mut()
                {
                    handle.stop();
                }
            } else if ui
                .button(RichText::new("▶ Start").strong())
                .on_hover_text("Serve the inventory's devices on this address")
                .clicked()
            {
                self.start(worker);
            }
            ui.add_space(8.0);
            keep_together(ui, 370.0);
            let label = ui.label("Listen on");
            let selected = self
                .choices
                .get(self.choice)
                .map_or(String::new(), |c| c.label.clone());
            ui.add_enabled_ui(!running, |ui| {
                egui::ComboBox::from_id_salt("serve_address")
                    .selected_text(selected)
                    .width(300.0)
                    .show_ui(ui, |ui| {
                        for (index, choice) in self.choices.iter().enumerate() {
                            ui.selectable_value(&mut self.choice, index, &choice.label);
                        }
                    })
                    .response
                    .labelled_by(label.id)
                    .on_disabled_hover_text(STOP_TO_CHANGE);
            });
            keep_together(ui, 100.0);
            let label = ui.label("Port");
            let port = egui::TextEdit::singleline(&mut self.port).desired_width(60.0);
            ui.add_enabled(!running, port)
                .labelled_by(label.id)
                .on_disabled_hover_text(STOP_TO_CHANGE);
            keep_together(ui, 170.0);
            let label = ui.label("Realm");
            let realm = egui::TextEdit::singleline(&mut self.realm).desired_width(120.0);
            ui.add_enabled(!running, realm)
                .labelled_by(label.id)
                .on_disabled_hover_text(STOP_TO_CHANGE);
            ui.add_enabled(!running, egui::Checkbox::new(&mut self.https, "HTTPS"))
                .on_hover_text(
                    "A self-signed certificate made on first use and kept beside the inventory",
                )
                .on_disabled_hover_text(STOP_TO_CHANGE);
            let basic = egui::Checkbox::new(&mut self.basic, "Basic where the model takes it");
            ui.add_enabled(!running, basic)
                .on_hover_text(
                    "Also take HTTP Basic from models that accept it (DE series). The password then travels in clear: use HTTPS, or a bench only",
                )
                .on_disabled_hover_text(STOP_TO_CHANGE);
        });
        self.advanced.ui(ui, running, sites, worker);
    }

    fn start(&mut self, worker: &Worker) {
        let Ok(port) = self.port.trim().parse::<u16>() else {
            self.error = Some(format!(
                "Port \"{}\" is not a port number: give one from 1 to 65535, e.g. 8631.",
                self.port.trim()
            ));
            return;
        };
        let Some(choice) = self.choices.get(self.choice) else {
            return;
        };
        let realm = self.realm.trim();
        if realm.is_empty() {
            self.error = Some("Give the digest realm phones answer for, e.g. provdesk.".into());
            return;
        }
        self.error = None;
        let tls = if self.https {
            let source = TlsSource::beside_inventory(worker.db_path());
            match TlsIdentity::load(&source, &[choice.ip]) {
                Ok(identity) => Some(identity),
                Err(error) => {
                    self.error = Some(format!("Could not set up HTTPS: {error}"));
                    return;
                }
            }
        } else {
            None
        };
        let applied = match self.advanced.apply(ServeConfig {
            realm: realm.to_string(),
            tls,
            basic: self.basic,
            ..ServeConfig::default()
        }) {
            Ok(applied) => applied,
            Err(error) => {
                self.error = Some(error);
                return;
            }
        };
        self.fingerprint = applied
            .config
            .tls
            .as_ref()
            .map(|identity| identity.fingerprint.clone());
        self.applied = advanced::summary(&applied);
        self.coverage.serve_site(applied.config.site.clone());
        self.handle = Some(start_serving(
            worker,
            SocketAddr::new(choice.ip, port),
            applied,
        ));
    }
}

/// Ends the row unless `width` more fits on it, so a label does not end one row while its
/// field starts the next.
fn keep_together(ui: &mut egui::Ui, width: f32) {
    if ui.available_size_before_wrap().x < width {
        ui.end_row();
    }
}
