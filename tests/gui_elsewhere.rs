//! The window and the CLI on one inventory file: what another connection changes while the app
//! runs (a site's values, devices added) shows without a click, edits in the site editor are
//! kept under a note when the stored site changes beneath them, and a save of a site or a device
//! from values that changed elsewhere is refused, with Reload, instead of writing them back.

use crate::support::{gui, sites};

use std::path::Path;

use egui_kittest::kittest::Queryable;
use gui::{App, app, click, shows, step_until, text_field, type_into};
use provdesk::device::{Mac, NewDevice};
use provdesk::inventory::{Inventory, SiteDraft};
use provdesk::secret::Secret;

const STALE: &str = "Hotel was changed elsewhere since you opened it: reload to see the new values";

/// What the CLI does meanwhile, through a connection of its own: Hotel gets a new password
/// (and `provider`, if given) and one more device per MAC.
fn change_elsewhere(db: &Path, provider: Option<&str>, macs: &[&str]) {
    let mut cli = Inventory::open(db).unwrap();
    let site = cli.sites().unwrap().remove(0);
    cli.save_site(&SiteDraft {
        provider: provider.map(Into::into).or(site.provider.clone()),
        digest_password: Some(Secret::new("cli-pw")),
        ..site.to_draft()
    })
    .unwrap();
    for mac in macs {
        let mut device = NewDevice::with_mac(Mac::parse(mac).unwrap());
        device.site = Some("Hotel".into());
        cli.add_device(&device).unwrap();
    }
}

fn provider(harness: &App) -> Option<String> {
    text_field(harness, "Provider").value()
}

fn contains(harness: &App, text: &str) -> bool {
    harness.query_all_by_label_contains(text).next().is_some()
}

#[test]
fn a_site_changed_and_devices_added_elsewhere_show_without_a_click() {
    let (_dir, db, mut harness) = sites::hotel_in_settings();
    assert!(shows(&harness, "3 devices"), "the status bar's count");
    change_elsewhere(&db, Some("cli-voice"), &["7C2F80820EC3", "7C2F80820EC4"]);
    step_until(&mut harness, "the new values and devices", |h| {
        provider(h).as_deref() == Some("cli-voice")
            && shows(h, "Save site (5 devices)")
            && shows(h, "5 devices")
    });
    assert!(!contains(&harness, STALE), "no edits, so nothing to say");
    click(&mut harness, "Save site (5 devices)");
    step_until(&mut harness, "the save", |h| shows(h, "Saved site Hotel"));
    assert_eq!(
        sites::stored(&db).digest_password.unwrap().expose(),
        "cli-pw"
    );
}

#[test]
fn edits_stay_under_a_note_when_the_site_changes_elsewhere_and_reload_drops_them() {
    let (_dir, db, mut harness) = sites::hotel_in_settings();
    type_into(&mut harness, "Provider", "my-voice");
    change_elsewhere(&db, Some("cli-voice"), &["7C2F80820EC3"]);
    step_until(&mut harness, "the note", |h| {
        contains(h, STALE) && shows(h, "Save site (4 devices)")
    });
    assert_eq!(provider(&harness).as_deref(), Some("my-voice"), "kept");

    click(&mut harness, "Save site (4 devices)");
    step_until(&mut harness, "the refusal", |h| {
        contains(h, &format!("Could not save the site: {STALE}"))
    });
    let site = sites::stored(&db);
    assert_eq!(site.provider.as_deref(), Some("cli-voice"));
    assert_eq!(site.digest_password.unwrap().expose(), "cli-pw");

    click(&mut harness, "Reload");
    assert_eq!(provider(&harness).as_deref(), Some("cli-voice"));
    assert!(!shows(&harness, STALE), "the note is gone");
}

#[test]
fn a_save_from_values_changed_elsewhere_before_the_window_noticed_is_refused() {
    let (_dir, db, mut harness) = sites::hotel_in_settings();
    // Away from the window (in the terminal), so it does not ask the inventory meanwhile.
    harness.input_mut().focused = false;
    harness.step();
    type_into(&mut harness, "Provider", "my-voice");
    change_elsewhere(&db, None, &["7C2F80820EC3"]);
    click(&mut harness, "Save site (3 devices)");
    step_until(&mut harness, "the refusal and the note", |h| {
        contains(h, &format!("Could not save the site: {STALE}")) && shows(h, STALE)
    });
    assert_eq!(
        sites::stored(&db).digest_password.unwrap().expose(),
        "cli-pw",
        "the old password is not written back"
    );
    assert_eq!(sites::stored(&db).provider, None);
    assert_eq!(provider(&harness).as_deref(), Some("my-voice"), "kept");

    step_until(&mut harness, "the sites listed again", |h| {
        shows(h, "Save site (4 devices)")
    });
    click(&mut harness, "Reload");
    type_into(&mut harness, "Provider", "my-voice");
    click(&mut harness, "Save site (4 devices)");
    step_until(&mut harness, "the save", |h| shows(h, "Saved site Hotel"));
    let site = sites::stored(&db);
    assert_eq!(site.provider.as_deref(), Some("my-voice"));
    assert_eq!(site.digest_password.unwrap().expose(), "cli-pw");
}

#[test]
fn the_window_coming_back_to_the_front_shows_devices_added_meanwhile() {
    let (_dir, db, mut harness) = sites::hotel_in_settings();
    harness.input_mut().focused = false;
    harness.step();
    change_elsewhere(&db, None, &["7C2F80820EC3", "7C2F80820EC4"]);
    harness.input_mut().focused = true;
    step_until(&mut harness, "the new total", |h| shows(h, "5 devices"));
}

#[test]
fn a_device_form_saved_over_values_changed_elsewhere_is_refused_and_reload_shows_them() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.sqlite3");
    drop(sites::hotel(&db, &[("7C2F80820EC0", "N510")]));
    let mut harness = app(&db);
    step_until(&mut harness, "the device", |h| shows(h, "7C2F80820EC0"));
    click(&mut harness, "Select 7C2F80820EC0");
    click(&mut harness, "Edit");
    step_until(&mut harness, "the edit form", |h| shows(h, "Edit device"));
    type_into(&mut harness, "Notes", "spare handset");

    let mut cli = Inventory::open(&db).unwrap();
    let mac = Mac::parse("7C2F80820EC0").unwrap();
    let id = cli.device_by_mac(mac).unwrap().unwrap().id;
    cli.set_site(&[id], Some("Lobby")).unwrap();
    click(&mut harness, "Save");
    let stale =
        "7C2F80820EC0 was changed elsewhere since you opened it: reload to see the new values";
    step_until(&mut harness, "the refusal", |h| shows(h, stale));
    let stored = cli.device_by_mac(mac).unwrap().unwrap();
    assert_eq!(stored.site.as_deref(), Some("Lobby"), "not written back");
    assert_eq!(stored.notes, "");

    click(&mut harness, "Reload");
    step_until(&mut harness, "the stored values", |h| {
        text_field(h, "Site").value().as_deref() == Some("Lobby")
    });
    assert_eq!(text_field(&harness, "Notes").value().as_deref(), Some(""));
    assert!(!shows(&harness, stale));
}

/// While serving, a device without credentials deleted through the CLI leaves the warning of
/// devices no phone can pass: a change elsewhere that the audit log records has Serve check the
/// devices again (Serve's own notes of the phones it sees, every 2 s while they fetch, do not).
#[test]
fn a_device_deleted_elsewhere_leaves_serve_s_warning() {
    use crate::gui_serve::{MAC, bench, free_port, start_serving};
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inventory.sqlite3");
    bench(&db);
    let lacking = Mac::parse("7C2F80820ED1").unwrap();
    let mut cli = Inventory::open(&db).unwrap();
    cli.add_device(&NewDevice::with_mac(lacking)).unwrap();
    let mut harness = app(&db);
    step_until(&mut harness, "the inventory", |h| shows(h, MAC));
    start_serving(&mut harness, free_port());
    let warning = "has neither a MAC password nor a digest user and password";
    step_until(&mut harness, "the warning", |h| contains(h, warning));
    let id = cli.device_by_mac(lacking).unwrap().unwrap().id;
    cli.delete_devices(&[id]).unwrap();
    step_until(&mut harness, "the warning gone", |h| !contains(h, warning));
}
