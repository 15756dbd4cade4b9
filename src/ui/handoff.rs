//! What the panels hand each other. A panel knows no other panel: the Inventory's row asks for
//! a test fetch, the Test fetch's banner for the device's form, Settings for a rollout in
//! Serve, and a panel's job that changed the devices means every view of them asks again. The
//! app's frame and event loop only say *when*; this module says *where it goes*, so that the
//! routing between panels is read in one place and the app stays the frame around them.

use crate::ui::app::ProvdeskApp;
use crate::ui::fetch::FetchHandoff;
use crate::ui::inventory::Handoff;
use crate::ui::section::Section;
use crate::ui::serve::{Chosen, ServeRequest};
use crate::ui::settings::events::SettingsEvent;

impl ProvdeskApp {
    /// Shows `section` because a panel asked for it: it is on screen from now on, so what it
    /// says is not marked as unseen.
    fn open(&mut self, section: Section) {
        self.section = section;
        self.status.viewing(section);
    }

    /// What the panels need before one of them draws: the Inventory's and Serve's request to
    /// register devices at the redirect server, the phones Serve saw, and where Serve runs.
    pub(super) fn before_panel(&mut self) {
        // Asked for from the Inventory's rows and from the Serve panel alike.
        if let Some(macs) = self.inventory.take_redirect() {
            self.open(Section::Redirect);
            self.redirect.pick(macs);
        }
        if self.section == Section::Inventory && self.serve.take_seen() {
            self.inventory.refresh(&self.worker);
        }
        // A 500 of its own Serve is in Serve's log: the Test fetch says so.
        if self.section == Section::Fetch {
            let own_serve = self.serve.own_serve(self.fetch.fetched_mac());
            self.fetch.serve_running(own_serve);
        }
    }

    /// Carries out what the panel `shown` handed over while it drew.
    pub(super) fn after_panel(&mut self, shown: Section) {
        match shown {
            Section::Inventory => self.inventory_handoff(),
            Section::Fetch => self.fetch_handoff(),
            Section::Templates => {
                if self.templates.take_serve() {
                    self.open(Section::Serve);
                }
            }
            Section::Sip => {
                if let Some(id) = self.sip.take_edit() {
                    self.open(Section::Inventory);
                    self.inventory.edit(id, &self.worker);
                }
            }
            Section::Settings => self.rollout_handoff(),
            Section::Import | Section::Redirect | Section::Serve => {}
        }
    }

    /// A device's row asked for its test fetch, its SIP test or the Import panel.
    fn inventory_handoff(&mut self) {
        match self.inventory.take_handoff() {
            Some(Handoff::TestFetch(device)) => {
                self.open(Section::Fetch);
                let status = self.status.speaking_for(Section::Fetch);
                self.fetch.start_for_device(device, &self.worker, status);
            }
            Some(Handoff::SipTest(device)) => {
                self.open(Section::Sip);
                self.sip.pick_device(device);
            }
            Some(Handoff::Import) => self.open(Section::Import),
            None => {}
        }
    }

    /// The form the Test fetch's banner leads to: the device's in the Inventory, or its
    /// site's in Settings.
    fn fetch_handoff(&mut self) {
        match self.fetch.take_handoff() {
            Some(FetchHandoff::EditDevice(id)) => {
                self.open(Section::Inventory);
                self.inventory.edit(id, &self.worker);
            }
            Some(FetchHandoff::EditSite(name)) => {
                self.open(Section::Settings);
                self.settings.show_site(&name, self.inventory.sites());
            }
            None => {}
        }
    }

    /// A site's credentials were set in Settings: Serve prepares the rollout to that site.
    fn rollout_handoff(&mut self) {
        let Some(rollout) = self.settings.take_rollout() else {
            return;
        };
        let sites = self.inventory.sites();
        if let Some(index) = sites
            .iter()
            .position(|site| site.name.eq_ignore_ascii_case(&rollout.site))
        {
            self.open(Section::Serve);
            self.serve
                .prepare_rollout(index, rollout.user, rollout.password);
        }
    }

    /// Serve asked to register devices, chosen one by one or by site, at the redirect server.
    pub(super) fn serve_request(&mut self, request: Option<ServeRequest>) {
        match request {
            Some(ServeRequest::Register(Chosen::Devices(ids))) => {
                self.inventory.send_to_redirect(&self.worker, ids);
            }
            Some(ServeRequest::Register(Chosen::Site(site))) => {
                self.inventory.send_site_to_redirect(&self.worker, site);
            }
            None => {}
        }
    }

    /// A site renamed or deleted in Settings: the Inventory's site filter follows.
    pub(super) fn site_facts(&mut self, event: &SettingsEvent) {
        match event {
            SettingsEvent::SiteRenamed { from, site } => {
                self.inventory.site_renamed(from, &site.name);
            }
            SettingsEvent::SiteDeleted(facts) => self.inventory.site_deleted(&facts.site),
            _ => {}
        }
    }

    /// The inventory file was changed by another process. Serve's check of every device's
    /// file, and the Test fetch's device list, only when the change is `audited`: Serve
    /// records each phone it sees through a connection of its own, so while phones fetch an
    /// unaudited change comes every 2 s, and the check renders every device.
    pub(super) fn changed_elsewhere(&mut self, audited: bool) {
        self.inventory.reload(&self.worker);
        self.templates.devices_changed();
        self.templates.changed_elsewhere(&self.worker);
        self.redirect.devices_changed(&self.worker);
        self.serve.changed_elsewhere(&self.worker);
        if audited {
            self.serve.devices_changed(&self.worker);
            self.fetch.devices_changed(&self.worker);
        }
    }

    /// A saved or reset template changes the files served: Serve tries them again.
    pub(super) fn templates_saved(&mut self) {
        self.serve.devices_changed(&self.worker);
    }

    /// Every view of the inventory's devices asks again.
    pub(super) fn devices_changed(&mut self) {
        self.inventory.reload(&self.worker);
        self.templates.devices_changed();
        self.redirect.devices_changed(&self.worker);
        self.serve.devices_changed(&self.worker);
        self.fetch.devices_changed(&self.worker);
    }
}
