//! The Redirect panel's "Devices" tab: pick inventory devices (a checkbox list with search),
//! then Register, Check or Deregister them one call each; every device's result as a sentence.
//! Deregister asks first, listing the MACs.

use std::collections::BTreeSet;

use egui::RichText;

use crate::device::{Mac, mask_url_password};
use crate::inventory::PickableDevice;
use crate::ops::redirect::{DeviceAction, DeviceOutcome};
use crate::ui::widgets::dialog;
use crate::ui::widgets::style::signal;

/// The most result lines and MACs in a confirmation laid out at once; the rest are counted.
/// A sentence wraps, so result lines have no fixed height to lay out only the visible ones.
const LISTED_AT_MOST: usize = 1_000;

/// How many of `count` lines are left out of the list, when any are.
fn unlisted(count: usize) -> Option<usize> {
    Some(count.saturating_sub(LISTED_AT_MOST)).filter(|&more| more > 0)
}

/// One device as the picker lists it, its texts made once when the devices load: the tab
/// holds every device, and each frame lays out only the rows in view.
struct PickerRow {
    mac: Mac,
    /// The MAC-ID, else the MAC.
    label: String,
    /// "provider · URL" (a password in the URL masked), or why there is none.
    target: String,
    status: Option<String>,
    /// What the search looks in besides the MAC, lower-cased: MAC-ID, site, model, provider.
    haystack: String,
}

impl PickerRow {
    fn new(device: PickableDevice) -> Self {
        let target = match (&device.effective_provider, &device.effective_url) {
            (Some(provider), Some(url)) => format!("{provider} · {}", mask_url_password(url)),
            _ => "no provider or URL".to_string(),
        };
        let haystack = [
            &device.mac_id,
            &device.site,
            &device.model,
            &device.provider,
        ]
        .into_iter()
        .flatten()
        .map(|text| text.to_lowercase())
        .collect::<Vec<_>>()
        .join("\n");
        Self {
            mac: device.mac,
            label: device.mac_id.unwrap_or_else(|| device.mac.macd()),
            target,
            status: device.redirect_status.map(|s| s.replace('_', " ")),
            haystack,
        }
    }

    /// Whether the search shows this device: `needle` lower-cased, `compact` its letters and
    /// digits upper-cased (a MAC in any notation).
    fn matches(&self, needle: &str, compact: &str) -> bool {
        needle.is_empty()
            || (!compact.is_empty() && self.mac.as_str().contains(compact))
            || self.haystack.contains(needle)
    }
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
    }

    pub fn pick(&mut self, macs: Vec<Mac>) {
        self.search.clear();
        self.filter();
        self.picked = macs.into_iter().collect();
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
            }
            if ui.button("Pick none").clicked() {
                self.picked.clear();
            }
            ui.label(RichText::new(format!("{} picked", self.picked.len())).weak());
        });
        ui.horizontal(|ui| {
            let idle = self.busy.is_none() && !self.picked.is_empty();
            let picked = || self.picked.iter().copied().collect::<Vec<Mac>>();
            if ui
                .add_enabled(idle, egui::Button::new("Register"))
                .on_hover_text("Register the picked devices with their provider and URL; their MAC passwords are stored")
                .clicked()
            {
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
        match toggled {
            Some((mac, true)) => {
                self.picked.insert(mac);
            }
            Some((mac, false)) => {
                self.picked.remove(&mac);
            }
            None => {}
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
                            "{more} more device(s) not listed here: the Inventory's Redirect column shows each one's state"
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
        let button = dialog::danger_button(ui, format!("Deregister {} device(s)", macs.len()));
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
    use super::*;

    fn device(mac: &str, site: &str, provider: Option<&str>) -> PickableDevice {
        let mac = Mac::parse(mac).unwrap();
        PickableDevice {
            mac,
            mac_id: Some(format!("{mac}-55DF")),
            site: Some(site.into()),
            model: Some("N510 IP PRO".into()),
            provider: provider.map(Into::into),
            effective_provider: provider.map(Into::into).or(Some("Site".into())),
            effective_url: Some("http://user:secret@p.example/%MACD.xml".into()),
            redirect_status: Some("not_registered".into()),
        }
    }

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
    fn a_row_masks_the_url_password_and_reads_its_status() {
        let row = PickerRow::new(device("7C2F80820EC0", "Lobby", Some("Daryna")));
        assert_eq!(row.label, "7C2F80820EC0-55DF");
        assert!(!row.target.contains("secret"), "{}", row.target);
        assert!(row.target.starts_with("Daryna · "), "{}", row.target);
        assert_eq!(row.status.as_deref(), Some("not registered"));
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
