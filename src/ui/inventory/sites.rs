//! The panel follows a site renamed or deleted in Settings: its site filter, and the devices
//! kept for undo, which name their site. Restoring a device puts it in the site its copy names,
//! creating the site when there is none: a copy naming the old name would bring a renamed or
//! deleted site back, empty.

use super::InventoryPanel;

impl InventoryPanel {
    /// The site `from` is now called `to`.
    pub fn site_renamed(&mut self, from: &str, to: &str) {
        self.follow_site(from, Some(to));
    }

    /// The site `name` is gone; its devices are without a site.
    pub fn site_deleted(&mut self, name: &str) {
        self.follow_site(name, None);
    }

    fn follow_site(&mut self, name: &str, now: Option<&str>) {
        let is_it = |site: &Option<String>| {
            site.as_deref()
                .is_some_and(|site| site.eq_ignore_ascii_case(name))
        };
        if is_it(&self.query.site) {
            self.query.site = now.map(str::to_string);
        }
        for device in self.undo.iter_mut().flatten() {
            if is_it(&device.site) {
                device.site = now.map(str::to_string);
            }
        }
    }
}
