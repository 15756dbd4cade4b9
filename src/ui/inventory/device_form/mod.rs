//! The add/edit device form with inline validation.
//!
//! Validation runs on every frame from the same `DeviceDraft::validate` the CLI uses; a field's
//! error shows once the user has typed in it or tried to save, so a fresh form is not all red.

mod rows;

use std::collections::HashSet;

use egui::RichText;

use super::sip_accounts_form::SipAccountsEditor;
use crate::device::{
    Device, DeviceDraft, Field, FieldError, NewDevice, SipFieldError, find_model,
    mask_url_password, sip_account_limit,
};
use crate::inventory::Site;
use crate::ui::widgets::fields::{FORM_LABEL_WIDTH, has_url_password};
use crate::ui::widgets::style::signal;
use crate::words;

/// Whether the form creates a device or edits the one with this id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormMode {
    Add,
    Edit(i64),
}

/// What the user did with the form this frame.
#[derive(Debug)]
pub enum FormAction {
    None,
    Save(Box<NewDevice>),
    Cancel,
    /// Open the form again on the device as stored now, dropping the edits.
    Reload,
}

pub struct DeviceForm {
    pub mode: FormMode,
    pub draft: DeviceDraft,
    /// The stored device the form was opened on: a save is made over it, and refused when the
    /// CLI or a script changed it meanwhile.
    pub base: Option<Device>,
    /// A save was refused for that: the error comes with Reload.
    pub changed_elsewhere: bool,
    sip: SipAccountsEditor,
    /// An error from the inventory (e.g. duplicate MAC), shown until the next edit.
    pub store_error: Option<String>,
    /// A save was sent and its answer has not come back yet.
    pub saving: bool,
    touched: HashSet<Field>,
    /// A SIP account field was edited.
    sip_touched: bool,
    tried_to_save: bool,
    reveal_mac_password: bool,
    reveal_digest_password: bool,
    /// The field to give the keyboard next frame: the MAC on opening, the first refused field
    /// after Enter (which takes the focus from a one-line field).
    focus: Option<Field>,
    reveal_url: bool,
    /// A form field had the keyboard this frame, so Enter and Esc are meant for the form.
    keys_are_ours: bool,
    /// Cancel or Esc came with unsaved edits: the next one throws them away.
    discard_asked: bool,
}

impl DeviceForm {
    pub fn new(mode: FormMode, draft: DeviceDraft) -> Self {
        // A stored URL with `user:pass@` opens masked; one the user types is theirs to see.
        let reveal_url = !has_url_password(&draft.url);
        Self {
            reveal_url,
            mode,
            draft,
            base: None,
            changed_elsewhere: false,
            sip: SipAccountsEditor::of(&[]),
            store_error: None,
            saving: false,
            touched: HashSet::new(),
            sip_touched: false,
            tried_to_save: false,
            reveal_mac_password: false,
            reveal_digest_password: false,
            focus: Some(Field::Mac),
            keys_are_ours: false,
            discard_asked: false,
        }
    }

    /// The form on a stored device, its SIP accounts included.
    pub fn edit(device: &Device) -> Self {
        Self {
            sip: SipAccountsEditor::of(&device.sip_accounts),
            base: Some(device.clone()),
            ..Self::new(FormMode::Edit(device.id), device.to_draft())
        }
    }

    pub fn title(&self) -> &'static str {
        match self.mode {
            FormMode::Add => "Add device",
            FormMode::Edit(_) => "Edit device",
        }
    }

    pub fn show(&mut self, ui: &mut egui::Ui, sites: &[Site]) -> FormAction {
        let errors: Vec<FieldError> = self.draft.validate().err().unwrap_or_default();
        let sip_limit = sip_account_limit(find_model(&self.draft.model));
        let sip_errors: Vec<SipFieldError> = self.sip.validate(sip_limit).err().unwrap_or_default();

        ui.heading(self.title());
        ui.add_space(6.0);
        egui::Grid::new("device_form")
            .num_columns(2)
            .spacing([10.0, 6.0])
            .min_col_width(FORM_LABEL_WIDTH)
            .show(ui, |ui| {
                self.text_row(ui, Field::Mac, "e.g. 7C:2F:80:82:0E:C0", &errors);
                self.mac_hint_row(ui);
                self.text_row(ui, Field::MacId, "e.g. 7C2F80820EC0-55DF", &errors);
                self.model_row(ui, &errors);
                self.site_row(ui, sites, &errors);
                let from_site = SiteValues::of(sites, &self.draft.site);
                let provider = from_site.hint(
                    |site| site.provider.clone(),
                    "as registered at the redirect server",
                );
                self.text_row(ui, Field::Provider, &provider, &errors);
                let url = from_site.hint(
                    |site| site.url_pattern.as_deref().map(mask_url_password),
                    "e.g. https://prov.example.com/%MACD.xml",
                );
                self.text_row(ui, Field::Url, &url, &errors);
                self.url_hint_row(ui);
                let user = from_site.hint(|site| site.digest_username.clone(), "");
                self.text_row(ui, Field::DigestUsername, &user, &errors);
                self.secret_row(ui, Field::DigestPassword, &errors);
                self.secret_row(ui, Field::MacPassword, &errors);
                self.text_row(ui, Field::Notes, "", &errors);
            });
        self.inherited_hint(ui, sites);
        let site = sites
            .iter()
            .find(|s| s.name.eq_ignore_ascii_case(self.draft.site.trim()));
        let show_sip_errors = self.tried_to_save || self.sip_touched;
        self.sip
            .show(ui, sip_limit, site, &sip_errors, show_sip_errors);
        self.keys_are_ours |= self.sip.keys_are_ours;
        if self.sip.changed {
            self.sip_touched = true;
            self.store_error = None;
        }

        let mut reload = false;
        if let Some(error) = &self.store_error {
            ui.add_space(4.0);
            ui.colored_label(signal(ui.visuals()).error, error);
            reload = self.changed_elsewhere
                && ui
                    .button("Reload")
                    .on_hover_text("Show the stored values; what you typed here is dropped")
                    .clicked();
        }
        ui.add_space(8.0);
        // Enter and Esc belong to the form only when typed in one of its fields, not in the
        // search box or a dialog.
        let action = self.save_or_cancel(ui, sip_limit);
        if reload {
            return FormAction::Reload;
        }
        let refused = errors.len() + sip_errors.len();
        if self.tried_to_save && refused > 0 {
            ui.colored_label(
                signal(ui.visuals()).error,
                format!(
                    "Fix {} marked in red to save.",
                    words::count(refused, "field")
                ),
            );
        }
        action
    }

    /// Save and Cancel, with Enter and Esc. Cancel with typed edits asks once before it
    /// throws them away.
    fn save_or_cancel(&mut self, ui: &mut egui::Ui, sip_limit: u8) -> FormAction {
        // The first Esc takes the focus from the field it was pressed in; the second, which
        // the warning asks for, comes with nothing focused and is ours as well.
        let nothing_focused = ui.memory(|m| m.focused().is_none());
        let ours =
            std::mem::take(&mut self.keys_are_ours) || (self.discard_asked && nothing_focused);
        let enter = ours && ui.input(|i| i.key_pressed(egui::Key::Enter) && !i.modifiers.shift);
        let escape = ours && ui.input(|i| i.key_pressed(egui::Key::Escape));
        let mut action = FormAction::None;
        ui.horizontal(|ui| {
            let save_label = if self.saving { "Saving…" } else { "Save" };
            let save = ui
                .add_enabled(!self.saving, egui::Button::new(save_label))
                .on_hover_text("Save the device (Enter)");
            if save.clicked() || (enter && !self.saving) {
                self.tried_to_save = true;
                match (self.draft.validate(), self.sip.validate(sip_limit)) {
                    (Ok(mut device), Ok(accounts)) => {
                        device.sip_accounts = Some(accounts);
                        action = FormAction::Save(Box::new(device));
                    }
                    (Err(errors), _) => self.focus = errors.first().map(|e| e.field),
                    _ => {}
                }
            }
            let edited = !self.touched.is_empty() || self.sip_touched;
            let cancel = if self.discard_asked {
                "Discard changes"
            } else {
                "Cancel"
            };
            if ui
                .button(cancel)
                .on_hover_text("Close without saving (Esc)")
                .clicked()
                || escape
            {
                if edited && !self.discard_asked {
                    self.discard_asked = true;
                } else {
                    action = FormAction::Cancel;
                }
            }
        });
        if self.discard_asked {
            let warning = "Unsaved changes: Esc again or Discard changes closes without them.";
            ui.colored_label(signal(ui.visuals()).warning, warning);
        }
        action
    }

    fn error_for<'a>(&self, field: Field, errors: &'a [FieldError]) -> Option<&'a str> {
        if !(self.tried_to_save || self.touched.contains(&field)) {
            return None;
        }
        errors
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.message.as_str())
    }

    fn after_edit(&mut self, field: Field, response: &egui::Response) {
        // A single-line field gives up focus on the frame Enter or Esc is pressed in it.
        self.keys_are_ours |= response.has_focus() || response.lost_focus();
        if response.changed() {
            self.touched.insert(field);
            self.store_error = None;
        }
    }

    /// Says which empty fields the device will inherit from its site.
    fn inherited_hint(&self, ui: &mut egui::Ui, sites: &[Site]) {
        let Some(site) = sites
            .iter()
            .find(|s| s.name.eq_ignore_ascii_case(self.draft.site.trim()))
        else {
            return;
        };
        let inherited = site.fills_in(&self.draft);
        if !inherited.is_empty() {
            ui.label(
                RichText::new(format!(
                    "Empty fields use the defaults of site {}: {}.",
                    site.name,
                    inherited.join(", ")
                ))
                .small()
                .weak(),
            );
        }
    }
}

/// The site a form's device belongs to, for the hints of the fields it fills in: an empty
/// field shows the value the device gets from it, where it said only "site defaults apply".
struct SiteValues<'s>(Option<&'s Site>);

impl<'s> SiteValues<'s> {
    fn of(sites: &'s [Site], name: &str) -> Self {
        Self(
            sites
                .iter()
                .find(|site| site.name.eq_ignore_ascii_case(name.trim())),
        )
    }

    /// "value (from site NAME)" when the site has a value, else `otherwise`.
    fn hint(&self, value: impl Fn(&Site) -> Option<String>, otherwise: &str) -> String {
        self.0
            .and_then(|site| Some(format!("{} (from site {})", value(site)?, site.name)))
            .unwrap_or_else(|| otherwise.to_string())
    }
}
