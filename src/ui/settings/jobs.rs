//! The Settings panel's jobs.

use crate::inventory::SiteDraft;
use crate::ui::settings::events::SettingsEvent;
use crate::ui::worker::Worker;

/// Creates a site or replaces its defaults.
pub fn save_site(worker: &Worker, draft: SiteDraft) {
    worker.inventory(move |inventory, _| match inventory.save_site(&draft) {
        Ok(site) => SettingsEvent::SiteSaved(site),
        Err(error) => SettingsEvent::Failed {
            action: "save the site",
            error: error.to_string(),
        },
    });
}
