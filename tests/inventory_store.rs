//! The SQLite store against real files: migrations, constraints, transactions, search, undo.

use std::path::PathBuf;

use provdesk::device::{DeviceDraft, Mac, NewDevice};
use provdesk::inventory::{
    DeviceQuery, Inventory, InventoryError, SCHEMA_VERSION, SiteDraft, SortKey,
};
use provdesk::secret::Secret;

fn temp_db() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nested").join("inventory.sqlite3");
    (dir, path)
}

fn device(mac: &str) -> NewDevice {
    NewDevice::with_mac(Mac::parse(mac).unwrap())
}

fn draft(mac: &str, mac_id: &str, model: &str, site: &str) -> NewDevice {
    DeviceDraft {
        mac: mac.into(),
        mac_id: mac_id.into(),
        model: model.into(),
        site: site.into(),
        ..DeviceDraft::default()
    }
    .validate()
    .unwrap()
}

#[test]
fn migrations_run_from_an_empty_file_and_are_idempotent() {
    let (_dir, path) = temp_db();
    let inventory = Inventory::open(&path).unwrap();
    assert_eq!(inventory.schema_version().unwrap(), SCHEMA_VERSION);
    assert_eq!(inventory.device_count().unwrap(), 0);
    drop(inventory);
    let again = Inventory::open(&path).unwrap();
    assert_eq!(again.schema_version().unwrap(), SCHEMA_VERSION);
}

#[test]
fn a_database_from_a_newer_provdesk_is_refused() {
    let (_dir, path) = temp_db();
    drop(Inventory::open(&path).unwrap());
    let conn = rusqlite_like_bump(&path, SCHEMA_VERSION + 1);
    drop(conn);
    match Inventory::open(&path) {
        Err(InventoryError::NewerSchema { found, supported }) => {
            assert_eq!(found, SCHEMA_VERSION + 1);
            assert_eq!(supported, SCHEMA_VERSION);
        }
        other => panic!("expected NewerSchema, got {:?}", other.err()),
    }
}

/// Sets `user_version` through SQLite itself, as a newer build would have left it.
fn rusqlite_like_bump(path: &std::path::Path, version: u32) -> rusqlite::Connection {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.pragma_update(None, "user_version", version).unwrap();
    conn
}

#[cfg(unix)]
#[test]
fn the_file_and_its_folder_are_private() {
    use std::os::unix::fs::PermissionsExt;
    let (_dir, path) = temp_db();
    let mut inventory = Inventory::open(&path).unwrap();
    inventory.add_device(&device("7C2F80820EC0")).unwrap();
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&path), 0o600);
    assert_eq!(mode(path.parent().unwrap()), 0o700);
    let wal = path.with_extension("sqlite3-wal");
    assert!(wal.exists(), "WAL mode keeps a -wal file while open");
    assert_eq!(mode(&wal), 0o600);
}

#[test]
fn a_mac_is_unique_whatever_its_notation() {
    let (_dir, path) = temp_db();
    let mut inventory = Inventory::open(&path).unwrap();
    inventory.add_device(&device("7c:2f:80:82:0e:c0")).unwrap();
    let err = inventory.add_device(&device("7C2F.8082.0EC0")).unwrap_err();
    assert!(
        matches!(&err, InventoryError::DuplicateMac { mac } if mac == "7C2F80820EC0"),
        "{err}"
    );
    assert!(err.to_string().contains("7C2F80820EC0"));
    assert_eq!(inventory.device_count().unwrap(), 1);
}

#[test]
fn a_mac_id_is_unique_too() {
    let (_dir, path) = temp_db();
    let mut inventory = Inventory::open(&path).unwrap();
    inventory
        .add_device(&draft("7C2F80820EC0", "7C2F80820EC0-55DF", "", ""))
        .unwrap();
    let mut other = device("7C2F80820EC1");
    other.mac_id = draft("7C2F80820EC0", "7C2F80820EC0-55DF", "", "").mac_id;
    let err = inventory.add_device(&other).unwrap_err();
    assert!(
        matches!(err, InventoryError::DuplicateMacId { .. }),
        "{err}"
    );
}

#[test]
fn a_batch_with_one_bad_row_writes_nothing() {
    let (_dir, path) = temp_db();
    let mut inventory = Inventory::open(&path).unwrap();
    inventory.add_device(&device("7C2F80820EC2")).unwrap();
    let batch = vec![
        draft("7C2F80820EC0", "", "", "New Site"),
        device("7C2F80820EC1"),
        device("7C2F80820EC2"),
        device("7C2F80820EC3"),
    ];
    let err = inventory.add_devices(&batch).unwrap_err();
    match err {
        InventoryError::Row { row, source } => {
            assert_eq!(row, 3);
            assert!(matches!(*source, InventoryError::DuplicateMac { .. }));
        }
        other => panic!("expected a row error, got {other}"),
    }
    assert_eq!(inventory.device_count().unwrap(), 1, "rolled back");
    assert!(
        inventory.sites().unwrap().is_empty(),
        "the site the batch created is rolled back too"
    );
}

#[test]
fn delete_then_restore_brings_back_every_field() {
    let (_dir, path) = temp_db();
    let mut inventory = Inventory::open(&path).unwrap();
    let mut new = draft("7C2F80820EC0", "7C2F80820EC0-55DF", "Maxwell 3", "Lobby");
    new.digest_password = Some(Secret::new("s3cret"));
    new.notes = "by the door".into();
    let stored = inventory.add_device(&new).unwrap();
    let deleted = inventory.delete_devices(&[stored.id]).unwrap();
    assert_eq!(inventory.device_count().unwrap(), 0);
    inventory.restore_devices(&deleted).unwrap();
    let back = inventory
        .device_by_mac(Mac::parse("7C2F80820EC0").unwrap())
        .unwrap()
        .unwrap();
    assert_eq!(back, stored);
}

fn sample(inventory: &mut Inventory) {
    inventory
        .add_devices(&[
            draft("7C2F80820EC0", "7C2F80820EC0-55DF", "N510", "Hotel Adler"),
            draft("7C2F80820EC1", "", "Maxwell 3", "Hotel Adler"),
            draft("0001E3123456", "", "DE900", "Klinik Nord"),
            {
                let mut d = device("0001E3ABCDEF");
                d.notes = "Spare in the van".into();
                d
            },
        ])
        .unwrap();
}

fn macs(inventory: &Inventory, query: DeviceQuery) -> Vec<String> {
    inventory
        .query_devices(&query)
        .unwrap()
        .devices
        .iter()
        .map(|d| d.mac.macd())
        .collect()
}

fn search(text: &str) -> DeviceQuery {
    DeviceQuery {
        search: text.into(),
        ..DeviceQuery::default()
    }
}

#[test]
fn search_matches_macs_in_any_notation_and_other_fields() {
    let (_dir, path) = temp_db();
    let mut inventory = Inventory::open(&path).unwrap();
    sample(&mut inventory);
    assert_eq!(macs(&inventory, search("0e:c0")), ["7C2F80820EC0"]);
    assert_eq!(macs(&inventory, search("82-0e")).len(), 2);
    assert_eq!(macs(&inventory, search("7c2f.8082")).len(), 2);
    assert_eq!(macs(&inventory, search("55df")), ["7C2F80820EC0"]);
    assert_eq!(macs(&inventory, search("adler")).len(), 2);
    assert_eq!(macs(&inventory, search("MAXWELL")), ["7C2F80820EC1"]);
    assert_eq!(macs(&inventory, search("van")), ["0001E3ABCDEF"]);
    assert!(macs(&inventory, search("100%")).is_empty(), "% is literal");
    assert!(macs(&inventory, search("_")).is_empty(), "_ is literal");
}

#[test]
fn site_filter_sort_and_paging() {
    let (_dir, path) = temp_db();
    let mut inventory = Inventory::open(&path).unwrap();
    sample(&mut inventory);
    let in_site = DeviceQuery {
        site: Some("hotel adler".into()),
        ..DeviceQuery::default()
    };
    assert_eq!(macs(&inventory, in_site), ["7C2F80820EC0", "7C2F80820EC1"]);

    let by_model_desc = DeviceQuery {
        sort: SortKey::Model,
        descending: true,
        ..DeviceQuery::default()
    };
    let order = macs(&inventory, by_model_desc);
    assert_eq!(
        order,
        [
            "7C2F80820EC0",
            "7C2F80820EC1",
            "0001E3123456",
            "0001E3ABCDEF"
        ],
        "N510 IP PRO, Maxwell 3, DE900 IP PRO, then the device without a model"
    );

    let page = inventory
        .query_devices(&DeviceQuery {
            limit: Some(2),
            offset: 1,
            ..DeviceQuery::default()
        })
        .unwrap();
    assert_eq!(page.total, 4);
    assert_eq!(page.devices.len(), 2);
    assert_eq!(page.devices[0].mac.macd(), "0001E3ABCDEF");
}

#[test]
fn devices_inherit_site_defaults_unless_they_override_them() {
    let (_dir, path) = temp_db();
    let mut inventory = Inventory::open(&path).unwrap();
    inventory
        .save_site(&SiteDraft {
            name: "Hotel Adler".into(),
            provider: Some("acme".into()),
            url_pattern: Some("https://prov.acme.example/%MACD.xml".into()),
            digest_username: Some("hotel".into()),
            digest_password: Some(Secret::new("pw")),
            notes: String::new(),
            ..SiteDraft::default()
        })
        .unwrap();
    let inherits = inventory
        .add_device(&draft("7C2F80820EC0", "", "", "hotel adler"))
        .unwrap();
    assert_eq!(inherits.site.as_deref(), Some("Hotel Adler"));
    assert_eq!(inherits.effective_provider(), Some("acme"));
    assert_eq!(
        inherits.effective_url(),
        Some("https://prov.acme.example/%MACD.xml")
    );
    assert_eq!(inherits.effective_digest_username(), Some("hotel"));
    assert_eq!(inherits.effective_digest_password().unwrap().expose(), "pw");

    let mut own = draft("7C2F80820EC1", "", "", "Hotel Adler");
    own.provider = Some("other".into());
    let overrides = inventory.add_device(&own).unwrap();
    assert_eq!(overrides.effective_provider(), Some("other"));
    assert_eq!(overrides.provider.as_deref(), Some("other"));
}

#[test]
fn every_change_is_audited_without_secrets() {
    let (_dir, path) = temp_db();
    let mut inventory = Inventory::open(&path).unwrap();
    let mut new = draft("7C2F80820EC0", "", "N510", "Lobby");
    new.digest_password = Some(Secret::new("TopSecret99"));
    new.url =
        Some(provdesk::device::ProvisioningUrl::parse("https://u:UrlSecret@h/%MACD").unwrap());
    let stored = inventory.add_device(&new).unwrap();
    inventory.update_device(stored.id, &new).unwrap();
    inventory.delete_devices(&[stored.id]).unwrap();
    let log = inventory.audit_log(10).unwrap();
    let actions: Vec<&str> = log.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions,
        ["device.delete", "device.update", "device.add", "site.add"]
    );
    for entry in &log {
        assert!(!entry.detail.contains("TopSecret99"), "{entry:?}");
        assert!(!entry.detail.contains("UrlSecret"), "{entry:?}");
    }
    assert!(log[2].detail.contains("digest_password=set"));
}

#[test]
fn updating_to_a_taken_mac_fails_and_keeps_the_old_values() {
    let (_dir, path) = temp_db();
    let mut inventory = Inventory::open(&path).unwrap();
    inventory.add_device(&device("7C2F80820EC0")).unwrap();
    let second = inventory.add_device(&device("7C2F80820EC1")).unwrap();
    let err = inventory
        .update_device(second.id, &device("7C2F80820EC0"))
        .unwrap_err();
    assert!(matches!(err, InventoryError::DuplicateMac { .. }), "{err}");
    assert!(
        inventory
            .device_by_mac(Mac::parse("7C2F80820EC1").unwrap())
            .unwrap()
            .is_some()
    );
}

#[test]
fn a_filtered_page_reports_the_total_of_all_matches() {
    let (_dir, path) = temp_db();
    let mut inventory = Inventory::open(&path).unwrap();
    sample(&mut inventory);
    let page = |offset: usize| {
        inventory
            .query_devices(&DeviceQuery {
                search: "7c2f".into(),
                limit: Some(1),
                offset,
                ..DeviceQuery::default()
            })
            .unwrap()
    };
    let first = page(0);
    assert_eq!(first.total, 2);
    assert_eq!(first.devices.len(), 1);
    assert_eq!(first.devices[0].mac.macd(), "7C2F80820EC0");
    let beyond = page(5);
    assert!(beyond.devices.is_empty());
    assert_eq!(beyond.total, 2, "the total holds past the last page");
}

#[test]
fn existing_macs_names_the_ones_already_stored() {
    let (_dir, path) = temp_db();
    let mut inventory = Inventory::open(&path).unwrap();
    inventory.add_device(&device("7C2F80A1B200")).unwrap();
    let asked = [
        Mac::parse("7C2F80A1B200").unwrap(),
        Mac::parse("7C2F80A1B203").unwrap(),
    ];
    let found = inventory.existing_macs(&asked).unwrap();
    assert_eq!(found.len(), 1);
    assert!(found.contains(&asked[0]));
}

#[test]
fn a_folder_or_a_file_that_is_no_database_is_refused_as_what_it_is() {
    let dir = tempfile::tempdir().unwrap();
    let error = Inventory::open(dir.path()).err().unwrap().to_string();
    assert!(
        error.contains("it is a folder; pass the path of a file"),
        "{error}"
    );

    let csv = dir.path().join("devices.csv");
    std::fs::write(&csv, "MAC\n7C2F80AAAF01\n").unwrap();
    let error = Inventory::open(&csv).err().unwrap();
    assert!(
        matches!(error, InventoryError::NotAnInventory { .. }),
        "{error}"
    );
    assert!(error.to_string().contains("is not a provdesk inventory"));
    assert_eq!(
        std::fs::read_to_string(&csv).unwrap(),
        "MAC\n7C2F80AAAF01\n",
        "the file is left as it was"
    );

    // An empty file is a new inventory, as a file made by `touch` should be.
    let empty = dir.path().join("empty.sqlite3");
    std::fs::write(&empty, "").unwrap();
    assert!(Inventory::open(&empty).is_ok());
}

#[test]
fn a_read_only_inventory_says_so_once_with_what_to_do() {
    let (_dir, path) = temp_db();
    Inventory::open(&path).unwrap();
    let conn =
        rusqlite::Connection::open_with_flags(&path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .unwrap();
    let error: InventoryError = conn.execute("DELETE FROM devices", []).unwrap_err().into();
    let text = error.to_string();
    assert!(text.contains("read-only for you"), "{text}");
    assert!(text.contains("pass --db a file you may write"), "{text}");
    assert!(
        std::error::Error::source(&error).is_none(),
        "the message already says what SQLite said"
    );
}

/// Several devices move to a site in one step (created when new), or out of every site; a
/// device already there is not counted, and an unknown id changes nothing.
#[test]
fn devices_move_to_a_site_together() {
    let (_dir, db) = temp_db();
    let mut inventory = Inventory::open(&db).unwrap();
    let ids: Vec<i64> = ["7C2F80820EC0", "7C2F80820EC1", "7C2F80820EC2"]
        .into_iter()
        .map(|mac| inventory.add_device(&device(mac)).unwrap().id)
        .collect();
    assert_eq!(inventory.set_site(&ids[..2], Some(" Lobby ")).unwrap(), 2);
    assert_eq!(
        inventory.set_site(&ids, Some("Lobby")).unwrap(),
        1,
        "two were there"
    );
    let lobby = inventory.sites().unwrap();
    assert_eq!(lobby.len(), 1);
    assert_eq!(
        (lobby[0].name.as_str(), lobby[0].device_count),
        ("Lobby", 3)
    );
    assert!(inventory.set_site(&[ids[0], 999_999], None).is_err());
    assert_eq!(
        inventory.sites().unwrap()[0].device_count,
        3,
        "an unknown id leaves every device where it was"
    );
    assert_eq!(inventory.set_site(&ids[..1], None).unwrap(), 1);
    assert_eq!(inventory.sites().unwrap()[0].device_count, 2);
}
