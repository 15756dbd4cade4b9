//! The Serve panel's block under the controls: where the server listens, the URL to give
//! phones (or, on loopback, why no phone can use it) and the actions for that URL. Before
//! Start the block already keeps the rows that serving with the settings as they stand will
//! fill (the headline, what *Advanced* changes, the certificate), so the rows under it stay
//! where the installer's next click expects them, and no more: an empty band there pushed the
//! phones table out of a small window. A warning about the devices no phone can get its file
//! for pushes them down when it comes: that is news. When the server starts listening, the
//! panel begins a new run here.

use std::net::SocketAddr;

use egui::RichText;

use super::targets::{self, ServeContext, picker};
use super::{Chosen, ServePanel, ServeRequest, job};
use crate::device::names_this_computer;
use crate::fetch::OwnServe;
use crate::serve::PhoneDiagnosis;
use crate::ui::widgets::status::StatusLine;
use crate::ui::widgets::style::signal;
use crate::ui::worker::Worker;

impl ServePanel {
    /// The server listens: a run's phones and requests are its own, since rows of the last
    /// run (a device deleted since, another site served) would read as this one's.
    pub(super) fn started(
        &mut self,
        addr: SocketAddr,
        url_pattern: String,
        worker: &Worker,
        status: &mut StatusLine,
    ) {
        status.info(match &self.applied {
            Some(applied) => format!("Serving the inventory on {addr} with {applied}"),
            None => format!("Serving the inventory on {addr}"),
        });
        self.phones.clear();
        self.log.clear();
        self.selected = None;
        self.added.clear();
        self.listening = Some((addr, url_pattern));
        job::load_rollout(worker);
        self.coverage.ask(worker);
    }

    pub(super) fn status_block(
        &mut self,
        ui: &mut egui::Ui,
        worker: &Worker,
        context: &ServeContext<'_>,
    ) -> Option<ServeRequest> {
        let reserved = self.height_expected(ui) + ui.spacing().interact_size.y;
        ui.vertical(|ui| {
            ui.set_min_height(reserved);
            self.headline(ui);
            self.use_url(ui, worker, context)
        })
        .inner
    }

    /// The height the headline block holds while serving: what it holds now, or before Start
    /// what serving with the settings as they stand will show. The URL's rows hold its *Copy*
    /// button; on loopback the headline says that phones cannot reach it, then how to try it
    /// here on a line that wraps on a laptop's window.
    fn height_expected(&self, ui: &egui::Ui) -> f32 {
        let spacing = ui.spacing().item_spacing.y;
        let text = ui.text_style_height(&egui::TextStyle::Body) + spacing;
        let button = ui.spacing().interact_size.y.max(text - spacing) + spacing;
        let serving = self.listening.as_ref();
        let loopback = match serving {
            Some((_, pattern)) => names_this_computer(pattern),
            None => self
                .choices
                .get(self.choice)
                .is_some_and(|choice| choice.ip.is_loopback()),
        };
        let applied = match serving {
            Some(_) => self.applied.is_some(),
            None => self.advanced.differs(),
        };
        let certificate = match serving {
            Some(_) => self.fingerprint.is_some(),
            None => self.https,
        };
        let headline = if loopback {
            text + 2.0 * button
        } else {
            button
        };
        let lines = f32::from(u8::from(applied)) + f32::from(u8::from(certificate));
        headline + lines * text
    }

    fn headline(&self, ui: &mut egui::Ui) {
        let Some((addr, pattern)) = &self.listening else {
            let text = if self.handle.is_some() {
                "Starting…"
            } else {
                "Not serving. Loopback is for trying it on this laptop; pick the local network to serve real phones."
            };
            ui.label(RichText::new(text).weak());
            return;
        };
        let colours = signal(ui.visuals());
        if names_this_computer(pattern) {
            let only = if addr.ip().is_loopback() {
                format!(
                    "⚠ Listening on this computer only: phones cannot reach {}.",
                    addr.ip()
                )
            } else {
                format!(
                    "⚠ Listening on every interface, but phones cannot ask {}.",
                    addr.ip()
                )
            };
            ui.label(RichText::new(only).color(colours.warning).strong());
            ui.horizontal_wrapped(|ui| {
                ui.label("To try it here, test-fetch");
                url_with_copy(ui, pattern);
                ui.label(
                    "; to serve phones, stop and start on the laptop's address in the site's network (or 0.0.0.0).",
                );
            });
        } else {
            ui.horizontal_wrapped(|ui| {
                ui.label("Give phones the URL");
                url_with_copy(ui, pattern);
                ui.label(RichText::new("✔ serving").color(colours.ok));
            });
        }
        if let Some(applied) = &self.applied {
            ui.label(RichText::new(format!("Serving with {applied}")).weak());
        }
        for warning in self.coverage.warnings() {
            ui.label(RichText::new(format!("⚠ {warning}")).color(colours.warning));
        }
        if let Some(fingerprint) = &self.fingerprint {
            ui.label(
                RichText::new(format!("Certificate SHA-256 {fingerprint}"))
                    .monospace()
                    .small(),
            )
            .on_hover_text(
                "Compare with what the phone shows when it asks to accept the certificate",
            );
        }
    }

    /// *Use this URL* and *Register with the redirect server*, both for what the *For* picker
    /// names: the selected devices or a site's. Shown before serving too, disabled, so the
    /// row is where it will be.
    fn use_url(
        &mut self,
        ui: &mut egui::Ui,
        worker: &Worker,
        context: &ServeContext<'_>,
    ) -> Option<ServeRequest> {
        let pattern = self.listening.as_ref().map(|(_, pattern)| pattern.clone());
        match (&self.confirm_url, &pattern) {
            (Some(chosen), Some(pattern)) => {
                match targets::confirm_use_url(ui, chosen, pattern, context) {
                    Some(true) => {
                        job::use_url(worker, chosen.clone(), pattern.clone());
                        self.confirm_url = None;
                    }
                    Some(false) => self.confirm_url = None,
                    None => {}
                }
            }
            (Some(_), None) => self.confirm_url = None,
            (None, _) => {}
        }
        let mut request = None;
        // Serving one site alone (or about to: Advanced names it), the URL is of use to that
        // site's devices only.
        let only = match &pattern {
            Some(_) => self.coverage.site(),
            None => Some(self.advanced.site.as_str()).filter(|site| !site.is_empty()),
        };
        ui.horizontal_wrapped(|ui| {
            picker(ui, "serve_url_for", "For", &mut self.url_pick, context, only);
            let chosen = self.url_pick.chosen(context).filter(|chosen| {
                only.is_none_or(|only| matches!(chosen, Chosen::Site(site) if site == only))
            });
            let why_not = match (&pattern, &chosen) {
                (None, _) => "Start serving first: the URL is the one the server listens on",
                (_, None) if only.is_some() => {
                    "The site served alone is no longer in the inventory: stop, and serve every site or another one"
                }
                (_, None) => "Select devices in the Inventory, or pick a site",
                _ => "",
            };
            let enabled = why_not.is_empty();
            if ui
                .add_enabled(enabled, egui::Button::new("Use this URL"))
                .on_hover_text("Make it their provisioning URL in the inventory")
                .on_disabled_hover_text(why_not)
                .clicked()
            {
                self.confirm_url = chosen.clone();
            }
            if ui
                .add_enabled(
                    enabled,
                    egui::Button::new("Register with the redirect server…"),
                )
                .on_hover_text(
                    "Open these devices in the Redirect panel, to register them with their URL",
                )
                .on_disabled_hover_text(why_not)
                .clicked()
            {
                request = chosen.map(ServeRequest::Register);
            }
            if pattern.as_deref().is_some_and(names_this_computer) {
                let flag = RichText::new("⚠ this laptop only")
                    .color(signal(ui.visuals()).warning);
                ui.add(egui::Label::new(flag).extend()).on_hover_text(
                    "Fine for trying the server on this laptop; for phones, serve on the local network",
                );
            }
        });
        request
    }
}

/// The URL in monospace, and a button that copies it.
fn url_with_copy(ui: &mut egui::Ui, pattern: &str) {
    ui.label(RichText::new(pattern).monospace().strong());
    if ui
        .small_button("Copy")
        .on_hover_text("Copy the URL, e.g. for the redirect server")
        .clicked()
    {
        ui.ctx().copy_text(pattern.to_string());
    }
}

impl ServePanel {
    /// This Serve as the Test fetch needs it, while it runs: where it answers, and why it
    /// failed the phone of `mac` (MAC without colons) with a 500, from its log of that phone.
    pub fn own_serve(&self, mac: Option<&str>) -> Option<OwnServe> {
        let listening = self.serving()?;
        let why = mac
            .and_then(|mac| self.phones.phones().find(|p| p.device == mac))
            .and_then(|phone| match &phone.diagnosis {
                PhoneDiagnosis::FileCannotBeRendered { why } => Some(format!(
                    "its file cannot be rendered ({why}); fix the template (Templates) or the device's values"
                )),
                PhoneDiagnosis::InventoryUnreadable { why } => {
                    Some(format!("the inventory could not be read ({why})"))
                }
                _ => None,
            });
        Some(OwnServe {
            listening,
            local: self
                .choices
                .iter()
                .map(|choice| choice.ip)
                .filter(|ip| !ip.is_unspecified())
                .collect(),
            why,
        })
    }
}
