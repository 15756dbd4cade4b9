//! Renaming and deleting sites in the SQLite store: names compared as the schema compares them,
//! devices kept, what a delete takes from the devices said before it, the audit entries, and
//! nothing half-done when a step fails.

use std::path::{Path, PathBuf};

use provdesk::device::{Mac, NewDevice, ProvisioningUrl, SipAccount};
use provdesk::inventory::{Inventory, InventoryError, SiteDevices, SiteDraft, SiteRemoval};
use provdesk::secret::Secret;

fn open() -> (tempfile::TempDir, PathBuf, Inventory) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("inventory.sqlite3");
    let inventory = Inventory::open(&path).unwrap();
    (dir, path, inventory)
}

fn mac(text: &str) -> Mac {
    Mac::parse(text).unwrap()
}

/// "Hotel Alder" with every default; in it 7C2F80820EC0 (inherits everything, one SIP
/// account open to the site's registrar), EC1 (its own provider and digest password) and EC2
/// (inherits everything, no SIP account). "Lobby" is empty.
fn hotel(inventory: &mut Inventory) {
    inventory
        .save_site(&SiteDraft {
            name: "Hotel Alder".into(),
            provider: Some("acme-voice".into()),
            url_pattern: Some("https://prov:UrlSecret@prov.example.com/%MACD.xml".into()),
            digest_username: Some("hotel".into()),
            digest_password: Some(Secret::new("SiteSecret")),
            sip_registrar: Some("pbx.example.com".into()),
            ..SiteDraft::default()
        })
        .unwrap();
    inventory
        .save_site(&SiteDraft {
            name: "Lobby".into(),
            ..SiteDraft::default()
        })
        .unwrap();
    for text in ["7C2F80820EC0", "7C2F80820EC1", "7C2F80820EC2"] {
        let mut device = NewDevice::with_mac(mac(text));
        device.site = Some("Hotel Alder".into());
        if text.ends_with('1') {
            device.provider = Some("own-voice".into());
            device.digest_password = Some(Secret::new("OwnSecret"));
        }
        inventory.add_device(&device).unwrap();
    }
    let account = SipAccount {
        index: 1,
        user: "1001".into(),
        ..SipAccount::default()
    };
    inventory
        .set_sip_accounts(&mac("7C2F80820EC0"), &[account])
        .unwrap();
}

fn site_of(inventory: &Inventory, text: &str) -> Option<String> {
    inventory.device_by_mac(mac(text)).unwrap().unwrap().site
}

fn site_names(inventory: &Inventory) -> Vec<String> {
    inventory
        .sites()
        .unwrap()
        .into_iter()
        .map(|site| site.name)
        .collect()
}

fn audit_count(inventory: &Inventory) -> usize {
    inventory.audit_log(10_000).unwrap().len()
}

/// Makes SQLite refuse a step from outside, as a full disk or a constraint would.
fn refuse(path: &Path, trigger: &str) {
    rusqlite::Connection::open(path)
        .unwrap()
        .execute_batch(trigger)
        .unwrap();
}

#[test]
fn a_rename_keeps_the_devices_and_the_values() {
    let (_dir, _path, mut inventory) = open();
    hotel(&mut inventory);
    let renamed = inventory
        .rename_site(" hotel alder ", " Hotel Adler ")
        .unwrap();
    assert_eq!(renamed.name, "Hotel Adler");
    assert_eq!(renamed.device_count, 3);
    assert_eq!(renamed.provider.as_deref(), Some("acme-voice"));
    let device = inventory
        .device_by_mac(mac("7C2F80820EC0"))
        .unwrap()
        .unwrap();
    assert_eq!(device.site.as_deref(), Some("Hotel Adler"));
    assert_eq!(device.effective_provider(), Some("acme-voice"));
    assert_eq!(site_names(&inventory), ["Hotel Adler", "Lobby"]);
    let entry = &inventory.audit_log(1).unwrap()[0];
    assert_eq!(
        (
            entry.action.as_str(),
            entry.subject.as_str(),
            entry.detail.as_str()
        ),
        ("site.rename", "Hotel Alder", "name=Hotel Adler")
    );

    let case_only = inventory.rename_site("Lobby", "LOBBY").unwrap();
    assert_eq!(
        case_only.name, "LOBBY",
        "a site may change the case of its name"
    );
    let entries = audit_count(&inventory);
    inventory.rename_site("lobby", "LOBBY").unwrap();
    assert_eq!(
        audit_count(&inventory),
        entries,
        "the same name changes nothing"
    );
}

#[test]
fn a_rename_refuses_a_name_another_site_has_whatever_its_case() {
    let (_dir, _path, mut inventory) = open();
    hotel(&mut inventory);
    let entries = audit_count(&inventory);
    let error = inventory.rename_site("Lobby", " HOTEL alder").unwrap_err();
    assert!(
        matches!(&error, InventoryError::SiteNameTaken { name, other }
            if name == "Lobby" && other == "Hotel Alder"),
        "{error:?}"
    );
    let message = error.to_string();
    assert!(
        message.contains("site \"Lobby\" was not renamed"),
        "{message}"
    );
    assert!(
        message.contains("another site is called \"Hotel Alder\""),
        "{message}"
    );
    assert!(message.contains("pick another name"), "{message}");
    assert_eq!(site_names(&inventory), ["Hotel Alder", "Lobby"]);
    assert_eq!(audit_count(&inventory), entries);
}

#[test]
fn a_rename_refuses_an_empty_or_unprintable_name_and_an_unknown_site() {
    let (_dir, _path, mut inventory) = open();
    hotel(&mut inventory);
    for (new, says) in [
        ("   ", "the new name is empty: give the site a name"),
        ("Hotel\tAdler", "the new name holds a control character"),
    ] {
        let error = inventory.rename_site("Hotel Alder", new).unwrap_err();
        assert!(
            matches!(error, InventoryError::SiteNotRenamed { .. }),
            "{error:?}"
        );
        let message = error.to_string();
        assert!(
            message.contains("site \"Hotel Alder\" was not renamed"),
            "{message}"
        );
        assert!(message.contains(says), "{message}");
    }
    let error = inventory
        .rename_site("Hotel Adler", "Hotel Eagle")
        .unwrap_err();
    assert!(
        matches!(&error, InventoryError::SiteNotFound { name } if name == "Hotel Adler"),
        "{error:?}"
    );
    assert_eq!(site_names(&inventory), ["Hotel Alder", "Lobby"]);
}

#[test]
fn a_rename_whose_audit_entry_fails_is_not_made() {
    let (_dir, path, mut inventory) = open();
    hotel(&mut inventory);
    refuse(
        &path,
        "CREATE TRIGGER no_rename BEFORE INSERT ON audit_log WHEN new.action = 'site.rename'
         BEGIN SELECT RAISE(ABORT, 'audit refused'); END;",
    );
    let error = inventory
        .rename_site("Hotel Alder", "Hotel Adler")
        .unwrap_err();
    assert!(error.to_string().contains("audit refused"), "{error}");
    assert_eq!(site_names(&inventory), ["Hotel Alder", "Lobby"]);
    assert_eq!(
        site_of(&inventory, "7C2F80820EC0").as_deref(),
        Some("Hotel Alder")
    );
}

/// The facts name each value the devices use because their own is empty, with how many use
/// it where not all do; the passwords masked, in the URL too.
#[test]
fn the_removal_facts_name_what_the_devices_inherit() {
    let (_dir, _path, mut inventory) = open();
    hotel(&mut inventory);
    let facts = inventory.site_removal("hotel alder").unwrap();
    assert_eq!(facts.site, "Hotel Alder");
    assert_eq!(facts.devices, 3);
    let inherited: Vec<(&str, &str, usize)> = facts
        .inherited
        .iter()
        .map(|value| (value.field, value.shown.as_str(), value.devices))
        .collect();
    assert_eq!(
        inherited,
        [
            ("provider", "acme-voice", 2),
            (
                "provisioning URL",
                "https://prov:••••••@prov.example.com/%MACD.xml",
                3
            ),
            ("digest user name", "hotel", 3),
            ("digest password", "••••••", 2),
            ("SIP registrar", "pbx.example.com", 1),
        ]
    );
    let sentence = facts.consequence();
    assert!(
        sentence.starts_with(
            "3 devices in Hotel Alder lose the provider acme-voice (2 of them), the provisioning URL https://prov:••••••@prov.example.com/%MACD.xml,"
        ),
        "{sentence}"
    );
    assert!(
        sentence.ends_with(
            "and the SIP registrar pbx.example.com (1 of them) they inherit from it, and stay in the inventory without a site."
        ),
        "{sentence}"
    );
    for text in [format!("{facts:?}"), sentence] {
        assert!(!text.contains("Secret"), "{text}");
    }

    let empty = inventory.site_removal("Lobby").unwrap();
    assert_eq!((empty.devices, empty.inherited.len()), (0, 0));
    assert_eq!(
        empty.consequence(),
        "No device is in Lobby, so deleting it changes no device."
    );
    assert!(matches!(
        inventory.site_removal("Nowhere"),
        Err(InventoryError::SiteNotFound { .. })
    ));
}

/// Devices with values of their own lose nothing but the site, and the facts say so.
#[test]
fn devices_that_inherit_nothing_lose_only_the_site() {
    let (_dir, _path, mut inventory) = open();
    let mut device = NewDevice::with_mac(mac("7C2F80820EC0"));
    device.site = Some("Bare".into());
    device.provider = Some("own-voice".into());
    device.url = Some(ProvisioningUrl::parse("https://own.example.com/%MACD.xml").unwrap());
    inventory.add_device(&device).unwrap();
    inventory
        .save_site(&SiteDraft {
            name: "Bare".into(),
            provider: Some("acme-voice".into()),
            ..SiteDraft::default()
        })
        .unwrap();
    let facts = inventory.site_removal("Bare").unwrap();
    assert_eq!(
        facts,
        SiteRemoval {
            site: "Bare".into(),
            devices: 1,
            inherited: Vec::new(),
        }
    );
    assert_eq!(
        facts.consequence(),
        "1 device in Bare stays in the inventory without a site; it inherits none of its \
         values, so nothing else changes for it."
    );
}

#[test]
fn an_empty_site_is_deleted_with_its_audit_entry() {
    let (_dir, _path, mut inventory) = open();
    hotel(&mut inventory);
    let removed = inventory.delete_site("lobby", SiteDevices::Refuse).unwrap();
    assert_eq!((removed.site.as_str(), removed.devices), ("Lobby", 0));
    assert_eq!(site_names(&inventory), ["Hotel Alder"]);
    let entry = &inventory.audit_log(1).unwrap()[0];
    assert_eq!(
        (entry.action.as_str(), entry.subject.as_str()),
        ("site.delete", "Lobby")
    );
    assert!(entry.detail.ends_with("devices=0"), "{entry:?}");
}

#[test]
fn a_site_with_devices_is_kept_unless_they_may_go() {
    let (_dir, _path, mut inventory) = open();
    hotel(&mut inventory);
    let entries = audit_count(&inventory);
    let error = inventory
        .delete_site("Hotel Alder", SiteDevices::Refuse)
        .unwrap_err();
    let message = error.to_string();
    for says in [
        "site \"Hotel Alder\" was not deleted, since devices are in it",
        "3 devices in Hotel Alder would lose the provider acme-voice (2 of them)",
        "`provdesk site rm \"Hotel Alder\" --force`",
        "`provdesk device site MAC… --site S`",
    ] {
        assert!(message.contains(says), "{says}: {message}");
    }
    assert!(!message.contains("SiteSecret") && !message.contains("UrlSecret"));
    assert_eq!(site_names(&inventory), ["Hotel Alder", "Lobby"]);
    assert_eq!(audit_count(&inventory), entries, "a refusal writes nothing");

    let before = inventory.site_removal("Hotel Alder").unwrap();
    let removed = inventory
        .delete_site("Hotel Alder", SiteDevices::Release)
        .unwrap();
    assert_eq!(removed, before, "the report says what the warning said");
    assert_eq!(site_names(&inventory), ["Lobby"]);
    assert_eq!(inventory.device_count().unwrap(), 3, "the devices stay");
    let inherited = inventory
        .device_by_mac(mac("7C2F80820EC0"))
        .unwrap()
        .unwrap();
    assert_eq!(inherited.site, None);
    assert_eq!(
        inherited.effective_provider(),
        None,
        "the inherited value is gone"
    );
    assert_eq!(inherited.effective_sip_accounts()[0].registrar, None);
    let own = inventory
        .device_by_mac(mac("7C2F80820EC1"))
        .unwrap()
        .unwrap();
    assert_eq!(
        own.effective_provider(),
        Some("own-voice"),
        "its own value stays"
    );

    let log = inventory.audit_log(4).unwrap();
    let entries: Vec<(&str, &str)> = log
        .iter()
        .map(|e| (e.action.as_str(), e.subject.as_str()))
        .collect();
    assert_eq!(
        entries,
        [
            ("site.delete", "Hotel Alder"),
            ("device.site", "7C2F80820EC2"),
            ("device.site", "7C2F80820EC1"),
            ("device.site", "7C2F80820EC0"),
        ]
    );
    assert_eq!(log[1].detail, "site= (site Hotel Alder deleted)");
    assert!(
        log[0].detail.contains("provider=Some(\"acme-voice\")"),
        "{:?}",
        log[0]
    );
    assert!(
        log[0].detail.contains("digest_password=set"),
        "{:?}",
        log[0]
    );
    assert!(log[0].detail.ends_with("devices=3"), "{:?}", log[0]);
    for entry in &log {
        assert!(!entry.detail.contains("SiteSecret"), "{entry:?}");
        assert!(!entry.detail.contains("UrlSecret"), "{entry:?}");
    }
}

/// The devices let go first and the site deleted after: when the delete fails, the devices
/// keep their site and no audit entry is left.
#[test]
fn a_delete_that_fails_half_way_leaves_everything_as_it_was() {
    let (_dir, path, mut inventory) = open();
    hotel(&mut inventory);
    refuse(
        &path,
        "CREATE TRIGGER keep_sites BEFORE DELETE ON sites
         BEGIN SELECT RAISE(ABORT, 'delete refused'); END;",
    );
    let entries = audit_count(&inventory);
    let error = inventory
        .delete_site("Hotel Alder", SiteDevices::Release)
        .unwrap_err();
    assert!(error.to_string().contains("delete refused"), "{error}");
    assert_eq!(site_names(&inventory), ["Hotel Alder", "Lobby"]);
    for text in ["7C2F80820EC0", "7C2F80820EC1", "7C2F80820EC2"] {
        assert_eq!(site_of(&inventory, text).as_deref(), Some("Hotel Alder"));
    }
    assert_eq!(audit_count(&inventory), entries);
}
