//! The site editor: a site's name and the defaults its devices inherit (provider, provisioning
//! URL pattern, digest credentials), and the way to rename or delete it. A device's own value
//! always wins over its site's. Saving new credentials that devices take from the site asks
//! first ([`CredentialQuestion`]). The fields follow the stored site when another process
//! changes it, and a save is refused when it changed since they were loaded ([`Base`]).

use egui::RichText;

use crate::device::{ProvisioningUrl, SipTransport};
use crate::inventory::{Site, SiteDraft, SiteRemoval};
use crate::ui::settings::jobs;
use crate::ui::settings::site_actions::SiteActions;
use crate::ui::settings::site_base::{Base, Fields, Follow, given, stale_note};
use crate::ui::settings::site_credentials::{Answer, CredentialQuestion, RolloutHandoff};
use crate::ui::widgets::fields::{
    grid_error_row, has_url_password, masked_url, reveal_button, site_pick,
};
use crate::ui::worker::Worker;

#[derive(Default)]
pub struct SiteEditor {
    fields: Fields,
    reveal_password: bool,
    /// A stored URL with `user:pass@` shows masked until the user asks to see it.
    hide_url: bool,
    /// The stored site whose values fill the fields, so picking another reloads them and a
    /// save is made over it.
    base: Option<Base>,
    /// Enter was pressed in one of the form's fields: save, as the device form does.
    enter: bool,
    actions: SiteActions,
    /// A save that changes credentials devices take, held back for the question.
    question: Option<CredentialQuestion>,
    /// The rollout the user chose instead, for the Serve panel to prepare.
    rollout: Option<RolloutHandoff>,
}

/// Whether Enter was pressed in this one-line field (which gives up the focus on Enter).
fn entered(ui: &egui::Ui, field: &egui::Response) -> bool {
    field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter))
}

impl SiteEditor {
    fn load(&mut self, site: &Site) {
        self.fields = Fields::of(site);
        self.hide_url = has_url_password(&self.fields.url);
        self.reveal_password = false;
        self.base = Some(Base::new(site));
    }

    /// Empties the fields, keeping the dialogs.
    fn clear(&mut self) {
        *self = Self {
            actions: std::mem::take(&mut self.actions),
            ..Self::default()
        };
    }

    /// The name of the stored site the fields were loaded from.
    fn loaded(&self) -> Option<&str> {
        self.base.as_ref().map(|base| base.site.name.as_str())
    }

    /// Follows the stored site when the sites are listed anew after a change made elsewhere:
    /// fields without edits take its new values, edits are kept under a note (see
    /// [`super::site_base`]); fields without edits of a site deleted elsewhere are emptied.
    fn follow_stored(&mut self, sites: &[Site]) {
        let Some(base) = self.base.as_mut() else {
            return;
        };
        let edited = self.fields != Fields::of(&base.site);
        match base.follow(sites) {
            Follow::Same => {}
            Follow::Changed(stored) if !edited => self.load(stored),
            Follow::Changed(_) => base.stale = true,
            Follow::Gone if !edited => self.clear(),
            Follow::Gone => self.base = None,
        }
    }

    /// The note that the stored site changed under the edits, and its Reload.
    fn stale_note(&mut self, ui: &mut egui::Ui, sites: &[Site]) {
        let Some(base) = self.base.as_ref().filter(|base| base.stale) else {
            return;
        };
        if stale_note(ui, &base.site.name) {
            match sites.iter().find(|site| site.id == base.site.id) {
                Some(stored) => self.load(stored),
                None => self.clear(),
            }
        }
    }

    /// Fills the fields with `site`'s values, as another panel asks.
    pub fn show(&mut self, site: &Site) {
        self.load(site);
    }

    pub fn ui(&mut self, ui: &mut egui::Ui, sites: &[Site], worker: &Worker) {
        ui.heading("Sites and their defaults");
        ui.label(
            RichText::new("Devices of a site use these values wherever their own field is empty.")
                .weak(),
        );
        ui.add_space(4.0);
        self.follow_stored(sites);
        let url_error = given(&self.fields.url)
            .and_then(|url| ProvisioningUrl::parse(&url).err())
            .map(|e| e.to_string());
        let sip = self.fields.sip_defaults();
        egui::Grid::new("site_editor")
            .num_columns(2)
            .spacing([10.0, 6.0])
            .show(ui, |ui| {
                self.fields(ui, sites, url_error.as_deref());
                self.sip_fields(ui, sip.as_ref().err().map(String::as_str));
            });
        self.stale_note(ui, sites);
        ui.horizontal(|ui| {
            self.save_button(ui, sites, worker, url_error.is_none(), sip.ok());
            let target = self.target(sites);
            self.actions.buttons(ui, target, &self.fields.name, worker);
        });
        self.new_name_note(ui, sites);
        self.actions.dialogs(ui, sites, worker);
        self.credential_question(ui, worker);
    }

    /// The rollout chosen instead of a plain credential change, once.
    pub fn take_rollout(&mut self) -> Option<RolloutHandoff> {
        self.rollout.take()
    }

    fn credential_question(&mut self, ui: &egui::Ui, worker: &Worker) {
        let Some(answer) = self.question.as_ref().and_then(|question| question.ask(ui)) else {
            return;
        };
        let Some(question) = self.question.take() else {
            return;
        };
        match answer {
            Answer::Rollout { save, handoff } => {
                if let Some(draft) = save {
                    jobs::save_site(worker, draft, Some(question.base));
                }
                self.rollout = Some(handoff);
            }
            Answer::ChangeNow(draft) => jobs::save_site(worker, draft, Some(question.base)),
            Answer::Cancel => {}
        }
    }

    /// The stored site the Rename and Delete buttons act on: the one the name field names, else
    /// the one whose values the fields hold while its name is being changed.
    fn target<'s>(&self, sites: &'s [Site]) -> Option<&'s Site> {
        let named = |name: &str| {
            sites
                .iter()
                .find(|site| site.name.eq_ignore_ascii_case(name.trim()))
        };
        named(&self.fields.name).or_else(|| self.loaded().and_then(named))
    }

    /// A site's name changed in the field would create a second site on save: say so, and
    /// where the rename is.
    fn new_name_note(&self, ui: &mut egui::Ui, sites: &[Site]) {
        let Some(site) = self.target(sites) else {
            return;
        };
        if site.name.eq_ignore_ascii_case(self.fields.name.trim())
            || self.fields.name.trim().is_empty()
        {
            return;
        }
        ui.label(
            RichText::new(format!(
                "Create site adds a new site beside {}; to give {} this name instead, use Rename site…",
                site.name, site.name
            ))
            .color(crate::ui::widgets::style::signal(ui.visuals()).warning),
        );
    }

    /// Fields that hold the renamed site follow its new name, so that saving them saves it
    /// rather than creating the old name again; values typed meanwhile stay.
    pub fn on_renamed(&mut self, from: &str, site: &Site) {
        if self
            .loaded()
            .is_some_and(|loaded| loaded.eq_ignore_ascii_case(from))
        {
            self.fields.name = site.name.clone();
            self.base = Some(Base::after_save(self.base.take(), site));
        }
    }

    /// The site saved from the fields is what a next save replaces.
    pub fn on_saved(&mut self, site: &Site) {
        if site.name.eq_ignore_ascii_case(self.fields.name.trim()) {
            self.base = Some(Base::after_save(self.base.take(), site));
        }
    }

    /// A save was refused since the site `name` changed elsewhere: the note offers Reload.
    pub fn on_changed_elsewhere(&mut self, name: &str) {
        if let Some(base) = self.base.as_mut()
            && base.site.name.eq_ignore_ascii_case(name)
        {
            base.stale = true;
        }
    }

    /// Empties the fields when they show the deleted site: saving them would bring it back.
    pub fn on_deleted(&mut self, facts: &SiteRemoval) {
        let shown = [Some(self.fields.name.trim()), self.loaded()];
        if shown
            .into_iter()
            .flatten()
            .any(|name| name.eq_ignore_ascii_case(&facts.site))
        {
            self.clear();
        }
    }

    /// The rename and delete dialogs, for the panel to hand them their jobs' answers.
    pub fn actions(&mut self) -> &mut SiteActions {
        &mut self.actions
    }

    /// The SIP defaults of the site's devices' accounts.
    fn sip_fields(&mut self, ui: &mut egui::Ui, error: Option<&str>) {
        for (name, value, hint, width) in [
            (
                "SIP registrar",
                &mut self.fields.sip_registrar,
                "pbx.example.com",
                320.0,
            ),
            ("SIP port", &mut self.fields.sip_port, "5060", 80.0),
            (
                "SIP transport",
                &mut self.fields.sip_transport,
                "udp, tcp or tls",
                80.0,
            ),
        ] {
            let label = ui.label(name);
            let field = ui
                .add(
                    egui::TextEdit::singleline(value)
                        .hint_text(hint)
                        .desired_width(width),
                )
                .labelled_by(label.id);
            self.enter |= entered(ui, &field);
            ui.end_row();
        }
        grid_error_row(ui, error);
    }

    /// The grid's rows; a URL that does not parse gets its reason under it.
    fn fields(&mut self, ui: &mut egui::Ui, sites: &[Site], url_error: Option<&str>) {
        self.name_row(ui, sites);
        ui.end_row();
        let label = ui.label("Provider");
        let field = ui
            .add(egui::TextEdit::singleline(&mut self.fields.provider).desired_width(320.0))
            .labelled_by(label.id);
        self.enter |= entered(ui, &field);
        ui.end_row();
        let label = ui.label("Provisioning URL");
        if self.hide_url {
            self.hide_url = !masked_url(ui, &self.fields.url, label.id);
        } else {
            let field = ui
                .add(
                    egui::TextEdit::singleline(&mut self.fields.url)
                        .hint_text("https://prov.example.com/%MACD.xml")
                        .desired_width(320.0),
                )
                .labelled_by(label.id);
            self.enter |= entered(ui, &field);
        }
        ui.end_row();
        grid_error_row(ui, url_error);
        let label = ui.label("Digest user name");
        let field = ui
            .add(egui::TextEdit::singleline(&mut self.fields.digest_username).desired_width(320.0))
            .labelled_by(label.id);
        self.enter |= entered(ui, &field);
        ui.end_row();
        let label = ui.label("Digest password");
        ui.horizontal(|ui| {
            let field = ui
                .add(
                    egui::TextEdit::singleline(self.fields.digest_password.expose_mut())
                        .password(!self.reveal_password)
                        .desired_width(282.0),
                )
                .labelled_by(label.id);
            self.enter |= entered(ui, &field);
            if reveal_button(ui, self.reveal_password, "the digest password") {
                self.reveal_password ^= true;
            }
        });
        ui.end_row();
    }

    /// The site's name, typed or picked from the existing sites (which loads its values).
    fn name_row(&mut self, ui: &mut egui::Ui, sites: &[Site]) {
        let label = ui.label("Site");
        ui.horizontal(|ui| {
            let field = ui
                .add(
                    egui::TextEdit::singleline(&mut self.fields.name)
                        .hint_text("new or existing site")
                        .desired_width(240.0),
                )
                .labelled_by(label.id);
            self.enter |= entered(ui, &field);
            if let Some(site) = site_pick(ui, sites) {
                self.load(site);
            }
        });
    }

    /// Create or save; `url_ok`: the URL field is empty or parses; `sip`: the SIP defaults when
    /// they parse.
    #[allow(clippy::type_complexity)]
    fn save_button(
        &mut self,
        ui: &mut egui::Ui,
        sites: &[Site],
        worker: &Worker,
        url_ok: bool,
        sip: Option<(Option<String>, Option<u16>, Option<SipTransport>)>,
    ) {
        let existing = sites
            .iter()
            .find(|s| s.name.eq_ignore_ascii_case(self.fields.name.trim()));
        // Naming an existing site shows its values, so saving never wipes defaults unseen.
        if let Some(site) = existing
            && self.base.as_ref().map(|base| base.site.id) != Some(site.id)
        {
            self.load(site);
        }
        // What the save replaces: the values loaded, which the stored ones may no longer be.
        let base = existing.and(self.base.as_ref()).map(|base| &base.site);
        let ready = given(&self.fields.name).is_some() && url_ok && sip.is_some();
        let (sip_registrar, sip_port, sip_transport) = sip.unwrap_or_default();
        let save_text = match existing {
            Some(site) => format!(
                "Save site ({})",
                crate::words::count(site.device_count, "device")
            ),
            None => "Create site".to_string(),
        };
        let enter = std::mem::take(&mut self.enter);
        if ui
            .add_enabled(ready, egui::Button::new(save_text))
            .on_hover_text("Save the site (Enter in a field)")
            .clicked()
            || (enter && ready)
        {
            let draft = SiteDraft {
                name: self.fields.name.trim().to_string(),
                provider: given(&self.fields.provider),
                url_pattern: given(&self.fields.url),
                digest_username: given(&self.fields.digest_username),
                digest_password: (!self.fields.digest_password.is_empty())
                    .then(|| self.fields.digest_password.clone()),
                notes: base.map(|s| s.notes.clone()).unwrap_or_default(),
                sip_registrar,
                sip_port,
                sip_transport,
            };
            match base.map(|site| (site, site.credential_change(&draft))) {
                Some((site, devices)) if devices > 0 => {
                    self.question = Some(CredentialQuestion {
                        draft,
                        base: site.clone(),
                        devices,
                    });
                }
                _ => jobs::save_site(worker, draft, base.cloned()),
            }
            self.reveal_password = false;
        }
    }
}
