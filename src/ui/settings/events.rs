//! What the Settings panel's jobs answer, and the jobs.

use crate::inventory::{Site, SiteRemoval};

#[derive(Debug)]
pub enum SettingsEvent {
    SiteSaved(Site),
    /// The site once called `from` has a new name.
    SiteRenamed {
        from: String,
        site: Site,
    },
    /// What deleting a site would do to its devices, for the confirmation before it.
    SiteRemovalFacts(SiteRemoval),
    /// A site is gone; what its devices lost.
    SiteDeleted(SiteRemoval),
    /// A save was refused: the site `name` changed elsewhere since the editor loaded it.
    ChangedElsewhere {
        name: String,
    },
    /// A job of this panel failed: what, and why.
    Failed {
        action: &'static str,
        error: String,
    },
}

impl SettingsEvent {
    /// The sites changed, and with them what the devices inherit, so every view of them (the
    /// site pickers, the Inventory's site column and filter) should ask again; so should they
    /// after a save refused since the site changed elsewhere, for the editor's Reload.
    pub fn changes_devices(&self) -> bool {
        matches!(
            self,
            Self::SiteSaved(_)
                | Self::SiteRenamed { .. }
                | Self::SiteDeleted(_)
                | Self::ChangedElsewhere { .. }
        )
    }
}
