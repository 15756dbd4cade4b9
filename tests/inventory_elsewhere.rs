//! Changes another connection makes to the inventory file (the CLI or a script while the
//! window is open): the window's connection notices them, and a site or device saved from
//! values loaded before such a change is refused instead of writing the old values back.

use provdesk::device::{Mac, NewDevice};
use provdesk::inventory::ChangedElsewhere::{Audited, Nothing, Unaudited};
use provdesk::inventory::{Inventory, InventoryError, Sighting, Site, SiteDraft};
use provdesk::secret::Secret;

/// The window's connection and a second one (the CLI's) on one file, with "Hotel Adler"
/// (provider, user, password) saved through the first.
fn two_connections() -> (tempfile::TempDir, Inventory, Inventory, Site) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("inventory.sqlite3");
    let mut window = Inventory::open(&path).unwrap();
    let site = window
        .save_site(&SiteDraft {
            name: "Hotel Adler".into(),
            provider: Some("acme-voice".into()),
            digest_username: Some("hotel".into()),
            digest_password: Some(Secret::new("old-pw")),
            ..SiteDraft::default()
        })
        .unwrap();
    let cli = Inventory::open(&path).unwrap();
    (dir, window, cli, site)
}

#[test]
fn a_change_from_another_connection_is_noticed_once_and_an_own_change_is_not() {
    let (_dir, mut window, mut cli, _) = two_connections();
    assert_eq!(window.changed_elsewhere().unwrap(), Nothing, "nothing yet");
    window
        .add_device(&NewDevice::with_mac(Mac::parse("7C2F80820EC0").unwrap()))
        .unwrap();
    assert_eq!(
        window.changed_elsewhere().unwrap(),
        Nothing,
        "its own change"
    );
    cli.add_device(&NewDevice::with_mac(Mac::parse("7C2F80820EC1").unwrap()))
        .unwrap();
    assert_eq!(window.changed_elsewhere().unwrap(), Audited, "the CLI's");
    assert_eq!(window.changed_elsewhere().unwrap(), Nothing, "told once");
}

/// Serve notes every phone it sees through a connection of its own, every few seconds while
/// phones fetch; the window tells that apart from a change of a device, so that Serve's check
/// of every device's file runs again only for the latter.
#[test]
fn a_phone_noted_by_serve_is_told_apart_from_a_device_changed() {
    let (_dir, mut window, mut serve, _) = two_connections();
    let mac = Mac::parse("7C2F80820EC0").unwrap();
    window.add_device(&NewDevice::with_mac(mac)).unwrap();
    assert_eq!(
        window.changed_elsewhere().unwrap(),
        Nothing,
        "its own change"
    );
    let sighting = Sighting {
        mac,
        at: "2026-12-07T23:30:00Z",
        firmware: Some("42.250"),
        verdict: "served",
        credential: None,
    };
    assert!(serve.record_sighting(&sighting).unwrap());
    assert_eq!(window.changed_elsewhere().unwrap(), Unaudited);
    let id = serve.device_by_mac(mac).unwrap().unwrap().id;
    serve.delete_devices(&[id]).unwrap();
    assert!(!serve.record_sighting(&sighting).unwrap(), "gone");
    assert_eq!(
        window.changed_elsewhere().unwrap(),
        Audited,
        "a deletion among the sightings"
    );
}

#[test]
fn a_save_over_values_changed_elsewhere_is_refused_and_writes_nothing() {
    let (_dir, mut window, mut cli, loaded) = two_connections();
    let mut changed = loaded.to_draft();
    changed.digest_password = Some(Secret::new("cli-pw"));
    cli.save_site(&changed).unwrap();

    let mut edited = loaded.to_draft();
    edited.provider = Some("other-voice".into());
    let refused = window.save_site_over(&edited, &loaded).unwrap_err();
    assert!(
        matches!(&refused, InventoryError::SiteChangedElsewhere { name } if name == "Hotel Adler")
    );
    assert_eq!(
        refused.to_string(),
        "Hotel Adler was changed elsewhere since you opened it: reload to see the new values"
    );
    let stored = cli.sites().unwrap().remove(0);
    assert_eq!(stored.digest_password.unwrap().expose(), "cli-pw");
    assert_eq!(stored.provider.as_deref(), Some("acme-voice"));

    let reloaded = window.sites().unwrap().remove(0);
    let saved = window.save_site_over(&edited_from(&reloaded), &reloaded);
    assert_eq!(saved.unwrap().provider.as_deref(), Some("other-voice"));
}

/// The reloaded values with the provider edited again.
fn edited_from(site: &Site) -> SiteDraft {
    SiteDraft {
        provider: Some("other-voice".into()),
        ..site.to_draft()
    }
}

#[test]
fn a_save_over_a_site_deleted_or_renamed_elsewhere_is_refused() {
    let (_dir, mut window, mut cli, loaded) = two_connections();
    cli.rename_site("Hotel Adler", "Hotel Eiche").unwrap();
    let refused = window.save_site_over(&loaded.to_draft(), &loaded);
    assert!(matches!(
        refused,
        Err(InventoryError::SiteChangedElsewhere { .. })
    ));
    cli.delete_site("Hotel Eiche", provdesk::inventory::SiteDevices::Release)
        .unwrap();
    let refused = window.save_site_over(&loaded.to_draft(), &loaded);
    assert!(matches!(
        refused,
        Err(InventoryError::SiteChangedElsewhere { .. })
    ));
    assert!(cli.sites().unwrap().is_empty(), "nothing brought back");
}

#[test]
fn device_counts_that_changed_elsewhere_do_not_block_a_save() {
    let (_dir, mut window, mut cli, loaded) = two_connections();
    let mut device = NewDevice::with_mac(Mac::parse("7C2F80820EC0").unwrap());
    device.site = Some("Hotel Adler".into());
    cli.add_device(&device).unwrap();
    assert!(
        window
            .save_site_over(&edited_from(&loaded), &loaded)
            .is_ok()
    );
}

#[test]
fn a_device_saved_over_values_changed_elsewhere_is_refused() {
    let (_dir, mut window, mut cli, _) = two_connections();
    let loaded = window
        .add_device(&NewDevice::with_mac(Mac::parse("7C2F80820EC0").unwrap()))
        .unwrap();
    cli.set_site(&[loaded.id], Some("Hotel Adler")).unwrap();

    let mut edited = NewDevice::with_mac(loaded.mac);
    edited.notes = "spare handset".into();
    let refused = window.update_device_over(&edited, &loaded).unwrap_err();
    assert_eq!(
        refused.to_string(),
        "7C2F80820EC0 was changed elsewhere since you opened it: reload to see the new values"
    );
    let stored = cli.device_by_mac(loaded.mac).unwrap().unwrap();
    assert_eq!(stored.site.as_deref(), Some("Hotel Adler"), "kept");
    assert_eq!(stored.notes, "");

    let mut edited = NewDevice::with_mac(loaded.mac);
    edited.site = stored.site.clone();
    edited.notes = "spare handset".into();
    let saved = window.update_device_over(&edited, &stored).unwrap();
    assert_eq!(saved.notes, "spare handset");
}

#[test]
fn a_template_saved_over_a_version_no_longer_the_newest_is_refused() {
    let (_dir, mut window, mut cli, _) = two_connections();
    let name = "provider-frame";
    let builtin = provdesk::templates::find_default(name).unwrap().text;
    let mine = builtin.replace("The device applies", "Mine: the device applies");
    let theirs = builtin.replace("The device applies", "Theirs: the device applies");
    cli.save_template_version(name, &theirs, "from the CLI")
        .unwrap();
    let refused = window
        .save_template_version_over(name, &mine, "", None)
        .unwrap_err();
    assert!(
        matches!(
            refused,
            provdesk::inventory::TemplateStoreError::ChangedElsewhere { newest: 1, .. }
        ),
        "{refused}"
    );
    assert!(
        refused
            .to_string()
            .contains("version 1 was saved elsewhere (the CLI, a script or another window) after your edit started from the built-in template"),
        "{refused}"
    );
    let stored = window.current_template_version(name).unwrap().unwrap();
    assert_eq!(
        stored.body.as_deref(),
        Some(theirs.as_str()),
        "theirs stays"
    );

    let provdesk::inventory::SaveOutcome::Saved(saved) = window
        .save_template_version_over(name, &mine, "", Some(1))
        .unwrap()
    else {
        panic!("a new text makes a version");
    };
    assert_eq!(saved.version, 2, "over the newest it saves");
    assert!(
        matches!(
            window.save_template_version_over(name, &mine, "", Some(1)),
            Ok(provdesk::inventory::SaveOutcome::Unchanged(_))
        ),
        "the text of the newest undoes nothing: no change, not refused"
    );
    let more = mine.replace("Mine:", "Mine again:");
    assert!(matches!(
        window.save_template_version_over(name, &more, "", Some(1)),
        Err(provdesk::inventory::TemplateStoreError::ChangedElsewhere { newest: 2, .. })
    ));
}
