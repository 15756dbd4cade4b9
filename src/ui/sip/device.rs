//! The SIP test's inventory source: find a device, pick one of its accounts as the device uses
//! it (its site's registrar, port and transport filled in), and test that; the verdict is kept
//! with the device, for the Inventory's *SIP test* column.

use egui::RichText;

use crate::device::{Device, Mac, SipAccount, SipTransport};
use crate::sip::SipTestSpec;
use crate::ui::sip::events::SipPanelEvent;
use crate::ui::widgets::answers::Found;
use crate::ui::widgets::device_picker::{DevicePicker, device_card};
use crate::ui::worker::Worker;

pub struct DeviceSource {
    picker: DevicePicker,
    device: Option<Device>,
    /// The picked account's number.
    account: Option<u8>,
    /// A device to open in the Inventory's form, to give it a SIP account.
    edit: Option<i64>,
}

impl Default for DeviceSource {
    fn default() -> Self {
        Self {
            picker: DevicePicker::new("sip test picker", |found| {
                SipPanelEvent::Found(found).into()
            }),
            device: None,
            account: None,
            edit: None,
        }
    }
}

impl DeviceSource {
    /// Asks for devices again, unless one is picked (devices may have been added meanwhile).
    pub fn refresh(&mut self, worker: &Worker) {
        if self.device.is_none() {
            self.picker.search(worker);
        }
    }

    /// Takes `device`, its first account picked.
    pub fn pick(&mut self, device: Device) {
        self.account = device.sip_accounts.first().map(|a| a.index);
        self.device = Some(device);
    }

    pub fn found(&mut self, found: Found) {
        self.picker.found(found);
    }

    /// The device whose form the user asked for; the picker waits for them to come back.
    pub fn take_edit(&mut self) -> Option<i64> {
        self.edit.take()
    }

    /// Why Start cannot test yet, if it cannot.
    pub fn not_ready(&self) -> Option<&'static str> {
        match &self.device {
            None => Some("Find and pick a device first."),
            Some(device) if device.effective_sip_accounts().is_empty() => {
                Some("This device has no SIP account to test.")
            }
            Some(_) => self
                .account
                .is_none()
                .then_some("Pick one of the device's SIP accounts."),
        }
    }

    /// The picked account as the device uses it.
    fn account(&self) -> Option<SipAccount> {
        let device = self.device.as_ref()?;
        let index = self.account?;
        device
            .effective_sip_accounts()
            .into_iter()
            .find(|account| account.index == index)
    }

    /// The transport of the picked account, so the form offers the TLS choices for it.
    pub fn transport(&self) -> Option<SipTransport> {
        self.account().and_then(|account| account.transport)
    }

    /// The test of the picked account, and the device to keep its verdict with.
    pub fn spec(&self) -> Result<(SipTestSpec, Mac), String> {
        let device = self
            .device
            .as_ref()
            .ok_or("Find and pick a device first.")?;
        let account = self
            .account()
            .ok_or("Pick one of the device's SIP accounts.")?;
        let password = account.password.clone().unwrap_or_default();
        let mut spec = SipTestSpec::from_account(&account, password).map_err(|e| e.to_string())?;
        spec.user_agent = device.user_agent();
        Ok((spec, device.mac))
    }

    pub fn ui(&mut self, ui: &mut egui::Ui, worker: &Worker) {
        let Some(device) = &self.device else {
            if let Some(device) = self.picker.ui(
                ui,
                worker,
                "Find device",
                "Test this device's SIP accounts",
                "No device matches.",
            ) {
                self.pick(device);
            }
            return;
        };
        let change = device_card(ui, device, |_| {});
        let accounts = device.effective_sip_accounts();
        if change {
            self.device = None;
            self.account = None;
            self.picker.search(worker);
            return;
        }
        ui.add_space(4.0);
        if accounts.is_empty() {
            ui.label(
                RichText::new(
                    "This device has no SIP account. Give it one, or type one under Ad hoc.",
                )
                .weak(),
            );
            if ui
                .button("➕ Add a SIP account…")
                .on_hover_text("Opens this device's form in the Inventory")
                .clicked()
            {
                self.edit = Some(device.id);
                // On return it is picked again, read anew with the account the form gave it.
                self.device = None;
                self.picker.search(worker);
            }
            return;
        }
        ui.label("SIP account");
        for account in &accounts {
            let picked = self.account == Some(account.index);
            let response = ui
                .add(
                    egui::Button::selectable(picked, account_line(account))
                        .min_size(egui::vec2(ui.available_width(), 0.0)),
                )
                .on_hover_text(account_details(account));
            if response.clicked() {
                self.account = Some(account.index);
            }
        }
        ui.add_space(4.0);
    }
}

/// "1 · 1001 @ pbx.example.com:5061 TLS": what an account button says.
fn account_line(account: &SipAccount) -> String {
    let registrar = account.registrar.as_deref().unwrap_or("no registrar");
    let port = account.port.map(|p| format!(":{p}")).unwrap_or_default();
    let transport = account
        .transport
        .map(|t| t.as_str().to_uppercase())
        .unwrap_or_default();
    format!(
        "{} · {} @ {registrar}{port} {transport}",
        account.index, account.user
    )
}

fn account_details(account: &SipAccount) -> String {
    let mut details = vec![format!("Authentication user: {}", account.digest_user())];
    details.push(
        if account.password.is_some() {
            "Password: set"
        } else {
            "Password: none (the test goes without)"
        }
        .to_string(),
    );
    if let Some(proxy) = &account.outbound_proxy {
        details.push(format!(
            "Outbound proxy: {proxy} (the test goes to the registrar)"
        ));
    }
    details.join("\n")
}
