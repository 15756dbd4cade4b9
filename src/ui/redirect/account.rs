//! The Redirect panel's account form: endpoint, provisioner user, password (masked unless the
//! user asks), where the password is kept, Save and Test connection.
//!
//! Every call uses the fields as they are typed, saved or not, so a new account can be tested
//! before it is saved.

use egui::RichText;

use crate::redirect::{Account, DEFAULT_ENDPOINT, PasswordHome, cleartext_warning};
use crate::secret::Secret;
use crate::ui::widgets::fields::secret_field;
use crate::ui::widgets::style::signal;

pub struct AccountForm {
    endpoint: String,
    user: String,
    password: Secret,
    reveal: bool,
    /// Plain http:// to another machine allowed (a lab server); off by default, never saved.
    allow_http: bool,
    /// Where the last save put the password, in words.
    home: Option<String>,
    /// The keyring was not available: the core's warning, and what the keyring said.
    warning: Option<(String, String)>,
    saving: bool,
    testing: bool,
    /// The last test's answer.
    connection: Option<Result<String, String>>,
}

impl Default for AccountForm {
    fn default() -> Self {
        Self {
            endpoint: DEFAULT_ENDPOINT.to_string(),
            user: String::new(),
            password: Secret::default(),
            reveal: false,
            allow_http: false,
            home: None,
            warning: None,
            saving: false,
            testing: false,
            connection: None,
        }
    }
}

/// What the form asks the panel to do.
pub enum AccountAction {
    None,
    Test,
    Save,
}

impl AccountForm {
    /// The account as typed.
    pub fn account(&self) -> Account {
        let endpoint = match self.endpoint.trim() {
            "" => DEFAULT_ENDPOINT,
            endpoint => endpoint,
        };
        Account::new(endpoint, self.user.trim(), self.password.clone())
            .allowing_http(self.allow_http)
    }

    pub fn loaded(&mut self, account: Option<Account>) {
        if let Some(account) = account {
            self.endpoint = account.endpoint;
            self.user = account.user;
            self.password = account.password;
        }
    }

    pub fn saved(&mut self, home: &PasswordHome) {
        self.saving = false;
        self.warning = home
            .warning()
            .map(|warning| (warning, home.why().unwrap_or_default().to_string()));
        self.home = Some(match home {
            PasswordHome::Keyring => "The password is kept in the OS keyring.".to_string(),
            PasswordHome::File { path, .. } => {
                format!("The password is kept in {}.", path.display())
            }
        });
    }

    pub fn save_failed(&mut self) {
        self.saving = false;
    }

    pub fn testing(&mut self) {
        self.testing = true;
        self.connection = None;
    }

    pub fn tested(&mut self, answer: Result<String, String>) {
        self.testing = false;
        self.connection = Some(answer);
    }

    /// The lab switch for plain http:// to another machine, and the core's warning while it
    /// is on and the endpoint needs it.
    fn transport_switch(&mut self, ui: &mut egui::Ui) {
        ui.checkbox(&mut self.allow_http, "Allow plain http:// (lab only)")
            .on_hover_text(
                "Lets the calls go to an http:// server on another machine. The provisioner password then crosses the network in clear: use https:// wherever you can",
            );
        if self.allow_http {
            let text = cleartext_warning(&self.account()).unwrap_or_else(|| {
                "While this is on, an http:// endpoint on another machine gets the provisioner password in clear.".to_string()
            });
            let color = signal(ui.visuals()).warning;
            ui.add(egui::Label::new(RichText::new(format!("⚠ {text}")).color(color)).wrap());
        }
    }

    pub fn ui(&mut self, ui: &mut egui::Ui) -> AccountAction {
        let mut action = AccountAction::None;
        ui.add_space(6.0);
        ui.heading("Provisioner account");
        ui.add(
            egui::Label::new(
                RichText::new("The account Gigaset gave you for prov.gigaset.net.")
                    .weak()
                    .small(),
            )
            .wrap(),
        );
        ui.add_space(6.0);
        let label = ui.label("Endpoint");
        ui.add(egui::TextEdit::singleline(&mut self.endpoint).desired_width(f32::INFINITY))
            .labelled_by(label.id)
            .on_hover_text("The XML-RPC address; a simulator's for tests");
        let label = ui.label("Provisioner user");
        ui.add(egui::TextEdit::singleline(&mut self.user).desired_width(f32::INFINITY))
            .labelled_by(label.id);
        secret_field(ui, "Password", &mut self.password, &mut self.reveal);
        self.transport_switch(ui);
        ui.add_space(4.0);
        ui.horizontal(|ui| {
            let ready = !self.user.trim().is_empty();
            if ui
                .add_enabled(ready && !self.saving, egui::Button::new("Save account"))
                .on_hover_text("Keep the account: the password in the OS keyring, else in a file only you can read")
                .clicked()
            {
                self.saving = true;
                action = AccountAction::Save;
            }
            if ui
                .add_enabled(ready && !self.testing, egui::Button::new("Test connection"))
                .on_hover_text(
                    "One cheap call with the account as typed: listDevices for the Sync tab's provider when one is set, else checkDevice of a MAC nobody owns",
                )
                .clicked()
            {
                action = AccountAction::Test;
            }
            if self.testing {
                ui.add(egui::Spinner::new());
            }
        });
        let colors = signal(ui.visuals());
        if let Some((warning, why)) = &self.warning {
            // The warning says where the password went: the line below would say it twice.
            let mut sentence = warning.clone();
            if let Some(first) = sentence.get_mut(..1) {
                first.make_ascii_uppercase();
            }
            ui.add(
                egui::Label::new(RichText::new(format!("⚠ {sentence}.")).color(colors.warning))
                    .wrap(),
            )
            .on_hover_text(format!("The keyring said: {why}"));
        } else if let Some(home) = &self.home {
            ui.add(egui::Label::new(RichText::new(home).small()).wrap());
        } else {
            ui.add(
                egui::Label::new(
                    RichText::new(
                        "Save keeps the password in the OS keyring; without one, in a file only you can read.",
                    )
                    .small()
                    .weak(),
                )
                .wrap(),
            );
        }
        match &self.connection {
            Some(Ok(text)) => {
                ui.add(
                    egui::Label::new(RichText::new(format!("✔ {text}")).color(colors.ok)).wrap(),
                );
            }
            Some(Err(error)) => {
                ui.add(
                    egui::Label::new(RichText::new(format!("✖ {error}")).color(colors.error))
                        .wrap(),
                );
            }
            None => {}
        }
        action
    }
}
