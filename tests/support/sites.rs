//! A site whose devices take its digest credentials, for the tests of changing them.

use std::path::{Path, PathBuf};

use provdesk::inventory::Site;

use super::gui::{App, app, shows, step_until, type_into};

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

/// Hotel with three N510s (the last with credentials of its own), and the app on Settings with
/// Hotel's values in the editor.
pub fn hotel_in_settings() -> (tempfile::TempDir, PathBuf, App) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.sqlite3");
    hotel(
        &db,
        &[
            ("7C2F80820EC0", "N510"),
            ("7C2F80820EC1", "N510"),
            ("7C2F80820EC2", "N510"),
        ],
    );
    let mut harness = app(&db);
    step_until(&mut harness, "the devices", |h| shows(h, "7C2F80820EC2"));
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Num7);
    step_until(&mut harness, "the settings", |h| {
        shows(h, "Sites and their defaults")
    });
    type_into(&mut harness, "Site", "Hotel");
    step_until(&mut harness, "the site's values", |h| {
        shows(h, "Save site (3 devices)")
    });
    (dir, db, harness)
}

/// The first site, as stored now.
pub fn stored(db: &Path) -> Site {
    Inventory::open(db).unwrap().sites().unwrap().remove(0)
}
