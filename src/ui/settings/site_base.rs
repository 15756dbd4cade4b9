//! The stored site behind the site editor's fields. The CLI, a script or another window may
//! change it while the fields show it: fields without edits take the new values as soon as
//! the sites are listed again; fields with edits keep them, and a note says the stored site
//! changed, with Reload. A save is made over the values loaded here, and the inventory refuses
//! it when they changed meanwhile ([`crate::inventory::Inventory::save_site_over`]), so the
//! editor never writes old values back over new ones.

use egui::RichText;

use crate::device::SipTransport;
use crate::inventory::{InventoryError, Site};
use crate::secret::Secret;
use crate::ui::widgets::style::signal;

/// The editor's fields as typed.
#[derive(Default, Clone, PartialEq)]
pub struct Fields {
    pub name: String,
    pub provider: String,
    pub url: String,
    pub digest_username: String,
    pub digest_password: Secret,
    pub sip_registrar: String,
    pub sip_port: String,
    pub sip_transport: String,
}

impl Fields {
    /// The stored site's values as the fields show them.
    pub fn of(site: &Site) -> Self {
        Self {
            name: site.name.clone(),
            provider: site.provider.clone().unwrap_or_default(),
            url: site.url_pattern.clone().unwrap_or_default(),
            digest_username: site.digest_username.clone().unwrap_or_default(),
            digest_password: site.digest_password.clone().unwrap_or_default(),
            sip_registrar: site.sip_registrar.clone().unwrap_or_default(),
            sip_port: site.sip_port.map(|p| p.to_string()).unwrap_or_default(),
            sip_transport: site
                .sip_transport
                .map(|t| t.as_str().to_string())
                .unwrap_or_default(),
        }
    }

    /// The SIP defaults as typed: registrar, port, transport; the reason when they do not parse.
    #[allow(clippy::type_complexity)]
    pub fn sip_defaults(
        &self,
    ) -> Result<(Option<String>, Option<u16>, Option<SipTransport>), String> {
        let port = match self.sip_port.trim() {
            "" => None,
            text => Some(text.parse::<u16>().ok().filter(|&p| p > 0).ok_or_else(|| {
                format!("SIP port {text:?}: give a number from 1 to 65535, or leave it empty")
            })?),
        };
        let transport = match self.sip_transport.trim() {
            "" => None,
            text => Some(text.parse::<SipTransport>().map_err(|e| e.to_string())?),
        };
        Ok((given(&self.sip_registrar), port, transport))
    }
}

/// A field's text trimmed, or `None` when that leaves nothing.
pub fn given(text: &str) -> Option<String> {
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_string())
}

/// The stored site the fields were loaded from.
pub struct Base {
    /// Its values when loaded (or last saved from here): what a save replaces.
    pub site: Site,
    /// The site as the last list of sites showed it (`None`: not listed yet, when just
    /// created); only a list that shows it otherwise is news, since the list after the
    /// editor's own save or rename comes a moment after that job's answer.
    listed: Option<Site>,
    /// The stored values are no longer `site`'s while the fields hold edits, or a save was
    /// refused for it: the note with Reload shows.
    pub stale: bool,
}

/// What a new list of sites means for the fields.
pub enum Follow<'s> {
    /// Nothing new, or the stored values are the loaded ones.
    Same,
    /// The stored values changed elsewhere: these are the new ones.
    Changed(&'s Site),
    /// The site was deleted elsewhere.
    Gone,
}

impl Base {
    /// The site as listed, loaded into the fields.
    pub fn new(site: &Site) -> Self {
        Self {
            site: site.clone(),
            listed: Some(site.clone()),
            stale: false,
        }
    }

    /// The site as the editor's own save or rename left it; the list still shows what
    /// `previous` saw until it is asked again.
    pub fn after_save(previous: Option<Self>, site: &Site) -> Self {
        Self {
            site: site.clone(),
            listed: previous
                .filter(|base| base.site.id == site.id)
                .and_then(|base| base.listed),
            stale: false,
        }
    }

    /// Compares the site in the latest list with the values loaded.
    pub fn follow<'s>(&mut self, sites: &'s [Site]) -> Follow<'s> {
        let now = sites.iter().find(|site| site.id == self.site.id);
        if now == self.listed.as_ref() {
            return Follow::Same;
        }
        self.listed = now.cloned();
        match now {
            None => Follow::Gone,
            Some(stored) if stored.to_draft() == self.site.to_draft() => Follow::Same,
            Some(stored) => Follow::Changed(stored),
        }
    }
}

/// The note under the fields when the stored site changed under edits; true when Reload is
/// clicked.
pub fn stale_note(ui: &mut egui::Ui, name: &str) -> bool {
    let why = InventoryError::SiteChangedElsewhere {
        name: name.to_string(),
    };
    ui.horizontal(|ui| {
        ui.label(RichText::new(why.to_string()).color(signal(ui.visuals()).warning));
        ui.button("Reload")
            .on_hover_text("Show the stored values; what you typed here is dropped")
            .clicked()
    })
    .inner
}
