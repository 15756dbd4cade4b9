//! The Settings panel's jobs.

use crate::inventory::{InventoryError, Site, SiteDevices, SiteDraft};
use crate::ui::settings::events::SettingsEvent;
use crate::ui::worker::Worker;

/// Creates a site, or replaces the defaults of `base`, the stored site the editor loaded;
/// refused when another process changed it meanwhile.
pub fn save_site(worker: &Worker, draft: SiteDraft, base: Option<Site>) {
    worker.inventory(move |inventory, _| {
        let saved = match &base {
            Some(base) => inventory.save_site_over(&draft, base),
            None => inventory.save_site(&draft),
        };
        match saved {
            Ok(site) => SettingsEvent::SiteSaved(site),
            Err(InventoryError::SiteChangedElsewhere { name }) => {
                SettingsEvent::ChangedElsewhere { name }
            }
            Err(error) => failed("save the site", error),
        }
    });
}

/// Gives the site `from` the name `to`.
pub fn rename_site(worker: &Worker, from: String, to: String) {
    worker.inventory(
        move |inventory, _| match inventory.rename_site(&from, &to) {
            Ok(site) => SettingsEvent::SiteRenamed { from, site },
            Err(error) => failed("rename the site", error),
        },
    );
}

/// Asks what deleting the site `name` would do, for the confirmation.
pub fn site_removal(worker: &Worker, name: String) {
    worker.inventory(move |inventory, _| match inventory.site_removal(&name) {
        Ok(facts) => SettingsEvent::SiteRemovalFacts(facts),
        Err(error) => failed("look at the site", error),
    });
}

/// Deletes the site `name`; the user has confirmed, so its devices go on without it.
pub fn delete_site(worker: &Worker, name: String) {
    worker.inventory(move |inventory, _| {
        match inventory.delete_site(&name, SiteDevices::Release) {
            Ok(facts) => SettingsEvent::SiteDeleted(facts),
            Err(error) => failed("delete the site", error),
        }
    });
}

fn failed(action: &'static str, error: InventoryError) -> SettingsEvent {
    SettingsEvent::Failed {
        action,
        error: error.to_string(),
    }
}
