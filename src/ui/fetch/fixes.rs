//! The banner's ways to the fix. After a fetch of an inventory device whose fix is a setting
//! provdesk holds: *Edit device…*, and *Edit site…* where the device takes that setting from
//! its site. After an ad hoc fetch that proved credentials an inventory device does not hold:
//! *Save these credentials to …*, behind a confirmation, since the phone still holds the old.

use egui::RichText;

use super::{FetchHandoff, FetchPanel, Run, RunState, job};
use crate::device::Mac;
use crate::fetch::{FixRoutes, OwnServe};
use crate::ops::fetch::CredentialOffer;
use crate::ui::widgets::dialog;
use crate::ui::widgets::status::StatusLine;
use crate::ui::worker::Worker;

impl Run {
    /// Where the banner of this ended fetch of an inventory device leads; `own` is
    /// provdesk's Serve while it runs, whose 500 for a device without a model is the device's.
    pub(super) fn find_routes(&mut self, own: Option<&OwnServe>) {
        let Some(device) = &self.device else {
            return;
        };
        let diagnosis = self.transcript.diagnosis();
        let url = self.transcript.steps.last().map(|s| s.request.url.as_str());
        let own_failed = own
            .zip(diagnosis.first().zip(url))
            .is_some_and(|(own, (main, url))| own.failed(main, url));
        self.routes = FixRoutes::for_device(diagnosis, device, own_failed);
    }
}

impl FetchPanel {
    /// The panel the user asked for from the banner, once.
    pub fn take_handoff(&mut self) -> Option<FetchHandoff> {
        self.handoff.take()
    }

    pub(super) fn offered(&mut self, run: u64, offer: Option<Box<CredentialOffer>>) {
        if let Some(current) = self.run.as_mut().filter(|r| r.id == run) {
            current.offer = offer.map(|offer| *offer);
        }
    }

    pub(super) fn kept(&mut self, mac: Mac, status: &mut StatusLine) {
        if let Some(run) = self.run.as_mut() {
            run.offer = None;
        }
        status.info(format!(
            "Saved the credentials as {}'s own; set them on the phone too.",
            mac.macd()
        ));
    }

    /// The buttons under the banner of a finished fetch, where there is a way to the fix, in
    /// the caller's row. True when it drew any.
    pub(super) fn fix_buttons(&mut self, ui: &mut egui::Ui) -> bool {
        let Some(run) = self.run.as_ref().filter(|r| r.state == RunState::Finished) else {
            return false;
        };
        let routes = &run.routes;
        if !routes.any() && run.offer.is_none() {
            return false;
        }
        if let Some(device) = run.device.as_ref().filter(|_| routes.device) {
            let hover = format!("Opens {}'s form in the Inventory", device.mac.macd());
            if ui.button("Edit device…").on_hover_text(hover).clicked() {
                self.handoff = Some(FetchHandoff::EditDevice(device.id));
            }
        }
        if let Some(site) = &routes.site {
            let hover = format!(
                "The device takes this from site {site}: opens the site in Settings › Sites"
            );
            if ui.button("Edit site…").on_hover_text(hover).clicked() {
                self.handoff = Some(FetchHandoff::EditSite(site.clone()));
            }
        }
        if let Some(offer) = &run.offer {
            let text = format!("Save these credentials to {}…", offer.mac.macd());
            let hover = format!(
                "Keep user \"{}\" and the password this fetch used as the device's own",
                offer.credentials.username
            );
            if ui.button(text).on_hover_text(hover).clicked() {
                self.keep = Some(offer.clone());
            }
        }
        true
    }

    /// The confirmation before the proven credentials are kept with the device.
    pub(super) fn keep_dialog(&mut self, ui: &mut egui::Ui, worker: &Worker) {
        let Some(offer) = &self.keep else {
            return;
        };
        let mac = offer.mac.macd();
        let decision = dialog::confirm(
            ui,
            "fetch_keep_credentials",
            440.0,
            egui::Button::new(RichText::new("Save credentials").strong()),
            true,
            |ui| keep_question(ui, offer, &mac),
        );
        match decision {
            Some(true) => {
                if let Some(offer) = self.keep.take() {
                    job::keep(worker, offer);
                }
            }
            Some(false) => self.keep = None,
            None => {}
        }
    }
}

fn keep_question(ui: &mut egui::Ui, offer: &CredentialOffer, mac: &str) {
    ui.heading(format!("Save these credentials to {mac}?"));
    let mut lines = vec![format!(
        "User \"{}\" and the password this fetch used become {mac}'s own digest credentials in provdesk.",
        offer.credentials.username
    )];
    if let Some(site) = &offer.site {
        lines.push(format!(
            "{mac} takes its credentials from site {site} now; its own win over the site's, and the site's other devices keep the site's."
        ));
    }
    lines.push(format!(
        "The phone {mac} still holds the old ones: it learns new credentials only from a file it fetches with the old, or when they are typed on it."
    ));
    lines.push(
        "To change the credentials of a whole site, change them in Settings › Sites: it offers a rollout that serves the old and the new while the phones move over."
            .to_string(),
    );
    for line in lines {
        ui.add(egui::Label::new(line).wrap());
    }
}
