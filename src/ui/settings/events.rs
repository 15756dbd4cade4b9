//! What the Settings panel's jobs answer, and the jobs.

use crate::inventory::Site;

#[derive(Debug)]
pub enum SettingsEvent {
    SiteSaved(Site),
    /// A job of this panel failed: what, and why.
    Failed {
        action: &'static str,
        error: String,
    },
}
