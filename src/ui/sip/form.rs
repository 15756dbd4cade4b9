//! The test's form: an inventory device's account (see [`DeviceSource`]) or one typed ad hoc
//! (registrar, transport, extension, authentication user, password, domain), the TLS choices,
//! and the Start/Cancel button. Each field is labelled, so screen readers and the GUI tests
//! find it by its name.

use super::device::DeviceSource;
use crate::device::{Mac, SipTransport};
use crate::secret::Secret;
use crate::sip::{SipMethod, SipTestSpec, UdpTimers, split_host_port};
use crate::ui::widgets::device_picker::{Source, source_switch};
use crate::ui::widgets::fields::{secret_field, text_field};
use crate::ui::worker::Worker;

/// The label of the checkbox that keeps the test's registration.
const KEEP: &str = "Keep the registration (for a test call)";

/// The label of the checkbox that probes with OPTIONS.
const OPTIONS: &str = "OPTIONS only (does not register)";

/// The label of the give-up time's field.
const GIVE_UP: &str = "Give up after (seconds)";

/// The give-up time as typed; RFC 3261's Timer F (32 s) until the user types another, as the
/// CLI's `--udp-total` defaults.
pub struct GiveUp(pub String);

impl Default for GiveUp {
    fn default() -> Self {
        Self(UdpTimers::RFC3261.total.as_secs().to_string())
    }
}

/// What the form asks the panel to do.
pub enum FormAction {
    None,
    /// Test this; the MAC, when the account is an inventory device's, keeps the verdict.
    Start(Box<SipTestSpec>, Option<Mac>),
    Cancel,
}

#[derive(Default)]
pub struct SipForm {
    pub source: Source,
    pub device: DeviceSource,
    pub registrar: String,
    pub transport: SipTransport,
    pub user: String,
    pub auth_user: String,
    pub password: Secret,
    reveal: bool,
    pub domain: String,
    pub insecure: bool,
    pub ca_file: String,
    /// Leave the registration in place after the test (see [`SipTestSpec::keep`]).
    pub keep: bool,
    /// Probe with OPTIONS instead of registering (the CLI's `--options`).
    pub options: bool,
    pub give_up: GiveUp,
    /// Why the last Start was refused.
    pub error: Option<String>,
}

impl SipForm {
    pub fn ui(&mut self, ui: &mut egui::Ui, worker: &Worker, running: bool) -> FormAction {
        ui.heading("Test a SIP registration");
        ui.add_space(6.0);
        if source_switch(ui, &mut self.source) {
            self.error = None;
            if self.source == Source::Inventory {
                self.device.refresh(worker);
            }
        }
        ui.add_space(4.0);
        let transport = match self.source {
            Source::Inventory => {
                self.device.ui(ui, worker);
                self.device.transport()
            }
            Source::AdHoc => {
                self.ad_hoc_fields(ui);
                Some(self.transport)
            }
        };
        if transport == Some(SipTransport::Tls) {
            ui.checkbox(&mut self.insecure, "Accept any certificate");
            text_field(ui, "CA file", &mut self.ca_file, "PEM, for a PBX's own CA");
        }
        self.test_options(ui);
        ui.add_space(8.0);
        if let Some(error) = &self.error {
            ui.colored_label(crate::ui::widgets::style::signal(ui.visuals()).error, error);
        }
        let not_ready = match self.source {
            Source::Inventory => self.device.not_ready(),
            Source::AdHoc => None,
        };
        // Two buttons in their own places, as in Test fetch: a Cancel that took Start's place
        // caught the second click of a double click and stopped the test it had just begun.
        let (start, cancel) = ui
            .horizontal(|ui| {
                let start = ui
                    .add_enabled(!running && not_ready.is_none(), egui::Button::new("Start"))
                    .on_disabled_hover_text(not_ready.unwrap_or("A test is running."));
                let cancel = ui.add_enabled(running, egui::Button::new("Cancel"));
                (start.clicked(), cancel.clicked())
            })
            .inner;
        if cancel {
            return FormAction::Cancel;
        }
        if start {
            return match self.spec() {
                Ok((spec, device)) => {
                    self.error = None;
                    FormAction::Start(Box::new(spec), device)
                }
                Err(error) => {
                    self.error = Some(error);
                    FormAction::None
                }
            };
        }
        FormAction::None
    }

    /// Keep, OPTIONS only and the give-up time: how the test runs, whichever account it is.
    fn test_options(&mut self, ui: &mut egui::Ui) {
        ui.add_enabled(!self.options, egui::Checkbox::new(&mut self.keep, KEEP))
            .on_hover_text(format!(
                "Off: once the registrar says OK, the test removes its registration again, so \
                 the phone on this extension keeps its calls. On: it stays for {} s, and calls \
                 to the extension also go to this computer.",
                SipTestSpec::DEFAULT_EXPIRES
            ))
            .on_disabled_hover_text("An OPTIONS probe registers nothing to keep.");
        ui.checkbox(&mut self.options, OPTIONS).on_hover_text(
            "Sends OPTIONS instead of REGISTER, without credentials: does the registrar answer \
             at all (firewall, port, transport)? The account itself is not tested.",
        );
        text_field(ui, GIVE_UP, &mut self.give_up.0, "32");
        ui.label(
            egui::RichText::new(
                "How long to wait for the answer to each request. A phone waits 32 s \
                 (RFC 3261's Timer F), the most used here.",
            )
            .weak()
            .small(),
        );
    }

    fn ad_hoc_fields(&mut self, ui: &mut egui::Ui) {
        text_field(ui, "Registrar", &mut self.registrar, "pbx.example.com:5060");
        ui.label("Transport");
        ui.horizontal(|ui| {
            for transport in SipTransport::ALL {
                ui.selectable_value(
                    &mut self.transport,
                    transport,
                    transport.as_str().to_uppercase(),
                );
            }
        });
        text_field(ui, "Extension", &mut self.user, "1001");
        text_field(
            ui,
            "Authentication user",
            &mut self.auth_user,
            "when it differs",
        );
        secret_field(ui, "SIP password", &mut self.password, &mut self.reveal);
        text_field(ui, "SIP domain", &mut self.domain, "the registrar's host");
    }

    /// The test the form describes, with the inventory device it belongs to, or what to fill
    /// in first.
    pub fn spec(&self) -> Result<(SipTestSpec, Option<Mac>), String> {
        let (mut spec, device) = match self.source {
            Source::Inventory => {
                let (spec, mac) = self.device.spec()?;
                (spec, Some(mac))
            }
            Source::AdHoc => (self.ad_hoc_spec()?, None),
        };
        let optional = |text: &str| Some(text.trim().to_string()).filter(|t| !t.is_empty());
        spec.keep = self.keep && !self.options;
        if self.options {
            spec.method = SipMethod::Options;
        }
        let seconds = self.give_up.0.trim().replace(',', ".");
        spec.udp_timers = seconds
            .parse()
            .ok()
            .and_then(UdpTimers::giving_up_after)
            .ok_or_else(|| {
                format!(
                    "Give up after: {:?} is no number of seconds above 0; type one such as 8 \
                     (at most 32 are used).",
                    self.give_up.0.trim()
                )
            })?;
        spec.tls.insecure = self.insecure;
        spec.tls.ca_file = optional(&self.ca_file).map(Into::into);
        Ok((spec, device))
    }

    /// The typed account; what is missing is asked for in the fields' order.
    fn ad_hoc_spec(&self) -> Result<SipTestSpec, String> {
        if self.registrar.trim().is_empty() {
            return Err(
                "Fill in the registrar: its host, and its port where it is not 5060 (pbx.example.com:5070)."
                    .to_string(),
            );
        }
        if self.user.trim().is_empty() {
            return Err("Fill in the extension.".to_string());
        }
        let (host, port) = split_host_port(&self.registrar).map_err(|e| e.to_string())?;
        let mut spec = SipTestSpec::new(
            &host,
            self.transport,
            self.user.trim(),
            self.password.clone(),
        );
        spec.port = port;
        let optional = |text: &str| Some(text.trim().to_string()).filter(|t| !t.is_empty());
        spec.auth_user = optional(&self.auth_user);
        spec.domain = optional(&self.domain);
        Ok(spec)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_ad_hoc_form_asks_for_the_registrar_first_then_the_extension() {
        let mut form = SipForm {
            source: Source::AdHoc,
            ..SipForm::default()
        };
        let refused = |form: &SipForm| form.spec().err().unwrap_or_default();
        assert!(
            refused(&form).starts_with("Fill in the registrar"),
            "{}",
            refused(&form)
        );
        form.registrar = "pbx.example.com".into();
        assert_eq!(refused(&form), "Fill in the extension.");
        form.user = "1001".into();
        let (spec, device) = form.spec().expect("a test to run");
        assert_eq!(
            (spec.registrar.as_str(), spec.port, device),
            ("pbx.example.com", None, None)
        );
    }

    #[test]
    fn options_and_the_give_up_time_go_into_the_test() {
        let mut form = SipForm {
            source: Source::AdHoc,
            registrar: "pbx.example.com".into(),
            user: "1001".into(),
            keep: true,
            ..SipForm::default()
        };
        let (spec, _) = form.spec().unwrap();
        assert_eq!(spec.method, SipMethod::Register);
        assert_eq!(spec.udp_timers, UdpTimers::RFC3261, "32 s unless changed");
        form.options = true;
        form.give_up.0 = "2,5".into();
        let (spec, _) = form.spec().unwrap();
        assert_eq!(spec.method, SipMethod::Options);
        assert!(!spec.keep, "an OPTIONS probe has nothing to keep");
        assert_eq!(
            spec.udp_timers.total,
            std::time::Duration::from_millis(2500)
        );
        form.give_up.0 = "soon".into();
        let refused = form.spec().err().unwrap_or_default();
        assert!(refused.starts_with("Give up after: \"soon\""), "{refused}");
    }
}
