//! The Redirect panel's "Devices" tab: pick inventory devices (a checkbox list with search),
//! then Register, Check or Deregister them one call each; every device's result as a sentence.
//! Deregister asks first, listing the MACs.

use std::collections::BTreeSet;

use egui::RichText;

use crate::device::{Device, Mac};
use crate::ops::redirect::{DeviceAction, DeviceOutcome};
use crate::ui::widgets::dialog;
use crate::ui::widgets::style::signal;

#[derive(Default)]
pub struct DevicesTab {
    devices: Vec<Device>,
    search: String,
    picked: BTreeSet<Mac>,
    /// The action in flight.
    busy: Option<DeviceAction>,
    /// The last action's results.
    results: Option<(DeviceAction, Vec<DeviceOutcome>)>,
    confirm_deregister: Option<Vec<Mac>>,
}

impl DevicesTab {
    pub fn set_devices(&mut self, devices: Vec<Device>) {
        let present: BTreeSet<Mac> = devices.iter().map(|d| d.mac).collect();
        self.picked.retain(|mac| present.contains(mac));
        self.devices = devices;
    }

    pub fn pick(&mut self, macs: Vec<Mac>) {
        self.search.clear();
        self.picked = macs.into_iter().collect();
    }

    pub fn done(&mut self, action: DeviceAction, lines: Vec<DeviceOutcome>) {
        self.busy = None;
        self.results = Some((action, lines));
    }

    /// The job could not run at all (no user, the inventory closed).
    pub fn failed(&mut self) {
        self.busy = None;
    }

    fn matches(&self, device: &Device) -> bool {
        let needle = self.search.trim().to_ascii_lowercase();
        if needle.is_empty() {
            return true;
        }
        let compact: String = needle
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .collect();
        let mac_id = device
            .mac_id
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_default()
            .to_ascii_lowercase();
        (!compact.is_empty() && device.mac.macd().to_ascii_lowercase().contains(&compact))
            || mac_id.contains(&needle)
            || [&device.site, &device.model, &device.provider]
                .iter()
                .any(|v| {
                    v.as_deref()
                        .is_some_and(|v| v.to_ascii_lowercase().contains(&needle))
                })
    }

    /// Draws the tab; returns an action the user confirmed, with the devices it is for.
    pub fn ui(&mut self, ui: &mut egui::Ui) -> Option<(DeviceAction, Vec<Mac>)> {
        let mut start = None;
        ui.horizontal(|ui| {
            let label = ui.label("Search devices");
            ui.add(
                egui::TextEdit::singleline(&mut self.search)
                    .hint_text("MAC, MAC-ID, site, model or provider")
                    .desired_width(260.0),
            )
            .labelled_by(label.id);
            let shown: Vec<Mac> = self
                .devices
                .iter()
                .filter(|d| self.matches(d))
                .map(|d| d.mac)
                .collect();
            if ui
                .button("Pick all shown")
                .on_hover_text("Pick every device the search shows")
                .clicked()
            {
                self.picked.extend(shown);
            }
            if ui.button("Pick none").clicked() {
                self.picked.clear();
            }
            ui.label(RichText::new(format!("{} picked", self.picked.len())).weak());
        });
        ui.horizontal(|ui| {
            let idle = self.busy.is_none() && !self.picked.is_empty();
            let picked: Vec<Mac> = self.picked.iter().copied().collect();
            if ui
                .add_enabled(idle, egui::Button::new("Register"))
                .on_hover_text("Register the picked devices with their provider and URL; their MAC passwords are stored")
                .clicked()
            {
                start = Some((DeviceAction::Register, picked.clone()));
            }
            if ui
                .add_enabled(idle, egui::Button::new("Check"))
                .on_hover_text("Ask the server where the picked devices point")
                .clicked()
            {
                start = Some((DeviceAction::Check, picked.clone()));
            }
            if ui
                .add_enabled(idle, egui::Button::new("Deregister…"))
                .on_hover_text("Remove the picked devices' registrations (asks first)")
                .clicked()
            {
                self.confirm_deregister = Some(picked);
            }
            if let Some(action) = self.busy {
                ui.add(egui::Spinner::new());
                ui.label(action.doing());
            }
        });
        ui.add_space(4.0);
        let list_height = (ui.available_height() * 0.5).max(120.0);
        egui::ScrollArea::vertical()
            .id_salt("redirect_picker")
            .max_height(list_height)
            .auto_shrink([false, true])
            .show(ui, |ui| self.picker(ui));
        ui.separator();
        self.results(ui);
        if let Some(confirmed) = self.confirm(ui) {
            start = Some((DeviceAction::Deregister, confirmed));
        }
        if let Some((action, _)) = &start {
            self.busy = Some(*action);
            self.results = None;
        }
        start
    }

    fn picker(&mut self, ui: &mut egui::Ui) {
        if self.devices.is_empty() {
            ui.label(
                RichText::new("The inventory holds no devices: add or import some first.").weak(),
            );
            return;
        }
        let weak = ui.visuals().weak_text_color();
        let shown: Vec<usize> = (0..self.devices.len())
            .filter(|&i| self.matches(&self.devices[i]))
            .collect();
        for index in shown {
            let device = &self.devices[index];
            let mut toggled = None;
            ui.horizontal(|ui| {
                let mut picked = self.picked.contains(&device.mac);
                let id = device
                    .mac_id
                    .as_ref()
                    .map_or_else(|| device.mac.macd(), ToString::to_string);
                if ui
                    .checkbox(&mut picked, RichText::new(&id).monospace())
                    .changed()
                {
                    toggled = Some((device.mac, picked));
                }
                let target = match (device.effective_provider(), device.effective_url()) {
                    (Some(provider), Some(url)) => {
                        format!("{provider} · {}", crate::device::mask_url_password(url))
                    }
                    _ => "no provider or URL".to_string(),
                };
                ui.label(RichText::new(target).small().color(weak));
                if let Some(status) = device.redirect.status.as_deref() {
                    ui.label(RichText::new(status.replace('_', " ")).small());
                }
            });
            match toggled.take() {
                Some((mac, true)) => {
                    self.picked.insert(mac);
                }
                Some((mac, false)) => {
                    self.picked.remove(&mac);
                }
                None => {}
            }
        }
    }

    fn results(&self, ui: &mut egui::Ui) {
        let Some((action, lines)) = &self.results else {
            ui.label(
                RichText::new("Pick devices, then Register, Check or Deregister. Each device's answer appears here.")
                    .weak(),
            );
            return;
        };
        let failed = lines.iter().filter(|l| !l.succeeded()).count();
        ui.label(
            RichText::new(format!(
                "{}: {} device(s), {} failed",
                action.verb(),
                lines.len(),
                failed
            ))
            .strong(),
        );
        let colors = signal(ui.visuals());
        // A list rather than a table: a refusal's sentence says what to do, so it wraps
        // instead of being cut.
        egui::ScrollArea::vertical()
            .id_salt("redirect_device_results")
            .auto_shrink([false, true])
            .show(ui, |ui| {
                for line in lines {
                    let color = if line.succeeded() {
                        colors.ok
                    } else {
                        colors.error
                    };
                    ui.horizontal_top(|ui| {
                        ui.label(RichText::new(&line.mac_id).monospace());
                        ui.add(
                            egui::Label::new(RichText::new(line.sentence()).color(color)).wrap(),
                        );
                    });
                }
            });
    }

    /// The deregistration's confirmation; the MACs it is for when confirmed.
    fn confirm(&mut self, ui: &mut egui::Ui) -> Option<Vec<Mac>> {
        let macs = self.confirm_deregister.as_ref()?;
        let button = egui::Button::new(
            RichText::new(format!("Deregister {} device(s)", macs.len())).strong(),
        );
        let decision = dialog::confirm(ui, "redirect_deregister", 420.0, button, true, |ui| {
            ui.heading("Remove these registrations?");
            ui.label(
                "The devices will no longer find their provisioning server until they are registered again:",
            );
            egui::ScrollArea::vertical()
                .max_height(200.0)
                .show(ui, |ui| {
                    for mac in macs {
                        ui.label(RichText::new(mac.to_string()).monospace());
                    }
                });
        });
        match decision {
            Some(true) => self.confirm_deregister.take(),
            Some(false) => {
                self.confirm_deregister = None;
                None
            }
            None => None,
        }
    }
}
