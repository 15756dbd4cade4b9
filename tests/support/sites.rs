//! A site whose devices take its digest credentials, for the tests of changing them.

use std::path::Path;

use provdesk::device::{Mac, NewDevice, find_model};
use provdesk::inventory::{Inventory, SiteDraft};
use provdesk::secret::Secret;

/// Site "Hotel" (user `hotel`, password `old-pw`) with these devices (MAC, model): the last
/// has credentials of its own (user `own`, password `own-pw`), the others take the site's.
pub fn hotel(path: &Path, devices: &[(&str, &str)]) -> Inventory {
    let mut inventory = Inventory::open(path).unwrap();
    inventory
        .save_site(&SiteDraft {
            name: "Hotel".into(),
            digest_username: Some("hotel".into()),
            digest_password: Some(Secret::new("old-pw")),
            ..SiteDraft::default()
        })
        .unwrap();
    let last = devices.len().saturating_sub(1);
    let devices: Vec<NewDevice> = devices
        .iter()
        .enumerate()
        .map(|(n, (mac, model))| {
            let mut device = NewDevice::with_mac(Mac::parse(mac).unwrap());
            device.model = find_model(model);
            device.site = Some("Hotel".into());
            if n == last {
                device.digest_username = Some("own".into());
                device.digest_password = Some(Secret::new("own-pw"));
            }
            device
        })
        .collect();
    inventory.add_devices(&devices).unwrap();
    inventory
}
