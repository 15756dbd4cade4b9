//! The device form's SIP accounts: one block per account, up to as many as the model has,
//! checked by the same `SipAccountDraft::validate` as a CSV row and `provdesk device sip`.
//! What an account leaves empty comes from its site, and the hints say so.

use egui::RichText;

use crate::device::{SipAccount, SipAccountDraft, SipField, SipFieldError, SipTransport};
use crate::inventory::Site;
use crate::ui::widgets::fields::{
    FORM_LABEL_WIDTH, field_error, grid_error_row, grid_label, reveal_button,
};

struct AccountEntry {
    index: u8,
    draft: SipAccountDraft,
    reveal_password: bool,
}

/// The accounts being edited, and what the form needs to know about the user's typing.
pub struct SipAccountsEditor {
    entries: Vec<AccountEntry>,
    /// A field was edited, so the form's errors may show and its stored error goes.
    pub changed: bool,
    /// A field had the keyboard this frame, so Enter and Esc are meant for the form.
    pub keys_are_ours: bool,
}

impl SipAccountsEditor {
    pub fn of(accounts: &[SipAccount]) -> Self {
        Self {
            entries: accounts
                .iter()
                .map(|account| AccountEntry {
                    index: account.index,
                    draft: SipAccountDraft::of(account),
                    reveal_password: false,
                })
                .collect(),
            changed: false,
            keys_are_ours: false,
        }
    }

    /// The accounts to store (blank ones dropped), or every refused field, for a model with
    /// `limit` accounts.
    pub fn validate(&self, limit: u8) -> Result<Vec<SipAccount>, Vec<SipFieldError>> {
        let mut accounts = Vec::new();
        let mut errors = Vec::new();
        for entry in self.entries.iter().filter(|e| !e.draft.is_blank()) {
            match entry.draft.validate(entry.index, limit) {
                Ok(account) => accounts.push(account),
                Err(found) => errors.extend(found),
            }
        }
        if errors.is_empty() {
            Ok(accounts)
        } else {
            Err(errors)
        }
    }

    /// The lowest account number not in use, if the model has one left.
    fn next_index(&self, limit: u8) -> Option<u8> {
        (1..=limit).find(|index| self.entries.iter().all(|e| e.index != *index))
    }

    /// Draws the accounts; `show_errors` once the user typed here or tried to save.
    pub fn show(
        &mut self,
        ui: &mut egui::Ui,
        limit: u8,
        site: Option<&Site>,
        errors: &[SipFieldError],
        show_errors: bool,
    ) {
        self.changed = false;
        self.keys_are_ours = false;
        ui.add_space(6.0);
        ui.horizontal(|ui| {
            ui.strong("SIP accounts");
            let count = self.entries.len();
            let limit_text = if limit == u8::MAX {
                "pick a model to know how many it has".to_string()
            } else {
                format!("the model has {limit}")
            };
            ui.label(
                RichText::new(format!("{count} · {limit_text}"))
                    .small()
                    .weak(),
            );
        });
        let mut remove = None;
        for (at, entry) in self.entries.iter_mut().enumerate() {
            let shown: Vec<&SipFieldError> = errors
                .iter()
                .filter(|e| show_errors && e.index == entry.index)
                .collect();
            let outcome = account_block(ui, entry, site, &shown);
            self.changed |= outcome.changed;
            self.keys_are_ours |= outcome.focused;
            if outcome.remove {
                remove = Some(at);
            }
        }
        if let Some(at) = remove {
            self.entries.remove(at);
            self.changed = true;
        }
        let next = self.next_index(limit);
        let add = ui
            .add_enabled(next.is_some(), egui::Button::new("➕ Add SIP account"))
            .on_hover_text("Add the device's next SIP account")
            .on_disabled_hover_text("The model has no more SIP accounts");
        if let (true, Some(index)) = (add.clicked(), next) {
            self.entries.push(AccountEntry {
                index,
                draft: SipAccountDraft::default(),
                reveal_password: false,
            });
            self.entries.sort_by_key(|e| e.index);
            self.changed = true;
        }
    }
}

#[derive(Default)]
struct BlockOutcome {
    changed: bool,
    focused: bool,
    remove: bool,
}

fn account_block(
    ui: &mut egui::Ui,
    entry: &mut AccountEntry,
    site: Option<&Site>,
    errors: &[&SipFieldError],
) -> BlockOutcome {
    let mut outcome = BlockOutcome::default();
    ui.add_space(4.0);
    ui.horizontal(|ui| {
        ui.label(RichText::new(format!("Account {}", entry.index)).strong());
        outcome.remove = ui
            .small_button("Remove")
            .on_hover_text(format!("Remove SIP account {}", entry.index))
            .clicked();
    });
    if let Some(error) = errors.iter().find(|e| e.field == SipField::Index) {
        field_error(ui, &error.message);
    }
    egui::Grid::new(("sip_account_form", entry.index))
        .num_columns(2)
        .spacing([10.0, 4.0])
        .min_col_width(FORM_LABEL_WIDTH)
        .show(ui, |ui| {
            for field in SipField::EDITABLE {
                let error = errors.iter().find(|e| e.field == field);
                let label = grid_label(ui, &capitalised(field.label()), error.is_some());
                let response = match field {
                    SipField::Transport => {
                        transport_cell(ui, entry.index, &mut entry.draft.transport, site)
                    }
                    SipField::Password => password_cell(ui, entry),
                    _ => text_cell(ui, &mut entry.draft, field, site),
                }
                .labelled_by(label);
                outcome.changed |= response.changed();
                outcome.focused |= response.has_focus() || response.lost_focus();
                ui.end_row();
                grid_error_row(ui, error.map(|e| e.message.as_str()));
            }
        });
    outcome
}

fn capitalised(label: &str) -> String {
    let mut chars = label.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// What an empty field means: the site's value where the site gives one.
fn hint(field: SipField, site: Option<&Site>) -> String {
    let site_value = match field {
        SipField::Registrar => site.and_then(|s| s.sip_registrar.clone()),
        SipField::Port => site.and_then(|s| s.sip_port).map(|p| p.to_string()),
        _ => None,
    };
    match (field, site_value) {
        (_, Some(value)) => format!("site default: {value}"),
        (SipField::Registrar, None) => "pbx.example.com".into(),
        (SipField::Port, None) => "the transport's default (5060, TLS 5061)".into(),
        (SipField::User, None) => "extension, e.g. 1001".into(),
        (SipField::AuthUser, None) => "only when it differs from the user".into(),
        _ => String::new(),
    }
}

fn text_cell(
    ui: &mut egui::Ui,
    draft: &mut SipAccountDraft,
    field: SipField,
    site: Option<&Site>,
) -> egui::Response {
    let hint = hint(field, site);
    match draft.field_mut(field) {
        Some(text) => ui.add(
            egui::TextEdit::singleline(text)
                .hint_text(hint)
                .desired_width(320.0),
        ),
        None => ui.label(""),
    }
}

fn password_cell(ui: &mut egui::Ui, entry: &mut AccountEntry) -> egui::Response {
    let mut toggled = false;
    let response = ui
        .horizontal(|ui| {
            let response = ui.add(
                egui::TextEdit::singleline(entry.draft.password.expose_mut())
                    .password(!entry.reveal_password)
                    .desired_width(282.0),
            );
            toggled = reveal_button(
                ui,
                entry.reveal_password,
                &format!("the password of SIP account {}", entry.index),
            );
            response
        })
        .inner;
    entry.reveal_password ^= toggled;
    response
}

fn transport_cell(
    ui: &mut egui::Ui,
    index: u8,
    transport: &mut String,
    site: Option<&Site>,
) -> egui::Response {
    let default = match site.and_then(|s| s.sip_transport) {
        Some(own) => format!("site default ({})", own.as_str().to_uppercase()),
        None => "default (UDP)".to_string(),
    };
    let shown = transport
        .parse::<SipTransport>()
        .map_or(default.clone(), |t| t.as_str().to_uppercase());
    let before = transport.clone();
    let mut response = egui::ComboBox::from_id_salt(("sip_account_transport", index))
        .selected_text(shown)
        .width(320.0)
        .show_ui(ui, |ui| {
            ui.selectable_value(transport, String::new(), default);
            for option in SipTransport::ALL {
                ui.selectable_value(
                    transport,
                    option.as_str().to_string(),
                    option.as_str().to_uppercase(),
                );
            }
        })
        .response;
    if *transport != before {
        response.mark_changed();
    }
    response
}
