//! The Redirect panel's "Remote list" tab: what `listDevices` says for a provider, with the
//! registrations the inventory does not hold marked, since those are the ones a sync with
//! "Include deregister" would remove.

use egui::RichText;
use egui_extras::{Column, TableBuilder};

use crate::redirect::RemoteDevice;
use crate::ui::redirect::events::RemoteList;
use crate::ui::widgets::style::signal;
use crate::words;

#[derive(Default)]
pub struct RemoteTab {
    provider: String,
    listing: bool,
    list: Option<Result<RemoteList, String>>,
    /// How many listed registrations the inventory does not hold, counted once per list
    /// rather than per frame (a whole account lists 100,000).
    unknown: usize,
}

impl RemoteTab {
    pub fn listed(&mut self, list: Result<RemoteList, String>) {
        self.listing = false;
        self.unknown = list.as_ref().map_or(0, |list| {
            list.devices.iter().filter(|d| !is_known(list, d)).count()
        });
        self.list = Some(list);
    }

    /// Draws the tab; returns the providers to list when the user asks.
    pub fn ui(&mut self, ui: &mut egui::Ui) -> Option<Vec<String>> {
        let mut request = None;
        ui.horizontal(|ui| {
            let label = ui.label("Provider to list");
            let field = ui
                .add(
                    egui::TextEdit::singleline(&mut self.provider)
                        .hint_text("empty: the whole account")
                        .desired_width(180.0),
                )
                .labelled_by(label.id);
            let enter = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            if (ui
                .add_enabled(!self.listing, egui::Button::new("List"))
                .on_hover_text("listDevices: the server's registrations")
                .clicked()
                || enter)
                && !self.listing
            {
                self.listing = true;
                let provider = self.provider.trim();
                request = Some(if provider.is_empty() {
                    Vec::new()
                } else {
                    vec![provider.to_string()]
                });
            }
            if self.listing {
                ui.add(egui::Spinner::new());
            }
        });
        ui.separator();
        match &self.list {
            None => {
                ui.label(
                    RichText::new("List shows the server's registrations for a provider.").weak(),
                );
            }
            Some(Err(error)) => {
                ui.add(
                    egui::Label::new(
                        RichText::new(format!("✖ {error}")).color(signal(ui.visuals()).error),
                    )
                    .wrap(),
                );
            }
            Some(Ok(list)) => table(ui, list, self.unknown),
        }
        request
    }
}

/// Whether the inventory holds the device of this registration.
fn is_known(list: &RemoteList, device: &RemoteDevice) -> bool {
    device
        .parsed_mac()
        .is_some_and(|mac| list.known.contains(&mac))
}

fn table(ui: &mut egui::Ui, list: &RemoteList, unknown: usize) {
    let colors = signal(ui.visuals());
    ui.label(format!(
        "{}, {unknown} not in the inventory",
        words::count(list.devices.len(), "registration")
    ));
    TableBuilder::new(ui)
        .id_salt("redirect_remote")
        .striped(true)
        .resizable(true)
        .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
        .column(Column::initial(130.0))
        .column(Column::initial(120.0).clip(true))
        // The URL takes what is left, so that the Inventory column stays in the window.
        .column(Column::remainder().at_least(160.0).clip(true))
        .column(Column::initial(140.0))
        .column(Column::initial(150.0))
        .auto_shrink([false, false])
        .header(22.0, |mut header| {
            for title in ["MAC", "Provider", "URL", "Date", "Inventory"] {
                header.col(|ui| {
                    ui.strong(title);
                });
            }
        })
        .body(|body| {
            body.rows(22.0, list.devices.len(), |mut row| {
                let device = &list.devices[row.index()];
                let known = is_known(list, device);
                let shown = device.shown();
                row.col(|ui| {
                    ui.label(RichText::new(&shown.mac).monospace());
                });
                row.col(|ui| {
                    ui.label(&shown.provider);
                });
                row.col(|ui| {
                    ui.label(&shown.url).on_hover_text(&shown.url);
                });
                row.col(|ui| {
                    ui.label(&shown.date);
                });
                row.col(|ui| {
                    if known {
                        ui.label(RichText::new("in the inventory").weak());
                    } else {
                        ui.label(RichText::new("not in the inventory").color(colors.warning));
                    }
                });
            });
        });
}
