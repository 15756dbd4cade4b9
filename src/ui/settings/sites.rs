//! The site editor: a site's name and the defaults its devices inherit (provider, provisioning
//! URL pattern, digest credentials). A device's own value always wins over its site's.

use egui::RichText;

use crate::device::ProvisioningUrl;
use crate::inventory::{Site, SiteDraft};
use crate::secret::Secret;
use crate::ui::settings::jobs;
use crate::ui::widgets::fields::{has_url_password, masked_url};
use crate::ui::widgets::style::signal;
use crate::ui::worker::Worker;

#[derive(Default)]
pub struct SiteEditor {
    name: String,
    provider: String,
    url: String,
    digest_username: String,
    digest_password: Secret,
    reveal_password: bool,
    /// A stored URL with `user:pass@` shows masked until the user asks to see it.
    hide_url: bool,
    /// The site whose values fill the fields, so picking another reloads them.
    loaded: Option<String>,
}

fn given(text: &str) -> Option<String> {
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_string())
}

impl SiteEditor {
    fn load(&mut self, site: &Site) {
        self.name = site.name.clone();
        self.provider = site.provider.clone().unwrap_or_default();
        self.url = site.url_pattern.clone().unwrap_or_default();
        self.hide_url = has_url_password(&self.url);
        self.digest_username = site.digest_username.clone().unwrap_or_default();
        self.digest_password = site.digest_password.clone().unwrap_or_default();
        self.reveal_password = false;
        self.loaded = Some(site.name.clone());
    }

    pub fn ui(&mut self, ui: &mut egui::Ui, sites: &[Site], worker: &Worker) {
        ui.heading("Sites and their defaults");
        ui.label(
            RichText::new("Devices of a site use these values wherever their own field is empty.")
                .weak(),
        );
        ui.add_space(4.0);
        let url_error = given(&self.url)
            .and_then(|url| ProvisioningUrl::parse(&url).err())
            .map(|e| e.to_string());
        egui::Grid::new("site_editor")
            .num_columns(2)
            .spacing([10.0, 6.0])
            .show(ui, |ui| self.fields(ui, sites, url_error.as_deref()));
        self.save_button(ui, sites, worker, url_error.is_none());
    }

    /// The grid's rows; a URL that does not parse gets its reason under it.
    fn fields(&mut self, ui: &mut egui::Ui, sites: &[Site], url_error: Option<&str>) {
        self.name_row(ui, sites);
        ui.end_row();
        let label = ui.label("Provider");
        ui.add(egui::TextEdit::singleline(&mut self.provider).desired_width(320.0))
            .labelled_by(label.id);
        ui.end_row();
        let label = ui.label("Provisioning URL");
        if self.hide_url {
            self.hide_url = !masked_url(ui, &self.url, label.id);
        } else {
            ui.add(
                egui::TextEdit::singleline(&mut self.url)
                    .hint_text("https://prov.example.com/%MACD.xml")
                    .desired_width(320.0),
            )
            .labelled_by(label.id);
        }
        ui.end_row();
        if let Some(error) = url_error {
            ui.label("");
            ui.label(
                RichText::new(error)
                    .small()
                    .color(signal(ui.visuals()).error),
            );
            ui.end_row();
        }
        let label = ui.label("Digest user name");
        ui.add(egui::TextEdit::singleline(&mut self.digest_username).desired_width(320.0))
            .labelled_by(label.id);
        ui.end_row();
        let label = ui.label("Digest password");
        ui.horizontal(|ui| {
            ui.add(
                egui::TextEdit::singleline(self.digest_password.expose_mut())
                    .password(!self.reveal_password)
                    .desired_width(282.0),
            )
            .labelled_by(label.id);
            let eye = if self.reveal_password { "Hide" } else { "Show" };
            if ui.small_button(eye).clicked() {
                self.reveal_password ^= true;
            }
        });
        ui.end_row();
    }

    /// The site's name, typed or picked from the existing sites (which loads its values).
    fn name_row(&mut self, ui: &mut egui::Ui, sites: &[Site]) {
        let label = ui.label("Site");
        ui.horizontal(|ui| {
            ui.add(
                egui::TextEdit::singleline(&mut self.name)
                    .hint_text("new or existing site")
                    .desired_width(240.0),
            )
            .labelled_by(label.id);
            ui.menu_button("Pick", |ui| {
                for site in sites {
                    let text = format!("{} ({} devices)", site.name, site.device_count);
                    if ui.button(text).clicked() {
                        self.load(site);
                    }
                }
            });
        });
    }

    /// Create or save; `url_ok`: the URL field is empty or parses.
    fn save_button(&mut self, ui: &mut egui::Ui, sites: &[Site], worker: &Worker, url_ok: bool) {
        let existing = sites
            .iter()
            .find(|s| s.name.eq_ignore_ascii_case(self.name.trim()));
        // Naming an existing site shows its values, so saving never wipes defaults unseen.
        if let Some(site) = existing
            && self.loaded.as_deref() != Some(site.name.as_str())
        {
            self.load(site);
        }
        let ready = given(&self.name).is_some() && url_ok;
        let save_text = match existing {
            Some(site) => format!("Save site ({} devices)", site.device_count),
            None => "Create site".to_string(),
        };
        if ui
            .add_enabled(ready, egui::Button::new(save_text))
            .clicked()
        {
            jobs::save_site(
                worker,
                SiteDraft {
                    name: self.name.trim().to_string(),
                    provider: given(&self.provider),
                    url_pattern: given(&self.url),
                    digest_username: given(&self.digest_username),
                    digest_password: (!self.digest_password.is_empty())
                        .then(|| self.digest_password.clone()),
                    notes: existing.map(|s| s.notes.clone()).unwrap_or_default(),
                },
            );
            self.loaded = Some(self.name.trim().to_string());
        }
    }
}
