//! The Redirect panel's "Devices" tab: pick inventory devices (a checkbox list with search),
//! then Register, Check or Deregister them one call each; every device's result as a sentence.
//! Deregister asks first, listing the MACs.

use std::collections::BTreeSet;

use egui::RichText;

use super::picker_row::PickerRow;
use crate::device::Mac;
use crate::inventory::PickableDevice;
use crate::ops::redirect::{DeviceAction, DeviceOutcome};
use crate::ui::widgets::dialog;
use crate::ui::widgets::style::signal;
use crate::words;

/// The most result lines and MACs in a confirmation laid out at once; the rest are counted.
/// A sentence wraps, so result lines have no fixed height to lay out only the visible ones.
const LISTED_AT_MOST: usize = 1_000;

/// Why Register is off when every picked device lacks what a registration needs.
const NOTHING_TO_REGISTER: &str = "None of the picked devices has a provider and a provisioning URL: \
     set them on the device (its form in Inventory) or on its site";

/// How many of `count` lines are left out of the list, when any are.
fn unlisted(count: usize) -> Option<usize> {
    Some(count.saturating_sub(LISTED_AT_MOST)).filter(|&more| more > 0)
}

#[derive(Default)]
pub struct DevicesTab {
    /// Whether the devices were read yet (until then the list says so, not "no devices").
    loaded: bool,
    rows: Vec<PickerRow>,
    search: String,
    /// The rows the search shows, worked out when the search or the devices change.
    shown: Vec<usize>,
    picked: BTreeSet<Mac>,
    /// How many picked devices have a provider and URL, counted when the picks change: with
    /// none, Register is off and says why.
    picked_registrable: usize,
    /// How many of those would be registered with a URL naming this computer, which no phone
    /// can reach: said beside Register.
    picked_loopback: usize,
    /// The action in flight.
    busy: Option<DeviceAction>,
    /// The last action's results.
    results: Option<(DeviceAction, Vec<DeviceOutcome>)>,
    confirm_deregister: Option<Vec<Mac>>,
}

impl DevicesTab {
    pub fn set_devices(&mut self, devices: Vec<PickableDevice>) {
        let present: BTreeSet<Mac> = devices.iter().map(|d| d.mac).collect();
        self.picked.retain(|mac| present.contains(mac));
        self.rows = devices.into_iter().map(PickerRow::new).collect();
        self.loaded = true;
        self.filter();
        self.count_registrable();
    }

    fn count_registrable(&mut self) {
        let picked = &self.picked;
        let registrable = || {
            self.rows
                .iter()
                .filter(|row| row.registrable && picked.contains(&row.mac))
        };
        self.picked_registrable = registrable().count();
        self.picked_loopback = registrable().filter(|row| row.loopback).count();
    }

    pub fn pick(&mut self, macs: Vec<Mac>) {
        self.search.clear();
        self.filter();
        self.picked = macs.into_iter().collect();
        self.count_registrable();
    }

    pub fn done(&mut self, action: DeviceAction, mut lines: Vec<DeviceOutcome>) {
        self.busy = None;
        // Failures first, in the order they came: one among many is not scrolled to.
        lines.sort_by_key(DeviceOutcome::succeeded);
        self.results = Some((action, lines));
    }

    /// The job could not run at all (no user, the inventory closed).
    pub fn failed(&mut self) {
        self.busy = None;
    }

    fn filter(&mut self) {
        let needle = self.search.trim().to_lowercase();
        let compact: String = needle
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_uppercase())
            .collect();
        self.shown = (0..self.rows.len())
            .filter(|&i| self.rows[i].matches(&needle, &compact))
            .collect();
    }

    /// Draws the tab; returns an action the user confirmed, with the devices it is for.
    pub fn ui(&mut self, ui: &mut egui::Ui) -> Option<(DeviceAction, Vec<Mac>)> {
        let mut start = None;
        ui.horizontal(|ui| {
            let label = ui.label("Search devices");
            let field = ui
                .add(
                    egui::TextEdit::singleline(&mut self.search)
                        .hint_text("MAC, MAC-ID, site, model or provider")
                        .desired_width(260.0),
                )
                .labelled_by(label.id);
            if field.changed() {
                self.filter();
            }
            if ui
                .button("Pick all shown")
                .on_hover_text("Pick every device the search shows")
                .clicked()
            {
                let rows = &self.rows;
                self.picked.extend(self.shown.iter().map(|&i| rows[i].mac));
                self.count_registrable();
            }
            if ui.button("Pick none").clicked() {
                self.picked.clear();
                self.count_registrable();
            }
            ui.label(RichText::new(format!("{} picked", self.picked.len())).weak());
        });
        ui.horizontal(|ui| {
            let idle = self.busy.is_none() && !self.picked.is_empty();
            let picked = || self.picked.iter().copied().collect::<Vec<Mac>>();
            let register = ui
                .add_enabled(idle && self.picked_registrable > 0, egui::Button::new("Register"));
            let register = if self.picked.is_empty() || self.picked_registrable > 0 {
                register.on_hover_text("Register the picked devices with their provider and URL; their MAC passwords are stored")
            } else {
                register.on_disabled_hover_text(NOTHING_TO_REGISTER)
            };
            if register.clicked() {
                start = Some((DeviceAction::Register, picked()));
            }
            if ui
                .add_enabled(idle, egui::Button::new("Check"))
                .on_hover_text("Ask the server where the picked devices point")
                .clicked()
            {
                start = Some((DeviceAction::Check, picked()));
            }
            if ui
                .add_enabled(idle, egui::Button::new("Deregister…"))
                .on_hover_text("Remove the picked devices' registrations (asks first)")
                .clicked()
            {
                self.confirm_deregister = Some(picked());
            }
            if let Some(action) = self.busy {
                ui.add(egui::Spinner::new());
                ui.label(action.doing());
            } else if !self.picked.is_empty() && self.picked_registrable == 0 {
                ui.label(RichText::new("None picked has a provider and URL to register with").weak())
                    .on_hover_text(NOTHING_TO_REGISTER);
            } else if self.picked_loopback > 0 {
                ui.label(
                    RichText::new(format!(
                        "⚠ {} picked would be registered with a URL naming this computer: a phone given it asks itself",
                        self.picked_loopback
                    ))
                    .color(signal(ui.visuals()).warning),
                );
            }
        });
        ui.add_space(4.0);
        let list_height = (ui.available_height() * 0.5).max(120.0);
        self.picker(ui, list_height);
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

    /// The devices the search shows, one row each; only the rows in view are laid out.
    fn picker(&mut self, ui: &mut egui::Ui, max_height: f32) {
        if !self.loaded {
            ui.horizontal(|ui| {
                ui.add(egui::Spinner::new());
                ui.label(RichText::new("Reading the inventory's devices…").weak());
            });
            return;
        }
        if self.rows.is_empty() {
            ui.label(
                RichText::new("The inventory holds no devices: add or import some first.").weak(),
            );
            return;
        }
        if self.shown.is_empty() {
            ui.label(RichText::new("No device matches the search.").weak());
            return;
        }
        let weak = ui.visuals().weak_text_color();
        let row_height = ui.spacing().interact_size.y;
        let mut toggled = None;
        egui::ScrollArea::vertical()
            .id_salt("redirect_picker")
            .max_height(max_height)
            .auto_shrink([false, true])
            .show_rows(ui, row_height, self.shown.len(), |ui, range| {
                for &index in &self.shown[range] {
                    let row = &self.rows[index];
                    ui.horizontal(|ui| {
                        let mut picked = self.picked.contains(&row.mac);
                        if ui
                            .checkbox(&mut picked, RichText::new(&row.label).monospace())
                            .changed()
                        {
                            toggled = Some((row.mac, picked));
                        }
                        ui.label(RichText::new(&row.target).small().color(weak));
                        if let Some(status) = &row.status {
                            ui.label(RichText::new(status).small());
                        }
                    });
                }
            });
        if let Some((mac, picked)) = toggled {
            let changed = if picked {
                self.picked.insert(mac)
            } else {
                self.picked.remove(&mac)
            };
            if changed {
                self.count_registrable();
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
                "{}: {}, {} failed",
                action.verb(),
                words::count(lines.len(), "device"),
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
                for line in lines.iter().take(LISTED_AT_MOST) {
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
                if let Some(more) = unlisted(lines.len()) {
                    ui.label(
                        RichText::new(format!(
                            "{} more not listed here: the Inventory's Redirect column shows each one's state",
                            words::count(more, "device")
                        ))
                        .weak(),
                    );
                }
            });
    }

    /// The deregistration's confirmation; the MACs it is for when confirmed.
    fn confirm(&mut self, ui: &mut egui::Ui) -> Option<Vec<Mac>> {
        let macs = self.confirm_deregister.as_ref()?;
        // Red, as Delete is: it removes what the phones need to find their server.
        let button = dialog::danger_button(
            ui,
            format!("Deregister {}", words::count(macs.len(), "device")),
        );
        let decision = dialog::confirm(ui, "redirect_deregister", 420.0, button, true, |ui| {
            ui.heading("Remove these registrations?");
            ui.label(
                "The devices will no longer find their provisioning server until they are registered again:",
            );
            egui::ScrollArea::vertical()
                .max_height(200.0)
                .show(ui, |ui| {
                    for mac in macs.iter().take(LISTED_AT_MOST) {
                        ui.label(RichText::new(mac.as_str()).monospace());
                    }
                    if let Some(more) = unlisted(macs.len()) {
                        ui.label(format!("and {more} more"));
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

#[cfg(test)]
mod tests {
    use super::super::picker_row::example as device;
    use super::*;

    fn shown(tab: &DevicesTab) -> Vec<String> {
        tab.shown.iter().map(|&i| tab.rows[i].mac.macd()).collect()
    }

    #[test]
    fn the_search_finds_a_mac_in_any_notation_and_the_other_fields_in_any_case() {
        let mut tab = DevicesTab::default();
        tab.set_devices(vec![
            device("7C2F80820EC0", "Lobby", Some("Daryna")),
            device("7C2F80000001", "Roof", None),
        ]);
        assert_eq!(shown(&tab).len(), 2, "an empty search shows every device");
        for (search, expected) in [
            ("7c:2f:80:82", vec!["7C2F80820EC0"]),
            ("ROOF", vec!["7C2F80000001"]),
            ("daryna", vec!["7C2F80820EC0"]),
            ("n510", vec!["7C2F80820EC0", "7C2F80000001"]),
            ("nothing", vec![]),
        ] {
            tab.search = search.into();
            tab.filter();
            assert_eq!(shown(&tab), expected, "{search}");
        }
    }

    #[test]
    fn new_devices_keep_only_the_picks_still_there() {
        let mut tab = DevicesTab::default();
        tab.set_devices(vec![device("7C2F80820EC0", "Lobby", None)]);
        tab.pick(vec![
            Mac::parse("7C2F80820EC0").unwrap(),
            Mac::parse("7C2F80000001").unwrap(),
        ]);
        tab.set_devices(vec![device("7C2F80820EC0", "Lobby", None)]);
        assert_eq!(tab.picked.len(), 1);
    }
}
