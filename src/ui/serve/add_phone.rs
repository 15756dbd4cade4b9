//! *Add to inventory* for a phone whose MAC the inventory lacks: it asks first which site and
//! which model, since a device added to no site and the wrong model gets the wrong file, or
//! none from a server serving one site. The site served and the model the phone's User-Agent
//! names are filled in; the dialog stays open until the inventory answers, and says why not.

use egui::RichText;

use crate::device::{CATALOGUE, ModelSpec, find_model};
use crate::inventory::Site;
use crate::ui::widgets::dialog;
use crate::ui::widgets::fields::site_pick;
use crate::ui::widgets::style::signal;

/// The device to add, as the user confirmed it.
pub struct NewPhone {
    pub device: String,
    pub site: Option<String>,
    pub model: Option<&'static ModelSpec>,
}

/// The open question.
pub struct AddPhoneForm {
    device: String,
    site: String,
    model: Option<&'static ModelSpec>,
    /// What the phone's User-Agent named, to say beside the model.
    named: Option<String>,
    /// Asked; the inventory's answer has not come yet.
    pub adding: bool,
    pub error: Option<String>,
}

impl AddPhoneForm {
    /// For the phone `device` whose User-Agent named `model`, seen while serving `site` only.
    pub fn new(device: String, model: Option<String>, site: Option<&str>) -> Self {
        Self {
            device,
            site: site.unwrap_or_default().to_string(),
            model: model.as_deref().and_then(find_model),
            named: model,
            adding: false,
            error: None,
        }
    }

    /// The dialog; `Some(phone)` when the user confirmed, `Some(None)` when cancelled.
    pub fn ui(&mut self, ui: &egui::Ui, sites: &[Site]) -> Option<Option<NewPhone>> {
        let new_site = self.new_site(sites);
        let button = egui::Button::new(match (&new_site, self.adding) {
            (_, true) => "Adding…".to_string(),
            (Some(site), false) => format!("Add and create site {site}"),
            (None, false) => "Add".to_string(),
        });
        let decision = dialog::confirm(ui, "serve_add_phone", 480.0, button, !self.adding, |ui| {
            ui.heading(format!("Add {} to the inventory?", self.device));
            ui.label(
                RichText::new("Its next request then gets a challenge instead of 404.").weak(),
            );
            ui.add_space(6.0);
            egui::Grid::new("serve_add_phone_grid")
                .num_columns(2)
                .spacing([12.0, 6.0])
                .show(ui, |ui| {
                    self.site_row(ui, sites);
                    self.model_row(ui);
                });
            if let Some(site) = &new_site {
                ui.label(
                    RichText::new(format!(
                        "No site is called \"{site}\": adding creates it, without URL or credentials. Pick an existing site to add the phone there."
                    ))
                    .color(signal(ui.visuals()).warning),
                );
            }
            if let Some(error) = &self.error {
                ui.add_space(4.0);
                ui.label(RichText::new(error).color(signal(ui.visuals()).error));
            }
        });
        match decision {
            Some(true) => {
                self.adding = true;
                self.error = None;
                let site = self.site.trim();
                Some(Some(NewPhone {
                    device: self.device.clone(),
                    site: (!site.is_empty()).then(|| site.to_string()),
                    model: self.model,
                }))
            }
            Some(false) => Some(None),
            None => None,
        }
    }

    /// The site typed, when no site has that name (compared ignoring case, as the inventory
    /// compares them): a typo would otherwise create a site without credentials unasked.
    fn new_site(&self, sites: &[Site]) -> Option<String> {
        let typed = self.site.trim();
        (!typed.is_empty() && !sites.iter().any(|s| s.name.eq_ignore_ascii_case(typed)))
            .then(|| typed.to_string())
    }

    fn site_row(&mut self, ui: &mut egui::Ui, sites: &[Site]) {
        let label = ui.label("Site");
        ui.horizontal(|ui| {
            ui.add(
                egui::TextEdit::singleline(&mut self.site)
                    .desired_width(200.0)
                    .hint_text("no site"),
            )
            .labelled_by(label.id)
            .on_hover_text("The site whose URL, credentials and templates it takes; empty: none");
            if let Some(site) = site_pick(ui, sites) {
                self.site = site.name.clone();
            }
        });
        ui.end_row();
    }

    fn model_row(&mut self, ui: &mut egui::Ui) {
        let label = ui.label("Model");
        ui.vertical(|ui| {
            egui::ComboBox::from_id_salt("serve_add_phone_model")
                .selected_text(self.model.map_or("not known yet", |model| model.name))
                .width(240.0)
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut self.model, None, "not known yet");
                    for model in CATALOGUE.iter() {
                        ui.selectable_value(&mut self.model, Some(model), model.name);
                    }
                })
                .response
                .labelled_by(label.id);
            let said = match &self.named {
                Some(named) if find_model(named).is_some() => {
                    format!("Its User-Agent says {named}.")
                }
                Some(named) => {
                    format!("Its User-Agent says \"{named}\", which the catalogue does not know.")
                }
                None => "Its User-Agent names no model: pick the one on its label.".to_string(),
            };
            ui.label(RichText::new(said).weak());
        });
        ui.end_row();
    }
}
